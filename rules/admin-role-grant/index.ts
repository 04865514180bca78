import { type AnalyzedFile, defineRule } from '../../server/src/engine/rules/define';
import type { Statement, UseStatement } from '../../server/src/engine/syntax/ast';
import { type Need, leastRole, needsInScope, siblingsOf } from '../accountadmin-use/required-role';
import { shownName } from '../util/names';
import { SYSTEM_ROLES, isNamed, staticName } from '../util/security';

type MessageId = 'adminToCustomRole' | 'securityadminOveruse';

const PLAIN = new Set(['set', 'unset', 'rename']);

export default defineRule<Record<string, never>, MessageId>({
  name: 'admin-role-grant',
  description: 'SECURITYADMIN granted to custom roles, or used where a smaller role suffices',
  category: 'access-control',
  defaultSeverity: 'error',
  messages: {
    adminToCustomRole:
      'SECURITYADMIN is granted to custom role {{grantee}}, so everyone who holds {{grantee}} ' +
      'can grant any privilege in the account (CIS 1.13). Grant the specific privileges instead.',
    securityadminOveruse:
      'This migration switches to SECURITYADMIN, but the statements that follow need {{advice}}. ' +
      'Use the smaller role, so a mistake cannot change grants across the account.',
  },
  fix: { availability: 'sometimes', safety: 'unsafe' },
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  defaultOptions: {},

  check(statement, context) {
    if (statement.kind === 'grant-role') {
      if (statement.action !== 'GRANT' || statement.roleType !== 'ROLE') return;
      // ACCOUNTADMIN grants are reported by accountadmin-use.
      if (!isNamed(statement.role, 'SECURITYADMIN')) return;
      const { grantee } = statement;
      const name = staticName(grantee.name);
      if (grantee.type !== 'ROLE' || !name || SYSTEM_ROLES.has(name)) return;
      context.report({
        messageId: 'adminToCustomRole',
        span: statement.role,
        data: { grantee: shownName(grantee.name) },
      });
    } else if (statement.kind === 'use' && statement.target === 'ROLE') {
      if (!isNamed(statement.name, 'SECURITYADMIN')) return;
      const siblings = siblingsOf(statement, context.file.parsed.statements) ?? [];
      const needs = needsAfter(statement, siblings, context.file);
      if (
        needs.size === 0 ||
        ['SECURITYADMIN', 'ACCOUNTADMIN', 'UNKNOWN'].some((n) => needs.has(n as Need))
      ) {
        return;
      }
      if (needs.has('APPLY POLICY') || needs.has('APPLY TAG')) return;
      const { advice, role } = leastRole(needs);
      const name = statement.name as NonNullable<UseStatement['name']>;
      context.report({
        messageId: 'securityadminOveruse',
        span: name,
        data: { advice },
        fixes: role
          ? [{ title: `Use role ${role} instead`, edits: [{ span: name, newText: role }] }]
          : [],
      });
    }
  },
});

/**
 * Needs of what follows the switch. Attaching policies or tokens to users needs more than
 * USERADMIN, so such an ALTER USER makes no claim either way.
 */
function needsAfter(use: Statement, siblings: readonly Statement[], file: AnalyzedFile): Set<Need> {
  return needsInScope(use, siblings, file.parsed.problems, file.text, (statement) =>
    statement.kind === 'alter-user' && statement.actions.some((a) => !PLAIN.has(a.type))
      ? 'UNKNOWN'
      : undefined,
  );
}
