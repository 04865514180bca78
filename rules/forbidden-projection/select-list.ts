import type { EditDraft } from '../../server/src/engine/rules/define';
import type { Span } from '../../server/src/engine/source';
import { lex } from '../../server/src/engine/syntax/lexer';

/**
 * The items of a query's top-level select list, or undefined unless the query is one plain
 * `SELECT … FROM` (no CTE, no set operation), where removing an item removes exactly one output.
 */
export function selectItems(text: string, query: Span): Span[] | undefined {
  const tokens = lex(text, query.start, query.end).tokens;
  if (tokens[0]?.keyword !== 'SELECT') return undefined;
  let index = tokens[1]?.keyword === 'DISTINCT' || tokens[1]?.keyword === 'ALL' ? 2 : 1;
  if (tokens[index]?.keyword === 'TOP') index += 2;
  const items: Span[] = [];
  let depth = 0;
  let itemStart = index;
  let from = -1;
  for (; index < tokens.length; index++) {
    const token = tokens[index];
    if (token.text === '(') depth++;
    else if (token.text === ')') depth--;
    else if (depth > 0) continue;
    else if (SET_OPERATORS.has(token.keyword ?? '')) return undefined;
    else if (from >= 0) continue;
    else if (token.text === ',' || token.keyword === 'FROM') {
      if (index === itemStart) return undefined;
      items.push({ start: tokens[itemStart].start, end: tokens[index - 1].end });
      itemStart = index + 1;
      if (token.keyword === 'FROM') from = index;
    }
  }

  return from >= 0 ? items : undefined;
}

/** The edit that removes item `index` of a select list with the comma that separates it. */
export function dropItem(items: readonly Span[], index: number): EditDraft {
  const span =
    index < items.length - 1
      ? { start: items[index].start, end: items[index + 1].start }
      : { start: items[index - 1].end, end: items[index].end };

  return { span, newText: '' };
}

const SET_OPERATORS = new Set(['UNION', 'INTERSECT', 'EXCEPT', 'MINUS']);

/** What the clauses after FROM say about the select list, for a fix that drops an item. */
export interface ListReferences {
  /** `GROUP BY 1, 2` and `ORDER BY 2`: each ordinal (1-based position) and its token. */
  readonly ordinals: readonly { readonly position: number; readonly span: Span }[];
  /** Every unquoted word and quoted name after FROM, as stored (upper case unless quoted). */
  readonly names: ReadonlySet<string>;
}

/**
 * The ordinals of the query's own GROUP BY and ORDER BY lists, and the names used after its
 * FROM at any depth (a select alias may be named in WHERE, GROUP BY, HAVING, QUALIFY and ORDER
 * BY). `GROUP BY ALL` names no position.
 */
export function listReferences(text: string, query: Span): ListReferences {
  const tokens = lex(text, query.start, query.end).tokens;
  const ordinals: { position: number; span: Span }[] = [];
  const names = new Set<string>();
  let depth = 0;
  let afterFrom = false;
  let inPositionalList = false;
  for (const [index, token] of tokens.entries()) {
    if (token.text === '(') depth++;
    else if (token.text === ')') depth--;
    if (depth === 0 && token.keyword === 'FROM') afterFrom = true;
    if (!afterFrom) continue;
    if (token.kind === 'word') names.add(token.keyword ?? token.text.toUpperCase());
    if (token.kind === 'quoted') names.add(token.text.slice(1, -1).replace(/""/g, '"'));
    if (depth !== 0) continue;
    const previous = tokens[index - 1];
    if (token.keyword === 'BY' && /^(GROUP|ORDER)$/.test(previous?.keyword ?? '')) {
      inPositionalList = true;
    } else if (inPositionalList && CLAUSE_STARTS.has(token.keyword ?? '')) {
      inPositionalList = false;
    } else if (inPositionalList && token.kind === 'number' && isListElement(tokens, index)) {
      ordinals.push({ position: Number(token.text), span: { start: token.start, end: token.end } });
    }
  }

  return { ordinals, names };
}

/** Clauses that end a GROUP BY or ORDER BY list. */
const CLAUSE_STARTS = new Set(['HAVING', 'QUALIFY', 'ORDER', 'LIMIT', 'OFFSET', 'FETCH', 'WINDOW']);

/** A number standing alone as a list element (`BY 1`, `, 2 DESC`), not inside an expression. */
function isListElement(tokens: readonly { text: string; keyword?: string }[], index: number) {
  const before = tokens[index - 1];
  const after = tokens[index + 1];
  const opens = before?.keyword === 'BY' || before?.text === ',';
  const closes =
    after === undefined ||
    after.text === ',' ||
    after.text === ';' ||
    /^(ASC|DESC|NULLS)$/.test(after.keyword ?? '') ||
    CLAUSE_STARTS.has(after.keyword ?? '');

  return opens && closes;
}
