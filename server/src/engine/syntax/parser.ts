import type { Span } from '../source';
import type { ParsedFile, Statement, SyntaxProblem } from './ast';
import type { Node, ParseContext } from './context';
import { Cursor, ParseError } from './cursor';
import { lex } from './lexer';
import { NotAStatementError, parseStatement } from './parse-statement';
import { type StatementSlice, splitStatements } from './splitter';
import { findStatementBoundaries } from './recovery';
import { hasNoEscapes, unescapeString } from './string-literal';
import { readObjectType } from './object-types';
import { type Comment, type Token, keywordOf, leadingWords } from './tokens';

/** How deep `$$` bodies, strings and blocks may nest before the parser stops descending. */
const MAX_NESTING = 16;

/**
 * Parses a whole SQL file. Never throws: a statement that cannot be parsed becomes an `other`
 * statement plus one problem at the token where reading failed, and every other statement is
 * still parsed. `incremental.ts` parses a file again after an edit, reusing what did not change.
 */
export function parseFile(text: string): ParsedFile {
  const { tokens, comments } = lex(text);
  const problems = unterminatedProblems(tokens, comments);
  const sink = (problem: SyntaxProblem): void => {
    problems.push(problem);
  };
  const statements = parseSlices(splitStatements(tokens), text, sink, 0);
  problems.sort(compareProblems);

  return { statements, comments, problems };
}

/** The order of a file's problems: by position, ties kept in the order they were found. */
export function compareProblems(a: SyntaxProblem, b: SyntaxProblem): number {
  return a.start - b.start || a.end - b.end;
}

/** What one top-level statement slice parses to, with the problems found in it, in order. */
export interface SliceParse {
  readonly statements: Statement[];
  readonly problems: readonly SyntaxProblem[];
}

/**
 * Parses one top-level slice on its own, exactly as `parseFile` would within the whole file: a
 * slice's parse depends only on its own tokens, so an unchanged slice can keep its parse.
 */
export function parseTopLevelSlice(slice: StatementSlice, text: string): SliceParse {
  const problems: SyntaxProblem[] = [];
  const statements = parseSlice(slice, text, (problem) => problems.push(problem), 0);

  return { statements, problems: problems.length > 0 ? problems : NO_PROBLEMS };
}

/** Shared by every slice without problems, which is nearly every slice. */
const NO_PROBLEMS: readonly SyntaxProblem[] = [];

/** Problems for strings, names, `$$` literals and comments that run to the end of input. */
export function unterminatedProblems(
  tokens: readonly Token[],
  comments: readonly Comment[],
): SyntaxProblem[] {
  const problems: SyntaxProblem[] = [];
  reportUnterminated(tokens, comments, (problem) => problems.push(problem));

  return problems;
}

/** Where problems go; a statement read twice (see parseWithRecovery) reports only once. */
type Sink = (problem: SyntaxProblem) => void;

function contextFor(text: string, sink: Sink, depth: number): ParseContext {
  return {
    text,
    depth,
    canNest: depth < MAX_NESTING,
    report: (at, message, code) => sink({ start: at.start, end: at.end, message, code }),
    parseNested: (inner) => parseSlices(inner, text, sink, depth + 1),
    parseLiteralBody: (token) => parseLiteralBody(token, text, sink, depth + 1),
  };
}

function parseSlices(
  slices: readonly StatementSlice[],
  text: string,
  sink: Sink,
  depth: number,
): Statement[] {
  const statements: Statement[] = [];
  for (const slice of slices) statements.push(...parseSlice(slice, text, sink, depth));

  return statements;
}

function parseSlice(slice: StatementSlice, text: string, sink: Sink, depth: number): Statement[] {
  if (!slice.unclosedBlock) {
    let reported = false;
    const statements = parseWithRecovery(
      slice,
      text,
      (problem) => {
        reported = true;
        sink(problem);
      },
      depth,
      false,
    );
    // Lenient readings take any tokens, so a stray or missing parenthesis would pass unseen and
    // hide what the statement holds (a view's columns, say); Snowflake rejects the statement.
    const unbalanced = reported ? undefined : unbalancedParenthesis(slice.tokens);
    if (unbalanced) sink(unbalanced);

    return statements;
  }

  // Reported at its opening word: the statements after it are not part of the problem.
  const opener = slice.tokens.find((token) => isBlockOpener(token)) ?? slice.tokens[0];
  const message = unclosedMessage(opener);
  sink({ start: opener.start, end: opener.end, message, code: 'unclosed-block' });

  // The missing END is the one problem of this statement: what fails to parse for want of it
  // is not reported again.
  return parseWithRecovery(slice, text, sink, depth, true);
}

