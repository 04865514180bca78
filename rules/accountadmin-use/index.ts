import { canonicalName } from '../../server/src/engine/model/names';
import { type AnalyzedFile, defineRule } from '../../server/src/engine/rules/define';
import type { Statement, UseStatement } from '../../server/src/engine/syntax/ast';
import { shownName } from '../util/names';
import { type OwnershipMessage, checkOwnership } from './ownership';
import { type Need, leastRole, needsInScope, siblingsOf } from './required-role';

const ADMIN = 'ACCOUNTADMIN';

type MessageId = 'useRole' | 'grantRole' | 'defaultRole' | 'ownership' | OwnershipMessage;

export default defineRule<Record<string, never>, MessageId>({
  name: 'accountadmin-use',
  description: 'Migrations that run as, hand out, or default to ACCOUNTADMIN',
  category: 'access-control',
  defaultSeverity: 'error',
  messages: {
    useRole:
      'This migration switches to ACCOUNTADMIN, but the statements that follow need {{advice}}. ' +
      'Run them with the least-privileged role so a mistake cannot touch the whole account.',
    grantRole: 'ACCOUNTADMIN is granted to {{grantee}}. {{advice}} (CIS 1.13).',
    defaultRole:
      'User {{user}} gets ACCOUNTADMIN as its default role, so every session starts with full ' +
      'control of the account (CIS 1.12). Default to an everyday working role.',
    ownership:
      'Ownership of {{object}} goes to ACCOUNTADMIN, so only ACCOUNTADMIN can manage it. Give ' +
      'ownership to SYSADMIN or a custom role granted to SYSADMIN.',
    createdAsAdmin:
      '{{object}} is created while ACCOUNTADMIN is in effect ({{where}}), so ACCOUNTADMIN owns ' +
      'it and only ACCOUNTADMIN can manage it. Create it as {{creator}}.',
    adminTask:
      'Task {{object}} is created as {{role}} ({{where}}), so it is owned by {{role}} and runs ' +
      'with its privileges on every schedule (CIS 1.14, 1.15). Create it as a task-owner role.',
    ownerRightsProcedure:
      "Procedure {{object}} is created as {{role}} ({{where}}) and runs with its owner's " +
      'rights, so anyone allowed to call it acts as {{role}} (CIS 1.16, 1.17). Use EXECUTE AS ' +
      'CALLER or create it as a less privileged role.',
  },
  fix: { availability: 'sometimes', safety: 'unsafe' },
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  defaultOptions: {},

  check(statement, context) {
    checkOwnership(statement, context, (use) => reportableSwitch(use, context.file) !== undefined);
    switch (statement.kind) {
      case 'use': {
        const needs = reportableSwitch(statement, context.file);
        if (!needs) return;
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
          // A role that holds ACCOUNTADMIN hands it to everyone granted that role, unseen.
          const advice =
            statement.grantee.type === 'USER'
              ? 'Keep ACCOUNTADMIN to a few named people, assigned outside migrations'
              : 'Never grant ACCOUNTADMIN to a custom role: everyone granted that role gets it';
          context.report({
            messageId: 'grantRole',
            span: statement.role,
            data: { grantee, advice },
          });
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
 * The needs of what follows a `USE ROLE ACCOUNTADMIN`, when the switch is worth reporting:
 * undefined when it is not such a switch, when ACCOUNTADMIN may really be needed, or when the
 * statements cannot all be read (no claim either way).
 */
function reportableSwitch(use: Statement, file: AnalyzedFile): Set<Need> | undefined {
  if (use.kind !== 'use' || use.target !== 'ROLE' || !isAccountadmin(use.name)) return undefined;
  const siblings = siblingsOf(use, file.parsed.statements) ?? [];
  const needs = needsInScope(use, siblings, file.parsed.problems, file.text);

  return needs.has('ACCOUNTADMIN') || needs.has('UNKNOWN') ? undefined : needs;
}
