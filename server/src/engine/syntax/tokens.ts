import type { Span } from '../source';

export type TokenKind =
  /** An unquoted word: keyword or identifier, `[A-Za-z_][A-Za-z0-9_$]*`. */
  | 'word'
  /** `"quoted identifier"` with `""` escapes. */
  | 'quoted'
  /** `'string'` with `''` and backslash escapes. */
  | 'string'
  /** `$$ … $$` literal. */
  | 'dollar'
  | 'number'
  /** `$name`: a session variable, whose value is known only when the statement runs. */
  | 'variable'
  /**
   * A template placeholder, replaced by its text before Snowflake sees the script: Jinja
   * `{{ x }}`, Flyway `${x}`, SnowSQL `&x` and `&{x}`, Snowflake CLI `<% x %>`, a documentation
   * `<x>`, with any name characters glued to it (`{{ env }}_ADMIN`). It may stand for a name part.
   */
  | 'placeholder'
  /** `$1`: a positional column of a staged file. */
  | 'positional'
  /** `:name` or `:1`: a bind variable or scripting variable reference. */
  | 'bind'
  /** `@stage/path`, `@~`, `@%table`: a stage reference, kept as one token. */
  | 'stage'
  /** `file:///tmp/x.csv`: an unquoted local file URI of PUT and GET, kept as one token. */
  | 'file'
  /** A SnowSQL client command line such as `!set variable_substitution=true`, without its end. */
  | 'client'
  /** Operators and punctuation, including `->`, `=>`, `::`, `:=`. */
  | 'symbol';

export interface Token extends Span {
  readonly kind: TokenKind;
  /** The exact source text of the token. */
  readonly text: string;
  /** Upper-cased text of a word, computed once by the lexer because the parser compares it often. */
  readonly keyword?: string;
  /**
   * Set on strings, quoted identifiers, `$$` literals and placeholders that reach the end of
   * input unclosed.
   */
  readonly unterminated?: boolean;
}

export type CommentKind = 'line' | 'block';

export interface Comment extends Span {
  readonly kind: CommentKind;
  readonly text: string;
  readonly unterminated?: boolean;
}

export interface LexResult {
  readonly tokens: Token[];
  readonly comments: Comment[];
}

/** The upper-cased text of a word token, or undefined for any other token. */
export function keywordOf(token: Token | undefined): string | undefined {
  return token?.kind === 'word' ? (token.keyword ?? token.text.toUpperCase()) : undefined;
}

export function isKeyword(token: Token | undefined, ...keywords: string[]): boolean {
  const word = keywordOf(token);

  return word !== undefined && keywords.includes(word);
}

/** True for a token that can be (part of) a name: a word, a quoted identifier, a placeholder. */
export function isNameToken(token: Token | undefined): boolean {
  if (token === undefined || token.unterminated) return false;

  return token.kind === 'word' || token.kind === 'quoted' || token.kind === 'placeholder';
}

export function isSymbol(token: Token | undefined, symbol: string): boolean {
  return token?.kind === 'symbol' && token.text === symbol;
}

/** The first keywords of a statement (at most four), enough to name and classify it. */
export function leadingWords(tokens: readonly Token[]): string[] {
  const words: string[] = [];
  for (const token of tokens) {
    const word = keywordOf(token);
    if (word === undefined || words.length >= 4) break;
    words.push(word);
  }

  return words;
}
