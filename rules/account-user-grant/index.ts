import { defineLiveRule } from '../util/live-rule';

/**
 * Privileges the live account grants straight to users, judged by `snowgov check` from the
 * account snapshot (server/src/engine/account-state.ts); `grant-to-user` judges migrations.
 */
export default defineLiveRule({
  name: 'account-user-grant',
  description: 'snowgov check: privileges the live account grants to users instead of roles.',
  category: 'access-control',
  defaultSeverity: 'warning',
  live: 'account',
});
