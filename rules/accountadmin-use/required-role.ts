import type { Span } from '../../server/src/engine/source';
import { canonicalName } from '../../server/src/engine/model/names';
import type { Statement } from '../../server/src/engine/syntax/ast';

/**
 * What a statement needs from the session's role, in system-role terms. `APPLY` stands for the
 * account-level APPLY … POLICY / APPLY TAG privileges, which only ACCOUNTADMIN holds by default
 * but which a custom policy-admin role should hold instead. `UNKNOWN` marks a statement whose
 * needs cannot be read from the SQL, such as a CALL, whose procedure may do anything.
 * Sources: https://docs.snowflake.com/en/user-guide/security-access-control-overview
 */
export type Need =
  | 'USERADMIN'
  | 'SECURITYADMIN'
  | 'SYSADMIN'
  | 'APPLY POLICY'
  | 'APPLY TAG'
  | 'ACCOUNTADMIN'
  | 'UNKNOWN';

const USER_AND_ROLE_OBJECTS = new Set(['USER', 'ROLE']);
const ACCOUNTADMIN_OBJECTS = new Set([
  'SHARE',
  'ACCOUNT',
  'REPLICATION GROUP',
  'FAILOVER GROUP',
  'ORGANIZATION PROFILE',
  'RESOURCE MONITOR',
  'MANAGED ACCOUNT',
  'CONNECTION',
]);
const SECURITYADMIN_OBJECTS = new Set(['NETWORK POLICY']);

/** The needs of one statement and its nested statements. */
/**
 * Statement text that needs ACCOUNTADMIN whatever the object: creating a database from a share
 * (IMPORT SHARE) and replication or failover settings.
 * https://docs.snowflake.com/en/sql-reference/sql/create-database
 */
const ACCOUNTADMIN_CLAUSES =
  /\bFROM\s+SHARE\b|\b(?:ENABLE|DISABLE)\s+(?:REPLICATION|FAILOVER)\b|\bAS\s+REPLICA\s+OF\b/i;

export function needsOf(statement: Statement, text?: string): Set<Need> {
  const needs = new Set<Need>();
  const add = (need: Need | undefined): void => {
    if (need) needs.add(need);
  };
  switch (statement.kind) {
    case 'create-user':
    case 'alter-user':
      add('USERADMIN');
      break;
    case 'grant-privileges':
      add(touchesSnowflakeDatabase(statement) ? 'ACCOUNTADMIN' : 'SECURITYADMIN');
      break;
    case 'grant-role': {
      const role = statement.role.dynamic ? '' : canonicalName(statement.role);
      add(
        role === 'ACCOUNTADMIN' || role.startsWith('SNOWFLAKE.') ? 'ACCOUNTADMIN' : 'SECURITYADMIN',
      );
      break;
    }
    case 'create-object':
      add(needOfObject(statement.objectType));
      break;
    case 'alter-object':
      add(needOfAlter(statement));
      break;
    case 'drop':
      add(needOfObject(statement.objectType));
      break;
    case 'create-integration':
      add('ACCOUNTADMIN');
      break;
    case 'create-table':
    case 'create-view':
      add('SYSADMIN');
      if (statement.columns.some((column) => column.maskingPolicy) || statement.rowAccessPolicy) {
        add('APPLY POLICY');
      }
      if (statement.tags.length > 0 || statement.columns.some((column) => column.tags.length > 0)) {
        add('APPLY TAG');
      }
      break;
    case 'alter-table':
      add('SYSADMIN');
      for (const action of statement.actions) add(applyNeedOf(action));
      break;
    case 'alter-tag':
      add(
        statement.setMaskingPolicies.length + statement.unsetMaskingPolicies.length > 0
          ? 'APPLY POLICY'
          : 'SYSADMIN',
      );
      break;
    case 'create-policy':
    case 'alter-policy':
      add(statement.policyType === 'NETWORK' ? 'SECURITYADMIN' : 'SYSADMIN');
      break;
    case 'call':
      add('UNKNOWN');
      break;
    case 'create-tag':
    case 'create-stage':
    case 'copy-into':
    case 'insert':
    case 'select':
      add('SYSADMIN');
      break;
    case 'file-transfer':
      add('SYSADMIN');
      break;
    case 'other':
      add(needOfOther(statement.words));
      break;
    case 'script':
      // EXECUTE IMMEDIATE of a variable or of SQL it cannot read: no claim about its needs.
      if (
        statement.container === 'EXECUTE IMMEDIATE' &&
        (statement.dynamic || !statement.nested?.length)
      ) {
        add('UNKNOWN');
      }
      break;
    case 'use':
    case 'let':
    case 'return':
    case 'show':
    case 'describe':
    case 'client-command':
      break;
  }
  const isDatabase =
    (statement.kind === 'create-object' || statement.kind === 'alter-object') &&
    statement.objectType === 'DATABASE';
  if (isDatabase && text && ACCOUNTADMIN_CLAUSES.test(text.slice(statement.start, statement.end))) {
    needs.add('ACCOUNTADMIN');
  }
  for (const nested of statement.nested ?? []) {
    for (const need of needsOf(nested, text)) needs.add(need);
  }

  return needs;
}

