import type {
  AlterAction,
  GrantObject,
  Literal,
  ObjectName,
  ParsedFile,
  Statement,
} from '../syntax/ast';
import {
  Catalog,
  type ColumnModel,
  type SessionState,
  type TableModel,
  columnModel,
  grantKey,
  propertyValue,
  tagMap,
} from './catalog';
import type { ColumnLookup, QueryLineage } from '../lineage/types';
import { canonicalName, formatIdentifier, qualifiedKey } from './names';
import { applyAlterTable, externalTable } from './alter-table';
import { isMigrationScript, isUndoScript } from './order';
import { failOpenReason } from './policy-body';
import { applyAllowedValues } from './tag-values';
import { type BuildPosition, type CatalogCheckpoints, resume } from './checkpoints';

/** Column lineage of a query, given the columns of the tables it reads. */
export type QueryAnalyzer = (sql: string, lookup: ColumnLookup) => QueryLineage | undefined;

/** Bodies that run when called or scheduled, not when created. */
const DEFERRED_BODIES = new Set(['PROCEDURE', 'FUNCTION', 'TASK']);

export interface CatalogInput {
  readonly path: string;
  readonly text: string;
  readonly parsed: ParsedFile;
}

/**
 * Applies every file's statements in the order given (migration order) the way Snowflake would,
 * and records the session state each statement runs in. Procedure and task bodies are not
 * applied: they run when called, not when created. `seed` fills the catalog before the first
 * statement (with an account's tables, say). `sessionCarriesOver` tells, per file, whether the
 * runner keeps the previous migration's session for it.
 */
export function buildCatalog(
  files: readonly CatalogInput[],
  analyzeQuery?: QueryAnalyzer,
  seed?: (catalog: Catalog) => void,
  sessionCarriesOver: (path: string) => boolean = () => false,
  checkpoints?: CatalogCheckpoints,
): Catalog {
  const plan = checkpoints?.plan(files);
  const start = plan?.start;
  let catalog = start ? resume(start.catalog) : new Catalog();
  // What exists before the first migration runs, such as the tables of a live account.
  if (!start) seed?.(catalog);
  let session: SessionState = start?.session ?? {};
  let previousWasMigration = start?.previousWasMigration ?? false;
  const from = start?.at ?? { file: 0, statement: 0 };
  // The states just before the first statement that changed and before the first statement of
  // its file are kept for the next build; the latter before the file's session is set up.
  const change = plan?.change;
  const keepAt = (file: number, statement: number): void => {
    if (!checkpoints || change?.file !== file) return;
    if (statement !== 0 && statement !== change.statement) return;
    // Keeping a state costs the next build a copy of the catalog's collections; near the start
    // of a file, in a large repository, applying the statements again from there costs less.
    if (statement !== 0 && statement * ENTRIES_PER_STATEMENT < catalog.entryCount) return;
    const here = { file, statement };
    if (start && !isLater(here, from)) return;
    catalog = checkpoints.keep(here, { catalog, session, previousWasMigration });
  };
  for (let index = from.file; index < files.length; index++) {
    const file = files[index];
    const resumed = index === from.file && from.statement > 0;
    if (!resumed) keepAt(index, 0);
    if (!resumed) {
      // Every script starts from the deploy connection's defaults: schemachange resets the
      // role, warehouse, database and schema before and after each script (reset_session), and
      // Flyway restores the connection's role after each migration. The connection's own role
      // and namespace are not known here. Only a runner that keeps one session (the setting
      // migrations.sessionCarriesOver) lets a migration inherit the previous one's USE
      // statements.
      const isMigration = isMigrationScript(file.path);
      const inherits = isMigration && previousWasMigration && sessionCarriesOver(file.path);
      if (!inherits) session = {};
      previousWasMigration = isMigration;
    }
    // An undo script is judged on its own statements, but only its USE statements take effect:
    // its DROPs and re-CREATEs undo a migration, which the model of the migrations must not do.
    const forward = !isUndoScript(file.path);
    const apply = (statement: Statement, executes: boolean): void => {
      catalog.setSession(statement, session);
      if (executes && (forward || statement.kind === 'use')) {
        session = applyStatement(catalog, statement, session, file, analyzeQuery);
      }
      const runsNow = statement.kind === 'script' && !DEFERRED_BODIES.has(statement.container);
      for (const nested of statement.nested ?? []) apply(nested, executes && runsNow);
    };
    const statements = file.parsed.statements;
    for (let at = resumed ? from.statement : 0; at < statements.length; at++) {
      if (at > 0) keepAt(index, at);
      apply(statements[at], true);
    }
  }

  return catalog;
}

