import { defineLiveRule } from '../util/live-rule';

/**
 * Personal data in the live account without a masking policy, judged by `snowgov check` from
 * the account snapshot (server/src/engine/account-state.ts); there is no statement to check.
 */
export default defineLiveRule({
  name: 'account-unmasked-pii',
  description:
    'snowgov check: columns of the live account that hold personal data and have no masking ' +
    'policy.',
  category: 'data-protection',
  defaultSeverity: 'warning',
  live: 'account',
});