/** The first parenthesis that closes nothing, else the last one left open; undefined if none. */
function unbalancedParenthesis(tokens: readonly Token[]): SyntaxProblem | undefined {
  const open: Token[] = [];
  for (const token of tokens) {
    // An unterminated string or comment took the rest of the text, closing parentheses with it,
    // and is reported on its own.
    if (token.unterminated) return undefined;
    if (token.kind !== 'symbol') continue;
    if (token.text === '(') open.push(token);
    else if (token.text === ')' && open.pop() === undefined) {
      const message = "This ')' closes no '('. Remove it, or add the '(' it closes.";

      return { start: token.start, end: token.end, message, code: 'unparsed' };
    }
  }
  const unclosed = open.at(-1);
  if (!unclosed) return undefined;
  const message = "This '(' is never closed. Add the ')' that closes it, or remove it.";

  return { start: unclosed.start, end: unclosed.end, message, code: 'unparsed' };
}

/** One reading of a slice, with the problems it found held back until it is chosen. */
type Attempt = ({ node: Node } | { error: ParseError }) & { problems: SyntaxProblem[] };

function attempt(slice: StatementSlice, text: string, depth: number): Attempt {
  const problems: SyntaxProblem[] = [];
  const context = contextFor(text, (problem) => problems.push(problem), depth);
  const cursor = new Cursor(slice.tokens, text, slice.span);
  try {
    const node = parseStatement(cursor, context);
    if (!cursor.atEnd) throw cursor.error('expected the end of the statement');

    return { node, problems };
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;

    return { error, problems };
  }
}

/**
 * Parses one slice. When it does not parse, or parses only because a lenient parser took every
 * token, and a line inside it starts another statement (`GRANT`, `CREATE TABLE`, `USE ROLE` …),
 * the semicolon before that line is most likely missing, as it is in a statement still being
 * typed. The slice is then read as several statements, and only the first carries the problem,
 * so the statements after it are analysed as if the semicolon were there. `quiet` leaves out
 * the statement's own parse problem, when a missing END explains it already.
 */
function parseWithRecovery(
  slice: StatementSlice,
  text: string,
  sink: Sink,
  depth: number,
  quiet: boolean,
): Statement[] {
  const result = attempt(slice, text, depth);
  // Only a statement over several lines can run into the next one.
  const boundaries = spansLines(text, slice.span)
    ? findStatementBoundaries(slice.tokens, text)
    : [];
  const failedAt = 'error' in result ? result.error.at.start : -1;
  // A leading placeholder that stands for a statement (`{{ log(…) }}`) fails at once, yet the
  // statements on the lines after it are still to be read.
  // So does a first line that starts no statement at all, such as a word being typed.
  const failedFirst =
    failedAt === slice.tokens[0].start &&
    (slice.tokens[0].kind === 'placeholder' ||
      ('error' in result && result.error instanceof NotAStatementError));
  const recover =
    boundaries.length > 0 &&
    ('error' in result
      ? slice.tokens[boundaries[0]].start <= failedAt || failedFirst
      : isLenient(result.node));
  const own: Sink = (problem) => {
    if (!quiet || problem.code !== 'unparsed') sink(problem);
  };
  if (!recover) {
    result.problems.forEach(sink);

    return [finish(slice, result, own)];
  }

  const statements: Statement[] = [];
  let from = 0;
  for (const boundary of [...boundaries, slice.tokens.length]) {
    const part = sliceOf(slice.tokens, from, boundary);
    const partResult = attempt(part, text, depth);
    partResult.problems.forEach(sink);
    if (boundary < slice.tokens.length && !('error' in partResult)) {
      own({
        ...closingOf(part.tokens[part.tokens.length - 1]),
        message:
          `Expected ';' after this ${labelOf(part.tokens)} statement: the next line starts ` +
          `another statement with '${slice.tokens[boundary].text}'.`,
        code: 'unparsed',
      });
    }
    statements.push(finish(part, partResult, own));
    from = boundary;
  }

  return statements;
}

const BLOCK_CLOSERS: Readonly<Record<string, string>> = {
  BEGIN: 'END',
  DECLARE: 'BEGIN … END',
  IF: 'END IF',
  CASE: 'END CASE',
  FOR: 'END FOR',
  WHILE: 'END WHILE',
  LOOP: 'END LOOP',
  REPEAT: 'END REPEAT',
};

