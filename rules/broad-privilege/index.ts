import { defineRule } from '../../server/src/engine/rules/define';
import type { Privilege } from '../../server/src/engine/syntax/ast';
import { shownName } from '../util/names';
import { isAiPrivilege } from '../util/cortex';
import { staticName } from '../util/security';

interface Options {
  adminRoles: string[];
  allowedAccountPrivileges: string[];
}

type MessageId = 'allPrivileges' | 'manageGrants' | 'applyPolicy' | 'accountPrivilege';

export default defineRule<Options, MessageId>({
  name: 'broad-privilege',
  description: 'ALL, MANAGE GRANTS, APPLY … POLICY and account privileges granted to working roles',
  category: 'access-control',
  defaultSeverity: 'warning',
  messages: {
    allPrivileges:
      '{{privilege}} on {{object}} is granted to {{grantee}}, including privileges it does not ' +
      'need (and any Snowflake adds later). Grant the privileges the role uses.',
    manageGrants:
      'MANAGE GRANTS is granted to {{grantee}}, so it can grant or revoke any privilege on any ' +
      'object in the account, itself included. Keep it to SECURITYADMIN.',
    applyPolicy:
      '{{privilege}} is granted to {{grantee}} on the whole account, so it can set or remove ' +
      'that kind of policy on every object. Keep it to a policy-admin role listed in adminRoles.',
    accountPrivilege:
      '{{privilege}} ON ACCOUNT is granted to {{grantee}}, an account-wide power for a working ' +
      'role. Grant it to an administrator role, or list it in allowedAccountPrivileges.',
  },
  fix: { availability: 'never', safety: 'unsafe' },
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      adminRoles: {
        type: 'array',
        items: { type: 'string' },
        description:
          'Administrator roles that may hold broad privileges; names compare as unquoted ' +
          'identifiers.',
      },
      allowedAccountPrivileges: {
        type: 'array',
        items: { type: 'string' },
        description:
          'Account privileges any role may receive, such as EXECUTE TASK for task owners.',
      },
    },
  },
  defaultOptions: {
    adminRoles: ['ACCOUNTADMIN', 'SECURITYADMIN', 'SYSADMIN', 'USERADMIN'],
    allowedAccountPrivileges: ['EXECUTE TASK', 'EXECUTE MANAGED TASK', 'EXECUTE ALERT'],
  },

  check(statement, context) {
    if (statement.kind !== 'grant-privileges' || statement.action !== 'GRANT') return;
    const { grantee, on, onSpan } = statement;
    if (grantee.type === 'SHARE' || grantee.type === 'APPLICATION') return;
    const name = staticName(grantee.name);
    const admins = new Set(context.options.adminRoles.map((role) => role.toUpperCase()));
    if (name && admins.has(name)) return;
    const allowed = new Set(
      context.options.allowedAccountPrivileges.map((privilege) => privilege.toUpperCase()),
    );
    const data = {
      grantee: `${grantee.type.toLowerCase()} ${shownName(grantee.name)}`,
      object: context.file.text.slice(onSpan.start, onSpan.end).replace(/^ON\s+/i, ''),
    };
    for (const privilege of statement.privileges) {
      const messageId = classify(privilege, on.type === 'account', allowed);
      if (messageId) {
        context.report({
          messageId,
          span: privilege,
          data: { ...data, privilege: privilege.name },
        });
      }
    }
  },
});

function classify(
  privilege: Privilege,
  onAccount: boolean,
  allowed: ReadonlySet<string>,
): MessageId | undefined {
  const name = privilege.name;
  if (name === 'ALL' || name === 'ALL PRIVILEGES') return 'allPrivileges';
  if (name === 'MANAGE GRANTS') return 'manageGrants';
  if (/^APPLY .*POLICY$/.test(name)) return 'applyPolicy';
  // USE AI FUNCTIONS is cortex-open-to-public's to judge.
  if (onAccount && !allowed.has(name) && !isAiPrivilege(name)) return 'accountPrivilege';

  return undefined;
}
