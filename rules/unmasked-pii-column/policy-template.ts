import type { PiiCategory } from '../../server/src/engine/model/classify';
import { formatIdentifier } from '../../server/src/engine/model/names';
import { policyType, typeFamily } from '../../server/src/engine/model/data-types';
import { roleCondition } from '../util/roles';

/**
 * What readers without the unmasking role see. Each expression returns the column's own type,
 * which Snowflake requires of a masking policy body.
 */
function maskedValue(category: PiiCategory, family: string | undefined): string {
  if (family === 'STRING') {
    // Keeping the domain leaves email useful for analytics while hiding the person.
    return category === 'email' ? "REGEXP_REPLACE(val, '^[^@]+', '*****')" : "'*****'";
  }
  if (family === 'DATE') return "DATE_TRUNC('YEAR', val)";

  return 'NULL';
}

export interface PolicyDraft {
  readonly name: string;
  readonly sql: string;
}

/**
 * A masking policy for a column type. Uses IS_ROLE_IN_SESSION, which honours the role
 * hierarchy and secondary roles, unlike CURRENT_ROLE.
 * https://docs.snowflake.com/en/sql-reference/functions/is_role_in_session
 */
export function draftPolicy(
  namespace: string,
  category: PiiCategory,
  dataType: string,
  readerRoles: readonly string[],
): PolicyDraft {
  const type = policyType(dataType);
  const objectName = formatIdentifier(
    `MASK_${category.toUpperCase()}_${type}`.replace(/[^A-Z0-9_]/g, '_'),
  );
  const name = namespace ? `${namespace}.${objectName}` : objectName;
  const roles = readerRoles.length > 0 ? readerRoles : ['PII_READER'];
  const condition = roleCondition(roles);
  const sql =
    `CREATE MASKING POLICY IF NOT EXISTS ${name} AS (val ${type}) RETURNS ${type} ->\n` +
    `  CASE WHEN ${condition} THEN val ELSE ${maskedValue(category, typeFamily(dataType))} END;\n\n`;

  return { name, sql };
}
