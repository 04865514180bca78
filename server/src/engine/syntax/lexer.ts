import { detachedCopy } from '../source';
import type { Comment, LexResult, Token, TokenKind } from './tokens';

// Character codes, so that the hot loop compares numbers instead of building strings.
const TAB = 9;
const LF = 10;
const VT = 11;
const FF = 12;
const CR = 13;
const SPACE = 32;
const BANG = 33;
const DQUOTE = 34;
const DOLLAR = 36;
const PERCENT = 37;
const AMP = 38;
const QUOTE = 39;
const STAR = 42;
const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const SLASH = 47;
const COLON = 58;
const SEMICOLON = 59;
const LT = 60;
const EQ = 61;
const GT = 62;
const AT = 64;
const BACKSLASH = 92;
const UNDERSCORE = 95;
const LBRACE = 123;
const PIPE = 124;
const TILDE = 126;
const HASH = 35;

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === UNDERSCORE || c >= 0x80;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || isDigit(c) || c === DOLLAR;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isSpace(c: number): boolean {
  return c === SPACE || c === TAB || c === LF || c === CR || c === FF || c === VT;
}

/** Characters a stage reference may hold after `@`, besides quoted parts. */
function isStagePathChar(c: number): boolean {
  return (
    isIdentPart(c) ||
    c === DOT ||
    c === TILDE ||
    c === PERCENT ||
    c === SLASH ||
    c === MINUS ||
    c === EQ ||
    c === STAR ||
    c === PLUS
  );
}

/**
 * Splits Snowflake SQL into tokens and comments with exact offsets.
 *
 * It never throws: unclosed strings, identifiers and comments run to the end of the input and
 * are marked `unterminated`, and any character it does not know becomes a one-character symbol.
 * `base` shifts every offset, so a `$$` body can be lexed in place within its file;
 * `lineStart` says whether `base` counts as the start of a line (see `startsLine`).
 * Every scan is a single forward pass, so lexing is linear in the length of the text.
 */
