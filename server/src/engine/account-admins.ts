/**
 * Who administers the account, from the role grants the snapshot read: users holding
 * ACCOUNTADMIN (granted to them, or through a custom role that was granted it), users holding
 * the other system administrator roles directly, and custom roles granted an administrator
 * role. CIS Snowflake Foundations 1.10-1.13 ask for few, named administrators and for
 * administrator roles that are never granted to custom roles.
 */
import type { AccountRoleGrant, AccountState } from './account-state';
import type { Severity } from './findings';
import { formatIdentifier } from './model/names';

export interface AdminFinding {
  readonly severity: Severity;
  readonly message: string;
}

/** System roles and the system roles they are granted to by default. */
const SYSTEM_HIERARCHY: Readonly<Record<string, readonly string[]>> = {
  ORGADMIN: [],
  ACCOUNTADMIN: [],
  SECURITYADMIN: ['ACCOUNTADMIN'],
  SYSADMIN: ['ACCOUNTADMIN'],
  USERADMIN: ['SECURITYADMIN'],
};

/** Administrator roles other than ACCOUNTADMIN whose direct holders are listed. */
const OTHER_ADMIN_ROLES = ['SECURITYADMIN', 'USERADMIN', 'SYSADMIN', 'ORGADMIN'];

/** More holders than this makes the ACCOUNTADMIN list a warning rather than information. */
const MANY_ACCOUNT_ADMINS = 3;

export function accountAdminFindings(state: AccountState): AdminFinding[] {
  const findings: AdminFinding[] = [];
  const userRoles = state.userRoles;
  if (!userRoles) {
    // A snapshot read before role grants were: only the direct ACCOUNTADMIN holders are known.
    const direct = unique(state.accountAdmins);
    if (direct.length > 0) findings.push(holdersFinding(direct, new Map()));

    return findings;
  }
  const roleGrants = state.roleGrants ?? [];
  const inheritors = rolesInheriting('ACCOUNTADMIN', roleGrants);
  const through = new Map<string, string>();
  for (const grant of userRoles) {
    if (
      grant.role !== 'ACCOUNTADMIN' &&
      inheritors.has(grant.role) &&
      !through.has(grant.grantee)
    ) {
      through.set(grant.grantee, grant.role);
    }
  }
  const direct = userRoles.filter((grant) => grant.role === 'ACCOUNTADMIN').map((g) => g.grantee);
  for (const user of direct) through.delete(user);
  const holders = unique([...direct, ...through.keys()]);
  if (holders.length > 0) findings.push(holdersFinding(holders, through));
  findings.push(...adminDefaultRoles(state, inheritors, userRoles));

  for (const role of OTHER_ADMIN_ROLES) {
    const users = unique(userRoles.filter((grant) => grant.role === role).map((g) => g.grantee));
    if (users.length === 0) continue;
    findings.push({
      severity: 'info',
      message:
        `${count(users.length)} ${role} directly: ${users.join(', ')}. Prefer granting ` +
        'administrator roles through reviewed functional roles.',
    });
  }

  for (const grant of roleGrants) {
    const admin = grant.role === 'ACCOUNTADMIN' || grant.role === 'SECURITYADMIN';
    const systemEdge = SYSTEM_HIERARCHY[grant.role]?.includes(grant.grantee) ?? false;
    if (!admin || systemEdge || grant.grantee in SYSTEM_HIERARCHY) continue;
    findings.push({
      severity: 'warning',
      message:
        `Role ${grant.grantee} is granted ${grant.role}, so whoever holds ${grant.grantee} ` +
        `administers the account; grant ${grant.role} to named users only.`,
    });
  }

  return findings;
}

/**
 * Users whose default role holds ACCOUNTADMIN through a custom role, so that every session
 * starts as an administrator. A literal ACCOUNTADMIN default is reported with the other user
 * checks; a default role the user was never granted does not take effect, so it is left out.
 */
function adminDefaultRoles(
  state: AccountState,
  inheritors: ReadonlySet<string>,
  userRoles: readonly AccountRoleGrant[],
): AdminFinding[] {
  const findings: AdminFinding[] = [];
  for (const user of state.users) {
    if (user.disabled || !user.defaultRole) continue;
    const role = formatIdentifier(user.defaultRole);
    if (role === 'ACCOUNTADMIN' || !inheritors.has(role)) continue;
    if (!userRoles.some((grant) => grant.grantee === user.name && grant.role === role)) continue;
    findings.push({
      severity: 'warning',
      message:
        `User ${user.name} has default role ${role}, which holds ACCOUNTADMIN, so every ` +
        'session starts as an account administrator; set a less privileged default role.',
    });
  }

  return findings;
}

/** "3 users hold ACCOUNTADMIN: ALICE, BOB, CAROL (through OPS_ADMIN)." */
function holdersFinding(holders: readonly string[], through: Map<string, string>): AdminFinding {
  const names = holders.map((user) =>
    through.has(user) ? `${user} (through ${through.get(user)})` : user,
  );

  return {
    severity: holders.length > MANY_ACCOUNT_ADMINS ? 'warning' : 'info',
    message: `${count(holders.length)} ACCOUNTADMIN: ${names.join(', ')}.`,
  };
}

/** Roles that hold `role`, directly or through other roles, the role itself included. */
function rolesInheriting(role: string, grants: readonly AccountRoleGrant[]): Set<string> {
  const found = new Set([role]);
  const queue = [role];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const grant of grants) {
      if (grant.role === next && !found.has(grant.grantee)) {
        found.add(grant.grantee);
        queue.push(grant.grantee);
      }
    }
  }

  return found;
}

function count(users: number): string {
  return `${users} ${users === 1 ? 'user holds' : 'users hold'}`;
}

function unique(names: readonly string[]): string[] {
  return [...new Set(names)].sort();
}
