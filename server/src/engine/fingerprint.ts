/**
 * Stable identities for findings, shared by SARIF `partialFingerprints`, GitLab Code Quality and
 * the baseline file. A fingerprint is built from the rule, the file and the normalised text of
 * the statement holding the finding, never from line numbers, so it survives lines being
 * inserted above the finding or the statement being reformatted, re-indented or re-cased.
 */
import { createHash } from 'node:crypto';
import type { Finding } from './findings';
import type { Span } from './source';

/** Raised when the recipe changes, so that old baselines stop matching instead of mismatching. */
export const FINGERPRINT_VERSION = 2;

/** The parts of an analysed file a fingerprint needs; `Analysis.files` entries fit. */
export interface FingerprintFile {
  readonly path: string;
  readonly text: string;
  readonly parsed: {
    readonly statements: readonly StatementSpan[];
    readonly comments: readonly Span[];
  };
  readonly lines: { positionAt(offset: number): { readonly line: number } };
}

/** A statement as far as fingerprints care: its span and the statements nested in it. */
export interface StatementSpan extends Span {
  readonly nested?: readonly StatementSpan[];
}

export interface FindingIdentity {
  /** 32 hex digits; equal for the same problem in the same statement of the same file. */
  readonly fingerprint: string;
  /** The innermost statement holding the finding, or the finding itself outside statements. */
  readonly statement: Span;
  /** Zero-based first and last line of `statement`. */
  readonly firstLine: number;
  readonly lastLine: number;
}

/**
 * Identities for every finding of an analysis. `stablePath` turns a workspace path into the
 * path recorded in fingerprints (relative to the project root), so that they do not depend on
 * the directory snowgov runs in. Identical problems in identical statements of one file are
 * told apart by their order, so each fingerprint is unique within one analysis.
 */
export function identifyFindings(
  findings: readonly Finding[],
  files: readonly FingerprintFile[],
  stablePath: (path: string) => string,
): Map<Finding, FindingIdentity> {
  const byPath = new Map(files.map((file) => [file.path, file]));
  const ordered = [...findings].sort(
    (a, b) => compareText(a.path, b.path) || a.span.start - b.span.start || a.span.end - b.span.end,
  );
  const seen = new Map<string, number>();
  const identities = new Map<Finding, FindingIdentity>();
  for (const finding of ordered) {
    const file = byPath.get(finding.path);
    const statement = file
      ? innermostStatement(file.parsed.statements, finding.span)
      : finding.span;
    const key = JSON.stringify([
      FINGERPRINT_VERSION,
      finding.ruleId,
      stablePath(finding.path),
      finding.messageId ?? '',
      file ? normalisedText(file, statement ?? finding.span) : '',
      file ? normalisedText(file, finding.span) : finding.message,
    ]);
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    const holder = statement ?? finding.span;
    identities.set(finding, {
      fingerprint: hash(`${key}#${occurrence}`),
      statement: holder,
      firstLine: file ? file.lines.positionAt(holder.start).line : finding.start.line,
      lastLine: file ? file.lines.positionAt(holder.end).line : finding.end.line,
    });
  }

  return identities;
}

/**
 * The deepest statement whose span holds the start of `span`. Nested statements (inside `$$`
 * bodies and scripting blocks) win over their container, so that editing one statement of a
 * procedure leaves the fingerprints of findings in its other statements alone.
 */
export function innermostStatement(
  statements: readonly StatementSpan[],
  span: Span,
): Span | undefined {
  // Statements are in text order and do not overlap, so only those from the last one starting
  // at or before the span can hold it: a binary search keeps large files from going quadratic.
  for (
    let i = Math.max(0, lastStartingAtOrBefore(statements, span.start));
    i < statements.length;
    i++
  ) {
    const statement = statements[i];
    if (statement.start > span.start) break;
    if (span.start > statement.end) continue;
    if (span.start === statement.end && span.end > statement.end) continue;

    return innermostStatement(statement.nested ?? [], span) ?? statement;
  }

  return undefined;
}

/** The index of the last span starting at or before `offset`, or -1; spans in text order. */
function lastStartingAtOrBefore(spans: readonly Span[], offset: number): number {
  let low = 0;
  let high = spans.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (spans[middle].start <= offset) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }

  return found;
}

/**
 * The text of `span` with comments dropped, every run of whitespace turned into one space and
 * keywords and unquoted names upper-cased: re-indenting a statement, adding a comment inside it
 * or a formatter's change of keyword case does not make its findings new.
 */
function normalisedText(file: FingerprintFile, span: Span): string {
  let text = '';
  let at = span.start;
  const comments = file.parsed.comments;
  // Comments do not overlap, so the first that can reach into the span is the last one
  // starting at or before it.
  const first = Math.max(0, lastStartingAtOrBefore(comments, span.start));
  for (let i = first; i < comments.length; i++) {
    const comment = comments[i];
    if (comment.start >= span.end) break;
    if (comment.end <= span.start) continue;
    // A finding on a comment itself (such as a malformed snowgov-ignore) keeps its text.
    if (comment.start <= span.start && comment.end >= span.end) break;
    text += `${file.text.slice(at, Math.max(at, comment.start))} `;
    at = Math.max(at, comment.end);
  }
  text += file.text.slice(at, span.end);

  return foldCase(text.replace(/\s+/g, ' ').trim());
}

/**
 * Quoted parts (strings, quoted identifiers, `$$` bodies) as written, where case is meaning;
 * everything else upper-cased, as Snowflake resolves unquoted names.
 */
const QUOTED_OR_PLAIN = /'(?:[^'\\]|\\[\s\S]|'')*'|"(?:[^"]|"")*"|\$\$[\s\S]*?\$\$|[^'"$]+/g;

function foldCase(text: string): string {
  return text.replace(QUOTED_OR_PLAIN, (part) =>
    part.startsWith("'") || part.startsWith('"') || part.startsWith('$$')
      ? part
      : part.toUpperCase(),
  );
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
