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
