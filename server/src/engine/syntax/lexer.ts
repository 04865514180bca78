import type { Comment, LexResult, Token, TokenKind } from './tokens';

const MULTI_CHAR_SYMBOLS = ['->>', '->', '=>', '::', ':=', '<=', '>=', '<>', '!=', '||'];

function isIdentStart(ch: string): boolean {
  return /[A-Za-z_\u0080-\uFFFF]/.test(ch);
}

function isIdentPart(ch: string): boolean {
  return /[A-Za-z0-9_$\u0080-\uFFFF]/.test(ch);
}

function isDigit(ch: string): boolean {
  return ch >= '0' && ch <= '9';
}

/** Characters a stage reference may hold after `@`, besides quoted parts. */
const STAGE_PATH_CHAR = /[A-Za-z0-9_$.~%/\-=*+\u0080-\uFFFF]/;

/**
 * Splits Snowflake SQL into tokens and comments with exact offsets.
 *
 * It never throws: unclosed strings, identifiers and comments run to the end of the input and
 * are marked `unterminated`, and any character it does not know becomes a one-character symbol.
 * `base` shifts every offset, so a `$$` body can be lexed in place within its file.
 */
export function lex(text: string, base = 0, end = text.length): LexResult {
  const tokens: Token[] = [];
  const comments: Comment[] = [];
  let pos = base;

  const push = (kind: TokenKind, start: number, stop: number, unterminated = false): void => {
    const token: Token = { kind, start, end: stop, text: text.slice(start, stop) };
    tokens.push(unterminated ? { ...token, unterminated } : token);
  };

  while (pos < end) {
    const ch = text[pos];
    // Never look past `end`: a slice must lex exactly like the same text cut out.
    const next = pos + 1 < end ? text[pos + 1] : undefined;
    const start = pos;

    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\f' || ch === '\v') {
      pos++;
    } else if ((ch === '-' && next === '-') || (ch === '/' && next === '/')) {
      while (pos < end && text[pos] !== '\n' && text[pos] !== '\r') pos++;
      comments.push({ kind: 'line', start, end: pos, text: text.slice(start, pos) });
    } else if (ch === '/' && next === '*') {
      const close = text.indexOf('*/', pos + 2);
      const unterminated = close < 0 || close + 2 > end;
      pos = unterminated ? end : close + 2;
      const comment: Comment = { kind: 'block', start, end: pos, text: text.slice(start, pos) };
      comments.push(unterminated ? { ...comment, unterminated } : comment);
    } else if (ch === "'") {
      pos = scanQuoted(text, pos, end, "'", true);
      push('string', start, Math.min(pos, end), pos > end);
      pos = Math.min(pos, end);
    } else if (ch === '"') {
      pos = scanQuoted(text, pos, end, '"', false);
      push('quoted', start, Math.min(pos, end), pos > end);
      pos = Math.min(pos, end);
    } else if (ch === '$' && next === '$') {
      const close = text.indexOf('$$', pos + 2);
      const unterminated = close < 0 || close + 2 > end;
      pos = unterminated ? end : close + 2;
      push('dollar', start, pos, unterminated);
    } else if (ch === '$' && next !== undefined && isDigit(next)) {
      pos++;
      while (pos < end && isDigit(text[pos])) pos++;
      push('positional', start, pos);
    } else if (ch === '$' && next !== undefined && isIdentStart(next)) {
      pos++;
      while (pos < end && isIdentPart(text[pos])) pos++;
      push('variable', start, pos);
    } else if (ch === '&' && next === '{') {
      // SnowSQL variable substitution `&{name}`: a value known only when the script runs.
      const close = text.indexOf('}', pos + 2);
      pos = close < 0 || close >= end ? end : close + 1;
      push('variable', start, pos);
    } else if (ch === '&' && next !== undefined && isIdentStart(next)) {
      pos++;
      while (pos < end && isIdentPart(text[pos])) pos++;
      push('variable', start, pos);
    } else if (
      ch === '<' &&
      next !== undefined &&
      isIdentStart(next) &&
      isAnglePlaceholder(text, pos, end)
    ) {
      // Documentation placeholders such as `<user_name>`, common in setup scripts.
      pos = text.indexOf('>', pos) + 1;
      push('variable', start, pos);
    } else if ((ch === '<' && next === '%') || (ch === '{' && next === '{')) {
      // Snowflake CLI `<% name %>` and Jinja `{{ name }}` placeholders, as in templated migrations.
      const closer = ch === '<' ? '%>' : '}}';
      const close = text.indexOf(closer, pos + 2);
      pos = close < 0 || close + 2 > end ? end : close + 2;
      push('variable', start, pos);
    } else if (ch === '@') {
      pos = scanStageReference(text, pos + 1, end);
      push('stage', start, pos);
    } else if (isDigit(ch) || (ch === '.' && next !== undefined && isDigit(next))) {
      pos = scanNumber(text, pos, end);
      push('number', start, pos);
    } else if (isIdentStart(ch)) {
      while (pos < end && isIdentPart(text[pos])) pos++;
      push('word', start, pos);
    } else if (
      ch === ':' &&
      next !== undefined &&
      next !== ':' &&
      next !== '=' &&
      isIdentPart(next)
    ) {
      pos++;
      while (pos < end && isIdentPart(text[pos])) pos++;
      push('bind', start, pos);
    } else {
      const symbol = MULTI_CHAR_SYMBOLS.find(
        (s) => text.startsWith(s, pos) && pos + s.length <= end,
      );
      pos += symbol ? symbol.length : 1;
      push('symbol', start, pos);
    }
  }

  return { tokens, comments };
}

