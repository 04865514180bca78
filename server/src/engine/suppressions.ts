import { unknownRuleHint } from './names-hint';
import type { RuleSettings } from './config';
import {
  type Finding,
  type Fix,
  INVALID_SUPPRESSION_RULE,
  type Severity,
  type Suppression,
  type TextEdit,
  UNUSED_SUPPRESSION_RULE,
} from './findings';
import type { AnalyzedFile } from './rules/define';
import type { Span } from './source';
import {
  type Directive,
  type DirectiveProblem,
  type DirectiveWord,
  type SuppressionScope,
  readDirective,
} from './suppression-syntax';
import type { ParsedFile, Statement } from './syntax/ast';
import { lex } from './syntax/lexer';
import type { Comment } from './syntax/tokens';

export type { SuppressionScope } from './suppression-syntax';

/** What judging directives needs besides the file. */
export interface SuppressionContext {
  /** Rules a directive may name: every registered rule and `parse-error`. */
  readonly ruleNames: readonly string[];
  /**
   * Rules whose findings are about a live account, not a statement: no directive can excuse
   * them, so naming one is a mistake (their severity is set in snowgov.yml instead).
   */
  readonly accountRules?: readonly string[];
  /** Settings by rule id: the pseudo-rules' severities, and which rules are turned off. */
  readonly settings: ReadonlyMap<string, RuleSettings>;
  /** Today as YYYY-MM-DD in UTC. A directive holds through the whole of its `until` day. */
  readonly today: string;
}

/** One directive as `snowgov exceptions` lists it. */
export interface SuppressionEntry {
  readonly path: string;
  /** 1-based line of the directive. */
  readonly line: number;
  readonly scope: SuppressionScope;
  readonly rules: readonly string[];
  readonly reason?: string;
  /** The last day the directive holds (YYYY-MM-DD), as written. */
  readonly until?: string;
  readonly expired: boolean;
  /** Why the directive is invalid, one sentence each; empty when it is valid. */
  readonly problems: readonly string[];
}

/** How long the "Suppress … with a reason" action lets an exception live before review. */
export const SUPPRESSION_DAYS = 90;

/** A directive with its rule names and date checked and, for a line directive, its statement. */
interface CheckedDirective {
  readonly directive: Directive;
  /** 1-based line of the directive. */
  readonly line: number;
  readonly problems: readonly DirectiveProblem[];
  readonly expired?: DirectiveProblem;
  /** The statement a line directive excuses; undefined when none qualifies. */
  readonly target?: Statement;
}

/**
 * Marks the findings that a valid directive of the file excuses, and adds a finding for each
 * directive problem (`invalid-suppression`) and each listed rule that excused nothing
 * (`unused-suppression`). An invalid or expired directive excuses nothing: the only way to
 * silence a finding is a complete, current justification.
 */
export function applySuppressions(
  file: AnalyzedFile,
  findings: readonly Finding[],
  context: SuppressionContext,
): Finding[] {
  const directives = checkDirectives(file, context);
  if (directives.length === 0) return [...findings];

  const active = directives
    .filter((checked) => isActive(checked))
    .sort((a, b) => specificity(b) - specificity(a));
  const used = new Map<CheckedDirective, Set<string>>();
  const result = findings.map((finding) => {
    const matching = active.filter((checked) => excuses(checked, finding));
    if (matching.length === 0) return finding;
    for (const checked of matching) {
      const rules = used.get(checked) ?? new Set<string>();
      rules.add(finding.ruleId);
      used.set(checked, rules);
    }

    // The nearest directive is the justification shown; any other that matched still counts as used.
    return { ...finding, suppression: suppressionOf(matching[0], file.path) };
  });

  const invalid = context.settings.get(INVALID_SUPPRESSION_RULE);
  const unused = context.settings.get(UNUSED_SUPPRESSION_RULE);
  for (const checked of directives) {
    if (invalid?.enabled !== false) {
      const problems = [...checked.problems, ...(checked.expired ? [checked.expired] : [])];
      for (const problem of problems) {
        result.push(problemFinding(file, INVALID_SUPPRESSION_RULE, invalid?.severity, problem));
      }
    }
    if (unused?.enabled !== false && isActive(checked)) {
      for (const problem of unusedProblems(checked, used.get(checked), context, file)) {
        result.push(problemFinding(file, UNUSED_SUPPRESSION_RULE, unused?.severity, problem));
      }
    }
  }

  return result;
}