/**
 * About how many catalog entries are copied in the time one statement is applied: applying a
 * statement of the generated migrations takes about 4.5 µs, copying an entry about 0.2 µs.
 */
const ENTRIES_PER_STATEMENT = 25;

function isLater(a: BuildPosition, b: BuildPosition): boolean {
  return a.file > b.file || (a.file === b.file && a.statement > b.statement);
}

function applyStatement(
  catalog: Catalog,
  statement: Statement,
  session: SessionState,
  file: CatalogInput,
  analyzeQuery: QueryAnalyzer | undefined,
): SessionState {
  const key = (name: Parameters<typeof qualifiedKey>[0]): string | undefined =>
    qualifiedKey(name, session);

  switch (statement.kind) {
    case 'use':
      return applyUse(statement, session, file.path);
    case 'create-table':
    case 'create-view': {
      const tableKey = key(statement.name);
      if (tableKey === undefined) break;
      const existing = catalog.findTable(tableKey);
      if (existing && statement.kind === 'create-table' && statement.ifNotExists) break;
      const table = newTable(tableKey, statement, file, session);
      if (statement.kind === 'create-table' && statement.asQuery && analyzeQuery) {
        addQueryColumns(catalog, table, statement, file.path, analyzeQuery);
      }
      if (existing && statement.kind === 'create-table' && statement.orAlter) {
        carryAttachments(existing, table);
      }
      if (existing && existing.key !== tableKey) catalog.tables.delete(existing.key);
      if (statement.kind === 'create-table' && statement.cloneOf) {
        const source = catalog.findTableByName(statement.cloneOf, session);
        if (source) copyColumns(source, table);
      }
      if (statement.kind === 'create-table' && statement.likeOf) {
        // LIKE copies the column definitions without the data. Policies and tags are kept
        // with them, as CLONE keeps them, so that the copy is judged as its source is.
        const source = catalog.findTableByName(statement.likeOf, session);
        if (source) copyColumns(source, table);
      }
      for (const column of table.columns.values()) catalog.own(column);
      catalog.tables.set(tableKey, catalog.own(table));
      break;
    }
    case 'alter-table': {
      const table =
        catalog.findTableByName(statement.name, session) ??
        externalTable(catalog, statement, session);
      if (table) applyAlterTable(catalog, table, statement, file, session);
      break;
    }
    case 'create-policy': {
      const policyKey = key(statement.name);
      if (policyKey === undefined || statement.policyType !== 'MASKING') break;
      if (statement.ifNotExists && catalog.findMaskingPolicy(policyKey)) break;
      catalog.maskingPolicies.set(policyKey, {
        key: policyKey,
        argumentTypes: statement.arguments.map((argument) => argument.dataType),
        returnType: statement.returnType,
        failsOpen: failOpenReason(statement),
        owner: session.role,
        at: { path: file.path, span: { start: statement.start, end: statement.end } },
      });
      break;
    }
    case 'create-tag': {
      const tagKey = key(statement.name);
      if (tagKey === undefined) break;
      if (statement.ifNotExists && catalog.findTag(tagKey)) break;
      const previous = catalog.findTag(tagKey);
      catalog.tags.set(tagKey, {
        key: tagKey,
        // OR REPLACE of a tag that has policies attached fails in Snowflake; keep them.
        maskingPolicies: previous?.maskingPolicies ?? new Set(),
        allowedValues:
          statement.allowedValues.length > 0
            ? new Set(statement.allowedValues.map((literal) => literal.value))
            : undefined,
        owner: session.role,
        at: { path: file.path, span: { start: statement.start, end: statement.end } },
      });
      break;
    }
    case 'alter-tag': {
      const tagKey = key(statement.name);
      const found = tagKey === undefined ? undefined : catalog.findTag(tagKey);
      if (!found) break;
      const tag = catalog.writableTag(found);
      for (const policy of statement.setMaskingPolicies) {
        tag.maskingPolicies.add(key(policy) ?? canonicalName(policy));
      }
      for (const policy of statement.unsetMaskingPolicies) {
        const policyKey = key(policy) ?? canonicalName(policy);
        for (const attached of tag.maskingPolicies) {
          if (attached === policyKey || attached.endsWith(`.${canonicalName(policy)}`)) {
            tag.maskingPolicies.delete(attached);
          }
        }
      }
      applyAllowedValues(tag, statement.actions, {
        path: file.path,
        span: { start: statement.start, end: statement.end },
      });
      break;
    }
    case 'create-stage': {
      const stageKey = key(statement.name);
      if (stageKey === undefined) break;
      const url = propertyValue(statement.properties, 'URL')?.value;
      const integration = propertyValue(statement.properties, 'STORAGE_INTEGRATION')?.value;
      catalog.stages.set(stageKey, {
        key: stageKey,
        url: url?.kind === 'string' ? url.value : undefined,
        dynamic: url !== undefined && url.kind !== 'string',
        storageIntegration: integration?.value,
        hasCredentials: propertyValue(statement.properties, 'CREDENTIALS') !== undefined,
        owner: session.role,
        at: { path: file.path, span: { start: statement.start, end: statement.end } },
      });
      break;
    }
    case 'create-integration': {
      // Integrations are account objects: their names are never qualified.
      if (statement.integrationType !== 'STORAGE' || statement.name.dynamic) break;
      const integrationKey = canonicalName(statement.name);
      const allowed = propertyValue(statement.properties, 'STORAGE_ALLOWED_LOCATIONS');
      catalog.storageIntegrations.set(integrationKey, {
        key: integrationKey,
        allowedLocations: (allowed?.list ?? (allowed?.value ? [allowed.value] : [])).map(
          (l) => l.value,
        ),
        provider: propertyValue(
          statement.properties,
          'STORAGE_PROVIDER',
        )?.value?.value.toUpperCase(),
        at: { path: file.path, span: { start: statement.start, end: statement.end } },
      });
      break;
    }
    case 'create-user':
    case 'alter-user': {
      if (statement.name.dynamic) break;
      const user = canonicalName(statement.name);
      if (statement.kind === 'create-user') catalog.users.add(user);
      const defaultRole = propertyValue(statement.properties, 'DEFAULT_ROLE')?.value;
      if (defaultRole) catalog.defaultRoles.set(user, literalIdentifier(defaultRole));
      break;
    }
    case 'grant-privileges':
    case 'grant-role':
      applyGrant(catalog, statement, file.path, session);
      break;
    case 'create-object':
      if (
        (statement.objectType === 'ROLE' || statement.objectType === 'DATABASE ROLE') &&
        !statement.name.dynamic
      ) {
        catalog.roles.add(canonicalName(statement.name));
      }
      if (statement.objectType === 'DATABASE' || statement.objectType === 'SCHEMA') {
        const containerKey = containerKeyOf(statement.objectType, statement.name, session);
        const existing = containerKey ? catalog.containerTags.get(containerKey) : undefined;
        if (containerKey && !(statement.ifNotExists && existing)) {
          catalog.containerTags.set(containerKey, catalog.own(tagMap(statement.tags, session)));
        }
      }
      break;
    case 'alter-object':
      if (statement.objectType === 'DATABASE' || statement.objectType === 'SCHEMA') {
        const containerKey = statement.name
          ? containerKeyOf(statement.objectType, statement.name, session)
          : undefined;
        if (containerKey) applyContainerTags(catalog, containerKey, statement.actions, session);
      }
      break;
    case 'drop':
      applyDrop(catalog, statement.objectType, key(statement.name));
      break;
    default:
      break;
  }

  return session;
}

