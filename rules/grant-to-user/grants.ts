import { canonicalName } from '../../server/src/engine/model/names';
import { literalIdentifier } from '../util/names';
import type { AnalyzedFile } from '../../server/src/engine/rules/define';
import type { GrantObject, Statement } from '../../server/src/engine/syntax/ast';

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
 * Roles the workspace gives a user: its DEFAULT_ROLE and roles granted to it. Used to suggest a
 * role that already reaches the user.
 */
export function rolesHeldBy(user: string, files: readonly AnalyzedFile[]): string[] {
  const roles = new Set<string>();
  const visit = (statement: Statement): void => {
    if (
      statement.kind === 'grant-role' &&
      statement.action === 'GRANT' &&
      statement.roleType === 'ROLE' &&
      statement.grantee.type === 'USER' &&
      !statement.grantee.name.dynamic &&
      canonicalName(statement.grantee.name) === user
    ) {
      roles.add(canonicalName(statement.role));
    }
    if (
      (statement.kind === 'create-user' || statement.kind === 'alter-user') &&
      !statement.name.dynamic
    ) {
      const defaultRole = statement.properties.find((property) => property.key === 'DEFAULT_ROLE');
      if (canonicalName(statement.name) === user && defaultRole?.value) {
        roles.add(literalIdentifier(defaultRole.value));
      }
    }
    statement.nested?.forEach(visit);
  };
  for (const file of files) file.parsed.statements.forEach(visit);
  roles.delete('ACCOUNTADMIN');
  roles.delete('SECURITYADMIN');
  roles.delete('PUBLIC');

  return [...roles].sort();
}