function isBlockOpener(token: Token): boolean {
  return BLOCK_CLOSERS[keywordOf(token) ?? ''] !== undefined;
}

function unclosedMessage(opener: Token): string {
  const word = keywordOf(opener) ?? 'BEGIN';
  const construct = word === 'BEGIN' || word === 'DECLARE' ? 'scripting block' : word;

  return (
    `This ${construct} has no matching ${BLOCK_CLOSERS[word] ?? 'END'}; ` +
    'its statements were read one by one.'
  );
}

/** True when a line break lies inside the span; looks no further than the span's end. */
function spansLines(text: string, span: Span): boolean {
  for (let i = span.start; i < span.end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return true;
  }

  return false;
}

/**
 * Statements whose parser takes whatever tokens are left, so a missing `;` goes unnoticed.
 * Routines, blocks and branches hold statements of their own, found by the splitter already;
 * an EXECUTE IMMEDIATE of an expression takes the rest like any lenient reader.
 */
function isLenient(node: Node): boolean {
  return node.kind !== 'script' || node.dynamic === true;
}

function finish(slice: StatementSlice, result: Attempt, sink: Sink): Statement {
  const span = { start: slice.span.start, end: slice.span.end };
  if ('node' in result) {
    // The node was built for this slice alone, so its span is set in place rather than copied.
    return Object.assign(result.node, span) as Statement;
  }

  const { error } = result;
  if (error instanceof NotAStatementError) {
    const stop = error.message.endsWith('?') ? '' : '.';
    const message =
      `${error.message}${stop} ` + 'The rules skip it; the rest of the file is still checked.';
    sink({ start: error.at.start, end: error.at.end, message, code: 'unparsed' });

    return { kind: 'other', words: leadingWords(slice.tokens), ...span };
  }
  const at =
    error.at.end > error.at.start
      ? closingOf(error.at as Token)
      : closingOf(slice.tokens[slice.tokens.length - 1]);
  // A literal or name that never closes is reported already, at its opening: reading failed at
  // it or at the end it swallowed, so that report stands for this one. One problem per place.
  const last = slice.tokens[slice.tokens.length - 1];
  const isUnterminated =
    (error.at as Partial<Token>).unterminated === true ||
    (last.unterminated === true && at.start >= last.start);
  if (!isUnterminated) {
    sink({
      start: at.start,
      end: at.end,
      message:
        `This ${labelOf(slice.tokens)} statement cannot be read: ${error.message}. ` +
        'The rules skip it; the rest of the file is still checked.',
      code: 'unparsed',
    });
  }

  return { kind: 'other', words: leadingWords(slice.tokens), ...span };
}

/**
 * Where to point at a statement's last token: a long `$$` body or string is marked by its
 * closing quote, not underlined whole.
 */
function closingOf(token: Token): Span {
  const closer = token.kind === 'dollar' ? 2 : token.kind === 'string' ? 1 : 0;
  const start = closer > 0 && !token.unterminated ? token.end - closer : token.start;

  return { start, end: token.end };
}

function sliceOf(tokens: readonly Token[], from: number, to: number): StatementSlice {
  const own = tokens.slice(from, to);

  return { tokens: own, span: { start: own[0].start, end: own[own.length - 1].end } };
}

/** The statements inside a `$$` literal or a string literal; undefined when there are none. */
function parseLiteralBody(
  token: Token,
  text: string,
  sink: Sink,
  depth: number,
): Statement[] | undefined {
  if (depth > MAX_NESTING || token.unterminated) return undefined;
  if (token.kind === 'dollar' || (token.kind === 'string' && hasNoEscapes(token.text))) {
    // The body is the literal's text minus its quotes, so it is lexed in place and every offset
    // is a file offset already.
    const quote = token.kind === 'dollar' ? 2 : 1;
    const inner = lex(text, token.start + quote, token.end - quote);
    reportUnterminated(inner.tokens, [], sink);

    return parseSlices(splitStatements(inner.tokens), text, sink, depth);
  }
  if (token.kind !== 'string') return undefined;

  // Escapes (`''`, `\n`, …) make the value shorter than its source, so the value is parsed on
  // its own and every offset in the result is mapped back through the table of where each of
  // its characters came from. Query texts keep the unescaped value, which is what Snowflake runs.
  const { value, offsets } = unescapeString(token.text, token.start);
  const own: SyntaxProblem[] = [];
  const collect: Sink = (problem) => own.push(problem);
  const inner = lex(value);
  reportUnterminated(inner.tokens, inner.comments, collect);
  const statements = parseSlices(splitStatements(inner.tokens), value, collect, depth);
  remapSpans(own, offsets).forEach(sink);

  return remapSpans(statements, offsets);
}

