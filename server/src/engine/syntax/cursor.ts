import type { Span } from '../source';
import type { Literal, NamePart, ObjectName, Property, QueryBody, TagAssignment } from './ast';
import { unescapeString } from './string-literal';
import { isKeyword, isNameToken, isSymbol, keywordOf, type Token } from './tokens';

/** Raised inside the parser only; the statement parser turns it into a syntax problem. */
export class ParseError extends Error {
  constructor(
    message: string,
    readonly at: Span,
  ) {
    super(message);
  }
}

/** A forward-only reader over the tokens of one statement, with the file text at hand. */
export class Cursor {
  private index = 0;

  constructor(
    readonly tokens: readonly Token[],
    readonly text: string,
    readonly statementSpan: Span,
  ) {}

  get position(): number {
    return this.index;
  }

  set position(value: number) {
    this.index = value;
  }

  get atEnd(): boolean {
    return this.index >= this.tokens.length;
  }

  peek(ahead = 0): Token | undefined {
    return this.tokens[this.index + ahead];
  }

  /** The previous token, for spans that end at what was just read. */
  get last(): Token {
    return this.tokens[Math.max(0, this.index - 1)];
  }

  next(): Token | undefined {
    return this.tokens[this.index++];
  }

  /** True when the next tokens are exactly these keywords. */
  is(...keywords: string[]): boolean {
    for (let offset = 0; offset < keywords.length; offset++) {
      if (keywordOf(this.tokens[this.index + offset]) !== keywords[offset]) return false;
    }

    return true;
  }

  isSymbol(symbol: string, ahead = 0): boolean {
    return isSymbol(this.peek(ahead), symbol);
  }

  /** Consumes the keywords when all of them come next. */
  accept(...keywords: string[]): boolean {
    if (!this.is(...keywords)) return false;
    this.index += keywords.length;

    return true;
  }

  acceptSymbol(symbol: string): boolean {
    if (!this.isSymbol(symbol)) return false;
    this.index++;

    return true;
  }

  /** Consumes one of the keywords and returns it (upper case), or undefined. */
  acceptOneOf(...keywords: string[]): string | undefined {
    const word = keywordOf(this.peek());
    if (word === undefined || !keywords.includes(word)) return undefined;
    this.index++;

    return word;
  }

  expect(...keywords: string[]): void {
    if (!this.accept(...keywords)) throw this.error(`expected ${keywords.join(' ')}`);
  }

  expectSymbol(symbol: string): Token {
    const token = this.peek();
    if (!isSymbol(token, symbol)) throw this.error(`expected '${symbol}'`);
    this.index++;

    return token as Token;
  }

  error(message: string): ParseError {
    const token = this.peek();
    const found = token ? describeToken(token) : 'the end of the statement';
    const at = token ?? { start: this.statementSpan.end, end: this.statementSpan.end };

    return new ParseError(`${message}, found ${found}`, at);
  }

  /**
   * Skips one token, or a whole parenthesised group when the next token opens one. Returns
   * false when the group is never closed, so the statement ended inside it.
   */
  skip(): boolean {
    if (!this.isSymbol('(')) {
      this.index++;

      return true;
    }
    let depth = 0;
    while (!this.atEnd) {
      const token = this.next();
      if (isSymbol(token, '(')) depth++;
      else if (isSymbol(token, ')') && --depth === 0) return true;
    }

    return false;
  }

  /** Skips tokens until one of the keywords or symbols at parenthesis depth zero, or the end. */
  skipUntil(stop: (token: Token) => boolean): void {
    while (!this.atEnd && !stop(this.peek() as Token)) this.skip();
  }

  /**
   * The tokens from index `from` up to the current position, as normalised type text: comments
   * between them are left out, and `number ( 38, 0 )` reads `NUMBER(38,0)`.
   */
  typeSince(from: number): string {
    return normaliseTypeTokens(this.tokens.slice(from, this.index));
  }

