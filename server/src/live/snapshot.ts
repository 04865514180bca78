/**
 * Reads an account snapshot: attached policies (a tag's masking policy counted on the columns
 * the tag reaches, see tag-masking.ts) and tags, defined policies, tags, roles, users,
 * stages, integrations, role grants to users and to roles, account parameters, warehouses,
 * tables, columns and privileges granted straight to users. Every statement is a SELECT or SHOW
 * (see read-only.ts), and deleted objects and revoked grants are left out by the query. Column
 * names follow the ACCOUNT_USAGE reference (GRANTS_TO_USERS: ROLE, GRANTEE_NAME, DELETED_ON;
 * GRANTS_TO_ROLES: PRIVILEGE, GRANTED_ON, NAME, GRANTEE_NAME, DELETED_ON; TABLES: TABLE_CATALOG,
 * TABLE_SCHEMA, TABLE_NAME, DELETED). ACCOUNT_USAGE views lag by up to two hours
 * (https://docs.snowflake.com/en/sql-reference/account-usage#data-latency).
 */
import type { AccountPart, AccountState, AccountUser } from '../engine/account-state';
import { formatIdentifier } from '../engine/model/names';
import { LiveError, type LiveSession, type Row } from './session';
import { type TypedColumn, policyReferencesWithTags, signatureType } from './tag-masking';

const USAGE = 'SNOWFLAKE.ACCOUNT_USAGE';

/** The statements snowgov sends, in order; tests assert that nothing else arrives. */
export const SNAPSHOT_QUERIES = {
  policyReferences:
    'SELECT POLICY_DB, POLICY_SCHEMA, POLICY_NAME, POLICY_KIND, REF_DATABASE_NAME, ' +
    'REF_SCHEMA_NAME, REF_ENTITY_NAME, REF_ENTITY_DOMAIN, REF_COLUMN_NAME ' +
    `FROM ${USAGE}.POLICY_REFERENCES`,
  tagReferences:
    'SELECT TAG_DATABASE, TAG_SCHEMA, TAG_NAME, TAG_VALUE, OBJECT_DATABASE, OBJECT_SCHEMA, ' +
    `OBJECT_NAME, DOMAIN, COLUMN_NAME FROM ${USAGE}.TAG_REFERENCES WHERE OBJECT_DELETED IS NULL`,
  policies:
    'SELECT POLICY_CATALOG, POLICY_SCHEMA, POLICY_NAME, POLICY_SIGNATURE ' +
    `FROM ${USAGE}.MASKING_POLICIES WHERE DELETED IS NULL`,
  tags: `SELECT TAG_DATABASE, TAG_SCHEMA, TAG_NAME FROM ${USAGE}.TAGS WHERE DELETED IS NULL`,
  users:
    'SELECT NAME, DEFAULT_ROLE, HAS_PASSWORD, HAS_MFA, DISABLED ' +
    `FROM ${USAGE}.USERS WHERE DELETED_ON IS NULL`,
  accountAdmins:
    `SELECT GRANTEE_NAME FROM ${USAGE}.GRANTS_TO_USERS ` +
    "WHERE ROLE = 'ACCOUNTADMIN' AND DELETED_ON IS NULL",
  userRoles: `SELECT ROLE, GRANTEE_NAME FROM ${USAGE}.GRANTS_TO_USERS WHERE DELETED_ON IS NULL`,
  roleGrants:
    `SELECT NAME, GRANTEE_NAME FROM ${USAGE}.GRANTS_TO_ROLES ` +
    "WHERE GRANTED_ON = 'ROLE' AND PRIVILEGE = 'USAGE' AND DELETED_ON IS NULL",
  stages:
    'SELECT STAGE_CATALOG, STAGE_SCHEMA, STAGE_NAME ' +
    `FROM ${USAGE}.STAGES WHERE DELETED IS NULL`,
  roles: 'SHOW ROLES',
  integrations: 'SHOW INTEGRATIONS',
  parameters: 'SHOW PARAMETERS IN ACCOUNT',
  columns:
    'SELECT TABLE_CATALOG, TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, DATA_TYPE ' +
    `FROM ${USAGE}.COLUMNS WHERE DELETED IS NULL`,
  userGrants:
    'SELECT PRIVILEGE, GRANTED_ON, TABLE_CATALOG, TABLE_SCHEMA, NAME, GRANTEE_NAME ' +
    `FROM ${USAGE}.GRANTS_TO_ROLES WHERE GRANTED_TO = 'USER' AND DELETED_ON IS NULL`,
  tables:
    'SELECT TABLE_CATALOG, TABLE_SCHEMA, TABLE_NAME ' +
    `FROM ${USAGE}.TABLES WHERE DELETED IS NULL`,
  // SHOW WAREHOUSES lists only warehouses the role may use; every warehouse has an owner, so
  // its OWNERSHIP grant names it in GRANTS_TO_ROLES even when the role cannot see it.
  warehouses: 'SHOW WAREHOUSES',
  warehouseGrants:
    `SELECT DISTINCT NAME FROM ${USAGE}.GRANTS_TO_ROLES ` +
    "WHERE GRANTED_ON = 'WAREHOUSE' AND DELETED_ON IS NULL",
} as const;

