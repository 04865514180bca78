import { defineRule } from '../../server/src/engine/rules/define';

/**
 * The account's own hardening, judged by `snowgov check` from the account snapshot
 * (`accountPosture` in server/src/engine/account-state.ts); there is no statement to check.
 */
export default defineRule({
  name: 'account-posture',
  description:
    'snowgov check: account parameters, network policy, ACCOUNTADMIN holders and sign-in ' +
    'without MFA in the live account.',
  category: 'access-control',
  defaultSeverity: 'warning',
  messages: {},
  fix: { availability: 'never', safety: 'suggestion' },
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  defaultOptions: {},
  live: 'account',
  check() {},
});