  /** The rest of the statement as a query body, or undefined when nothing is left. */
  rest(): QueryBody | undefined {
    if (this.atEnd) return undefined;
    const first = this.peek() as Token;
    const last = this.tokens[this.tokens.length - 1];
    this.index = this.tokens.length;

    return { start: first.start, end: last.end, text: this.text.slice(first.start, last.end) };
  }

  /** Tokens up to (not including) the first token at depth zero that `stop` accepts. */
  bodyUntil(stop: (token: Token, cursor: Cursor) => boolean): QueryBody | undefined {
    const first = this.peek();
    let lastEnd = first?.end ?? 0;
    while (!this.atEnd && !stop(this.peek() as Token, this)) {
      this.skip();
      lastEnd = this.last.end;
    }
    if (first === undefined || this.tokens[this.index] === first) return undefined;

    return { start: first.start, end: lastEnd, text: this.text.slice(first.start, lastEnd) };
  }

  /** Reads a name; `what` names it in the error when there is none (`the role to use`). */
  parseName(what = 'a name'): ObjectName {
    const name = this.tryName();
    if (!name) throw this.error(`expected ${what}`);

    return name;
  }

  /** Reads `a.b."C"`, `IDENTIFIER('…')`, `IDENTIFIER($v)`, `$v` or `:v`; undefined if none. */
  tryName(): ObjectName | undefined {
    const first = this.peek();
    if (!first) return undefined;

    if (isKeyword(first, 'IDENTIFIER', 'TABLE') && this.isSymbol('(', 1)) {
      const start = first.start;
      this.index++;
      const inner = this.peek(1);
      const isLiteral = inner?.kind === 'string' && isSymbol(this.peek(2), ')');
      this.skip();
      const span = { start, end: this.last.end };
      if (isLiteral && inner) {
        return { ...span, parts: namePartsFromString(tokenValue(inner), inner) };
      }

      return { ...span, parts: [], dynamic: true };
    }
    if (first.kind === 'variable' || first.kind === 'bind' || isSymbol(first, '?')) {
      // A name held in a session variable or a bind (`$db.stage`) is known only at run time.
      this.index++;
      while (this.isSymbol('.') && isNameToken(this.peek(1))) this.index += 2;

      return { start: first.start, end: this.last.end, parts: [], dynamic: true };
    }

    const parts: NamePart[] = [];
    let part = this.tryNamePart();
    if (!part) return undefined;
    parts.push(part);
    while (this.isSymbol('.')) {
      const dot = this.next() as Token;
      if (this.isSymbol('.') && parts.length === 1) {
        // `db..table` names the PUBLIC schema by omission; the part is empty at the gap.
        parts.push({ start: dot.end, end: dot.end, value: 'PUBLIC', quoted: false });
        continue;
      }
      part = this.tryNamePart();
      if (!part) break;
      parts.push(part);
    }

    return { start: parts[0].start, end: this.last.end, parts };
  }

  tryNamePart(): NamePart | undefined {
    const token = this.peek();
    if (token?.kind === 'word') {
      this.index++;

      return { start: token.start, end: token.end, value: token.text.toUpperCase(), quoted: false };
    }
    // An unclosed quote swallows the rest of the file, secrets included: never a name.
    if (token?.kind === 'quoted' && !token.unterminated) {
      this.index++;
      const value = token.text.slice(1, -1).replace(/""/g, '"');

      return { start: token.start, end: token.end, value, quoted: true };
    }
    // A template placeholder is replaced by text before the script runs, so it stands for the
    // part as written: `{{ db }}` names the same database wherever it is written alike.
    if (token?.kind === 'placeholder' && !token.unterminated) {
      this.index++;

      return {
        start: token.start,
        end: token.end,
        value: token.text,
        quoted: false,
        placeholder: true,
      };
    }

    return undefined;
  }

  parseNamePart(what = 'a name'): NamePart {
    const part = this.tryNamePart();
    if (!part) throw this.error(`expected ${what}`);

    return part;
  }

