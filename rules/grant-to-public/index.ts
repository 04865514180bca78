import { defineRule } from '../../server/src/engine/rules/define';
import { sentenceCase, shownName } from '../util/names';
import { isAiPrivilege, isCortexRole } from '../util/cortex';
import { isNamed } from '../util/security';

interface Options {
  allowedPrivileges: string[];
}

export default defineRule<Options, 'privilegeToPublic' | 'roleToPublic'>({
  name: 'grant-to-public',
  description: 'Privileges and roles granted to PUBLIC, which every role and user inherits',
  category: 'access-control',
  defaultSeverity: 'warning',
  messages: {
    privilegeToPublic:
      '{{privileges}} on {{object}} is granted to PUBLIC, so every user and role in the account ' +
      'inherits it. Grant it to a role that only the intended users hold.',
    roleToPublic:
      '{{roleType}} {{role}} is granted to PUBLIC, so every user and role in the account ' +
      'inherits its privileges. Grant it to the roles that need it.',
  },
  fix: { availability: 'never', safety: 'unsafe' },
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      allowedPrivileges: {
        type: 'array',
        items: { type: 'string' },
        description:
          'Privileges PUBLIC may receive, as Snowflake spells them (for example USAGE); a grant ' +
          'is reported only when it gives another privilege.',
      },
    },
  },
  defaultOptions: { allowedPrivileges: [] },

  check(statement, context) {
    if (statement.kind === 'grant-privileges') {
      if (statement.action !== 'GRANT' || statement.grantee.type !== 'ROLE') return;
      if (!isNamed(statement.grantee.name, 'PUBLIC')) return;
      const allowed = new Set(context.options.allowedPrivileges.map((p) => p.toUpperCase()));
      // AI privileges are cortex-open-to-public's to report.
      const privileges = statement.privileges
        .map((privilege) => privilege.name)
        .filter((name) => !allowed.has(name) && !isAiPrivilege(name));
      if (privileges.length === 0) return;
      const { onSpan } = statement;
      context.report({
        messageId: 'privilegeToPublic',
        span: statement.grantee,
        data: {
          privileges: privileges.join(', '),
          object: context.file.text.slice(onSpan.start, onSpan.end).replace(/^ON\s+/i, ''),
        },
      });
    } else if (statement.kind === 'grant-role') {
      if (statement.action !== 'GRANT' || statement.grantee.type !== 'ROLE') return;
      if (!isNamed(statement.grantee.name, 'PUBLIC') || isCortexRole(statement.role)) return;
      const roleType = statement.roleType === 'ROLE' ? 'Role' : sentenceCase(statement.roleType);
      context.report({
        messageId: 'roleToPublic',
        span: statement.grantee,
        data: { roleType, role: shownName(statement.role) },
      });
    }
  },
});
