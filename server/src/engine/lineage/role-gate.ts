import { type AstNode, asList, isNode } from './canonical';

/**
 * The roles for which a select item shows clear values, when the item is a role-gated CASE:
 *
 *   CASE WHEN IS_ROLE_IN_SESSION('PII_READER') THEN dob ELSE NULL END
 *
 * Every branch whose result carries a column value must be guarded by IS_ROLE_IN_SESSION with a
 * literal role name (or an OR / AND of such calls); every other branch, the ELSE included, must
 * yield a value built from constants alone, with a condition that reads no column, since a
 * condition on the value (`WHEN dob < '1970-01-01' THEN 'old'`) leaks it too. Anything else gives
 * undefined: the value is not recognised as masked.
 *
 * IS_ROLE_IN_SESSION compares the literal with the stored role name, case included, and gives
 * NULL (so the ELSE branch) in a consumer account of a share
 * (https://docs.snowflake.com/en/sql-reference/functions/is_role_in_session).
 *
 * `readsColumns` answers whether an expression reads any column.
 */
export function clearOnlyFor(
  expr: AstNode,
  readsColumns: (node: unknown) => boolean,
): string[] | undefined {
  if (expr.type !== 'case' || expr.expr != null) return undefined;
  const roles = new Set<string>();
  for (const branch of asList(expr.args)) {
    if (!isNode(branch)) return undefined;
    const carriesValue = readsColumns(branch.result);
    if (branch.type === 'else') {
      if (carriesValue) return undefined;
      continue;
    }
    if (branch.type !== 'when') return undefined;
    const gate = gateRoles(branch.cond);
    if (gate) {
      if (carriesValue) for (const role of gate) roles.add(role);
    } else if (carriesValue || readsColumns(branch.cond)) {
      return undefined;
    }
  }

  return [...roles];
}

/** The roles named by `IS_ROLE_IN_SESSION('R')`, or by an OR or AND of such calls. */
function gateRoles(cond: unknown): string[] | undefined {
  if (!isNode(cond)) return undefined;
  if (cond.type === 'binary_expr' && (cond.operator === 'OR' || cond.operator === 'AND')) {
    const left = gateRoles(cond.left);
    const right = gateRoles(cond.right);

    // Both sides of an AND must hold, so either side's roles would do; naming all of them is
    // the cautious answer, since a rule then accepts the gate only if every one is allowed.
    return left && right ? [...left, ...right] : undefined;
  }
  if (cond.type !== 'function' || functionName(cond) !== 'IS_ROLE_IN_SESSION') return undefined;
  const args = isNode(cond.args) ? asList(cond.args.value) : [];
  const [role] = args;
  if (args.length !== 1 || !isNode(role) || role.type !== 'single_quote_string') return undefined;

  return typeof role.value === 'string' ? [literalValue(role.value)] : undefined;
}

/**
 * node-sql-parser gives a string literal's value without its quotes; a reader that keeps them
 * (`'PII_READER'`) gives the same role once they and their doubled inner quotes are undone.
 */
function literalValue(value: string): string {
  return value.length >= 2 && value.startsWith("'") && value.endsWith("'")
    ? value.slice(1, -1).replace(/''/g, "'")
    : value;
}

function functionName(call: AstNode): string | undefined {
  const parts = isNode(call.name) ? asList(call.name.name) : [];
  if (parts.length !== 1) return undefined;
  const [part] = parts;

  return isNode(part) && typeof part.value === 'string' ? part.value.toUpperCase() : undefined;
}
