/**
 * A cursor over the tokens of `select-tokens.ts` for the recursive descent of `select-reader.ts`:
 * looking ahead, taking what is expected, and declining the text when it is not there.
 */
import type { SelectToken } from './select-tokens';

/** Thrown to abandon the text; readCommonSelect turns it into undefined. */
export class Declined extends Error {}

export class TokenCursor {
  protected index = 0;

  constructor(protected readonly tokens: readonly SelectToken[]) {}

  atEnd(): boolean {
    return this.index === this.tokens.length;
  }

  protected peek(ahead = 0): SelectToken | undefined {
    return this.tokens[this.index + ahead];
  }

  protected lastEnd(): number {
    return this.tokens[this.index - 1]?.end ?? 0;
  }

  protected isWord(upper: string): boolean {
    const token = this.peek();

    return token?.kind === 'word' && token.upper === upper;
  }

  protected isSymbol(text: string): boolean {
    const token = this.peek();

    return token?.kind === 'symbol' && token.text === text;
  }

  protected takeWord(upper: string): boolean {
    if (!this.isWord(upper)) return false;
    this.index++;

    return true;
  }

  protected takeSymbol(text: string): boolean {
    if (!this.isSymbol(text)) return false;
    this.index++;

    return true;
  }

  protected expectWord(upper: string): void {
    if (!this.takeWord(upper)) throw new Declined();
  }

  protected expectSymbol(text: string): void {
    if (!this.takeSymbol(text)) throw new Declined();
  }

  protected expect(kind: SelectToken['kind']): void {
    if (this.peek()?.kind !== kind) throw new Declined();
    this.index++;
  }
}
