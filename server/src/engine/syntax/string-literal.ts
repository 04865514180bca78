/**
 * Single-quoted string literals: their value, and where each character of the value came from.
 * Sources: https://docs.snowflake.com/en/sql-reference/data-types-text#escape-sequences-in-single-quoted-string-constants
 */

/** Characters that a backslash turns into something else; any other `\c` stands for `c`. */
const ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  '0': '\0',
  Z: '\x1a',
};

export interface UnescapedString {
  readonly value: string;
  /**
   * `offsets[i]` is the file offset of the source text that produced `value[i]`, and
   * `offsets[value.length]` is the offset just after the last such text (the closing quote).
   */
  readonly offsets: readonly number[];
}

/**
 * The value of the string token `text` found at file offset `start`, with its escapes resolved:
 * `''` and `\'` are one quote, `\n`, `\t` and the like are control characters, `\ooo` is octal,
 * `\xhh` hexadecimal and `\uhhhh` a UTF-16 code unit. An unclosed string (`closed` false, as the
 * lexer marks it) runs to its end.
 */
export function unescapeString(text: string, start = 0, closed = true): UnescapedString {
  const stop = closed ? text.length - 1 : text.length;
  let value = '';
  const offsets: number[] = [];
  let i = 1;
  while (i < stop) {
    const ch = text[i];
    offsets.push(start + i);
    if (ch === "'" && text[i + 1] === "'") {
      value += "'";
      i += 2;
    } else if (ch === '\\' && i + 1 < stop) {
      const escaped = readEscape(text, i + 1, stop);
      value += escaped.value;
      for (let extra = 1; extra < escaped.value.length; extra++) offsets.push(start + i);
      i = escaped.next;
    } else {
      value += ch;
      i++;
    }
  }
  offsets.push(start + stop);

  return { value, offsets };
}

/** True when the text has neither escapes nor doubled quotes, so its value is a plain slice. */
export function hasNoEscapes(text: string): boolean {
  const body = text.slice(1, -1);

  return !body.includes('\\') && !body.includes("''");
}

function readEscape(text: string, at: number, stop: number): { value: string; next: number } {
  const ch = text[at];
  if (ch >= '0' && ch <= '7' && isOctal(text, at, stop)) {
    return { value: String.fromCharCode(parseInt(text.slice(at, at + 3), 8)), next: at + 3 };
  }
  if (ch === 'x' && isHex(text, at + 1, 2, stop)) {
    return { value: String.fromCharCode(parseInt(text.slice(at + 1, at + 3), 16)), next: at + 3 };
  }
  if (ch === 'u' && isHex(text, at + 1, 4, stop)) {
    return { value: String.fromCharCode(parseInt(text.slice(at + 1, at + 5), 16)), next: at + 5 };
  }

  return { value: ESCAPES[ch] ?? ch, next: at + 1 };
}

function isOctal(text: string, at: number, stop: number): boolean {
  if (at + 3 > stop) return false;
  for (let i = at; i < at + 3; i++) if (text[i] < '0' || text[i] > '7') return false;

  return true;
}

function isHex(text: string, at: number, length: number, stop: number): boolean {
  if (at + length > stop) return false;
  for (let i = at; i < at + length; i++) {
    const c = text.charCodeAt(i) | 0x20;
    const isDigit = text[i] >= '0' && text[i] <= '9';
    if (!isDigit && !(c >= 97 && c <= 102)) return false;
  }

  return true;
}