function applyUse(
  statement: Extract<Statement, { kind: 'use' }>,
  session: SessionState,
  path: string,
): SessionState {
  const parts = statement.name?.parts.map((part) => formatIdentifier(part.value)) ?? [];
  // A name known only at run time leaves the namespace unknown, not stale.
  if (statement.name?.dynamic) {
    if (statement.target === 'ROLE') return { ...session, role: undefined, roleSetAt: undefined };
    if (statement.target === 'DATABASE')
      return { ...session, database: undefined, schema: undefined };
    if (statement.target === 'SCHEMA') return { ...session, schema: undefined };

    return session;
  }
  switch (statement.target) {
    case 'ROLE': {
      const roleSetAt = { path, span: { start: statement.start, end: statement.end } };

      return { ...session, role: parts.join('.'), roleSetAt };
    }
    case 'DATABASE':
      // USE DATABASE makes PUBLIC the current schema.
      return { ...session, database: parts[0], schema: 'PUBLIC' };
    case 'SCHEMA':
      return parts.length >= 2
        ? { ...session, database: parts[parts.length - 2], schema: parts[parts.length - 1] }
        : { ...session, schema: parts[0] };
    default:
      return session;
  }
}

function newTable(
  key: string,
  statement: Extract<Statement, { kind: 'create-table' | 'create-view' }>,
  file: CatalogInput,
  session: SessionState,
): TableModel {
  const columns = new Map<string, ColumnModel>();
  for (const definition of statement.columns) {
    const column = columnModel(definition, file.path, file.text, session);
    columns.set(column.name, column);
  }
  const unknown =
    statement.kind === 'create-table'
      ? statement.columns.length === 0
      : statement.columns.length === 0;

  return {
    key,
    kind: statement.kind === 'create-table' ? 'table' : 'view',
    columns,
    tags: tagMap(statement.tags, session),
    statement,
    path: file.path,
    columnsUnknown: unknown,
    owner: session.role,
  };
}

