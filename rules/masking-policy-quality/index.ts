import { failOpenReason } from '../../server/src/engine/model/policy-body';
import { type FixDraft, type RuleContext, defineRule } from '../../server/src/engine/rules/define';
import type { QueryBody } from '../../server/src/engine/syntax/ast';
import { sentenceCase, shownName } from '../util/names';
import { storedRoleName } from '../util/roles';
import { SYSTEM_ROLES, createdRoles } from '../util/security';

type MessageId = 'failsOpen' | 'currentRole' | 'unknownRole';

interface Options {
  unmaskedRoles: string[];
}

/** `CURRENT_ROLE() = 'X'` or `CURRENT_ROLE() IN ('X', 'Y')`, which the fix can rewrite. */
const CURRENT_ROLE_TEST =
  /CURRENT_ROLE\s*\(\s*\)\s*(?:=\s*('[^']*')|IN\s*\(\s*('[^']*'(?:\s*,\s*'[^']*')*)\s*\))/gi;
const CURRENT_ROLE_CALL = /\bCURRENT_ROLE\s*\(\s*\)/gi;
const ROLE_IN_SESSION = /\bIS_(?:DATABASE_)?ROLE_IN_SESSION\s*\(\s*'([^']*)'\s*\)/gi;

export default defineRule<Options, MessageId>({
  name: 'masking-policy-quality',
  description: 'Masking policies that fail open, ignore the role hierarchy, or name unknown roles',
  category: 'data-protection',
  defaultSeverity: 'error',
  messages: {
    failsOpen:
      'Masking policy {{policy}} does not mask: {{reason}}. Return the clear value only when a ' +
      'condition such as IS_ROLE_IN_SESSION grants it, and a masked value otherwise.',
    currentRole:
      '{{policy}} checks CURRENT_ROLE(), which ignores the role hierarchy and secondary roles: ' +
      'roles that inherit the reader role see masked values, and the check breaks when roles ' +
      'are reorganised. Use IS_ROLE_IN_SESSION.',
    unknownRole:
      '{{policy}} compares against role {{role}}, which the workspace never creates, so no one ' +
      'may ever pass the check, or a role created later passes it unreviewed. Check the name.',
  },
  fix: { availability: 'sometimes', safety: 'unsafe' },
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      unmaskedRoles: {
        type: 'array',
        items: { type: 'string' },
        description:
          'Roles declared to see clear values (default access.unmaskedRoles, [PII_READER]): ' +
          'policies may name them even when no migration creates them, since they are created ' +
          'elsewhere (for example by the identity provider).',
      },
    },
  },
  defaultOptions: { unmaskedRoles: ['PII_READER'] },

  check(statement, context) {
    if (statement.kind === 'create-policy') {
      if (statement.policyType !== 'MASKING' && statement.policyType !== 'ROW ACCESS') return;
      const policy = `${sentenceCase(statement.policyType)} policy ${shownName(statement.name)}`;
      const reason = statement.policyType === 'MASKING' ? failOpenReason(statement) : undefined;
      if (reason && statement.body) {
        context.report({
          messageId: 'failsOpen',
          span: statement.body,
          data: { policy: shownName(statement.name), reason },
        });
      }
      if (statement.body) checkBody(statement.body, policy, context);
    } else if (statement.kind === 'alter-policy') {
      if (statement.policyType !== 'MASKING' && statement.policyType !== 'ROW ACCESS') return;
      const policy = `${sentenceCase(statement.policyType)} policy ${shownName(statement.name)}`;
      if (statement.body) checkBody(statement.body, policy, context);
    }
  },
});

type Context = RuleContext<Options, MessageId>;

function checkBody(body: QueryBody, policy: string, context: Context): void {
  const code = withoutComments(body.text);
  const rewrites = new Map<number, FixDraft>();
  for (const match of code.matchAll(CURRENT_ROLE_TEST)) {
    const roles = (match[1] ?? match[2]).split(',').map((role) => role.trim());
    const tests = roles.map((role) => `IS_ROLE_IN_SESSION(${role})`);
    const newText = tests.length === 1 ? tests[0] : `(${tests.join(' OR ')})`;
    const start = body.start + (match.index ?? 0);
    rewrites.set(start, {
      title: 'Check the role with IS_ROLE_IN_SESSION',
      edits: [{ span: { start, end: start + match[0].length }, newText }],
    });
  }
  for (const match of code.matchAll(CURRENT_ROLE_CALL)) {
    const start = body.start + (match.index ?? 0);
    const fix = rewrites.get(start);
    context.report({
      messageId: 'currentRole',
      span: { start, end: start + match[0].length },
      data: { policy },
      severity: 'warning',
      fixes: fix ? [fix] : [],
    });
  }
  checkRoleNames(code, body, policy, context);
}

/**
 * Role names in IS_ROLE_IN_SESSION and CURRENT_ROLE comparisons that the workspace never
 * creates. Only judged when the workspace creates roles at all; otherwise roles live elsewhere.
 * The declared unmasking roles are known too: the user named them as the roles that see clear
 * values, and the policies unmasked-pii-column writes check exactly them.
 */
function checkRoleNames(code: string, body: QueryBody, policy: string, context: Context): void {
  const { roles, databaseRoles } = createdRoles(context.files);
  if (roles.size === 0) return;
  const declared = new Set(context.options.unmaskedRoles.map(storedRoleName).map(asCompared));
  const named: { role: string; offset: number }[] = [];
  for (const match of code.matchAll(ROLE_IN_SESSION)) {
    if (/DATABASE_ROLE/i.test(match[0])) continue;
    named.push({ role: match[1], offset: (match.index ?? 0) + match[0].indexOf(`'${match[1]}'`) });
  }
  for (const match of code.matchAll(CURRENT_ROLE_TEST)) {
    const list = match[1] ?? match[2];
    const listAt = (match.index ?? 0) + match[0].indexOf(list);
    for (const literal of list.matchAll(/'([^']*)'/g)) {
      named.push({ role: literal[1], offset: listAt + (literal.index ?? 0) });
    }
  }
  for (const { role, offset } of named) {
    const name = asCompared(role);
    if (roles.has(name) || SYSTEM_ROLES.has(name) || databaseRoles.has(name)) continue;
    if (declared.has(name)) continue;
    const start = body.start + offset;
    context.report({
      messageId: 'unknownRole',
      span: { start, end: start + role.length + 2 },
      data: { policy, role: name },
      severity: 'warning',
    });
  }
}

/** A role name from a string literal as the workspace's role keys spell it. */
function asCompared(role: string): string {
  // Role names in strings are compared as stored: unquoted names are upper case.
  return /^[A-Za-z_][A-Za-z0-9_$]*$/.test(role) ? role.toUpperCase() : `"${role}"`;
}

/** Comments blanked with spaces, so that offsets still match the body. */
function withoutComments(text: string): string {
  return text.replace(/--[^\n]*|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (comment) =>
    ' '.repeat(comment.length),
  );
}