/** Every directive of the files, by path and then line, valid or not. */
export function listSuppressions(
  files: readonly AnalyzedFile[],
  context: Pick<SuppressionContext, 'ruleNames' | 'accountRules' | 'today'>,
): SuppressionEntry[] {
  const entries = files.flatMap((file) =>
    checkDirectives(file, { ...context, settings: new Map() }).map(
      ({ directive, line, problems, expired }): SuppressionEntry => ({
        path: file.path,
        line,
        scope: directive.scope,
        rules: directive.rules.map((rule) => rule.text),
        reason: directive.reason?.text,
        until: directive.until?.text,
        expired: expired !== undefined,
        problems: problems.map((problem) => problem.message),
      }),
    ),
  );

  return entries.sort((a, b) => (a.path === b.path ? a.line - b.line : a.path < b.path ? -1 : 1));
}

/**
 * The edit behind "Suppress <rule> with a reason": a directive with an empty reason and a
 * review date `SUPPRESSION_DAYS` ahead, on its own line just above the innermost statement
 * holding the finding, indented like it. The empty reason is itself an `invalid-suppression`
 * error until someone writes why, so the action cannot silence a finding on its own.
 */
export function suppressionEdit(
  file: AnalyzedFile,
  finding: Finding,
  now: Date,
): TextEdit | undefined {
  if (finding.ruleId === INVALID_SUPPRESSION_RULE || finding.ruleId === UNUSED_SUPPRESSION_RULE) {
    return undefined;
  }
  const statement = flatten(file.parsed.statements)
    .filter((candidate) => within(finding.span, candidate))
    .at(-1);
  if (!statement) return undefined;

  const until = isoDate(new Date(now.getTime() + SUPPRESSION_DAYS * 86_400_000));
  const directive = `-- snowgov-ignore ${finding.ruleId} reason="" until=${until}`;
  const eol = file.text.includes('\r\n') ? '\r\n' : '\n';
  const lineStart = file.lines.lineStart(file.lines.positionAt(statement.start).line);
  const before = file.text.slice(lineStart, statement.start);
  const indent = /^[ \t]*/.exec(before)?.[0] ?? '';
  if (indent.length === before.length) {
    return { path: file.path, span: point(lineStart), newText: `${indent}${directive}${eol}` };
  }

  // Another statement shares the line, so this one moves to a line of its own below the
  // directive; the spaces that separated them would only trail the earlier statement.
  const gap = before.length - before.trimEnd().length;

  return {
    path: file.path,
    span: { start: statement.start - gap, end: statement.start },
    newText: `${eol}${indent}${directive}${eol}${indent}`,
  };
}

/** The UTC calendar date of an instant, as YYYY-MM-DD. */
export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function checkDirectives(file: AnalyzedFile, context: SuppressionContext): CheckedDirective[] {
  const directives = directivesOf(file);
  if (directives.length === 0) return [];
  const statements = flatten(file.parsed.statements);

  return directives.map((directive) => {
    const problems = [...directive.problems, ...ruleProblems(directive, context)];
    const reason = reasonProblem(directive);
    if (reason) problems.push(reason);
    const trailing = directive.scope === 'statement' ? trailingProblem(directive, file) : undefined;
    if (trailing) problems.push(trailing);
    const date = directive.until && dateProblem(directive.until, directive, context.today);
    const expired = date?.messageId === 'expired' ? date : undefined;
    if (date && !expired) problems.push(date);
    const target =
      directive.scope === 'statement' ? targetOf(directive, statements, file) : undefined;
    const line = file.lines.positionAt(directive.start).line + 1;

    return { directive, line, problems, expired, target };
  });
}

function isActive(checked: CheckedDirective): boolean {
  return checked.problems.length === 0 && checked.expired === undefined;
}

/** Line directives before file directives, and the innermost statement first among them. */
function specificity(checked: CheckedDirective): number {
  return checked.directive.scope === 'file' ? -1 : (checked.target?.start ?? -1);
}

function excuses(checked: CheckedDirective, finding: Finding): boolean {
  if (!checked.directive.rules.some((rule) => rule.text === finding.ruleId)) return false;
  if (checked.directive.scope === 'file') return true;

  return checked.target !== undefined && within(finding.span, checked.target);
}

function suppressionOf(checked: CheckedDirective, path: string): Suppression {
  const { reason, until } = checked.directive;

  return {
    reason: reason?.text ?? '',
    ...(until ? { until: until.text } : {}),
    path,
    line: checked.line,
  };
}