/**
 * Gives a CTAS table the columns its query produces, with the source columns of each, read
 * against the catalog as it stands at this point of the migrations. An explicit column list
 * renames the outputs by position.
 */
function addQueryColumns(
  catalog: Catalog,
  table: TableModel,
  statement: Extract<Statement, { kind: 'create-table' }>,
  path: string,
  analyzeQuery: QueryAnalyzer,
): void {
  const lookup: ColumnLookup = (key) => {
    const source = catalog.findTable(key);
    if (!source) return catalog.externalColumns(key);

    return source.columnsUnknown ? undefined : [...source.columns.keys()];
  };
  const lineage = statement.asQuery ? analyzeQuery(statement.asQuery.text, lookup) : undefined;
  if (!lineage) return;
  const named = [...table.columns.values()];
  lineage.outputs.forEach((output, index) => {
    const existing = named[index];
    const at = { path, span: { start: statement.name.start, end: statement.name.end } };
    const column: ColumnModel = existing
      ? { ...existing, copiedFrom: output.summarized ? [] : output.sources }
      : {
          name: output.name,
          spelling: output.name,
          tags: new Map(),
          definedAt: at,
          copiedFrom: output.summarized ? [] : output.sources,
        };
    table.columns.set(column.name, column);
  });
  table.columnsUnknown = lineage.incomplete;
}

/** The identifier a property value names: `DEFAULT_ROLE = analyst` or `= 'ANALYST'`. */
function literalIdentifier(value: Literal): string {
  if (value.name) return canonicalName(value.name);

  return formatIdentifier(value.kind === 'string' ? value.value : value.value.toUpperCase());
}

