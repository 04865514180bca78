import { defineRule } from '../../server/src/engine/rules/define';
import type { Span } from '../../server/src/engine/source';
import type { Statement } from '../../server/src/engine/syntax/ast';
import { shownName } from '../util/names';
import { staticName } from '../util/security';

interface Options {
  allowedRoles: string[];
}

export default defineRule<Options, 'privilegeGrantOption' | 'roleGrantOption'>({
  name: 'grant-option',
  description: 'Grants WITH GRANT OPTION, which let the grantee pass access on',
  category: 'access-control',
  defaultSeverity: 'warning',
  messages: {
    privilegeGrantOption:
      '{{privileges}} is granted to {{grantee}} WITH GRANT OPTION, so that role can grant it to ' +
      'any other role without review. Grant without the option and keep granting central.',
    roleGrantOption:
      '{{role}} is granted to {{grantee}} WITH GRANT OPTION, so that role can hand {{role}} to ' +
      'any other role without review. Grant without the option.',
  },
  fix: { availability: 'always', safety: 'unsafe' },
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      allowedRoles: {
        type: 'array',
        items: { type: 'string' },
        description:
          'Roles that may receive grant options, such as a delegated administrator role; names ' +
          'compare as unquoted identifiers.',
      },
    },
  },
  defaultOptions: { allowedRoles: [] },

  check(statement, context) {
    if (statement.kind !== 'grant-privileges' && statement.kind !== 'grant-role') return;
    if (statement.action !== 'GRANT' || !statement.withGrantOption) return;
    // An owner can always grant, so the option adds nothing to an ownership transfer.
    if (statement.kind === 'grant-privileges' && isOwnershipOnly(statement.privileges)) return;
    const grantee = staticName(statement.grantee.name);
    if (grantee && context.options.allowedRoles.some((role) => role.toUpperCase() === grantee)) {
      return;
    }
    const clause = grantOptionClause(statement, context.file.text);
    if (!clause) return;
    const granteeText = `${statement.grantee.type.toLowerCase()} ${shownName(statement.grantee.name)}`;
    const fixes = [
      { title: 'Grant without WITH GRANT OPTION', edits: [{ span: clause.removal, newText: '' }] },
    ];
    if (statement.kind === 'grant-privileges') {
      context.report({
        messageId: 'privilegeGrantOption',
        span: clause.span,
        data: {
          privileges: statement.privileges.map((privilege) => privilege.name).join(', '),
          grantee: granteeText,
        },
        fixes,
      });
    } else {
      context.report({
        messageId: 'roleGrantOption',
        span: clause.span,
        data: { role: shownName(statement.role), grantee: granteeText },
        fixes,
      });
    }
  },
});

/** The `WITH GRANT OPTION` words after the grantee, and the span to delete with them. */
function grantOptionClause(
  statement: Statement,
  text: string,
): { span: Span; removal: Span } | undefined {
  if (statement.kind !== 'grant-privileges' && statement.kind !== 'grant-role') return undefined;
  const from = statement.grantee.end;
  const tail = text.slice(from, statement.end);
  const match = /(\s*)(WITH\s+GRANT\s+OPTION)\b/i.exec(tail);
  if (!match) return undefined;
  const start = from + match.index + match[1].length;
  const end = start + match[2].length;

  return { span: { start, end }, removal: { start: from + match.index, end } };
}

function isOwnershipOnly(privileges: readonly { name: string }[]): boolean {
  return privileges.every((privilege) => privilege.name === 'OWNERSHIP');
}
