import { defineRule } from '../../server/src/engine/rules/define';

/**
 * Personal data in the live account without a masking policy, judged by `snowgov check` from
 * the account snapshot (server/src/engine/account-state.ts); there is no statement to check.
 */
export default defineRule({
  name: 'account-unmasked-pii',
  description:
    'snowgov check: columns of the live account that hold personal data and have no masking ' +
    'policy.',
  category: 'data-protection',
  defaultSeverity: 'warning',
  messages: {},
  fix: { availability: 'never', safety: 'suggestion' },
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  defaultOptions: {},
  live: 'account',
  check() {},
});
