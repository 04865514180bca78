import { lex } from '../syntax/lexer';
import { isKeyword, isSymbol, type Token } from '../syntax/tokens';
import { canonicalIdentifier } from './canonical';

/** A query with its top-level `* RENAME …` clauses blanked out, and the renames they made. */
export interface StarRenames {
  readonly sql: string;
  /** Canonical column name → canonical new name. */
  readonly renames: ReadonlyMap<string, string>;
}

/**
 * node-sql-parser cannot read Snowflake's `SELECT * RENAME (a AS b, …)`, so the clause is
 * replaced by spaces (offsets stay the same) and its renames are applied to the outputs
 * afterwards. Only a `*` of the outermost select list is handled; undefined for one deeper in
 * (a CTE or subquery), whose renames would have to be applied to that inner shape.
 * https://docs.snowflake.com/en/sql-reference/sql/select
 */
export function withoutStarRenames(sql: string): StarRenames | undefined {
  const tokens = lex(sql).tokens;
  const renames = new Map<string, string>();
  let text = sql;
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (isSymbol(token, '(')) depth++;
    else if (isSymbol(token, ')')) depth--;
    if (!isSymbol(token, '*') || !isKeyword(tokens[i + 1], 'RENAME')) continue;
    if (depth !== 0) return undefined;
    const end = readRenames(tokens, i + 2, renames);
    if (end === undefined) return undefined;
    const start = tokens[i + 1].start;
    text = text.slice(0, start) + ' '.repeat(end - start) + text.slice(end);
  }

  return { sql: text, renames };
}

/** Reads `a AS b` or `(a AS b, …)` from `index`; returns the offset just past it. */
function readRenames(
  tokens: readonly Token[],
  index: number,
  renames: Map<string, string>,
): number | undefined {
  const parenthesised = isSymbol(tokens[index], '(');
  let i = parenthesised ? index + 1 : index;
  for (;;) {
    const from = identifier(tokens[i]);
    const to = isKeyword(tokens[i + 1], 'AS') ? identifier(tokens[i + 2]) : undefined;
    if (from === undefined || to === undefined) return undefined;
    renames.set(from, to);
    i += 3;
    if (!parenthesised) return tokens[i - 1].end;
    if (isSymbol(tokens[i], ',')) {
      i++;
      continue;
    }

    return isSymbol(tokens[i], ')') ? tokens[i].end : undefined;
  }
}

function identifier(token: Token | undefined): string | undefined {
  if (token?.kind === 'word') return canonicalIdentifier(token.text, false);
  if (token?.kind === 'quoted')
    return canonicalIdentifier(token.text.slice(1, -1).replace(/""/g, '"'), true);

  return undefined;
}
