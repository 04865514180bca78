import { canonicalName } from '../../server/src/engine/model/names';
import { derivedFact } from '../../server/src/engine/reads';
import type { Literal, ObjectName, Property, Statement } from '../../server/src/engine/syntax/ast';

/** Snowflake's system roles, which no migration creates. */
export const SYSTEM_ROLES = new Set([
  'ACCOUNTADMIN',
  'SECURITYADMIN',
  'USERADMIN',
  'SYSADMIN',
  'ORGADMIN',
  'GLOBALORGADMIN',
  'PUBLIC',
]);

/** The canonical name, or undefined when it is known only at run time. */
export function staticName(name: ObjectName | undefined): string | undefined {
  if (!name || name.dynamic || name.parts.length === 0) return undefined;

  return canonicalName(name);
}

export function isNamed(name: ObjectName | undefined, expected: string): boolean {
  return staticName(name) === expected;
}

/** A property's single value, upper case, as Snowflake compares keywords and booleans. */
export function upperValue(property: Property | undefined): string | undefined {
  return property?.value?.value.toUpperCase();
}

/** Every value of a property: its list, or its single value. */
export function valuesOf(property: Property): readonly Literal[] {
  return property.list ?? (property.value ? [property.value] : []);
}

/**
 * Every property a statement sets: CREATE properties, and those of each `SET` of an ALTER.
 * ALTER USER repeats its SET properties in `properties`, so only those are taken.
 */
export function settedProperties(statement: Statement): readonly Property[] {
  switch (statement.kind) {
    case 'create-user':
    case 'alter-user':
    case 'create-policy':
    case 'create-object':
    case 'create-integration':
    case 'create-stage':
    case 'create-table':
      return statement.properties;
    case 'alter-object':
    case 'alter-policy':
      return statement.actions.flatMap((action) =>
        action.type === 'set' ? action.properties : [],
      );
    case 'alter-table':
      return statement.actions.flatMap((action) =>
        action.type === 'set-properties' ? action.properties : [],
      );
    default:
      return [];
  }
}

/** Keys an ALTER … UNSET resets, upper case. */
export function unsetKeys(statement: Statement): { key: string; span: NamePartSpan }[] {
  if (statement.kind !== 'alter-object' && statement.kind !== 'alter-user') return [];

  return statement.actions.flatMap((action) =>
    action.type === 'unset' ? action.keys.map((key) => ({ key: key.value, span: key })) : [],
  );
}

interface NamePartSpan {
  readonly start: number;
  readonly end: number;
}

interface CreatedRoles {
  readonly roles: ReadonlySet<string>;
  readonly databaseRoles: ReadonlySet<string>;
}

/**
 * Roles the workspace creates (`CREATE ROLE`, `CREATE DATABASE ROLE`), nested ones included.
 * Collected once per analysis (the file list is one array per analysis), because rules ask once
 * per statement and a scan each time grows with statements × workspace size. Read-only.
 */
export function createdRoles(
  files: readonly { parsed: { statements: readonly Statement[] } }[],
): CreatedRoles {
  return derivedFact('created-roles', 'files', files, collectCreatedRoles);
}

type ParsedStatements = { readonly statements: readonly Statement[] };

/**
 * Each parse's roles. An edit parses one file again, so the next analysis scans only that file
 * instead of every file of the repository.
 */
const rolesByParse = new WeakMap<ParsedStatements, CreatedRoles>();

function collectCreatedRoles(files: readonly { parsed: ParsedStatements }[]): CreatedRoles {
  const roles = new Set<string>();
  const databaseRoles = new Set<string>();
  for (const file of files) {
    const found = rolesOfParse(file.parsed);
    for (const role of found.roles) roles.add(role);
    for (const role of found.databaseRoles) databaseRoles.add(role);
  }

  return { roles, databaseRoles };
}

function rolesOfParse(parsed: ParsedStatements): CreatedRoles {
  let found = rolesByParse.get(parsed);
  if (found) return found;
  const roles = new Set<string>();
  const databaseRoles = new Set<string>();
  const visit = (statement: Statement): void => {
    if (statement.kind === 'create-object') {
      const name = staticName(statement.name);
      if (name && statement.objectType === 'ROLE') roles.add(name);
      if (name && statement.objectType === 'DATABASE ROLE') databaseRoles.add(name);
    }
    statement.nested?.forEach(visit);
  };
  parsed.statements.forEach(visit);
  found = { roles, databaseRoles };
  rolesByParse.set(parsed, found);

  return found;
}
