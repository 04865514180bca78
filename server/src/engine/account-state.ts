/**
 * What a live account adds to judging migrations, as plain data. The snapshot is read
 * elsewhere (server/src/live/); this module is pure: it overlays the snapshot on the catalog and
 * turns it into findings.
 */
import { accountAdminFindings } from './account-admins';
import {
  type ObjectUse,
  indexAccount,
  isDefined,
  objectUses,
  workspaceObjects,
} from './account-objects';
import type { Finding, Severity } from './findings';
import type { Catalog, ColumnModel, ExternalTableModel, TableColumns } from './model/catalog';
import { type Classifier, defaultClassifier, withArticle } from './model/classify';
import { canonicalName, isTemplatedKey, keyEndsWith, qualifiedKey } from './model/names';
import type { AnalyzedFile } from './rules/define';
import type { ObjectName, Statement } from './syntax/ast';

export const UNRESOLVED_REFERENCE_RULE = 'unresolved-reference';
export const ACCOUNT_POSTURE_RULE = 'account-posture';
export const ACCOUNT_UNMASKED_PII_RULE = 'account-unmasked-pii';
export const ACCOUNT_USER_GRANT_RULE = 'account-user-grant';

/** A policy attached in the account (a POLICY_REFERENCES row). Keys are canonical. */
export interface AccountPolicyReference {
  readonly policy: string;
  /** `MASKING_POLICY`, `ROW_ACCESS_POLICY`, `PROJECTION_POLICY`, … */
  readonly kind: string;
  /** `DB.SCHEMA.TABLE`. */
  readonly table: string;
  readonly column?: string;
}

/** A tag set in the account (a TAG_REFERENCES row). */
export interface AccountTagReference {
  readonly tag: string;
  readonly value?: string;
  /** `TABLE`, `COLUMN`, `SCHEMA`, … */
  readonly domain: string;
  /** `DB.SCHEMA.TABLE` for tables and columns. */
  readonly object: string;
  readonly column?: string;
}

export interface AccountUser {
  readonly name: string;
  readonly defaultRole?: string;
  readonly hasPassword?: boolean;
  readonly hasMfa?: boolean;
  readonly disabled?: boolean;
}

/** A column of a table in the account (an ACCOUNT_USAGE.COLUMNS row). */
export interface AccountColumn {
  /** `DB.SCHEMA.TABLE`. */
  readonly table: string;
  readonly column: string;
}

/** A privilege granted straight to a user rather than to a role (GRANTS_TO_ROLES, GRANTED_TO = 'USER'). */
export interface AccountUserGrant {
  readonly user: string;
  readonly privilege: string;
  /** `TABLE`, `SCHEMA`, `WAREHOUSE`, … */
  readonly grantedOn: string;
  readonly object: string;
}

/** A role granted to a user (GRANTS_TO_USERS) or to a role (GRANTS_TO_ROLES on ROLE). */
export interface AccountRoleGrant {
  readonly role: string;
  /** The user or role that holds `role` through the grant. */
  readonly grantee: string;
}

/** Kinds of names the account snapshot answers for; an unread one is never called missing. */
export type AccountPart =
  'policy' | 'tag' | 'role' | 'user' | 'stage' | 'integration' | 'warehouse' | 'table' | 'column';

/**
 * The account as snowgov read it: names are canonical keys, parameter names upper case. The
 * optional parts came later; a snapshot without them is judged without them.
 */
export interface AccountState {
  readonly account?: string;
  readonly policies: readonly string[];
  readonly tags: readonly string[];
  readonly policyReferences: readonly AccountPolicyReference[];
  readonly tagReferences: readonly AccountTagReference[];
  readonly roles: readonly string[];
  readonly users: readonly AccountUser[];
  readonly stages: readonly string[];
  readonly integrations: readonly string[];
  /** Users holding ACCOUNTADMIN, directly. */
  readonly accountAdmins: readonly string[];
  readonly parameters: Readonly<Record<string, string>>;
  readonly columns: readonly AccountColumn[];
  readonly userGrants: readonly AccountUserGrant[];
  /** Roles granted to users, deleted grants left out. */
  readonly userRoles?: readonly AccountRoleGrant[];
  /** Roles granted to roles: `grantee` inherits `role`. */
  readonly roleGrants?: readonly AccountRoleGrant[];
  readonly warehouses?: readonly string[];
  /** `DB.SCHEMA.TABLE` of tables and views. */
  readonly tables?: readonly string[];
  /** Parts that could not be read (a view the role may not see). */
  readonly unread?: readonly AccountPart[];
}

/** A finding about the account itself, with no place in a migration. */
export interface AccountFinding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly message: string;
}

