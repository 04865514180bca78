/**
 * Builders for the parts of node-sql-parser's Snowflake AST that `select-reader.ts` produces,
 * with the shapes the lineage analysis reads (`canonical.ts`, `lineage.ts`).
 */
import { SUMMARIZING_FUNCTIONS } from './select-words';

export type Node = Record<string, unknown>;

export function loc(start: number, end: number): Node {
  return { start: { offset: start }, end: { offset: end } };
}

/** A column_ref as node-sql-parser builds it: the last name is the column, the rest qualify it. */
export function columnRef(names: readonly string[], start: number, end: number): Node {
  const column = names[names.length - 1];
  const qualifier = names.slice(0, -1);
  const node: Node = { type: 'column_ref', table: null, column, loc: loc(start, end) };
  if (qualifier.length === 2) [node.schema, node.table] = qualifier;
  else if (qualifier.length === 1) node.table = qualifier[0];

  return node;
}

export function binary(operator: string, left: Node, right: Node): Node {
  return { type: 'binary_expr', operator, left, right };
}

export function cast(expr: Node, symbol: string, target: Node): Node {
  if (expr.type === 'cast') return { ...expr, target: [...(expr.target as Node[]), target] };

  return { type: 'cast', keyword: 'cast', expr, symbol, target: [target] };
}

export function existsCall(ast: Node): Node {
  return {
    type: 'function',
    name: { name: [{ type: 'default', value: 'EXISTS' }] },
    args: { type: 'expr_list', value: [{ ast }] },
    over: null,
  };
}

/** Whether a binary tree of select-item operands holds an aggregate the analysis summarises. */
export function hasSummarizingLeaf(node: Node): boolean {
  if (node.type === 'binary_expr') {
    return hasSummarizingLeaf(node.left as Node) || hasSummarizingLeaf(node.right as Node);
  }
  if (node.type !== 'function') return false;
  const name = (node.name as { name: { value: string }[] }).name[0].value.toUpperCase();

  return SUMMARIZING_FUNCTIONS.has(name);
}

/**
 * Whether the operator tree is one whose shape this reader builds exactly as node-sql-parser
 * does: arithmetic only, over calls, columns and unsigned numbers. Only then may the
 * `summarized` flag, which follows the tree, be trusted.
 */
export function isPlainArithmetic(node: Node): boolean {
  if (node.type !== 'binary_expr') {
    return node.type === 'function' || node.type === 'column_ref' || node.type === 'number';
  }
  if (!['+', '-', '*', '/', '%', '||'].includes(node.operator as string)) return false;

  return isPlainArithmetic(node.left as Node) && isPlainArithmetic(node.right as Node);
}