type Part = keyof typeof SNAPSHOT_QUERIES;

/**
 * The same statements without the columns that only refine the answer (the domain of a policy
 * reference, data types), sent only when the view answers that such a column does not exist
 * (000904): an emulator or a view shaped by hand may lack them, and the rest is still worth
 * reading. Snowflake's own views have them all.
 */
export const SNAPSHOT_FALLBACK_QUERIES: Readonly<Partial<Record<Part, string>>> = {
  policyReferences: SNAPSHOT_QUERIES.policyReferences.replace(' REF_ENTITY_DOMAIN,', ''),
  policies: SNAPSHOT_QUERIES.policies.replace(', POLICY_SIGNATURE', ''),
  columns: SNAPSHOT_QUERIES.columns.replace(', DATA_TYPE', ''),
};

/** Snowflake's "invalid identifier": a column the view does not have. */
const INVALID_IDENTIFIER = '000904';

/**
 * The statements each kind of name depends on: a kind is unread when one of `all` failed, or
 * when every one of `any` failed.
 */
const SOURCES: Readonly<Record<AccountPart, { all?: Part[]; any?: Part[] }>> = {
  policy: { all: ['policies', 'policyReferences'] },
  tag: { all: ['tags', 'tagReferences'] },
  role: { all: ['roles'] },
  user: { all: ['users'] },
  stage: { all: ['stages'] },
  integration: { all: ['integrations'] },
  warehouse: { all: ['warehouseGrants'] },
  table: { any: ['tables', 'columns'] },
  column: { all: ['columns'] },
};

export interface Snapshot {
  readonly state: AccountState;
  /** Parts that could not be read (missing privilege, unknown view), one line each. */
  readonly gaps: readonly string[];
}

/**
 * Reads every part it can. A part the role may not read becomes a gap, so that the rest still
 * counts; a deadline or a lost connection ends the read.
 */
