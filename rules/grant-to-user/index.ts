import { defineRule } from '../../server/src/engine/rules/define';
import type {
  GrantPrivilegesStatement,
  GrantRoleStatement,
} from '../../server/src/engine/syntax/ast';
import {
  canonicalName,
  formatIdentifier,
  isTemplatedKey,
} from '../../server/src/engine/model/names';
import type {
  AnalyzedFile,
  EditDraft,
  FixDraft,
  RuleContext,
} from '../../server/src/engine/rules/define';
import type { SessionState } from '../../server/src/engine/model/catalog';
import { sentenceCase, shownName } from '../util/names';
import { canAddStatementsBeside, findStatementAt, insertBefore } from '../util/statement-edits';
import { describeGrantObject, rolesHeldBy } from './grants';

interface Options {
  allowedUsers: string[];
  newRoleSuffix: string;
}

export default defineRule<Options, 'privilegeToUser' | 'roleToUser'>({
  name: 'grant-to-user',
  description: 'Privileges or roles granted straight to a user instead of through a role',
  category: 'access-control',
  defaultSeverity: 'error',
  messages: {
    privilegeToUser:
      '{{privileges}} on {{object}} is granted directly to user {{user}}. Grant it to a role ' +
      'and give people the role, so that access is reviewed and revoked in one place.',
    roleToUser:
      '{{roleType}} {{role}} is granted to user {{user}} in a migration. Assign roles to people ' +
      'through your identity provider (SCIM), or list the user in allowedUsers if it is a ' +
      'break-glass or service user.',
  },
  fix: { availability: 'sometimes', safety: 'unsafe' },
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      allowedUsers: {
        type: 'array',
        items: { type: 'string' },
        description:
          'Users that may receive roles in migrations (break-glass and service users). ' +
          'Privileges granted straight to them are still reported.',
      },
      newRoleSuffix: {
        type: 'string',
        description:
          'Suffix of the role the fix creates when the user holds no role in the workspace.',
      },
    },
  },
  defaultOptions: { allowedUsers: [], newRoleSuffix: '_ACCESS' },

  check(statement, context) {
    if (statement.kind === 'grant-privileges') {
      if (statement.action !== 'GRANT' || statement.grantee.type !== 'USER') return;
      context.report({
        messageId: 'privilegeToUser',
        span: statement.grantee,
        data: {
          privileges: statement.privileges.map((privilege) => privilege.name).join(', '),
          object: describeGrantObject(statement.on),
          user: shownName(statement.grantee.name),
        },
        fixes: grantToRoleFixes(statement, context),
      });
    } else if (statement.kind === 'grant-role') {
      if (statement.action !== 'GRANT' || statement.grantee.type !== 'USER') return;
      if (isAllowed(statement, context.options.allowedUsers)) return;
      context.report({
        messageId: 'roleToUser',
        span: statement.grantee,
        data: {
          roleType: statement.roleType === 'ROLE' ? 'Role' : sentenceCase(statement.roleType),
          role: shownName(statement.role),
          user: shownName(statement.grantee.name),
        },
      });
    }
  },
});

function isAllowed(statement: GrantRoleStatement, allowedUsers: readonly string[]): boolean {
  if (statement.grantee.name.dynamic) return false;
  const user = canonicalName(statement.grantee.name);

  return allowedUsers.some((allowed) => formatIdentifier(allowed.toUpperCase()) === user);
}

/**
 * Grants the privileges to a role the user already holds (known from the workspace), or else to
 * a new role created just before the grant. Either way the role must still reach the user, so
 * the fix changes who holds the privilege: it is unsafe. Where only one statement fits (a task
 * body, an `EXECUTE IMMEDIATE` string), creating the role first is not offered: the CREATE would
 * take the grant's place and the grant would run once, at deploy time.
 */
function grantToRoleFixes(
  statement: GrantPrivilegesStatement,
  context: RuleContext<Options, 'privilegeToUser' | 'roleToUser'>,
): FixDraft[] {
  const { catalog, file, options } = context;
  if (statement.grantee.name.dynamic) return [];
  const user = canonicalName(statement.grantee.name);
  const held = rolesHeldBy(user, catalog);
  if (held.length > 0) {
    return held.slice(0, 3).map((role) => ({
      title: `Grant to role ${role} (held by ${user}) instead`,
      edits: [{ span: statement.grantee, newText: `ROLE ${role}` }],
    }));
  }
  // A role named after `${user}` or `{{ user }}` would change the template's variable when
  // upper-cased, and a name made up at deploy time is no role a reviewer can check.
  if (isTemplatedKey(user) || !canAddStatementsBeside(statement, file)) return [];
  const role = formatIdentifier(`${user.replace(/"/g, '')}${options.newRoleSuffix}`.toUpperCase());

  // The rule flags `GRANT ROLE … TO USER`, so the fix cannot hand the role over; the title says
  // who must, since until then the user loses the access.
  const title =
    `Grant to a new role ${role} instead ` +
    `(grant the role to ${user} through your identity provider)`;

  return [
    {
      title,
      edits: [
        roleCreation(statement, role, context.session, file),
        { span: statement.grantee, newText: `ROLE ${role}` },
      ],
    },
  ];
}

/** System roles that hold CREATE ROLE on the account by default, besides ACCOUNTADMIN. */
const ROLE_CREATORS = new Set(['USERADMIN', 'SECURITYADMIN']);

/**
 * The CREATE ROLE of the fix. Only USERADMIN and the roles above it may create roles, so:
 * - under USERADMIN or SECURITYADMIN, or a role the migration does not set, it goes just
 *   before the grant;
 * - under a `USE ROLE ACCOUNTADMIN` of this file it goes, as USERADMIN, just above that USE
 *   ROLE, which then sets the session back; created under it, ACCOUNTADMIN would own the role;
 * - under any other role (SYSADMIN, a custom role), which may not create roles, it is wrapped
 *   in `USE ROLE USERADMIN` and a switch back to that role, at the top level before the
 *   statement holding the grant, since a block's body cannot always switch roles.
 */
function roleCreation(
  grant: GrantPrivilegesStatement,
  role: string,
  session: SessionState,
  file: AnalyzedFile,
): EditDraft {
  const create = `CREATE ROLE IF NOT EXISTS ${role};\n`;
  const current = session.role;
  if (current === undefined || ROLE_CREATORS.has(current)) {
    return insertBefore(grant, create, file.text);
  }
  const at = session.roleSetAt;
  const use =
    at?.path === file.path ? findStatementAt(file.parsed.statements, at.span.start) : undefined;
  const outermost =
    file.parsed.statements.find((top) => top.start <= grant.start && grant.end <= top.end) ?? grant;
  if (current === 'ACCOUNTADMIN' && use && canAddStatementsBeside(use, file)) {
    return insertBefore(use, `USE ROLE USERADMIN;\n${create}`, file.text);
  }
  // A role set inside the block holding the grant leaves the role before that block unknown.
  if (use && outermost.start <= use.start && use.start < outermost.end && outermost !== grant) {
    return insertBefore(grant, create, file.text);
  }

  return insertBefore(outermost, `USE ROLE USERADMIN;\n${create}USE ROLE ${current};\n`, file.text);
}
