import { defineLiveRule } from '../util/live-rule';

/**
 * Names a migration uses that neither the migrations nor the live account define. The workspace
 * reports them once an account state is set (`unresolvedReferences` in
 * server/src/engine/account-state.ts), since only then is "not defined" known.
 */
export default defineLiveRule({
  name: 'unresolved-reference',
  description:
    'snowgov check: policies, tags, roles, users, stages, integrations, warehouses, tables and ' +
    'columns that neither the migrations nor the live account define.',
  category: 'access-control',
  defaultSeverity: 'warning',
  live: 'statement',
});