export async function readSnapshot(session: LiveSession, account?: string): Promise<Snapshot> {
  const gaps: string[] = [];
  const unreadable = new Set<string>();
  const failed = new Set<Part>();
  const read = async (part: Part, sql: string = SNAPSHOT_QUERIES[part]): Promise<Row[]> => {
    try {
      return await session.query(sql);
    } catch (error) {
      const fallback = SNAPSHOT_FALLBACK_QUERIES[part];
      if (error instanceof LiveError && error.code === INVALID_IDENTIFIER && fallback !== sql) {
        if (fallback) return read(part, fallback);
      }
      if (error instanceof LiveError && error.reason === 'query') {
        const source = sourceOf(sql);
        if (!unreadable.has(source)) gaps.push(gapMessage(source, error));
        unreadable.add(source);
        failed.add(part);

        return [];
      }
      throw error;
    }
  };

  const policyRows = await read('policyReferences');
  const tagRows = await read('tagReferences');
  const policyDefinitions = await read('policies');
  const policies = policyDefinitions.map((row) =>
    key(row, 'POLICY_CATALOG', 'POLICY_SCHEMA', 'POLICY_NAME'),
  );
  const signatures = new Map<string, string>();
  for (const row of policyDefinitions) {
    const type = signatureType(text(row, 'POLICY_SIGNATURE'));
    if (type) signatures.set(key(row, 'POLICY_CATALOG', 'POLICY_SCHEMA', 'POLICY_NAME'), type);
  }
  const tags = (await read('tags')).map((row) =>
    key(row, 'TAG_DATABASE', 'TAG_SCHEMA', 'TAG_NAME'),
  );
  const users = (await read('users')).map((row): AccountUser => ({
    name: identifier(text(row, 'NAME')),
    defaultRole: text(row, 'DEFAULT_ROLE') || undefined,
    hasPassword: flag(row, 'HAS_PASSWORD'),
    hasMfa: flag(row, 'HAS_MFA'),
    disabled: flag(row, 'DISABLED'),
  }));
  const accountAdmins = (await read('accountAdmins')).map((row) =>
    identifier(text(row, 'GRANTEE_NAME')),
  );
  const userRoles = (await read('userRoles')).map((row) => ({
    role: identifier(text(row, 'ROLE')),
    grantee: identifier(text(row, 'GRANTEE_NAME')),
  }));
  const roleGrants = (await read('roleGrants')).map((row) => ({
    role: identifier(text(row, 'NAME')),
    grantee: identifier(text(row, 'GRANTEE_NAME')),
  }));
  const stages = (await read('stages')).map((row) =>
    key(row, 'STAGE_CATALOG', 'STAGE_SCHEMA', 'STAGE_NAME'),
  );
  const roles = (await read('roles')).map((row) => identifier(text(row, 'name')));
  const integrations = (await read('integrations')).map((row) => identifier(text(row, 'name')));
  const parameters: Record<string, string> = {};
  for (const row of await read('parameters')) {
    parameters[text(row, 'key').toUpperCase()] = text(row, 'value');
  }
  const typedColumns = (await read('columns')).map((row): TypedColumn => ({
    table: key(row, 'TABLE_CATALOG', 'TABLE_SCHEMA', 'TABLE_NAME'),
    column: identifier(text(row, 'COLUMN_NAME')),
    dataType: text(row, 'DATA_TYPE') || undefined,
  }));
  const columns = typedColumns.map(({ table, column }) => ({ table, column }));
  const userGrants = (await read('userGrants')).map((row) => ({
    user: identifier(text(row, 'GRANTEE_NAME')),
    privilege: text(row, 'PRIVILEGE').toUpperCase(),
    grantedOn: text(row, 'GRANTED_ON').toUpperCase(),
    object: key(row, 'TABLE_CATALOG', 'TABLE_SCHEMA', 'NAME'),
  }));
  const tables = (await read('tables')).map((row) =>
    key(row, 'TABLE_CATALOG', 'TABLE_SCHEMA', 'TABLE_NAME'),
  );
  const warehouses = [
    ...(await read('warehouses')).map((row) => identifier(text(row, 'name'))),
    ...(await read('warehouseGrants')).map((row) => identifier(text(row, 'NAME'))),
  ];
  const unread = (Object.keys(SOURCES) as AccountPart[]).filter((part) => {
    const { all = [], any = [] } = SOURCES[part];

    return all.some((p) => failed.has(p)) || (any.length > 0 && any.every((p) => failed.has(p)));
  });

  const tagReferences = tagRows.map((row) => ({
    tag: key(row, 'TAG_DATABASE', 'TAG_SCHEMA', 'TAG_NAME'),
    value: text(row, 'TAG_VALUE') || undefined,
    domain: text(row, 'DOMAIN').toUpperCase(),
    object: key(row, 'OBJECT_DATABASE', 'OBJECT_SCHEMA', 'OBJECT_NAME'),
    column: text(row, 'COLUMN_NAME') ? identifier(text(row, 'COLUMN_NAME')) : undefined,
  }));
  const allTags = unique([...tags, ...tagReferences.map((reference) => reference.tag)]);
  const policyReferences = policyReferencesWithTags({
    policyRows: policyRows.map((row) => ({
      policy: key(row, 'POLICY_DB', 'POLICY_SCHEMA', 'POLICY_NAME'),
      kind: text(row, 'POLICY_KIND').toUpperCase().replace(/ /g, '_'),
      domain: text(row, 'REF_ENTITY_DOMAIN').toUpperCase().replace(/_/g, ' '),
      table: key(row, 'REF_DATABASE_NAME', 'REF_SCHEMA_NAME', 'REF_ENTITY_NAME'),
      column: text(row, 'REF_COLUMN_NAME') ? identifier(text(row, 'REF_COLUMN_NAME')) : undefined,
    })),
    tagReferences,
    columns: typedColumns,
    signatures,
    tags: new Set(allTags),
  });

  const state: AccountState = {
    account,
    policies: unique([
      ...policies,
      ...policyRows.map((row) => key(row, 'POLICY_DB', 'POLICY_SCHEMA', 'POLICY_NAME')),
    ]),
    tags: allTags,
    policyReferences,
    tagReferences,
    roles,
    users,
    stages,
    integrations,
    accountAdmins: unique([
      ...accountAdmins,
      ...userRoles.filter((grant) => grant.role === 'ACCOUNTADMIN').map((grant) => grant.grantee),
    ]),
    parameters,
    columns,
    userGrants,
    // Without the role grants, the ACCOUNTADMIN holders above are all that is known.
    userRoles: failed.has('userRoles') ? undefined : userRoles,
    roleGrants,
    warehouses: unique(warehouses),
    tables: unique(tables),
    unread,
  };

  return { state, gaps };
}

