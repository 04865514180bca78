import type { AccountState } from '../../server/src/engine/account-state';

/**
 * An account state from the parts a case or a README example gives (as YAML or an object),
 * every other part empty, as a snapshot of an account that has none of them would be.
 */
export function accountStateOf(parts: Partial<AccountState> | null | undefined): AccountState {
  return {
    policies: [],
    tags: [],
    policyReferences: [],
    tagReferences: [],
    roles: [],
    users: [],
    stages: [],
    integrations: [],
    accountAdmins: [],
    parameters: {},
    columns: [],
    userGrants: [],
    warehouses: [],
    tables: [],
    ...(parts ?? {}),
  };
}
