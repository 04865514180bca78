import type { ObjectName } from '../../server/src/engine/syntax/ast';
import { staticName } from './security';

/**
 * Grants that open Cortex AI features, which cortex-open-to-public reports: the account privilege
 * `USE AI FUNCTIONS` (or one function), the SNOWFLAKE database roles CORTEX_USER and
 * AI_FUNCTIONS_USER, and the model application roles `SNOWFLAKE."CORTEX-MODEL-ROLE-…"`.
 * https://docs.snowflake.com/en/user-guide/snowflake-cortex/aisql-privileges-and-access
 */
export function isAiPrivilege(privilege: string): boolean {
  return /^USE AI FUNCTIONS?\b/.test(privilege);
}

export function isCortexRole(role: ObjectName): boolean {
  const name = staticName(role);
  if (!name) return false;

  return (
    name === 'SNOWFLAKE.CORTEX_USER' ||
    name === 'SNOWFLAKE.AI_FUNCTIONS_USER' ||
    /^SNOWFLAKE\."CORTEX-MODEL-ROLE-/.test(name)
  );
}
