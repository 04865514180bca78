import { defineLiveRule } from '../util/live-rule';

/**
 * The account's own hardening, judged by `snowgov check` from the account snapshot
 * (`accountPosture` in server/src/engine/account-state.ts); there is no statement to check.
 */
export default defineLiveRule({
  name: 'account-posture',
  description:
    'snowgov check: account parameters, network policy, ACCOUNTADMIN holders and sign-in ' +
    'without MFA in the live account.',
  category: 'access-control',
  defaultSeverity: 'warning',
  live: 'account',
});