/** Roles every account has; migrations use them without creating them. */
const SYSTEM_ROLES = new Set([
  'ACCOUNTADMIN',
  'SECURITYADMIN',
  'USERADMIN',
  'SYSADMIN',
  'ORGADMIN',
  'PUBLIC',
]);

/** Account parameters that should be TRUE, and why. */
const HARDENING_PARAMETERS: Readonly<Record<string, string>> = {
  PREVENT_UNLOAD_TO_INLINE_URL: 'COPY INTO can unload data to any URL written in the statement',
  REQUIRE_STORAGE_INTEGRATION_FOR_STAGE_CREATION:
    'stages can be created with inline credentials instead of a storage integration',
  REQUIRE_STORAGE_INTEGRATION_FOR_STAGE_OPERATION:
    'stages without a storage integration can be loaded from and unloaded to',
};

/**
 * Marks columns that the account already masks or tags, so that rules judge them as such. A
 * masking policy or tag the migrations set themselves wins; the account only fills gaps.
 */
export function applyAccountState(catalog: Catalog, state: AccountState): void {
  attachFromAccount(state, (table) => catalog.findTable(table));
}

/**
 * Gives the catalog, before the first migration runs, the account's tables that its snapshot
 * describes: the columns it lists (so that `SELECT *` over such a table expands and lineage
 * reaches its columns) with the masking policies and tags the account attaches to them. A
 * linted file that creates a table of the same name defines it instead (`Catalog.findTable`
 * comes first), and `applyAccountState` fills gaps there after the migrations.
 */
export function seedAccountTables(catalog: Catalog, state: AccountState): void {
  const tableOf = (key: string): ExternalTableModel => {
    const known = catalog.externalTables.get(key);
    if (known) return known;
    const table: ExternalTableModel = {
      key,
      kind: 'external',
      inAccount: true,
      columns: new Map(),
      tags: new Map(),
      columnsUnknown: true,
    };
    catalog.externalTables.set(key, table);

    return table;
  };
  const at = accountLocation(state);
  const withColumn = (key: string, column: string): ExternalTableModel => {
    const table = tableOf(key);
    if (!table.columns.has(column)) {
      const spelling = column.replace(/^"|"$/g, '').replace(/""/g, '"');
      table.columns.set(column, { name: column, spelling, tags: new Map(), definedAt: at });
    }

    return table;
  };
  if (!(state.unread ?? []).includes('column')) {
    for (const { table, column } of state.columns) withColumn(table, column).columnsUnknown = false;
  }
  // A policy or tag names a column that exists, even when the column list was not read.
  attachFromAccount(state, (table, column) =>
    column ? withColumn(table, column) : catalog.externalTables.get(table),
  );
}

/**
 * Attaches the account's masking policies and tags to the tables `find` gives, where the
 * migrations did not: a column tagged with a tag that carries a masking policy counts as masked
 * by it, whatever its type (the snapshot has no column types).
 */
function attachFromAccount(
  state: AccountState,
  find: (table: string, column?: string) => TableColumns | undefined,
): void {
  const at = accountLocation(state);
  const mask = (column: ColumnModel | undefined, policy: string | undefined): void => {
    if (column && policy && !column.maskingPolicy) column.maskingPolicy = { policy, at };
  };
  // Masking policies are set on columns or on tags, so one without a column is on a tag. The
  // live snapshot resolves these into column references by data type (live/tag-masking.ts);
  // this reads a state given without that step, where the type is not known.
  const tagPolicies = new Map<string, string>();
  for (const reference of state.policyReferences) {
    if (reference.kind !== 'MASKING_POLICY') continue;
    if (!reference.column) tagPolicies.set(reference.table, reference.policy);
    else
      mask(
        find(reference.table, reference.column)?.columns.get(reference.column),
        reference.policy,
      );
  }
  for (const reference of state.tagReferences) {
    if (reference.domain !== 'TABLE' && reference.domain !== 'COLUMN') continue;
    const table = find(reference.object, reference.column);
    if (!table) continue;
    const column = reference.column ? table.columns.get(reference.column) : undefined;
    const tags = reference.column ? column?.tags : table.tags;
    if (tags && !tags.has(reference.tag)) tags.set(reference.tag, reference.value);
    mask(column, tagPolicies.get(reference.tag));
  }
}

/**
 * Names that migrations use but neither they nor the account define: masking policies, tags,
 * roles, users, stages, storage integrations, warehouses, tables and columns. One finding at
 * each use, in the files `isReported` accepts (all of them when absent); what the migrations
 * define is read from every file of `files`, so that a name one file creates is known in all.
 * Kinds the account snapshot could not read are not judged.
 */