function ruleProblems(
  directive: Directive,
  { ruleNames, accountRules = [] }: Pick<SuppressionContext, 'ruleNames' | 'accountRules'>,
): DirectiveProblem[] {
  const { keyword } = directive;
  if (directive.rules.length === 0) {
    return [
      {
        ...span(directive),
        messageId: 'missingRule',
        message:
          `${keyword} names no rule; list the rules it excuses, as in ` +
          `${keyword} grant-to-user reason="…".`,
      },
    ];
  }

  return directive.rules.flatMap((rule): DirectiveProblem[] => {
    if (accountRules.includes(rule.text)) {
      return [
        {
          ...span(rule),
          messageId: 'unsuppressibleRule',
          message:
            `${rule.text} findings are about the account, not a statement, so ${keyword} ` +
            'cannot excuse them; set its severity or off under rules in snowgov.yml instead.',
        },
      ];
    }
    if (ruleNames.includes(rule.text)) return [];
    if (rule.text === INVALID_SUPPRESSION_RULE || rule.text === UNUSED_SUPPRESSION_RULE) {
      return [
        {
          ...span(rule),
          messageId: 'unsuppressibleRule',
          message:
            `${rule.text} cannot be excused by ${keyword}; ` +
            'set its severity under rules in snowgov.yml instead.',
        },
      ];
    }

    return [
      {
        ...span(rule),
        messageId: 'unknownRule',
        message: `Unknown rule '${rule.text}' in ${keyword}. ${unknownRuleHint(rule.text, ruleNames)}`,
      },
    ];
  });
}

/**
 * A directive after code on the same line would excuse the next statement, not the one it
 * follows: an easy way to hide the wrong finding, so it excuses nothing and says why.
 */
function trailingProblem(directive: Directive, file: AnalyzedFile): DirectiveProblem | undefined {
  const lineStart = file.lines.lineStart(file.lines.positionAt(directive.start).line);
  if (file.text.slice(lineStart, directive.start).trim() === '') return undefined;

  return {
    ...span(directive),
    messageId: 'trailing',
    message:
      `${directive.keyword} must stand on a line of its own, just before the statement it ` +
      'excuses; after code it would excuse the next statement instead.',
  };
}

function reasonProblem(directive: Directive): DirectiveProblem | undefined {
  const { keyword, reason } = directive;
  if (!reason) {
    return {
      ...span(directive),
      messageId: 'missingReason',
      message: `${keyword} needs a reason: add reason="…" saying why this exception is acceptable.`,
    };
  }
  if (reason.text.trim() === '') {
    return {
      ...span(reason),
      messageId: 'emptyReason',
      message: `The reason of this ${keyword} is empty; say why this exception is acceptable.`,
    };
  }

  return undefined;
}

function dateProblem(
  until: DirectiveWord,
  directive: Directive,
  today: string,
): DirectiveProblem | undefined {
  if (!isCalendarDate(until.text)) {
    return {
      ...span(until),
      messageId: 'malformedDate',
      message: `until=${until.text} is not a date; write it as YYYY-MM-DD, such as until=2026-03-31.`,
    };
  }
  if (until.text >= today) return undefined;

  return {
    ...span(until),
    messageId: 'expired',
    message:
      `This ${directive.keyword} expired on ${until.text}, so the findings it excused are ` +
      'reported again. Fix them, or renew it with a later until= and a reason that still holds.',
  };
}

/** `YYYY-MM-DD` naming a day that exists; ISO dates compare correctly as strings. */
function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));

  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

/**
 * The statement a line directive excuses: the first statement (nested ones included) that starts
 * after it on a later line. A directive inside a statement only reaches statements nested in that
 * one, so a comment among the columns of a CREATE TABLE does not excuse whatever comes next.
 */
function targetOf(
  directive: Directive,
  statements: readonly Statement[],
  file: AnalyzedFile,
): Statement | undefined {
  const next = statements.find((statement) => statement.start >= directive.end);
  if (!next) return undefined;
  const directiveLine = file.lines.positionAt(directive.end).line;
  if (file.lines.positionAt(next.start).line <= directiveLine) return undefined;
  const enclosing = statements.filter((statement) => within(directive, statement)).at(-1);
  if (enclosing && next.start >= enclosing.end) return undefined;

  return next;
}

function unusedProblems(
  checked: CheckedDirective,
  usedRules: ReadonlySet<string> | undefined,
  context: SuppressionContext,
  file: AnalyzedFile,
): (DirectiveProblem & { fix?: Fix })[] {
  const { directive, target } = checked;
  if (directive.scope === 'statement' && !target) {
    return [
      {
        ...span(directive),
        messageId: 'noStatement',
        message:
          `This ${directive.keyword} is not on the line before a statement, so it excuses ` +
          'nothing. Move it to the line above the statement it is for.',
      },
    ];
  }

  // A rule turned off in the settings has no findings to excuse; that is not the directive's fault.
  const idle = directive.rules.filter(
    (rule) => !usedRules?.has(rule.text) && context.settings.get(rule.text)?.enabled !== false,
  );
  const where = target
    ? `the statement on line ${file.lines.positionAt(target.start).line + 1}`
    : 'this file';

  return idle.map((rule) => ({
    ...span(rule),
    messageId: 'noFinding',
    message:
      `Nothing to excuse: ${where} has no ${rule.text} finding. Remove ` +
      (directive.rules.length === 1
        ? `this ${directive.keyword}.`
        : `${rule.text} from this ${directive.keyword}.`),
    fix: removalFix(directive, rule, idle.length === directive.rules.length, file),
  }));
}