/** Records a GRANT, or removes what a REVOKE takes back (privileges matched by name). */
function applyGrant(
  catalog: Catalog,
  statement: Extract<Statement, { kind: 'grant-privileges' | 'grant-role' }>,
  path: string,
  session: SessionState,
): void {
  if (statement.grantee.name.dynamic) return;
  const grantee = canonicalName(statement.grantee.name);
  const granteeType = statement.grantee.type;
  const entries =
    statement.kind === 'grant-role'
      ? [
          {
            privilege: statement.roleType,
            on: statement.role.dynamic ? '' : canonicalName(statement.role),
          },
        ]
      : statement.privileges.map((privilege) => ({
          privilege: privilege.name,
          on: grantTarget(statement.on, session),
        }));
  for (const entry of entries) {
    const key = grantKey(entry.privilege, entry.on, granteeType, grantee);
    if (statement.action === 'REVOKE') {
      catalog.removeGrant(key);
    } else {
      catalog.addGrant(key, {
        ...entry,
        granteeType,
        grantee,
        withGrantOption: statement.withGrantOption,
        at: { path, span: { start: statement.start, end: statement.end } },
      });
    }
  }
}

function grantTarget(on: GrantObject, session: SessionState): string {
  switch (on.type) {
    case 'account':
      return 'ACCOUNT';
    case 'object':
      return `${on.objectType} ${qualifiedKey(on.name, session) ?? canonicalName(on.name)}`.trim();
    default:
      return `${on.type.toUpperCase()} ${on.objectType} IN ${on.container} ${canonicalName(on.containerName)}`;
  }
}

/** `DB` for a database, `DB.SCHEMA` for a schema, qualified with the session's database. */
function containerKeyOf(
  objectType: 'DATABASE' | 'SCHEMA',
  name: ObjectName,
  session: SessionState,
): string | undefined {
  if (name.dynamic || name.parts.length === 0) return undefined;
  const parts = name.parts.map((part) => formatIdentifier(part.value));
  if (objectType === 'SCHEMA' && parts.length === 1 && session.database) {
    parts.unshift(session.database);
  }

  return parts.join('.');
}

function applyContainerTags(
  catalog: Catalog,
  key: string,
  actions: readonly AlterAction[],
  session: SessionState,
): void {
  const tags = catalog.writableContainerTags(key);
  for (const action of actions) {
    if (action.type === 'set-tags') {
      for (const [tag, value] of tagMap(action.tags, session)) tags.set(tag, value);
    } else if (action.type === 'unset-tags') {
      for (const tag of action.tags) tags.delete(qualifiedKey(tag, session) ?? canonicalName(tag));
    }
  }
}

/** CREATE OR ALTER keeps what was attached to columns that survive. */
function carryAttachments(previous: TableModel, next: TableModel): void {
  for (const [name, column] of next.columns) {
    const old = previous.columns.get(name);
    if (!old) continue;
    column.maskingPolicy ??= old.maskingPolicy;
    for (const [tag, value] of old.tags) if (!column.tags.has(tag)) column.tags.set(tag, value);
  }
  for (const [tag, value] of previous.tags) if (!next.tags.has(tag)) next.tags.set(tag, value);
}

/** CLONE copies columns together with their policies and tags. */
function copyColumns(source: TableModel, target: TableModel): void {
  for (const [name, column] of source.columns) {
    target.columns.set(name, { ...column, tags: new Map(column.tags) });
  }
  for (const [tag, value] of source.tags) target.tags.set(tag, value);
  target.columnsUnknown = source.columnsUnknown;
}

function applyDrop(catalog: Catalog, objectType: string, key: string | undefined): void {
  if (key === undefined) return;
  const remove = <T>(map: Map<string, T>, found: { key: string } | undefined): void => {
    if (found) map.delete(found.key);
  };
  switch (objectType) {
    case 'TABLE':
    case 'VIEW':
    case 'MATERIALIZED VIEW':
    case 'DYNAMIC TABLE':
      if (catalog.findTable(key)) remove(catalog.tables, catalog.findTable(key));
      else remove(catalog.externalTables, catalog.findExternalTable(key));
      break;
    case 'MASKING POLICY':
      remove(catalog.maskingPolicies, catalog.findMaskingPolicy(key));
      break;
    case 'TAG':
      remove(catalog.tags, catalog.findTag(key));
      break;
    case 'STAGE':
      remove(catalog.stages, catalog.findStage(key));
      break;
    default:
      break;
  }
}