export function unresolvedReferences(
  files: readonly AnalyzedFile[],
  catalog: Catalog,
  state: AccountState,
  isReported: (path: string) => boolean = () => true,
): Finding[] {
  const findings: Finding[] = [];
  const unread = new Set(state.unread ?? []);
  const known = {
    policy: (key: string) =>
      catalog.findMaskingPolicy(key) !== undefined || matches(state.policies, key),
    tag: (key: string) => catalog.findTag(key) !== undefined || matches(state.tags, key),
    role: (key: string) =>
      SYSTEM_ROLES.has(key) || catalog.roles.has(key) || state.roles.includes(key),
    user: (key: string) => catalog.users.has(key) || state.users.some((user) => user.name === key),
    stage: (key: string) => catalog.findStage(key) !== undefined || matches(state.stages, key),
    integration: (key: string) =>
      catalog.storageIntegrations.has(key) || state.integrations.includes(key),
  };
  type Kind = keyof typeof known;
  const workspace = workspaceObjects(files, catalog);
  const account = indexAccount({
    warehouses: unread.has('warehouse') ? undefined : state.warehouses,
    stages: unread.has('stage') ? undefined : state.stages,
    tables: unread.has('table') ? undefined : state.tables,
    columns: unread.has('column') || state.tables === undefined ? undefined : state.columns,
  });

  for (const file of files) {
    if (!isReported(file.path)) continue;
    const report = (message: string, at: { start: number; end: number }): void => {
      findings.push({
        ruleId: UNRESOLVED_REFERENCE_RULE,
        severity: 'warning',
        message,
        path: file.path,
        span: { start: at.start, end: at.end },
        start: file.lines.positionAt(at.start),
        end: file.lines.positionAt(at.end),
        fixes: [],
      });
    };
    const visit = (statement: Statement): void => {
      const session = catalog.sessionAt(statement);
      const check = (kind: Kind, name: ObjectName | undefined, qualify: boolean): void => {
        if (!name || name.dynamic || name.parts.length === 0 || unread.has(kind)) return;
        const key = qualify ? (qualifiedKey(name, session) ?? '') : canonicalName(name);
        // A templated name (`{{ db }}.s.t`) names an account object only once rendered.
        if (key === '' || isTemplatedKey(key) || known[kind](key)) return;
        report(
          `${kind === 'integration' ? 'Storage integration' : capitalise(kind)} ${key} is ` +
            'defined neither by the migrations nor in the account; the statement will fail ' +
            'there. Create it in an earlier migration or fix the name.',
          name,
        );
      };
      for (const [kind, name, qualify] of referencesOf(statement)) check(kind, name, qualify);
      for (const use of objectUses(statement, file, catalog)) {
        if (!isDefined(use, workspace, account)) report(unresolvedMessage(use), use.at);
      }
      for (const nested of statement.nested ?? []) visit(nested);
    };
    for (const statement of file.parsed.statements) visit(statement);
  }

  return findings;
}

/**
 * Findings about the account as a whole: hardening parameters, admins, weak sign-in, personal
 * data left unmasked, and privileges granted straight to users.
 */
export function accountPosture(
  state: AccountState,
  classifier: Classifier = defaultClassifier,
): AccountFinding[] {
  const findings: AccountFinding[] = [];
  const report = (severity: Severity, message: string): void => {
    findings.push({ ruleId: ACCOUNT_POSTURE_RULE, severity, message });
  };
  for (const [name, risk] of Object.entries(HARDENING_PARAMETERS)) {
    if (state.parameters[name]?.toUpperCase() !== 'TRUE') {
      report('warning', `Account parameter ${name} is not TRUE, so ${risk}.`);
    }
  }
  if (!state.parameters.NETWORK_POLICY) {
    report('warning', 'No account-level network policy is set, so sign-in is open to any IP.');
  }
  for (const finding of accountAdminFindings(state)) report(finding.severity, finding.message);
  for (const user of state.users) {
    if (user.disabled) continue;
    if (user.defaultRole?.toUpperCase() === 'ACCOUNTADMIN') {
      report('warning', `User ${user.name} has ACCOUNTADMIN as default role.`);
    }
    if (user.hasPassword && user.hasMfa === false) {
      report('warning', `User ${user.name} signs in with a password and no MFA.`);
    }
  }
  findings.push(...unmaskedPiiColumns(state, classifier), ...userGrants(state));

  return findings;
}