/**
 * Takes an idle rule out of its directive: the name with the comma and space that part it from
 * its neighbour, or, when no rule of the directive excuses anything, the whole directive with
 * its line. Safe: what the directive no longer names, it did not excuse.
 */
function removalFix(
  directive: Directive,
  rule: DirectiveWord,
  wholeDirective: boolean,
  file: AnalyzedFile,
): Fix {
  if (wholeDirective) {
    return {
      title: `Remove this unused ${directive.keyword}`,
      safety: 'safe',
      edits: [{ path: file.path, span: ownLines(directive, file.text), newText: '' }],
    };
  }
  const index = directive.rules.indexOf(rule);
  const next = directive.rules[index + 1];
  const previous = directive.rules[index - 1];
  const removed = next
    ? { start: rule.start, end: next.start }
    : { start: previous?.end ?? rule.start, end: rule.end };

  return {
    title: `Remove ${rule.text} from this ${directive.keyword}`,
    safety: 'safe',
    edits: [{ path: file.path, span: removed, newText: '' }],
  };
}

/** The span's lines, line break included, when nothing else is on them; else the span. */
function ownLines(target: Span, text: string): Span {
  let start = target.start;
  while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
  let end = target.end;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
  const atLineStart = start === 0 || text[start - 1] === '\n';
  if (!atLineStart) return span(target);
  if (text.startsWith('\r\n', end)) return { start, end: end + 2 };
  if (text[end] === '\n' || text[end] === '\r') return { start, end: end + 1 };

  return end === text.length ? { start, end } : span(target);
}

function problemFinding(
  file: AnalyzedFile,
  ruleId: string,
  severity: Severity | undefined,
  problem: DirectiveProblem & { readonly fix?: Fix },
): Finding {
  return {
    ruleId,
    messageId: problem.messageId,
    severity: severity ?? (ruleId === INVALID_SUPPRESSION_RULE ? 'error' : 'warning'),
    message: problem.message,
    path: file.path,
    span: span(problem),
    start: file.lines.positionAt(problem.start),
    end: file.lines.positionAt(problem.end),
    fixes: problem.fix ? [problem.fix] : [],
  };
}

/** Directives depend only on the parse, so they are read once per parse. */
const directiveCache = new WeakMap<ParsedFile, readonly Directive[]>();

function directivesOf(file: AnalyzedFile): readonly Directive[] {
  const cached = directiveCache.get(file.parsed);
  if (cached) return cached;
  const seen = new Set<number>();
  const comments = [...file.parsed.comments, ...bodyComments(file)]
    .filter((comment) => !seen.has(comment.start) && seen.add(comment.start))
    .sort((a, b) => a.start - b.start);
  const directives = comments.flatMap((comment) => readDirective(comment) ?? []);
  directiveCache.set(file.parsed, directives);

  return directives;
}

/**
 * Comments inside `$$` bodies that were parsed as SQL. The file's comment list comes from the
 * outer lexing, where a `$$` body is one token, so its comments are read here by lexing the body
 * in place. Bodies holding no parsed statement (JavaScript or Python procedures) are skipped:
 * their comments are not SQL.
 */
function bodyComments(file: AnalyzedFile): Comment[] {
  const comments: Comment[] = [];
  for (const statement of file.parsed.statements) {
    if (!statement.nested?.length) continue;
    const starts = flatten(statement.nested).map((nested) => nested.start);
    for (const token of lex(file.text, statement.start, statement.end).tokens) {
      if (token.kind !== 'dollar' || token.unterminated) continue;
      if (!starts.some((start) => start > token.start && start < token.end)) continue;
      comments.push(...lex(file.text, token.start + 2, token.end - 2).comments);
    }
  }

  return comments;
}

/** Statements and their nested statements, depth first, which is also the order they start in. */
function flatten(statements: readonly Statement[]): Statement[] {
  return statements.flatMap((statement) => [statement, ...flatten(statement.nested ?? [])]);
}

function within(inner: Span, outer: Span): boolean {
  return inner.start >= outer.start && inner.end <= outer.end;
}

/** A plain span, without the extra fields of the node it was taken from. */
function span(from: Span): Span {
  return { start: from.start, end: from.end };
}

function point(offset: number): Span {
  return { start: offset, end: offset };
}