export function lex(text: string, base = 0, end = text.length, lineStart = true): LexResult {
  const tokens: Token[] = [];
  const comments: Comment[] = [];
  let pos = base;
  // SnowSQL client commands (`!set …`) are recognised only as the first thing on a line.
  let atLineStart = lineStart;

  const push = (kind: TokenKind, start: number, stop: number, unterminated = false): void => {
    const tokenText = text.slice(start, stop);
    const token: Token =
      kind === 'word'
        ? { kind, start, end: stop, text: tokenText, keyword: upperCased(tokenText) }
        : { kind, start, end: stop, text: tokenText };
    tokens.push(unterminated ? { ...token, unterminated } : token);
  };
  const pushComment = (start: number, stop: number, unterminated: boolean): void => {
    const comment: Comment = { kind: 'block', start, end: stop, text: text.slice(start, stop) };
    comments.push(unterminated ? { ...comment, unterminated } : comment);
  };
  // A placeholder glued to name characters (`{{ env }}_ADMIN`, `DB_&{env}`) is one placeholder.
  const pushTemplate = (start: number, stop: number): void => {
    const previous = tokens[tokens.length - 1];
    const glued =
      previous?.end === start && (previous.kind === 'word' || previous.kind === 'placeholder');
    if (glued) tokens.pop();
    push('placeholder', glued ? previous.start : start, Math.min(stop, end), stop > end);
  };
  // Never look past `end`: a slice must lex exactly like the same text cut out.
  const codeAt = (at: number): number => (at < end ? text.charCodeAt(at) : -1);

  while (pos < end) {
    const c = text.charCodeAt(pos);
    const next = codeAt(pos + 1);
    const start = pos;

    if (isSpace(c)) {
      if (c === LF || c === CR) atLineStart = true;
      pos++;
      continue;
    }
    const lineStart: boolean = atLineStart;
    atLineStart = false;

    if ((c === MINUS && next === MINUS) || (c === SLASH && next === SLASH)) {
      while (pos < end && text.charCodeAt(pos) !== LF && text.charCodeAt(pos) !== CR) pos++;
      comments.push({ kind: 'line', start, end: pos, text: text.slice(start, pos) });
      atLineStart = lineStart;
    } else if (c === SLASH && next === STAR) {
      pos = closeAfter(text, pos + 2, end, '*/');
      pushComment(start, Math.min(pos, end), pos > end);
      pos = Math.min(pos, end);
    } else if (c === LBRACE && (next === PERCENT || next === HASH)) {
      // Jinja statements `{% … %}` and comments `{# … #}` drive the template, not the SQL.
      pos = closeAfter(text, pos + 2, end, next === PERCENT ? '%}' : '#}');
      pushComment(start, Math.min(pos, end), pos > end);
      pos = Math.min(pos, end);
    } else if (c === QUOTE) {
      pos = scanQuoted(text, pos, end, QUOTE, true);
      push('string', start, Math.min(pos, end), pos > end);
      pos = Math.min(pos, end);
    } else if (c === DQUOTE) {
      pos = scanQuoted(text, pos, end, DQUOTE, false);
      push('quoted', start, Math.min(pos, end), pos > end);
      pos = Math.min(pos, end);
    } else if (c === DOLLAR && next === DOLLAR) {
      pos = closeAfter(text, pos + 2, end, '$$');
      push('dollar', start, Math.min(pos, end), pos > end);
      pos = Math.min(pos, end);
    } else if (c === DOLLAR && isDigit(next)) {
      pos = scanWhile(text, pos + 1, end, isDigit);
      push('positional', start, pos);
    } else if (c === DOLLAR && next === LBRACE) {
      // Flyway placeholder `${name}`, replaced before the migration is sent to Snowflake.
      pos = scanTemplate(text, pos, end);
      pushTemplate(start, pos);
      pos = Math.min(pos, end);
    } else if (c === DOLLAR && next >= 0 && isIdentStart(next)) {
      pos = scanWhile(text, pos + 1, end, isIdentPart);
      push('variable', start, pos);
    } else if (c === AMP && (next === LBRACE || (next >= 0 && isIdentStart(next)))) {
      // SnowSQL variable substitution `&{name}` or `&name`: a value known when the script runs.
      pos = scanTemplate(text, pos, end);
      pushTemplate(start, pos);
      pos = Math.min(pos, end);
    } else if (c === LT && next >= 0 && isIdentStart(next) && anglePlaceholderEnd(text, pos, end)) {
      // Documentation placeholders such as `<user_name>`, common in setup scripts.
      pos = anglePlaceholderEnd(text, pos, end);
      push('placeholder', start, pos);
    } else if ((c === LT && next === PERCENT) || (c === LBRACE && next === LBRACE)) {
      // Snowflake CLI `<% name %>` and Jinja `{{ name }}` placeholders, as in templated migrations.
      pos = scanTemplate(text, pos, end);
      pushTemplate(start, pos);
      pos = Math.min(pos, end);
    } else if (c === BANG && lineStart && next >= 0 && isIdentStart(next)) {
      pos = clientCommandEnd(text, pos, end);
      push('client', start, pos);
    } else if (c === AT) {
      pos = scanStageReference(text, pos + 1, end);
      push('stage', start, pos);
    } else if (isDigit(c) || (c === DOT && isDigit(next))) {
      pos = scanNumber(text, pos, end);
      push('number', start, pos);
    } else if ((c === 102 || c === 70) && isFileUri(text, pos, end)) {
      pos = scanWhile(text, pos, end, (ch) => !isSpace(ch) && ch !== SEMICOLON && ch !== QUOTE);
      push('file', start, pos);
    } else if (isIdentStart(c)) {
      pos = scanWhile(text, pos + 1, end, isIdentPart);
      push('word', start, pos);
    } else if (c === COLON && next >= 0 && next !== COLON && next !== EQ && isIdentPart(next)) {
      pos = scanWhile(text, pos + 1, end, isIdentPart);
      push('bind', start, pos);
    } else {
      pos += symbolLength(c, next, codeAt(pos + 2));
      push('symbol', start, pos);
    }
  }

  return { tokens, comments };
}

/** How many upper-cased words `upperCased` keeps; a file's identifiers repeat far more often. */
const UPPER_CASED_LIMIT = 4096;
const upperCasedWords = new Map<string, string>();

/**
 * A word in upper case without a new string for every word: keywords written in upper case are
 * their own upper case, and other words repeat, so their upper case is kept for the next time.
 * The lexer allocates less, which is most of what parsing a large file costs in collection.
 */
function upperCased(word: string): string {
  let i = 0;
  while (i < word.length) {
    const c = word.charCodeAt(i);
    if ((c >= 97 && c <= 122) || c >= 0x80) break;
    i++;
  }
  if (i === word.length) return word;
  let upper = upperCasedWords.get(word);
  if (upper === undefined) {
    upper = word.toUpperCase();
    if (upperCasedWords.size >= UPPER_CASED_LIMIT) upperCasedWords.clear();
    upperCasedWords.set(detachedCopy(word), upper);
  }

  return upper;
}

/**
 * Whether a token starting at `at` is the first thing on its line as the lexer sees it: the
 * blanks just before it hold a line break, or nothing but blanks comes before it. Comments
 * never end a line themselves (a line comment stops before its line break), so blanks decide.
 */
export function startsLine(text: string, at: number): boolean {
  for (let i = at - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === LF || c === CR) return true;
    if (!isSpace(c)) return false;
  }

  return true;
}

/**
 * The end of a template placeholder starting at `pos` (`&name`, `&{name}`, `${name}`,
 * `<% x %>`, `{{ x }}`) together with any name characters and placeholders glued to it, or
 * `end + 1` when one of them is never closed (it then runs to the end, like an unclosed string).
 */
