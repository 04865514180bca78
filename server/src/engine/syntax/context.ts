import type { Span } from '../source';
import type { ProblemCode, Statement } from './ast';
import type { StatementSlice } from './splitter';
import type { Token } from './tokens';

/** A statement before the splitter's span is attached. */
export type Node = Statement extends infer S
  ? S extends Statement
    ? Omit<S, 'start' | 'end'>
    : never
  : never;

/** One node type without its span, for the parsers that build it. */
export type NodeOf<T> = Omit<T, 'start' | 'end'>;

/**
 * What statement parsers need besides their tokens: the file's text, a place for problems, and
 * a way to parse the statements nested in the one being read (block bodies, `$$` bodies and
 * string literals run by EXECUTE IMMEDIATE), one level deeper each time.
 */
export interface ParseContext {
  readonly text: string;
  readonly depth: number;
  /** False once nesting is too deep to descend further. */
  readonly canNest: boolean;
  report(at: Span, message: string, code: ProblemCode): void;
  /** Parses statements split out of the current one. */
  parseNested(slices: readonly StatementSlice[]): Statement[];
  /** Parses the statements inside a `$$` literal or a single-quoted string literal. */
  parseLiteralBody(token: Token): Statement[] | undefined;
}
