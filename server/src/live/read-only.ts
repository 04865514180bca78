/**
 * The gate every statement passes before it leaves the process: snowgov's own front end must
 * read it as exactly one SELECT, SHOW or DESCRIBE. The check does not trust the account's
 * grants to keep snowgov read-only; it holds even for a connection whose role owns everything.
 */
import { lex } from '../engine/syntax/lexer';
import { parseFile } from '../engine/syntax/parser';

/** A statement refused locally; it was never sent. */
export class ReadOnlyViolation extends Error {}

const ALLOWED_KINDS: ReadonlySet<string> = new Set(['select', 'show', 'describe']);

/**
 * Functions that change state even when called from a SELECT: `SYSTEM$` functions cancel
 * queries, abort sessions, refresh pipes, and more.
 */
const WRITING_CALLS = /^SYSTEM\$/;

/** Throws a ReadOnlyViolation unless `sql` is one read-only statement; returns it otherwise. */
export function assertReadOnly(sql: string): string {
  const parsed = parseFile(sql);
  if (parsed.problems.length > 0) {
    throw new ReadOnlyViolation(`Refused to send a statement snowgov cannot parse: ${brief(sql)}`);
  }
  if (parsed.statements.length !== 1) {
    throw new ReadOnlyViolation(
      `Refused to send ${parsed.statements.length} statements at once; snowgov sends one ` +
        `read-only statement at a time: ${brief(sql)}`,
    );
  }
  const statement = parsed.statements[0];
  if (!ALLOWED_KINDS.has(statement.kind) || (statement.nested ?? []).length > 0) {
    throw new ReadOnlyViolation(
      `Refused to send a statement that is not SELECT, SHOW or DESCRIBE: ${brief(sql)}`,
    );
  }
  for (const token of lex(sql).tokens) {
    if (token.kind === 'word' && WRITING_CALLS.test(token.keyword ?? '')) {
      throw new ReadOnlyViolation(`Refused to call ${token.text}, which may change state.`);
    }
  }

  return sql;
}

/** The statement's first words, enough to recognise it without copying literals into logs. */
function brief(sql: string): string {
  const words = sql.trim().split(/\s+/).slice(0, 3).join(' ');

  return words.length > 40 ? `${words.slice(0, 40)}…` : words;
}