/**
 * Returns the offset just past the closing quote, or `end + 1` when the literal is unclosed.
 * A doubled quote escapes itself; in strings a backslash escapes the next character.
 */
function scanQuoted(
  text: string,
  pos: number,
  end: number,
  quote: string,
  backslashEscapes: boolean,
): number {
  let i = pos + 1;
  while (i < end) {
    const ch = text[i];
    if (backslashEscapes && ch === '\\') {
      i += 2;
    } else if (ch === quote) {
      if (text[i + 1] === quote && i + 1 < end) i += 2;
      else return i + 1;
    } else {
      i++;
    }
  }

  return end + 1;
}

/** `<name>` with no spaces: a placeholder, not a comparison. */
function isAnglePlaceholder(text: string, pos: number, end: number): boolean {
  const match = /^<[A-Za-z_][A-Za-z0-9_]*>/.exec(text.slice(pos, Math.min(end, pos + 128)));

  return match !== null;
}

function scanNumber(text: string, pos: number, end: number): number {
  let i = pos;
  while (i < end && isDigit(text[i])) i++;
  if (i < end && text[i] === '.' && !(i + 1 < end && text[i + 1] === '.')) {
    i++;
    while (i < end && isDigit(text[i])) i++;
  }
  if (i + 1 < end && (text[i] === 'e' || text[i] === 'E')) {
    const sign = text[i + 1] === '+' || text[i + 1] === '-' ? 1 : 0;
    if (i + 1 + sign < end && isDigit(text[i + 1 + sign])) {
      i += 1 + sign;
      while (i < end && isDigit(text[i])) i++;
    }
  }

  return i;
}

function scanStageReference(text: string, pos: number, end: number): number {
  let i = pos;
  while (i < end) {
    if (text[i] === '"') {
      const close = scanQuoted(text, i, end, '"', false);
      i = Math.min(close, end);
    } else if (STAGE_PATH_CHAR.test(text[i])) {
      const after = i + 1 < end ? text[i + 1] : '';
      if (text[i] === '/' && (after === '/' || after === '*') && i > pos) break;
      i++;
    } else {
      break;
    }
  }

  return i;
}
