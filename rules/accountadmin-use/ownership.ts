import type { AnalyzedFile, RuleContext } from '../../server/src/engine/rules/define';
import type { ObjectName, Statement } from '../../server/src/engine/syntax/ast';
import { sentenceCase, shownName } from '../util/names';
import { findStatementAt } from '../util/statement-edits';
import { needsOf } from './required-role';

export type OwnershipMessage = 'createdAsAdmin' | 'adminTask' | 'ownerRightsProcedure';

const ADMIN_ROLES = new Set(['ACCOUNTADMIN', 'SECURITYADMIN']);

/**
 * The role in effect owns what a statement creates. An object created as ACCOUNTADMIN can only
 * be managed with ACCOUNTADMIN; a task, or a procedure that runs with its owner's rights, owned
 * by ACCOUNTADMIN or SECURITYADMIN lends those powers to whoever can run it (CIS 1.14–1.17).
 */
export function checkOwnership(
  statement: Statement,
  context: RuleContext<Record<string, never>, OwnershipMessage>,
  switchIsReported: (use: Statement) => boolean,
): void {
  const role = context.session.role;
  if (!role || !ADMIN_ROLES.has(role)) return;
  const created = createdObject(statement);
  if (!created) return;
  const where = describeLocation(context.session.roleSetAt, context.files);

  if (statement.kind === 'script' && statement.container === 'TASK') {
    context.report({
      messageId: 'adminTask',
      span: created.name,
      data: { object: shownName(created.name), role, where },
    });
  } else if (
    statement.kind === 'script' &&
    statement.container === 'PROCEDURE' &&
    statement.executeAs !== 'CALLER' &&
    statement.executeAs !== 'RESTRICTED CALLER'
  ) {
    context.report({
      messageId: 'ownerRightsProcedure',
      span: created.name,
      data: { object: shownName(created.name), role, where },
    });
  } else if (
    role === 'ACCOUNTADMIN' &&
    !needsOf(statement, context.file.text).has('ACCOUNTADMIN') &&
    !coveredBySwitch(context, switchIsReported)
  ) {
    context.report({
      messageId: 'createdAsAdmin',
      span: created.name,
      data: {
        object: `${created.kind} ${shownName(created.name)}`,
        where,
        // Roles and users are USERADMIN's to create; everything else SYSADMIN's.
        creator:
          created.kind === 'Role' || created.kind === 'User'
            ? 'USERADMIN'
            : 'SYSADMIN or a custom role',
      },
    });
  }
}

/**
 * True when the USE ROLE ACCOUNTADMIN in effect is in this file and is itself reported: its
 * finding (and fix) already covers every object created after it.
 */
function coveredBySwitch(
  context: RuleContext<Record<string, never>, OwnershipMessage>,
  switchIsReported: (use: Statement) => boolean,
): boolean {
  const at = context.session.roleSetAt;
  if (!at || at.path !== context.file.path) return false;
  const use = findStatementAt(context.file.parsed.statements, at.span.start);

  return use !== undefined && switchIsReported(use);
}

/** What a CREATE statement makes, or undefined for anything else. */
function createdObject(statement: Statement): { kind: string; name: ObjectName } | undefined {
  switch (statement.kind) {
    case 'create-table':
      return { kind: 'Table', name: statement.name };
    case 'create-view':
      return { kind: 'View', name: statement.name };
    case 'create-policy':
      return { kind: `${sentenceCase(statement.policyType)} policy`, name: statement.name };
    case 'create-tag':
      return { kind: 'Tag', name: statement.name };
    case 'create-stage':
      return { kind: 'Stage', name: statement.name };
    case 'create-object':
      return { kind: sentenceCase(statement.objectType), name: statement.name };
    case 'script':
      return statement.name && ['PROCEDURE', 'TASK', 'FUNCTION'].includes(statement.container)
        ? { kind: sentenceCase(statement.container), name: statement.name }
        : undefined;
    default:
      return undefined;
  }
}

/** `USE ROLE at V1__setup.sql:3`, or a fallback when the session started that way. */
function describeLocation(
  at: { path: string; span: { start: number } } | undefined,
  files: readonly AnalyzedFile[],
): string {
  if (!at) return 'the session role';
  const file = files.find((candidate) => candidate.path === at.path);
  const line = file ? file.lines.positionAt(at.span.start).line + 1 : undefined;

  return `USE ROLE at ${at.path}${line ? `:${line}` : ''}`;
}
