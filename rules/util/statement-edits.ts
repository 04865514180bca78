import type { AnalyzedFile, EditDraft } from '../../server/src/engine/rules/define';
import { withoutRecording } from '../../server/src/engine/reads';
import type { Span } from '../../server/src/engine/source';
import type { Statement } from '../../server/src/engine/syntax/ast';

/**
 * Where a statement sits, as fixes that add statements next to it must know:
 * - `top-level`: in the file itself;
 * - `list`: among the statements of a block (`BEGIN … END`, a branch or a loop) written in a
 *   `$$` body or bare, where another statement fits;
 * - `single`: where exactly one statement belongs (a task body, an `EXECUTE IMMEDIATE` string)
 *   or inside a single-quoted string, whose text a second statement would not fit or would have
 *   to be escaped into. A statement inserted there would end the task or string early, so it
 *   would run once at deploy time instead of with the statement it was meant for.
 */
export type StatementSlot = 'top-level' | 'list' | 'single';

/** Containers whose body is one statement unless it is a block. */
const SINGLE_STATEMENT_CONTAINERS = new Set(['TASK', 'EXECUTE IMMEDIATE', 'PROCEDURE', 'FUNCTION']);

export function statementSlot(statement: Statement, file: AnalyzedFile): StatementSlot {
  // The ancestors lie within the top-level statement holding this one, which rules are judging:
  // no other statement can change them, so the lookup is not a read of the file's statements.
  const ancestors = withoutRecording(() => ancestorsOf(statement, file.parsed.statements));
  const parent = ancestors.at(-1);
  if (!parent) return 'top-level';
  const quoted = ancestors.some(
    (ancestor) => ancestor.kind === 'script' && ancestor.body?.text.startsWith("'") === true,
  );
  if (quoted || parent.kind !== 'script') return 'single';

  return SINGLE_STATEMENT_CONTAINERS.has(parent.container) ? 'single' : 'list';
}

/** The statement that starts at `start`, among `statements` or nested in one of them. */
export function findStatementAt(
  statements: readonly Statement[],
  start: number,
): Statement | undefined {
  for (const statement of statements) {
    if (statement.start === start) return statement;
    if (statement.start < start && start < statement.end && statement.nested) {
      return findStatementAt(statement.nested, start);
    }
  }

  return undefined;
}

/** Whether fixes may add statements before or after this one (see `StatementSlot`). */
export function canAddStatementsBeside(statement: Statement, file: AnalyzedFile): boolean {
  return statementSlot(statement, file) !== 'single';
}

/**
 * Inserts `sql` (statements, each line ending in `\n`) before the statement, indented like it:
 * every line of `sql` after the first takes the statement's indentation, and so does the
 * statement itself once pushed down, so that a fix inside an indented block keeps its shape.
 * The comment lines right above the statement stay with it, so that a `snowgov-ignore` there
 * keeps excusing the same statement rather than the inserted one.
 */
export function insertBefore(statement: Span, sql: string, text: string): EditDraft {
  const at = leadingCommentsStart(statement.start, text);
  const indent = indentOf(at, text);

  return { span: { start: at, end: at }, newText: indented(sql, indent) };
}

/**
 * Where the comments on the lines right above the statement at `offset` begin (past their
 * indentation): `--` lines and `/* … *\/` blocks that each have their lines to themselves, up
 * to a blank line or code. `offset` itself when there are none, or when code precedes the
 * statement on its line.
 */
function leadingCommentsStart(offset: number, text: string): number {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  if (!/^[ \t]*$/.test(text.slice(lineStart, offset))) return offset;
  let start = offset;
  let line = lineStart;
  while (line > 0) {
    const previousStart = text.lastIndexOf('\n', line - 2) + 1;
    const previous = text.slice(previousStart, line - 1).replace(/\r$/, '');
    const body = previous.trim();
    let commentLine: number | undefined;
    if (body.startsWith('--')) commentLine = previousStart;
    else if (body.endsWith('*/')) {
      const open = text.lastIndexOf('/*', previousStart + previous.lastIndexOf('*/'));
      const openLine = text.lastIndexOf('\n', open - 1) + 1;
      if (open >= 0 && /^[ \t]*$/.test(text.slice(openLine, open))) commentLine = openLine;
    }
    if (commentLine === undefined) break;
    start = commentLine + (/^[ \t]*/.exec(text.slice(commentLine))?.[0].length ?? 0);
    line = commentLine;
  }

  return start;
}

/**
 * Inserts `sql` (statements) on new lines after offset `after` (just past a statement's
 * semicolon), indented like the statement that starts at `statementStart`.
 */
export function insertAfter(
  after: number,
  statementStart: number,
  sql: string,
  text: string,
): EditDraft {
  const indent = indentOf(statementStart, text);

  return { span: { start: after, end: after }, newText: indented(`\n${sql}`, indent) };
}

/**
 * The whitespace between the start of the line and `offset`, or nothing when something else
 * precedes the statement on its line (`BEGIN GRANT …`).
 */
export function indentOf(offset: number, text: string): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);

  return /^[ \t]*$/.test(before) ? before : '';
}

/** Each line after a line break starts with `indent`; blank lines stay empty. */
function indented(sql: string, indent: string): string {
  if (indent === '') return sql;

  return sql.replace(/\n(?=[^\r\n]|$)/g, `\n${indent}`);
}

/** The statements that contain `target`, outermost first; empty for a top-level statement. */
function ancestorsOf(target: Statement, statements: readonly Statement[]): Statement[] {
  const path: Statement[] = [];
  let level = statements;
  for (;;) {
    if (level.includes(target)) return path;
    const holder = level.find(
      (candidate) => candidate.start <= target.start && target.end <= candidate.end,
    );
    if (!holder?.nested) return path;
    path.push(holder);
    level = holder.nested;
  }
}
