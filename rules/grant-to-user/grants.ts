import { canonicalName } from '../../server/src/engine/model/names';
import type { Catalog } from '../../server/src/engine/model/catalog';
import type { GrantObject } from '../../server/src/engine/syntax/ast';

/** `TABLE DB.S.T`, `the account`, `future TABLES in SCHEMA DB.S`. */
export function describeGrantObject(on: GrantObject): string {
  switch (on.type) {
    case 'account':
      return 'the account';
    case 'object':
      return `${on.objectType ? `${on.objectType} ` : ''}${canonicalName(on.name)}`;
    case 'all':
    case 'future':
      return `${on.type} ${on.objectType} in ${on.container} ${canonicalName(on.containerName)}`;
  }
}

/**
 * Roles the workspace gives a user, least powerful first, without the administrative roles
 * and PUBLIC: used to suggest a role that already reaches the user.
 */
export function rolesHeldBy(user: string, catalog: Catalog): string[] {
  const administrative = new Set(['ACCOUNTADMIN', 'SECURITYADMIN', 'PUBLIC']);

  return catalog.rolesHeldBy(user).filter((role) => !administrative.has(role));
}
