import { defineRule } from '../../server/src/engine/rules/define';

/**
 * Privileges the live account grants straight to users, judged by `snowgov check` from the
 * account snapshot (server/src/engine/account-state.ts); `grant-to-user` judges migrations.
 */
export default defineRule({
  name: 'account-user-grant',
  description: 'snowgov check: privileges the live account grants to users instead of roles.',
  category: 'access-control',
  defaultSeverity: 'warning',
  messages: {},
  fix: { availability: 'never', safety: 'suggestion' },
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  defaultOptions: {},
  live: 'account',
  check() {},
});
