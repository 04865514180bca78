import { canonicalName } from '../../server/src/engine/model/names';
import { defineRule } from '../../server/src/engine/rules/define';
import type { Span } from '../../server/src/engine/source';
import type { Statement, UseStatement } from '../../server/src/engine/syntax/ast';
import { shownName } from '../util/names';
import { type Need, leastRole, needsOf } from './required-role';

const ADMIN = 'ACCOUNTADMIN';

type MessageId = 'useRole' | 'grantRole' | 'defaultRole' | 'ownership';

export default defineRule<Record<string, never>, MessageId>({
  name: 'accountadmin-use',
  description: 'Migrations that run as, hand out, or default to ACCOUNTADMIN',
  category: 'access-control',
  defaultSeverity: 'error',
  messages: {
    useRole:
      'This migration switches to ACCOUNTADMIN, but the statements that follow need {{advice}}. ' +
      'Run them with the least-privileged role so a mistake cannot touch the whole account.',
    grantRole:
      'ACCOUNTADMIN is granted to {{grantee}}. Keep ACCOUNTADMIN to a few named people, ' +
      'assigned outside migrations, and never grant it to a custom role (CIS 1.13).',
    defaultRole:
      'User {{user}} gets ACCOUNTADMIN as its default role, so every session starts with full ' +
      'control of the account (CIS 1.12). Default to an everyday working role.',
    ownership:
      'Ownership of {{object}} goes to ACCOUNTADMIN, so only ACCOUNTADMIN can manage it. Give ' +
      'ownership to SYSADMIN or a custom role granted to SYSADMIN.',
  },
  fix: { availability: 'sometimes', safety: 'unsafe' },
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  defaultOptions: {},

  check(statement, context) {
    switch (statement.kind) {
      case 'use': {
        if (statement.target !== 'ROLE' || !isAccountadmin(statement.name)) return;
        const siblings = context.parent?.nested ?? context.file.parsed.statements;
        const needs = needsInScope(statement, siblings, context.file.parsed.problems);
        // ACCOUNTADMIN may be needed, or the statements cannot all be read: no claim either way.
        if (needs.has('ACCOUNTADMIN') || needs.has('UNKNOWN')) return;
        const { advice, role } = leastRole(needs);
        const name = statement.name as NonNullable<UseStatement['name']>;
        context.report({
          messageId: 'useRole',
          span: name,
          data: { advice },
          fixes: role
            ? [{ title: `Use role ${role} instead`, edits: [{ span: name, newText: role }] }]
            : [],
        });
        break;
      }
      case 'grant-role':
        if (
          statement.action === 'GRANT' &&
          statement.roleType === 'ROLE' &&
          isAccountadmin(statement.role)
        ) {
          const grantee = `${statement.grantee.type.toLowerCase()} ${shownName(statement.grantee.name)}`;
          context.report({ messageId: 'grantRole', span: statement.role, data: { grantee } });
        }
        break;
      case 'create-user':
      case 'alter-user': {
        const property = statement.properties.find((p) => p.key === 'DEFAULT_ROLE');
        const value = property?.value;
        const isAdmin = value?.name
          ? isAccountadmin(value.name)
          : value?.value.toUpperCase() === ADMIN;
        if (property && isAdmin) {
          context.report({
            messageId: 'defaultRole',
            span: property,
            data: { user: shownName(statement.name) },
          });
        }
        break;
      }
      case 'grant-privileges':
        if (
          statement.action === 'GRANT' &&
          statement.privileges.some((privilege) => privilege.name === 'OWNERSHIP') &&
          statement.grantee.type === 'ROLE' &&
          isAccountadmin(statement.grantee.name)
        ) {
          context.report({
            messageId: 'ownership',
            span: statement.grantee,
            data: { object: context.file.text.slice(statement.onSpan.start, statement.onSpan.end) },
            fixes: [
              {
                title: 'Give ownership to SYSADMIN instead',
                edits: [{ span: statement.grantee, newText: 'ROLE SYSADMIN' }],
              },
            ],
          });
        }
        break;
      default:
        break;
    }
  },
});

function isAccountadmin(
  name: { dynamic?: boolean; parts: readonly unknown[] } | undefined,
): boolean {
  if (!name || name.dynamic) return false;

  return canonicalName(name as Parameters<typeof canonicalName>[0]) === ADMIN;
}

/**
 * Needs of the statements after `use` up to the next USE ROLE, in the same file or block. A
 * statement with a syntax problem counts as UNKNOWN.
 */
function needsInScope(
  use: Statement,
  siblings: readonly Statement[],
  problems: readonly Span[],
): Set<Need> {
  const needs = new Set<Need>();
  const index = siblings.indexOf(use);
  for (const statement of siblings.slice(index + 1)) {
    if (statement.kind === 'use' && statement.target === 'ROLE') break;
    if (
      problems.some((problem) => problem.start < statement.end && problem.end > statement.start)
    ) {
      needs.add('UNKNOWN');
    }
    for (const need of needsOf(statement)) needs.add(need);
  }

  return needs;
}