function scanTemplate(text: string, pos: number, end: number): number {
  let i = pos;
  for (;;) {
    const c = i < end ? text.charCodeAt(i) : -1;
    const next = i + 1 < end ? text.charCodeAt(i + 1) : -1;
    if ((c === AMP || c === DOLLAR) && next === LBRACE) {
      i = closeAfter(text, i + 2, end, '}');
    } else if (c === AMP && next >= 0 && isIdentStart(next)) {
      i = scanWhile(text, i + 1, end, isIdentPart);
    } else if ((c === LT && next === PERCENT) || (c === LBRACE && next === LBRACE)) {
      i = closeAfter(text, i + 2, end, c === LT ? '%>' : '}}');
    } else if (i > end) {
      return i;
    } else if (i > pos && c >= 0 && isIdentPart(c)) {
      i = scanWhile(text, i, end, isIdentPart);
    } else {
      return i;
    }
  }
}

/** Length of the operator starting with these characters: `->>`, `->`, `=>`, `::`, `||`, … */
function symbolLength(c: number, next: number, after: number): number {
  switch (c) {
    case MINUS:
      if (next === GT) return after === GT ? 3 : 2;

      return 1;
    case EQ:
      return next === GT ? 2 : 1;
    case COLON:
      return next === COLON || next === EQ ? 2 : 1;
    case LT:
      return next === EQ || next === GT ? 2 : 1;
    case GT:
    case BANG:
      return next === EQ ? 2 : 1;
    case PIPE:
      return next === PIPE ? 2 : 1;
    default:
      return 1;
  }
}

function scanWhile(text: string, pos: number, end: number, test: (c: number) => boolean): number {
  let i = pos;
  while (i < end && test(text.charCodeAt(i))) i++;

  return i;
}

/** The offset just past `closer` at or after `from`, or `end + 1` when it is not inside the range. */
function closeAfter(text: string, from: number, end: number, closer: string): number {
  const close = text.indexOf(closer, from);

  return close < 0 || close + closer.length > end ? end + 1 : close + closer.length;
}

/**
 * Returns the offset just past the closing quote, or `end + 1` when the literal is unclosed.
 * A doubled quote escapes itself; in strings a backslash escapes the next character.
 */
function scanQuoted(
  text: string,
  pos: number,
  end: number,
  quote: number,
  backslashEscapes: boolean,
): number {
  let i = pos + 1;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (backslashEscapes && c === BACKSLASH) {
      i += 2;
    } else if (c === quote) {
      if (i + 1 < end && text.charCodeAt(i + 1) === quote) i += 2;
      else return i + 1;
    } else {
      i++;
    }
  }

  return end + 1;
}

/** The end of `<name>` with no spaces (a placeholder, not a comparison), or 0 when it is not one. */
function anglePlaceholderEnd(text: string, pos: number, end: number): number {
  const limit = Math.min(end, pos + 128);
  let i = pos + 1;
  while (i < limit) {
    const c = text.charCodeAt(i);
    if (c === GT) return i > pos + 1 ? i + 1 : 0;
    if (!(isIdentStart(c) || isDigit(c))) return 0;
    i++;
  }

  return 0;
}

/**
 * A SnowSQL command runs to the end of its line and takes no semicolon; one written anyway, and
 * trailing blanks, are left out of the token so that the splitter sees the `;` as usual.
 */
function clientCommandEnd(text: string, pos: number, end: number): number {
  let stop = scanWhile(text, pos, end, (c) => c !== LF && c !== CR);
  while (stop > pos && isSpace(text.charCodeAt(stop - 1))) stop--;
  if (stop > pos + 1 && text.charCodeAt(stop - 1) === SEMICOLON) {
    stop--;
    while (stop > pos && isSpace(text.charCodeAt(stop - 1))) stop--;
  }

  return stop;
}

/** True at a case-insensitive `file://`, the local path of PUT and GET. */
function isFileUri(text: string, pos: number, end: number): boolean {
  return pos + 7 <= end && text.slice(pos, pos + 7).toLowerCase() === 'file://';
}

function scanNumber(text: string, pos: number, end: number): number {
  let i = scanWhile(text, pos, end, isDigit);
  if (i < end && text.charCodeAt(i) === DOT && !(i + 1 < end && text.charCodeAt(i + 1) === DOT)) {
    i = scanWhile(text, i + 1, end, isDigit);
  }
  const e = i + 1 < end ? text.charCodeAt(i) : -1;
  if (e === 101 || e === 69) {
    const signed = text.charCodeAt(i + 1) === PLUS || text.charCodeAt(i + 1) === MINUS;
    const digitAt = i + 1 + (signed ? 1 : 0);
    if (digitAt < end && isDigit(text.charCodeAt(digitAt)))
      i = scanWhile(text, digitAt, end, isDigit);
  }

  return i;
}

function scanStageReference(text: string, pos: number, end: number): number {
  let i = pos;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === DQUOTE) {
      i = Math.min(scanQuoted(text, i, end, DQUOTE, false), end);
    } else if (isStagePathChar(c)) {
      const after = i + 1 < end ? text.charCodeAt(i + 1) : -1;
      if (c === SLASH && (after === SLASH || after === STAR) && i > pos) break;
      i++;
    } else {
      break;
    }
  }

  return i;
}
