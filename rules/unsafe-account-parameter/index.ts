import { defineRule } from '../../server/src/engine/rules/define';
import type { Property } from '../../server/src/engine/syntax/ast';
import { unsetKeys, upperValue } from '../util/security';

/**
 * Parameters whose safe value is TRUE, with what turning them off opens.
 * https://docs.snowflake.com/en/sql-reference/parameters
 */
const SAFE_WHEN_TRUE: Readonly<Record<string, string>> = {
  PREVENT_UNLOAD_TO_INLINE_URL: 'COPY INTO can unload data to any cloud URL written in the query',
  PREVENT_UNLOAD_TO_INTERNAL_STAGES:
    'data can be unloaded to internal stages and downloaded from there with GET',
  REQUIRE_STORAGE_INTEGRATION_FOR_STAGE_CREATION:
    'external stages can be created with inline credentials, outside any integration',
  REQUIRE_STORAGE_INTEGRATION_FOR_STAGE_OPERATION:
    'loads and unloads can use external locations that no integration governs',
  PREVENT_LOAD_FROM_INLINE_URL: 'COPY INTO can load from any cloud URL written in the query',
  OAUTH_ADD_PRIVILEGED_ROLES_TO_BLOCKED_LIST:
    'OAuth tokens can carry ACCOUNTADMIN, SECURITYADMIN and ORGADMIN',
  EXTERNAL_OAUTH_ADD_PRIVILEGED_ROLES_TO_BLOCKED_LIST:
    'external OAuth tokens can carry ACCOUNTADMIN, SECURITYADMIN and ORGADMIN',
  PERIODIC_DATA_REKEYING: 'data encrypted with retired keys is never re-encrypted (CIS 4.1)',
};

/** Parameters whose default is FALSE, so UNSET turns them off as well. */
const OFF_BY_DEFAULT = new Set([
  'PREVENT_UNLOAD_TO_INLINE_URL',
  'PREVENT_UNLOAD_TO_INTERNAL_STAGES',
  'REQUIRE_STORAGE_INTEGRATION_FOR_STAGE_CREATION',
  'REQUIRE_STORAGE_INTEGRATION_FOR_STAGE_OPERATION',
  'PREVENT_LOAD_FROM_INLINE_URL',
  'PERIODIC_DATA_REKEYING',
]);

export default defineRule<Record<string, never>, 'turnedOff' | 'unset' | 'smallKey'>({
  name: 'unsafe-account-parameter',
  description: 'Account and user parameters set so that data can leave the account',
  category: 'exfiltration',
  defaultSeverity: 'error',
  messages: {
    turnedOff: '{{parameter}} is set to FALSE on the {{level}}, so {{effect}}. Set it to TRUE.',
    unset: 'UNSET {{parameter}} returns it to its default, FALSE, so {{effect}}. Set it to TRUE.',
    smallKey:
      'CLIENT_ENCRYPTION_KEY_SIZE is set to {{size}}; client-side encryption of stage files ' +
      'should use 256-bit keys (CIS 4.2).',
  },
  fix: { availability: 'sometimes', safety: 'unsafe' },
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  defaultOptions: {},

  check(statement, context) {
    let level: string;
    let properties: readonly Property[];
    if (statement.kind === 'alter-object' && statement.objectType === 'ACCOUNT') {
      level = 'account';
      properties = statement.actions.flatMap((a) => (a.type === 'set' ? a.properties : []));
    } else if (statement.kind === 'create-user' || statement.kind === 'alter-user') {
      level = 'user';
      properties = statement.properties;
    } else {
      return;
    }
    for (const property of properties) {
      const effect = SAFE_WHEN_TRUE[property.key];
      const value = upperValue(property);
      if (effect && property.value && value === 'FALSE') {
        const quoted = property.value.kind === 'string';
        context.report({
          messageId: 'turnedOff',
          span: property,
          data: { parameter: property.key, level, effect },
          fixes: [
            {
              title: `Set ${property.key} to TRUE`,
              edits: [{ span: property.value, newText: quoted ? "'TRUE'" : 'TRUE' }],
            },
          ],
        });
      }
      if (property.key === 'CLIENT_ENCRYPTION_KEY_SIZE' && value === '128') {
        context.report({ messageId: 'smallKey', span: property, data: { size: value } });
      }
    }
    if (level !== 'account') return;
    for (const { key, span } of unsetKeys(statement)) {
      if (OFF_BY_DEFAULT.has(key)) {
        context.report({
          messageId: 'unset',
          span,
          data: { parameter: key, effect: SAFE_WHEN_TRUE[key] },
        });
      }
    }
  },
});
