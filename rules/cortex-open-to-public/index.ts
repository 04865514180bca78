import { defineRule } from '../../server/src/engine/rules/define';
import type { AnalyzedFile } from '../../server/src/engine/rules/define';
import type { Statement } from '../../server/src/engine/syntax/ast';
import { isAiPrivilege, isCortexRole } from '../util/cortex';
import { shownName } from '../util/names';
import { isNamed, settedProperties, staticName, unsetKeys, upperValue } from '../util/security';

type MessageId = 'aiPrivilegeToPublic' | 'cortexRoleToPublic' | 'leftToPublic' | 'allModelsAllowed';

const ALLOWLIST = 'CORTEX_MODELS_ALLOWLIST';

export default defineRule<Record<string, never>, MessageId>({
  name: 'cortex-open-to-public',
  description:
    'Cortex AI access and models left to or granted to PUBLIC, and model allow-lists of every model',
  category: 'access-control',
  defaultSeverity: 'warning',
  messages: {
    aiPrivilegeToPublic:
      '{{privilege}} is granted to PUBLIC, so every user and role in the account can send data ' +
      'to Cortex AI functions. Grant it to a role that only the intended users hold.',
    cortexRoleToPublic:
      '{{role}} is granted to PUBLIC, so every user and role in the account can use Cortex AI ' +
      'functions or models. Grant it to a role that only the intended users hold.',
    leftToPublic:
      '{{role}} is granted to {{grantee}}, but PUBLIC holds it by default and no migration ' +
      'revokes it, so this grant restricts nothing. Revoke it from PUBLIC as ACCOUNTADMIN.',
    allModelsAllowed:
      '{{action}} CORTEX_MODELS_ALLOWLIST allows every Cortex model, including ones the ' +
      "organisation has not reviewed. List the approved models, or set it to 'None' and " +
      'grant model roles.',
  },
  fix: { availability: 'sometimes', safety: 'unsafe' },
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  defaultOptions: {},

  check(statement, context) {
    if (statement.kind === 'grant-privileges' && statement.action === 'GRANT') {
      if (statement.grantee.type !== 'ROLE' || statement.on.type !== 'account') return;
      const privileges = statement.privileges.filter((p) => isAiPrivilege(p.name));
      if (privileges.length === 0 || !isNamed(statement.grantee.name, 'PUBLIC')) return;
      context.report({
        messageId: 'aiPrivilegeToPublic',
        span: statement.grantee,
        data: { privilege: privileges.map((p) => p.name).join(', ') },
      });
    } else if (statement.kind === 'grant-role' && statement.action === 'GRANT') {
      if (statement.grantee.type !== 'ROLE' || !isCortexRole(statement.role)) return;
      const role = shownName(statement.role);
      if (isNamed(statement.grantee.name, 'PUBLIC')) {
        context.report({
          messageId: 'cortexRoleToPublic',
          span: statement.grantee,
          data: { role },
        });
      } else if (isDefaultForPublic(role) && !revokedFromPublic(role, context.files)) {
        context.report({
          messageId: 'leftToPublic',
          span: statement.role,
          data: { role, grantee: shownName(statement.grantee.name) },
        });
      }
    } else if (statement.kind === 'alter-object' && statement.objectType === 'ACCOUNT') {
      const allowlist = settedProperties(statement).find((p) => p.key.toUpperCase() === ALLOWLIST);
      if (allowlist?.value && upperValue(allowlist) === 'ALL') {
        context.report({
          messageId: 'allModelsAllowed',
          span: allowlist,
          data: { action: 'Setting' },
          fixes: [
            {
              title: 'Allow no models through the allow-list',
              edits: [{ span: allowlist.value, newText: "'None'" }],
            },
          ],
        });
      }
      const unset = unsetKeys(statement).find((entry) => entry.key.toUpperCase() === ALLOWLIST);
      if (unset) {
        context.report({
          messageId: 'allModelsAllowed',
          span: unset.span,
          data: { action: 'Unsetting' },
        });
      }
    }
  },
});

/**
 * PUBLIC holds these by default: CORTEX_USER (and USE AI FUNCTIONS) from the start, and
 * CORTEX-MODEL-ROLE-ALL through the SNOWFLAKE.PUBLIC application role.
 * https://docs.snowflake.com/en/user-guide/snowflake-cortex/aisql-privileges-and-access
 */
function isDefaultForPublic(role: string): boolean {
  return role === 'SNOWFLAKE.CORTEX_USER' || role === 'SNOWFLAKE."CORTEX-MODEL-ROLE-ALL"';
}

/**
 * True when some migration takes the role back from PUBLIC: a REVOKE for the database role, or
 * SNOWFLAKE.LOCAL.REVOKE_FROM_PUBLIC_APPLICATION_ROLE for the model role (a plain REVOKE does not
 * remove the bootstrap grant).
 */
function revokedFromPublic(role: string, files: readonly AnalyzedFile[]): boolean {
  const model = /CORTEX-MODEL-ROLE-ALL/.test(role);
  const revokes = (statement: Statement): boolean => {
    if (statement.nested?.some(revokes)) return true;
    if (statement.kind === 'grant-role' && statement.action === 'REVOKE') {
      return staticName(statement.role) === role && isNamed(statement.grantee.name, 'PUBLIC');
    }
    if (model && statement.kind === 'call') {
      return (
        staticName(statement.procedure) === 'SNOWFLAKE.LOCAL.REVOKE_FROM_PUBLIC_APPLICATION_ROLE' &&
        /CORTEX-MODEL-ROLE-ALL/i.test(statement.arguments?.text ?? '')
      );
    }

    return false;
  };

  return files.some((file) => file.parsed.statements.some(revokes));
}
