import type { OutputColumn } from '../../server/src/engine/lineage/types';

/**
 * A configured role as IS_ROLE_IN_SESSION names it: the function takes the name with the case
 * Snowflake stores, so an unquoted name is upper-cased and a quoted one (`"Auditor"`) kept.
 * https://docs.snowflake.com/en/sql-reference/functions/is_role_in_session
 */
export function storedRoleName(configured: string): string {
  const quoted = /^"(.*)"$/s.exec(configured);

  return quoted ? quoted[1].replace(/""/g, '"') : configured.toUpperCase();
}

/** `IS_ROLE_IN_SESSION('A') OR IS_ROLE_IN_SESSION('B')` for configured roles. */
export function roleCondition(roles: readonly string[]): string {
  return roles
    .map((role) => `IS_ROLE_IN_SESSION('${storedRoleName(role).replace(/'/g, "''")}')`)
    .join(' OR ');
}

/**
 * True when a query output shows clear values only to sessions holding allowed roles: lineage
 * recognised it as a CASE on IS_ROLE_IN_SESSION (`clearFor`) naming no other role.
 */
export function showsClearOnlyTo(output: OutputColumn, allowedRoles: readonly string[]): boolean {
  if (!output.clearFor) return false;
  const allowed = new Set(allowedRoles.map(storedRoleName));

  return output.clearFor.every((role) => allowed.has(role));
}