/** Which APPLY privilege an ALTER TABLE action needs, if any. */
function applyNeedOf(action: { type: string; action?: { type: string } }): Need | undefined {
  const type = action.type === 'alter-column' ? action.action?.type : action.type;
  if (type === 'set-tags' || type === 'unset-tags') return 'APPLY TAG';
  const policyActions = [
    'set-masking-policy',
    'unset-masking-policy',
    'add-row-access-policy',
    'drop-row-access-policy',
    'set-policy',
    'unset-policy',
  ];

  return policyActions.includes(type ?? '') ? 'APPLY POLICY' : undefined;
}

/** ALTER of an object without a node of its own, with the same needs as before it had one. */
function needOfAlter(statement: Extract<Statement, { kind: 'alter-object' }>): Need | undefined {
  const type = statement.objectType;
  if (type === 'SESSION') return undefined;
  if (type === 'ACCOUNT') {
    // SECURITYADMIN may attach the account's network policy; every other parameter is
    // ACCOUNTADMIN's.
    const onlyNetworkPolicy = statement.actions.every(
      (action) =>
        (action.type === 'set' &&
          action.properties.every((property) => property.key === 'NETWORK_POLICY')) ||
        (action.type === 'unset' && action.keys.every((key) => key.value === 'NETWORK_POLICY')),
    );

    return onlyNetworkPolicy ? 'SECURITYADMIN' : 'ACCOUNTADMIN';
  }
  if (type.startsWith('NETWORK ')) return 'SECURITYADMIN';
  if (type === 'ROLE') return 'USERADMIN';

  return 'SYSADMIN';
}

function needOfObject(objectType: string): Need {
  if (USER_AND_ROLE_OBJECTS.has(objectType)) return 'USERADMIN';
  if (SECURITYADMIN_OBJECTS.has(objectType)) return 'SECURITYADMIN';
  if (ACCOUNTADMIN_OBJECTS.has(objectType) || objectType.endsWith('INTEGRATION'))
    return 'ACCOUNTADMIN';

  return 'SYSADMIN';
}

/**
 * Statements the parser leaves untyped: ALTER and CALL have nodes of their own, so what is left
 * is data changes, UNDROP, and EXECUTE TASK, whose task may do anything.
 */
function needOfOther(words: readonly string[]): Need | undefined {
  const [verb] = words;
  if (verb === 'EXECUTE') return 'UNKNOWN';

  return verb !== undefined && DATA_VERBS.has(verb) ? 'SYSADMIN' : undefined;
}

const DATA_VERBS = new Set(['MERGE', 'UPDATE', 'DELETE', 'TRUNCATE', 'UNDROP']);

function touchesSnowflakeDatabase(
  statement: Extract<Statement, { kind: 'grant-privileges' }>,
): boolean {
  const on = statement.on;
  const name =
    on.type === 'object' ? on.name : on.type === 'account' ? undefined : on.containerName;

  return name !== undefined && !name.dynamic && name.parts[0]?.value === 'SNOWFLAKE';
}

/** The least-privileged way to run statements with these needs, in words, and one role if any. */
export function leastRole(needs: ReadonlySet<Need>): { advice: string; role?: string } {
  const roles: string[] = [];
  if (needs.has('SECURITYADMIN')) roles.push('SECURITYADMIN');
  else if (needs.has('USERADMIN')) roles.push('USERADMIN');
  if (needs.has('SYSADMIN')) roles.push('SYSADMIN');
  const privileges = [
    ...(needs.has('APPLY POLICY') ? ['APPLY MASKING POLICY (or APPLY ROW ACCESS POLICY)'] : []),
    ...(needs.has('APPLY TAG') ? ['APPLY TAG'] : []),
  ];
  const apply =
    privileges.length > 0 ? `a policy-admin role granted ${privileges.join(' and ')}` : '';

  if (roles.length === 0 && !apply) return { advice: 'no administrative role at all' };
  if (roles.length === 1 && !apply) return { advice: `only ${roles[0]}`, role: roles[0] };
  const parts = apply ? [...roles, apply] : roles;

  return { advice: `${parts.join(' and ')}, each for its own statements` };
}

/** The list of statements (top level, or a block's) that holds `target`. */
export function siblingsOf(
  target: Statement,
  statements: readonly Statement[],
): readonly Statement[] | undefined {
  if (statements.includes(target)) return statements;
  for (const statement of statements) {
    const found = statement.nested ? siblingsOf(target, statement.nested) : undefined;
    if (found) return found;
  }

  return undefined;
}

/**
 * Needs of the statements after `use` up to the next USE ROLE, in the same file or block. A
 * statement with a syntax problem counts as UNKNOWN; `extra` lets a rule add needs of its own.
 */
export function needsInScope(
  use: Statement,
  siblings: readonly Statement[],
  problems: readonly Span[],
  text: string,
  extra?: (statement: Statement) => Need | undefined,
): Set<Need> {
  const needs = new Set<Need>();
  for (const statement of siblings.slice(siblings.indexOf(use) + 1)) {
    if (statement.kind === 'use' && statement.target === 'ROLE') break;
    const unreadable = problems.some(
      (problem) => problem.start < statement.end && problem.end > statement.start,
    );
    if (unreadable) needs.add('UNKNOWN');
    const own = extra?.(statement);
    if (own) needs.add(own);
    for (const need of needsOf(statement, text)) needs.add(need);
  }

  return needs;
}
