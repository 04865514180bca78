/**
 * The tokens of the plain SELECT text that `select-reader.ts` reads. Anything outside that small
 * alphabet (comments, `$` variables, `:` paths, `@` stages, backslash escapes, non-ASCII names,
 * exponents, `;`) makes the text unreadable here, and node-sql-parser reads it instead.
 */

export type SelectTokenKind = 'word' | 'quoted' | 'number' | 'string' | 'symbol';

export interface SelectToken {
  readonly kind: SelectTokenKind;
  /** The text as written; for `quoted`, the name inside the quotes. */
  readonly text: string;
  /** For words, the upper-cased text, so that keywords compare without allocating. */
  readonly upper: string;
  readonly start: number;
  readonly end: number;
}

const SYMBOLS = ['<=', '>=', '<>', '!=', '||', '::', '(', ')', ',', '.', '*', '+', '-', '/', '%'];
const SINGLE_SYMBOLS = new Set(['=', '<', '>', ...SYMBOLS.filter((s) => s.length === 1)]);

/** The tokens of `sql`, or undefined when it holds anything outside the alphabet above. */
export function selectTokens(sql: string): SelectToken[] | undefined {
  const tokens: SelectToken[] = [];
  let i = 0;
  while (i < sql.length) {
    const code = sql.charCodeAt(i);
    if (code === 32 || code === 9 || code === 10 || code === 13) {
      i++;
      continue;
    }
    const end = tokenEnd(sql, i, code);
    if (end === undefined) return undefined;
    tokens.push(makeToken(sql, i, end, code));
    i = end;
  }

  return tokens;
}

function makeToken(sql: string, start: number, end: number, code: number): SelectToken {
  const text = sql.slice(start, end);
  if (isWordStart(code)) return { kind: 'word', text, upper: text.toUpperCase(), start, end };
  if (code === 34) return { kind: 'quoted', text: text.slice(1, -1), upper: '', start, end };
  if (isDigit(code)) return { kind: 'number', text, upper: text, start, end };
  if (code === 39) return { kind: 'string', text, upper: '', start, end };

  return { kind: 'symbol', text, upper: text, start, end };
}

/** Where the token starting at `i` ends, or undefined for a character this reader declines. */
function tokenEnd(sql: string, i: number, code: number): number | undefined {
  if (isWordStart(code)) {
    let j = i + 1;
    while (j < sql.length && isWordPart(sql.charCodeAt(j))) j++;

    return j;
  }
  if (isDigit(code)) return numberEnd(sql, i);
  if (code === 34) return quotedEnd(sql, i);
  if (code === 39) return stringEnd(sql, i);
  const two = sql.slice(i, i + 2);
  // Comments are declined: node-sql-parser folds them into the locations of some nodes.
  if (two === '--' || two === '/*' || two === '//') return undefined;
  if (SYMBOLS.includes(two)) return i + 2;

  return SINGLE_SYMBOLS.has(sql[i]) ? i + 1 : undefined;
}

/** `12` or `12.5`; exponents and trailing letters are declined (`1e3` is not a plain number). */
function numberEnd(sql: string, i: number): number | undefined {
  let j = i;
  while (j < sql.length && isDigit(sql.charCodeAt(j))) j++;
  if (sql[j] === '.') {
    j++;
    if (!isDigit(sql.charCodeAt(j))) return undefined;
    while (j < sql.length && isDigit(sql.charCodeAt(j))) j++;
  }
  const next = sql.charCodeAt(j);

  return isWordPart(next) || next === 46 ? undefined : j;
}

/** A non-empty `"name"` on one line without `""` (which node-sql-parser misreads). */
function quotedEnd(sql: string, i: number): number | undefined {
  const close = sql.indexOf('"', i + 1);
  if (close <= i + 1 || sql[close + 1] === '"') return undefined;
  const name = sql.slice(i + 1, close);

  return /[\n\r]/.test(name) ? undefined : close + 1;
}

/** A `'…'` literal on one line with `''` escapes only. */
function stringEnd(sql: string, i: number): number | undefined {
  let j = i + 1;
  for (;;) {
    const close = sql.indexOf("'", j);
    if (close < 0) return undefined;
    if (/[\\\n\r]/.test(sql.slice(j, close))) return undefined;
    if (sql[close + 1] !== "'") return close + 1;
    j = close + 2;
  }
}

function isWordStart(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

function isWordPart(code: number): boolean {
  return isWordStart(code) || isDigit(code);
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}
