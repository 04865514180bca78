import { type Token, keywordOf } from './tokens';

/**
 * Object kinds that may follow ALTER, DROP or DESCRIBE at the start of a statement. Inside an
 * ALTER TABLE, the same verbs start column actions (`ALTER COLUMN c`, `DROP ROW ACCESS POLICY`),
 * whose next word is not one of these.
 */
const OBJECT_WORDS = new Set([
  'ACCOUNT',
  'AGGREGATION',
  'ALERT',
  'API',
  'APPLICATION',
  'AUTHENTICATION',
  'COMPUTE',
  'CONNECTION',
  'CORTEX',
  'DATABASE',
  'DYNAMIC',
  'EVENT',
  'EXTERNAL',
  'FAILOVER',
  'FILE',
  'FUNCTION',
  'GIT',
  'HYBRID',
  'ICEBERG',
  'IMAGE',
  'INTEGRATION',
  'MASKING',
  'MATERIALIZED',
  'NETWORK',
  'NOTIFICATION',
  'PASSWORD',
  'PIPE',
  'PROCEDURE',
  'PROJECTION',
  'REPLICATION',
  'RESOURCE',
  'ROLE',
  'SCHEMA',
  'SECRET',
  'SECURITY',
  'SEQUENCE',
  'SESSION',
  'SHARE',
  'STAGE',
  'STORAGE',
  'STREAM',
  'STREAMLIT',
  'TABLE',
  'TAG',
  'TASK',
  'USER',
  'VIEW',
  'WAREHOUSE',
]);

/**
 * Reserved words that start a statement and can be nothing else at the start of a line: only a
 * scripting body (`THEN`, `DO`, …) or `CREATE OR` continues into them.
 */
const STRONG_STARTERS = new Set([
  'GRANT',
  'REVOKE',
  'CREATE',
  'ALTER',
  'DROP',
  'UNDROP',
  'TRUNCATE',
]);
const STRONG_CONTINUERS = new Set(['OR', 'THEN', 'ELSE', 'DO', 'BEGIN', 'LOOP']);

/**
 * Words after which a line may go on with a weaker starter (`CALL`, `COPY INTO`, `SHOW`, a column
 * named `show`): a task's or pipe's `AS`, clause words that never end a statement, and symbols
 * inside lists.
 */
const CONTINUING_WORDS = new Set([
  ...STRONG_CONTINUERS,
  'AS',
  'AND',
  'NOT',
  'ON',
  'TO',
  'FROM',
  'IN',
  'BY',
  'WITH',
  'INTO',
  'USING',
  'FOR',
  'IS',
  'WHERE',
  'ADD',
  'MODIFY',
  'SET',
  'UNSET',
]);
const CONTINUING_SYMBOLS = new Set(['(', ',', '=', ':=', '=>']);

/**
 * Indexes of tokens that start a line and plainly start a new statement: `GRANT …`, `CREATE …`,
 * `ALTER TABLE …`, `USE ROLE …`. Inside one valid statement such a line is rare, and the forms
 * that do occur (`ALTER COLUMN`, `REVOKE CURRENT GRANTS`, a task body after `AS`) are excluded.
 * Used only to recover from a missing semicolon; the scan is linear in the statement's length.
 */
export function findStatementBoundaries(tokens: readonly Token[], text: string): number[] {
  const boundaries: number[] = [];
  // `WITH p AS PROCEDURE (…) … CALL p()` calls an anonymous procedure in one statement.
  const callsInside = keywordOf(tokens[0]) === 'WITH';
  for (let i = 1; i < tokens.length; i++) {
    if (tokens[i].kind !== 'word') continue;
    if (!startsStatement(tokens, i) || continuesPrevious(tokens[i - 1], tokens[i])) continue;
    if (callsInside && keywordOf(tokens[i]) === 'CALL') continue;
    if (startsLine(text, tokens[i - 1].end, tokens[i].start)) boundaries.push(i);
  }

  return boundaries;
}

function startsStatement(tokens: readonly Token[], i: number): boolean {
  const next = tokens[i + 1];
  const following = keywordOf(next);
  switch (keywordOf(tokens[i])) {
    case 'CREATE':
    case 'UNDROP':
      return following !== undefined;
    case 'GRANT':
      return following !== undefined && following !== 'OPTION';
    case 'REVOKE':
      return following !== undefined && following !== 'CURRENT';
    case 'ALTER':
    case 'DROP':
    case 'DESCRIBE':
    case 'DESC':
      return following !== undefined && OBJECT_WORDS.has(following);
    case 'USE':
      return ['ROLE', 'DATABASE', 'SCHEMA', 'WAREHOUSE', 'SECONDARY'].includes(following ?? '');
    case 'COPY':
      return following === 'INTO';
    case 'EXECUTE':
      return following === 'IMMEDIATE' || following === 'TASK';
    case 'TRUNCATE':
      return following === 'TABLE';
    case 'PUT':
      return next?.kind === 'file' || next?.kind === 'string';
    case 'GET':
      return next?.kind === 'stage';
    case 'CALL':
    case 'SHOW':
      return next?.kind === 'word' || next?.kind === 'quoted';
    default:
      return false;
  }
}

/**
 * True when the line starting with `word` most likely continues the statement before it. A
 * strong starter there means a missing semicolon even after `ON` or `(`, as in a statement cut
 * off while it is typed.
 */
function continuesPrevious(previous: Token, word: Token): boolean {
  const before = keywordOf(previous) ?? '';
  if (STRONG_STARTERS.has(keywordOf(word) ?? '')) return STRONG_CONTINUERS.has(before);
  if (previous.kind === 'symbol') return CONTINUING_SYMBOLS.has(previous.text);

  return CONTINUING_WORDS.has(before);
}

function startsLine(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return true;
  }

  return false;
}