/** Columns of the account that look like personal data (name or tag) and carry no masking policy. */
function unmaskedPiiColumns(state: AccountState, classifier: Classifier): AccountFinding[] {
  const masked = new Set(
    state.policyReferences
      .filter((reference) => reference.kind === 'MASKING_POLICY' && reference.column)
      .map((reference) => `${reference.table}.${reference.column ?? ''}`),
  );
  const tagsOf = new Map<string, Map<string, string | undefined>>();
  for (const reference of state.tagReferences) {
    if (reference.domain !== 'COLUMN' || !reference.column) continue;
    const id = `${reference.object}.${reference.column}`;
    const tags = tagsOf.get(id) ?? new Map<string, string | undefined>();
    tags.set(reference.tag.split('.').at(-1)?.toUpperCase() ?? reference.tag, reference.value);
    tagsOf.set(id, tags);
  }

  const findings: AccountFinding[] = [];
  for (const { table, column } of state.columns) {
    const id = `${table}.${column}`;
    if (masked.has(id)) continue;
    const verdict = classifier.classify({ name: column, tags: tagsOf.get(id) ?? new Map() });
    if (!verdict) continue;
    findings.push({
      ruleId: ACCOUNT_UNMASKED_PII_RULE,
      severity: 'warning',
      message:
        `Column ${id} holds ${withArticle(classifier.label(verdict.category))} (judged by ${verdict.evidence}) ` +
        'and has no masking policy in the account.',
    });
  }

  return findings;
}

/** Privileges granted to users bypass role-based access control and its reviews. */
function userGrants(state: AccountState): AccountFinding[] {
  return state.userGrants.map((grant) => ({
    ruleId: ACCOUNT_USER_GRANT_RULE,
    severity: 'warning',
    message:
      `User ${grant.user} holds ${grant.privilege} on ${grant.grantedOn.toLowerCase()} ` +
      `${grant.object} directly; grant it to a role instead.`,
  }));
}

/** What is missing, what fails because of it, and what to do. */
function unresolvedMessage(use: ObjectUse): string {
  const advice = 'Create it in an earlier migration or fix the name.';
  switch (use.kind) {
    case 'warehouse':
      return (
        `Warehouse ${use.key} is defined neither by the migrations nor in the account; ` +
        `${use.runs ? 'nothing will run on it' : 'the statement will fail there'}. ${advice}`
      );
    case 'stage':
      return (
        `Stage ${use.key} is defined neither by the migrations nor in the account; ` +
        `the statement will fail there. ${advice}`
      );
    case 'table':
      return (
        `Table or view ${use.key} is defined neither by the migrations nor in the account; ` +
        `the statement will fail there. ${advice}`
      );
    case 'column':
      return (
        `Column ${use.column} is defined neither by the migrations nor in the account for ` +
        `${use.table}; the statement will fail there. Add the column in an earlier migration ` +
        'or fix the name.'
      );
  }
}

type Reference = readonly [
  'policy' | 'tag' | 'role' | 'user' | 'stage' | 'integration',
  ObjectName | undefined,
  boolean,
];

function referencesOf(statement: Statement): Reference[] {
  const references: Reference[] = [];
  const grantee = (type: string, name: ObjectName): void => {
    if (type === 'ROLE') references.push(['role', name, false]);
    if (type === 'USER') references.push(['user', name, false]);
  };
  switch (statement.kind) {
    case 'grant-privileges':
      grantee(statement.grantee.type, statement.grantee.name);
      break;
    case 'grant-role':
      if (statement.roleType === 'ROLE') references.push(['role', statement.role, false]);
      grantee(statement.grantee.type, statement.grantee.name);
      break;
    case 'use':
      if (statement.target === 'ROLE') references.push(['role', statement.name, false]);
      break;
    case 'create-table':
      for (const column of statement.columns) {
        references.push(['policy', column.maskingPolicy?.policy, true]);
        for (const tag of column.tags) references.push(['tag', tag.tag, true]);
      }
      for (const tag of statement.tags) references.push(['tag', tag.tag, true]);
      break;
    case 'alter-table':
      for (const action of statement.actions) {
        if (action.type === 'set-tags') {
          for (const tag of action.tags) references.push(['tag', tag.tag, true]);
        }
        if (action.type === 'alter-column' && action.action.type === 'set-masking-policy') {
          references.push(['policy', action.action.policy.policy, true]);
        }
        if (action.type === 'alter-column' && action.action.type === 'set-tags') {
          for (const tag of action.action.tags) references.push(['tag', tag.tag, true]);
        }
      }
      break;
    case 'alter-tag':
      for (const policy of statement.setMaskingPolicies) references.push(['policy', policy, true]);
      break;
    case 'create-stage': {
      const integration = statement.properties.find((p) => p.key === 'STORAGE_INTEGRATION');
      references.push(['integration', integration?.value?.name, false]);
      break;
    }
    default:
      break;
  }

  return references;
}

/** A key found in the account, either exactly or with the leading parts left out. */
function matches(keys: readonly string[], key: string): boolean {
  return keys.some((candidate) => keyEndsWith(candidate, key) || keyEndsWith(key, candidate));
}

function accountLocation(state: AccountState): { path: string; span: { start: 0; end: 0 } } {
  return { path: `snowflake://${state.account ?? 'account'}`, span: { start: 0, end: 0 } };
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