  /** A single value: string, number, word, quoted name (dotted names included) or variable. */
  parseLiteral(): Literal {
    const token = this.peek();
    if (!token) throw this.error('expected a value');
    if (token.kind === 'word' || token.kind === 'quoted') {
      const name = this.parseName();
      const text = this.text.slice(name.start, name.end);

      return { start: name.start, end: name.end, value: text, kind: 'word', name };
    }
    if (token.kind === 'placeholder' && !token.unterminated) {
      // Still a value known only once the template is rendered, but it may name an object.
      const name = this.parseName();
      const text = this.text.slice(name.start, name.end);

      return { start: name.start, end: name.end, value: text, kind: 'variable', name };
    }
    this.index++;
    switch (token.kind) {
      case 'string':
        return { start: token.start, end: token.end, value: tokenValue(token), kind: 'string' };
      case 'file':
        return { start: token.start, end: token.end, value: token.text, kind: 'string' };
      case 'dollar':
        return {
          start: token.start,
          end: token.end,
          value: token.text.slice(2, -2),
          kind: 'string',
        };
      case 'number':
        return { start: token.start, end: token.end, value: token.text, kind: 'number' };
      case 'variable':
      case 'placeholder':
      case 'bind':
        return { start: token.start, end: token.end, value: token.text, kind: 'variable' };
      default:
        return { start: token.start, end: token.end, value: token.text, kind: 'other' };
    }
  }

  /** `( lit, lit, … )` or a bare comma-separated list of literals. */
  parseLiteralList(): Literal[] {
    const values: Literal[] = [];
    const parenthesised = this.acceptSymbol('(');
    while (!this.atEnd && !this.isSymbol(')')) {
      values.push(this.parseLiteral());
      if (!this.acceptSymbol(',')) break;
    }
    if (parenthesised) this.acceptSymbol(')');

    return values;
  }

  /** `(col, col, …)` as name parts; an item that is an expression is skipped. */
  parseColumnList(): NamePart[] {
    this.expectSymbol('(');
    const columns: NamePart[] = [];
    while (!this.atEnd && !this.isSymbol(')')) {
      const name = this.tryName();
      const lastPart = name?.parts[name.parts.length - 1];
      if (lastPart && (this.isSymbol(',') || this.isSymbol(')'))) columns.push(lastPart);
      this.skipUntil((token) => isSymbol(token, ',') || isSymbol(token, ')'));
      if (!this.acceptSymbol(',')) break;
    }
    this.expectSymbol(')');

    return columns;
  }

  /** `( tag = 'value', … )` after `[WITH] TAG`. */
  parseTagAssignments(): TagAssignment[] {
    const parenthesised = this.acceptSymbol('(');
    const tags: TagAssignment[] = [];
    while (!this.atEnd && !this.isSymbol(')')) {
      tags.push(this.parseTagAssignment());
      if (!this.acceptSymbol(',')) break;
    }
    if (parenthesised) this.expectSymbol(')');

    return tags;
  }

  /** One `tag = 'value'`. */
  parseTagAssignment(): TagAssignment {
    const tag = this.parseName('a tag name');
    let value: Literal | undefined;
    if (this.acceptSymbol('=')) value = this.parseLiteral();

    return { start: tag.start, end: this.last.end, tag, value };
  }

  /** True when a `KEY =` property starts here. */
  atProperty(): boolean {
    return this.peek()?.kind === 'word' && this.isSymbol('=', 1);
  }