/** Offsets that are not `start`/`end` pairs but still point into the text. */
const OFFSET_FIELDS = new Set(['columnListEnd', 'policyInsertAt']);

/** A copy of `value` with every span and offset moved through `offsets` (see unescapeString). */
function remapSpans<T>(value: T, offsets: readonly number[]): T {
  const copies = new Map<object, unknown>();
  const map = (offset: number): number => offsets[Math.min(offset, offsets.length - 1)];
  const visit = (item: unknown): unknown => {
    if (item === null || typeof item !== 'object') return item;
    const seen = copies.get(item);
    if (seen !== undefined) return seen;
    if (Array.isArray(item)) {
      const copy: unknown[] = [];
      copies.set(item, copy);
      for (const element of item) copy.push(visit(element));

      return copy;
    }
    const copy: Record<string, unknown> = {};
    copies.set(item, copy);
    for (const [key, field] of Object.entries(item)) {
      const isOffset = typeof field === 'number' && (key === 'start' || key === 'end');
      copy[key] =
        isOffset || (OFFSET_FIELDS.has(key) && typeof field === 'number')
          ? map(field)
          : visit(field);
    }

    return copy;
  };

  return visit(value) as T;
}

function reportUnterminated(
  tokens: readonly Token[],
  comments: readonly Comment[],
  sink: Sink,
): void {
  // Reported at the opening delimiter: what follows it is swallowed, but not part of the problem.
  const report = (at: Span, length: number, message: string): void => {
    sink({
      start: at.start,
      end: Math.min(at.end, at.start + length),
      message,
      code: 'unterminated',
    });
  };
  // Whatever is left open runs to the end of the input, so only the last token and the last
  // comment can be; looking no further keeps this from reading a flag every other token lacks.
  const token = tokens[tokens.length - 1];
  if (token?.unterminated) {
    report(
      token,
      token.kind === 'dollar' || token.kind === 'placeholder' ? 2 : 1,
      unterminatedMessage(token),
    );
  }
  const comment = comments[comments.length - 1];
  if (comment?.unterminated) report(comment, 2, unclosedCommentMessage(comment.text));
}

function unclosedCommentMessage(text: string): string {
  if (text.startsWith('{%')) return 'This Jinja tag is never closed with %}.';
  if (text.startsWith('{#')) return 'This Jinja comment is never closed with #}.';

  return 'This block comment is never closed with */.';
}

function unterminatedMessage(token: Token): string {
  switch (token.kind) {
    case 'placeholder':
      return 'This template placeholder is never closed; everything after it was read as its text.';
    case 'string':
      return "This string is never closed with a quote ('); everything after it was read as text.";
    case 'quoted':
      return 'This quoted identifier is never closed with a double quote (").';
    default:
      return 'This $$ literal is never closed with $$; everything after it was read as its body.';
  }
}

/** Words between CREATE and the object kind, left out of statement labels. */
const LABEL_SKIPS = new Set(['OR', 'REPLACE', 'ALTER', 'SECURE', 'TEMPORARY', 'TEMP', 'TRANSIENT']);

/** A short name for a statement in messages: `GRANT`, `CREATE MASKING POLICY`, `COPY INTO`, … */
function labelOf(tokens: readonly Token[]): string {
  const verb = keywordOf(tokens[0]);
  if (tokens[0]?.kind === 'placeholder') return 'templated';
  if (verb === undefined) return 'unnamed';
  if (verb === 'COPY' || verb === 'EXECUTE') return leadingWords(tokens).slice(0, 2).join(' ');
  if (verb !== 'CREATE' && verb !== 'ALTER' && verb !== 'DROP') return verb;
  let at = 1;
  while (at < tokens.length && verb === 'CREATE' && LABEL_SKIPS.has(keywordOf(tokens[at]) ?? '')) {
    at++;
  }
  const cursor = new Cursor(tokens.slice(at, at + 4), '', { start: 0, end: 0 });
  const kind = readObjectType(cursor);

  return kind === undefined ? verb : `${verb} ${kind}`;
}
