import type { ObjectName, QueryBody } from './syntax/ast';
import { Cursor } from './syntax/cursor';
import { lex } from './syntax/lexer';
import { type Token, isSymbol, keywordOf } from './syntax/tokens';

/**
 * Words that end a relation in a FROM list rather than alias it: `FROM t WHERE …`,
 * `FROM t JOIN u …`, `FROM t AT (…)`.
 */
const AFTER_RELATION = new Set([
  'WHERE',
  'GROUP',
  'ORDER',
  'HAVING',
  'QUALIFY',
  'LIMIT',
  'FETCH',
  'OFFSET',
  'WINDOW',
  'UNION',
  'EXCEPT',
  'MINUS',
  'INTERSECT',
  'JOIN',
  'INNER',
  'LEFT',
  'RIGHT',
  'FULL',
  'CROSS',
  'NATURAL',
  'ASOF',
  'ON',
  'USING',
  'AT',
  'BEFORE',
  'CHANGES',
  'MATCH_RECOGNIZE',
  'PIVOT',
  'UNPIVOT',
  'SAMPLE',
  'TABLESAMPLE',
  'LATERAL',
  'MATCH_CONDITION',
]);

/**
 * The tables and views a query body reads, as written after FROM and JOIN (and after the commas
 * of a FROM list), with their spans in the file: what find references lists besides the names
 * the parser reads itself. The lineage knows the same relations, but runs only for queries that
 * may carry personal data and keeps no places. Subqueries are read too; table functions
 * (`TABLE(…)`, `FLATTEN(…)`), stages and the query's own CTE names are not relations.
 * `text` is the file's text; a body whose text is not the file's slice (an `EXECUTE IMMEDIATE`
 * string with escapes) reads nothing, since its offsets would not map back.
 */
export function relationsRead(body: QueryBody, text: string): ObjectName[] {
  if (text.slice(body.start, body.end) !== body.text) return [];
  const { tokens } = lex(text, body.start, body.end);
  const cursor = new Cursor(tokens, text, body);
  const ctes = cteNames(tokens);
  const found: ObjectName[] = [];
  /** For each open parenthesis: whether it holds a query, so that a FROM in it reads a table. */
  const parens: boolean[] = [];
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index];
    if (isSymbol(token, '(')) {
      parens.push(['SELECT', 'WITH'].includes(keywordOf(tokens[index + 1]) ?? ''));
    } else if (isSymbol(token, ')')) {
      parens.pop();
    } else if (isRelationStart(token) && (parens.length === 0 || parens[parens.length - 1])) {
      // EXTRACT(YEAR FROM d) and TRIM(… FROM s) sit in parentheses that hold no query.
      cursor.position = index + 1;
      found.push(...readRelations(cursor, ctes));
    }
  }

  return found;
}

function isRelationStart(token: Token): boolean {
  const keyword = keywordOf(token);

  return keyword === 'FROM' || keyword === 'JOIN';
}

/** The relations of a FROM list from the cursor on: `a`, `a x, b AS y`, … */
function readRelations(cursor: Cursor, ctes: ReadonlySet<string>): ObjectName[] {
  const found: ObjectName[] = [];
  for (;;) {
    const name = cursor.tryName();
    if (!name || name.dynamic || name.parts.length === 0) break;
    // A name followed by a parenthesis is a table function, such as FLATTEN(…).
    if (cursor.isSymbol('(')) break;
    const single = name.parts.length === 1 ? name.parts[0] : undefined;
    if (!single || single.quoted || !ctes.has(single.value)) found.push(name);
    skipAlias(cursor);
    if (!cursor.acceptSymbol(',')) break;
  }

  return found;
}

function skipAlias(cursor: Cursor): void {
  const hadAs = cursor.accept('AS');
  const next = cursor.peek();
  if (!next || (next.kind !== 'word' && next.kind !== 'quoted')) return;
  if (!hadAs && AFTER_RELATION.has(keywordOf(next) ?? '')) return;
  cursor.next();
}

/** Names that `WITH name AS (` or `, name AS (` define, which a FROM may read like a table. */
function cteNames(tokens: readonly Token[]): Set<string> {
  const names = new Set<string>();
  for (let index = 1; index + 2 < tokens.length; index++) {
    const token = tokens[index];
    if (token.kind !== 'word' || keywordOf(tokens[index + 1]) !== 'AS') continue;
    if (!isSymbol(tokens[index + 2], '(')) continue;
    const before = tokens[index - 1];
    if (isSymbol(before, ',') || ['WITH', 'RECURSIVE'].includes(keywordOf(before) ?? '')) {
      names.add(token.text.toUpperCase());
    }
  }

  return names;
}