/** The view a SELECT reads, or the SHOW statement itself. */
function sourceOf(sql: string): string {
  return /\bFROM\s+([\w$.]+)/i.exec(sql)?.[1] ?? sql;
}

/**
 * One line naming the Snowflake view (or SHOW statement) and what to grant, never snowgov's own
 * names for the parts. 002003 is "does not exist or not authorized": the role cannot see it.
 */
function gapMessage(source: string, error: LiveError): string {
  const code = error.code ? ` (${error.code})` : '';
  if (error.code === '002003' && source.startsWith(`${USAGE}.`)) {
    return (
      `${source}${code}: the connection's role may not read it. Grant the role ` +
      'IMPORTED PRIVILEGES ON DATABASE SNOWFLAKE, or the SNOWFLAKE database role that covers ' +
      'this view (OBJECT_VIEWER, GOVERNANCE_VIEWER or SECURITY_VIEWER).'
    );
  }
  const reason = error.message.replace(/^Connection '[^']*' failed( \(\w+\))?: /, '');

  return `${source}${code}: ${reason}`;
}

/** A column by name, whatever its case: SELECT columns come upper case, SHOW columns lower. */
function text(row: Row, column: string): string {
  const value = row[column] ?? row[column.toLowerCase()] ?? row[column.toUpperCase()];

  return value === null || value === undefined ? '' : String(value);
}

function flag(row: Row, column: string): boolean | undefined {
  const value = text(row, column).toUpperCase();
  if (value === '') return undefined;

  return value === 'TRUE' || value === '1';
}

/** A name as the account stores it (resolved case), as a canonical key part. */
function identifier(value: string): string {
  return formatIdentifier(value);
}

function key(row: Row, ...columns: string[]): string {
  return columns
    .map((column) => text(row, column))
    .filter((part) => part !== '')
    .map(identifier)
    .join('.');
}

function unique(keys: readonly string[]): string[] {
  return [...new Set(keys.filter((k) => k !== ''))].sort();
}