  /** `KEY = value` where value may be a literal, a list `( … )` or nested properties. */
  parseProperty(): Property {
    const keyToken = this.next() as Token;
    this.expectSymbol('=');
    const key = keyToken.text.toUpperCase();
    const keySpan = { start: keyToken.start, end: keyToken.end };
    const valueStart = this.peek()?.start ?? keyToken.end;

    if (this.isSymbol('(')) {
      // The group ends at its matching parenthesis whatever it holds (`SECRETS = ('a' = b)`).
      const open = this.index;
      if (!this.skip()) throw this.error(`expected ')' to close the value of ${key}`);
      const close = this.index;
      const valueSpan = { start: valueStart, end: this.last.end };
      const end = this.last.end;
      this.index = open;
      const isNested = this.peek(1)?.kind === 'word' && this.isSymbol('=', 2);
      let value: Pick<Property, 'nested' | 'list'>;
      if (isNested) {
        this.index++;
        value = { nested: this.parseProperties((token) => isSymbol(token, ')')) };
      } else {
        value = { list: this.parseLiteralList() };
      }
      this.index = close;

      return { start: keyToken.start, end, key, keySpan, ...value, valueSpan };
    }
    const value = this.parseLiteral();
    const valueSpan = { start: value.start, end: value.end };

    return { start: keyToken.start, end: value.end, key, keySpan, value, valueSpan };
  }

  /**
   * Reads properties until `stop` or the end, skipping anything that is not `KEY = value`
   * (Snowflake has hundreds of options; the rules need only some of them).
   */
  parseProperties(stop: (token: Token) => boolean = () => false): Property[] {
    const properties: Property[] = [];
    while (!this.atEnd && !stop(this.peek() as Token)) {
      if (this.atProperty()) properties.push(this.parseProperty());
      else this.skip();
    }

    return properties;
  }
}

/** Type text from tokens: `number ( 38 , 0 )` gives `NUMBER(38,0)`. */
export function normaliseTypeTokens(tokens: readonly Token[]): string {
  let text = '';
  for (const token of tokens) {
    const tight = token.kind === 'symbol' && '(),'.includes(token.text);
    const previousTight = text.endsWith('(') || text.endsWith(',') || text === '';
    text += tight || previousTight ? token.text : ` ${token.text}`;
  }

  return text.toUpperCase();
}

/** The value of a single-quoted string with its escapes resolved. */
export function unquoteString(text: string): string {
  if (!text.includes('\\') && !text.includes("''", 1)) {
    return text.length > 1 && text.endsWith("'") ? text.slice(1, -1) : text.slice(1);
  }

  return unescapeString(text, 0, text.length > 1 && text.endsWith("'")).value;
}

/** The value of a string token, honouring the lexer's verdict on whether it is closed. */
export function tokenValue(token: Token): string {
  if (!token.unterminated) return unquoteString(token.text);

  return unescapeString(token.text, 0, false).value;
}

/** Splits the text of `IDENTIFIER('db."Sch".t')` into name parts, all spanning the string token. */
export function namePartsFromString(value: string, at: Span): NamePart[] {
  const parts: NamePart[] = [];
  const pattern = /\s*(?:"((?:[^"]|"")*)"|([^."\s]+))\s*(?:\.|$)/gy;
  let match: RegExpExecArray | null;
  while (pattern.lastIndex < value.length && (match = pattern.exec(value)) !== null) {
    if (match[1] !== undefined) {
      parts.push({
        start: at.start,
        end: at.end,
        value: match[1].replace(/""/g, '"'),
        quoted: true,
      });
    } else if (match[2] !== undefined) {
      parts.push({ start: at.start, end: at.end, value: match[2].toUpperCase(), quoted: false });
    }
    if (match[0].length === 0) break;
  }

  return parts;
}

export { isKeyword, isNameToken, isSymbol, keywordOf };

/**
 * A token as error messages show it: its first line, at most 30 characters. Literals may hold
 * secrets and unclosed ones run to the end of the file, so those are described, not quoted.
 */
export function describeToken(token: Token): string {
  if (token.unterminated) return 'an unclosed quote';
  if (token.kind === 'string' || token.kind === 'dollar') return 'a string';
  const firstLine = token.text.split(/\r?\n/)[0];
  const shown = firstLine.length > 30 ? `${firstLine.slice(0, 30)}…` : firstLine;

  return `'${escapeInvisible(shown)}'`;
}

/** `\u0000` for each character in INVISIBLE, so that a message shows what is there. */
function escapeInvisible(text: string): string {
  return text.replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Characters a message must not carry as they are: control characters, and the bidirectional
 * controls that would reorder the message around them on screen.
 */
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
