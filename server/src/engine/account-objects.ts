/**
 * Warehouses, stages, tables and columns that migrations use, and whether the workspace or the account
 * defines them. A name counts as defined when any migration creates it, earlier or later than
 * the statement that uses it, so that reordering alone never raises a finding; the account
 * counts only for the parts of it that snowgov could read.
 */
import { type Catalog, NameMap } from './model/catalog';
import {
  canonicalName,
  formatIdentifier,
  isTemplatedKey,
  keyEndsWith,
  qualifiedKey,
} from './model/names';
import type { AnalyzedFile } from './rules/define';
import type { Span } from './source';
import type { CopyLocation, NamePart, ObjectName, Property, Statement } from './syntax/ast';
import { lex } from './syntax/lexer';

/** One use of a warehouse, a table or a column of a table, with where to report it. */
export type ObjectUse =
  | {
      readonly kind: 'warehouse';
      readonly key: string;
      readonly at: ObjectName;
      readonly runs?: boolean;
    }
  | { readonly kind: 'table'; readonly key: string; readonly at: ObjectName }
  | { readonly kind: 'stage'; readonly key: string; readonly at: Span }
  | {
      readonly kind: 'column';
      readonly table: string;
      readonly column: string;
      readonly at: NamePart;
    };

/** What the migrations define, gathered over every file before any use is judged. */
export interface WorkspaceObjects {
  readonly warehouses: ReadonlySet<string>;
  /** Stages created or renamed into being, dropped or not. */
  readonly stages: ReadonlySet<string>;
  /** Tables created or renamed into being; `undefined` columns when the list is unknown. */
  readonly tables: NameMap<Set<string> | undefined>;
  /** Columns added to or renamed in tables, whoever created the tables. */
  readonly addedColumns: NameMap<Set<string>>;
}

/** The account's warehouses, tables and columns as canonical keys; absent parts are not judged. */
export interface AccountObjects {
  readonly warehouses?: readonly string[];
  readonly stages?: readonly string[];
  readonly tables?: readonly string[];
  readonly columns?: readonly { readonly table: string; readonly column: string }[];
}

/**
 * Object kinds that ACCOUNT_USAGE.TABLES lists (one row per table and view; dynamic, Iceberg
 * and hybrid tables are tables there too). Semantic views and the like are not, so they are
 * never judged.
 */
const TABLE_KINDS: ReadonlySet<string> = new Set([
  'TABLE',
  'VIEW',
  'MATERIALIZED VIEW',
  'EXTERNAL TABLE',
  'EVENT TABLE',
  'DYNAMIC TABLE',
  'ICEBERG TABLE',
  'HYBRID TABLE',
]);

/** Everything the migrations create or rename that a later use may name. */
export function workspaceObjects(
  files: readonly AnalyzedFile[],
  catalog: Catalog,
): WorkspaceObjects {
  const warehouses = new Set<string>();
  const stages = new Set<string>(catalog.stages.keys());
  const tables = new NameMap<Set<string> | undefined>();
  const addedColumns = new NameMap<Set<string>>();
  for (const table of catalog.tables.values()) {
    tables.set(table.key, table.columnsUnknown ? undefined : new Set(table.columns.keys()));
  }
  const addColumn = (table: string, column: string): void => {
    addedColumns.set(table, (addedColumns.get(table) ?? new Set()).add(column));
  };
  forEachStatement(files, (statement) => {
    const key = (name: ObjectName | undefined): string | undefined =>
      name ? qualifiedKey(name, catalog.sessionAt(statement)) : undefined;
    switch (statement.kind) {
      case 'create-table':
      case 'create-view': {
        const table = key(statement.name);
        const listed = statement.columns.map((column) => formatIdentifier(column.name.value));
        if (!table) break;
        // A view's, a CTAS's, a clone's or a LIKE's columns come from elsewhere.
        const listsAll =
          statement.kind === 'create-table' &&
          !statement.asQuery &&
          !statement.cloneOf &&
          !statement.likeOf &&
          listed.length > 0;
        // Every CREATE OR REPLACE of the same name adds its columns; one unknown list wins.
        const existing = tables.get(table);
        if (tables.has(table) && listsAll) {
          for (const column of listed) existing?.add(column);
        } else {
          tables.set(table, listsAll ? new Set(listed) : undefined);
        }
        break;
      }
      case 'create-stage': {
        const name = key(statement.name);
        if (name) stages.add(name);
        break;
      }
      case 'create-object': {
        const name = key(statement.name);
        if (name && statement.objectType === 'WAREHOUSE') warehouses.add(name);
        if (name && TABLE_KINDS.has(statement.objectType)) tables.set(name, undefined);
        break;
      }
      case 'alter-object':
        for (const action of statement.actions) {
          const renamed = action.type === 'rename' ? key(action.newName) : undefined;
          if (renamed && statement.objectType === 'WAREHOUSE') warehouses.add(renamed);
          if (renamed && statement.objectType === 'STAGE') stages.add(renamed);
        }
        break;
      case 'alter-table': {
        const table = key(statement.name);
        if (!table) break;
        for (const action of statement.actions) {
          const added =
            action.type === 'add-column'
              ? action.column.name
              : action.type === 'rename-column'
                ? action.to
                : undefined;
          if (added) addColumn(table, formatIdentifier(added.value));
          const renamed = action.type === 'rename' ? key(action.newName) : undefined;
          if (renamed) tables.set(renamed, undefined);
        }
        break;
      }
      default:
        break;
    }
  });

  return { warehouses, stages, tables, addedColumns };
}

/** The warehouses, tables and columns a statement needs to exist, in source order. */
export function objectUses(
  statement: Statement,
  file: AnalyzedFile,
  catalog: Catalog,
): ObjectUse[] {
  const uses: ObjectUse[] = [];
  const session = catalog.sessionAt(statement);
  // A templated name (`{{ db }}.s.t`) names an account object only once rendered.
  const keyOf = (name: ObjectName): string | undefined => {
    const key = qualifiedKey(name, session);

    return key === undefined || isTemplatedKey(key) ? undefined : key;
  };
  const warehouse = (name: ObjectName | undefined, runs = false): void => {
    // An account object: only its own name, not the session's database, can be templated.
    const isTemplated = name === undefined || isTemplatedKey(canonicalName(name));
    const key = isTemplated ? undefined : qualifiedKey(name, session);
    if (name && key) uses.push({ kind: 'warehouse', key, at: name, runs });
  };
  const table = (name: ObjectName, columns: readonly NamePart[] = []): void => {
    const key = keyOf(name);
    if (!key) return;
    uses.push({ kind: 'table', key, at: name });
    for (const column of columns) {
      uses.push({ kind: 'column', table: key, column: formatIdentifier(column.value), at: column });
    }
  };
  const stageName = (name: ObjectName | undefined): void => {
    const key = name ? keyOf(name) : undefined;
    if (name && key) uses.push({ kind: 'stage', key, at: name });
  };
  const stageLocation = (location: CopyLocation): void => {
    if (location.type !== 'stage') return;
    // A quoted path (`'@"My Stage"/p'`) starts one character after its opening quote.
    const quoted = file.text.charAt(location.start) === "'";
    stageName(stageReferenceName(location.stage, location.start + (quoted ? 1 : 0)));
  };
  const warehouseProperty = (properties: readonly Property[]): void => {
    const property = properties.find((candidate) => candidate.key === 'WAREHOUSE');
    warehouse(property?.value?.name, true);
  };

  switch (statement.kind) {
    case 'use':
      if (statement.target === 'WAREHOUSE') warehouse(statement.name);
      break;
    case 'grant-privileges':
      if (statement.on.type !== 'object') break;
      if (statement.on.objectType === 'WAREHOUSE') warehouse(statement.on.name);
      if (statement.on.objectType === 'STAGE') stageName(statement.on.name);
      if (TABLE_KINDS.has(statement.on.objectType)) table(statement.on.name);
      break;
    case 'create-table':
      warehouseProperty(statement.properties);
      if (statement.cloneOf) table(statement.cloneOf);
      if (statement.likeOf) table(statement.likeOf);
      break;
    case 'alter-table': {
      // ALTER … IF EXISTS does nothing when the table is missing; the node does not record it.
      if (/\bIF\s+EXISTS\b/i.test(file.text.slice(statement.start, statement.name.start))) break;
      const columns: NamePart[] = [];
      for (const action of statement.actions) {
        if (action.type === 'alter-column') {
          columns.push(action.column);
          if (action.action.type === 'set-masking-policy') {
            columns.push(...action.action.policy.columns.slice(1));
          }
        }
        if (action.type === 'rename-column') columns.push(action.from);
        if (action.type === 'add-row-access-policy' || action.type === 'set-policy') {
          columns.push(...action.policy.columns);
        }
      }
      table(statement.name, columns);
      break;
    }
    case 'insert':
      table(statement.table, statement.columns);
      break;
    case 'copy-into':
      if (statement.target.type === 'table') table(statement.target.name, statement.columns);
      stageLocation(statement.target);
      stageLocation(statement.source);
      break;
    case 'file-transfer':
      stageLocation(statement.stage);
      break;
    case 'other':
      // LIST and REMOVE have no node of their own: their stage is the first `@` token.
      if (/^\s*(LIST|LS|REMOVE|RM)\s/i.test(file.text.slice(statement.start, statement.end))) {
        const at = lex(file.text, statement.start, statement.end).tokens.find(
          (token) => token.kind === 'stage',
        );
        if (at) stageName(stageReferenceName(at.text, at.start));
      }
      break;
    case 'alter-object':
      if (statement.objectType === 'WAREHOUSE' && !statement.ifExists) warehouse(statement.name);
      if (statement.objectType === 'STAGE' && !statement.ifExists) stageName(statement.name);
      for (const action of statement.actions) {
        if (action.type === 'set') warehouseProperty(action.properties);
      }
      break;
    case 'script':
      if (statement.container === 'TASK') warehouse(taskWarehouse(statement, file), true);
      break;
    default:
      break;
  }

  return uses;
}

/** Whether the workspace or the account defines what `use` names. */
export function isDefined(
  use: ObjectUse,
  workspace: WorkspaceObjects,
  account: AccountIndex,
): boolean {
  switch (use.kind) {
    case 'warehouse':
      return (
        account.warehouses === undefined ||
        workspace.warehouses.has(use.key) ||
        [...workspace.warehouses, ...account.warehouses].some((key) => sameObject(key, use.key))
      );
    case 'stage':
      return (
        account.stages === undefined ||
        [...workspace.stages, ...account.stages].some((key) => sameObject(key, use.key))
      );
    case 'table':
      return (
        account.tables === undefined ||
        workspace.tables.endingMatches(use.key).size > 0 ||
        account.tables.endingMatches(use.key).size > 0
      );
    case 'column': {
      const columns = knownColumns(use.table, workspace, account);

      return columns === undefined || columns.has(use.column);
    }
  }
}

/** The account's objects indexed for lookups by partly qualified names. */
export interface AccountIndex {
  readonly warehouses?: readonly string[];
  readonly stages?: readonly string[];
  /** Table key → its columns (empty when the columns were not read). */
  readonly tables?: NameMap<Set<string>>;
  readonly columnsRead: boolean;
}

export function indexAccount(objects: AccountObjects): AccountIndex {
  if (objects.tables === undefined && objects.columns === undefined) {
    return { warehouses: objects.warehouses, stages: objects.stages, columnsRead: false };
  }
  const tables = new NameMap<Set<string>>();
  for (const table of objects.tables ?? []) if (!tables.has(table)) tables.set(table, new Set());
  for (const { table, column } of objects.columns ?? []) {
    tables.set(table, (tables.get(table) ?? new Set()).add(column));
  }

  return {
    warehouses: objects.warehouses,
    stages: objects.stages,
    tables,
    columnsRead: objects.columns !== undefined,
  };
}

/**
 * The columns a table is known to have, or undefined when they are not known well enough to
 * call one missing: the table is defined nowhere (its own finding says so), the workspace does
 * not list its columns, or the account's columns were not read.
 */
function knownColumns(
  table: string,
  workspace: WorkspaceObjects,
  account: AccountIndex,
): Set<string> | undefined {
  const columns = new Set<string>();
  let found = false;
  for (const key of workspace.tables.endingMatches(table)) {
    const listed = workspace.tables.get(key);
    if (listed === undefined) return undefined;
    found = true;
    for (const column of listed) columns.add(column);
  }
  for (const key of account.tables?.endingMatches(table) ?? []) {
    if (!account.columnsRead) return undefined;
    found = true;
    for (const column of account.tables?.get(key) ?? []) columns.add(column);
  }
  if (!found) return undefined;
  for (const key of workspace.addedColumns.endingMatches(table)) {
    for (const column of workspace.addedColumns.get(key) ?? []) columns.add(column);
  }

  return columns;
}

/** `WAREHOUSE = name` in a CREATE TASK header, read from the tokens before its body. */
function taskWarehouse(statement: Statement, file: AnalyzedFile): ObjectName | undefined {
  const end = 'body' in statement && statement.body ? statement.body.start : statement.end;
  const tokens = lex(file.text, statement.start, Math.min(end, file.text.length)).tokens;
  for (let i = 0; i + 2 < tokens.length; i += 1) {
    const [word, equals, value] = [tokens[i], tokens[i + 1], tokens[i + 2]];
    if (word.keyword !== 'WAREHOUSE' || equals.text !== '=') continue;
    if (value.kind !== 'word' && value.kind !== 'quoted') return undefined;
    const quoted = value.kind === 'quoted';
    const part: NamePart = {
      value: quoted ? value.text.slice(1, -1).replace(/""/g, '"') : value.text.toUpperCase(),
      quoted,
      start: value.start,
      end: value.end,
    };

    return { parts: [part], start: value.start, end: value.end };
  }

  return undefined;
}

/**
 * The named stage of a stage reference (`@db.s.stage/path`, `@"My Stage"/p`) at offset `start`,
 * as a name with offsets; undefined for the user stage `@~` and a table stage `@%t`, which
 * always exist, and for anything unreadable.
 */
export function stageReferenceName(reference: string, start: number): ObjectName | undefined {
  if (!reference.startsWith('@')) return undefined;
  const parts: NamePart[] = [];
  let i = 1;
  if (reference[i] === '~' || reference[i] === '%') return undefined;
  while (i < reference.length) {
    const from = i;
    let value: string;
    let quoted = false;
    if (reference[i] === '"') {
      const close = /^"((?:[^"]|"")*)"/.exec(reference.slice(i));
      if (!close) return undefined;
      value = close[1].replace(/""/g, '"');
      quoted = true;
      i += close[0].length;
    } else {
      const plain = /^[^./"]+/.exec(reference.slice(i));
      if (!plain) return undefined;
      value = plain[0].toUpperCase();
      i += plain[0].length;
    }
    parts.push({ value, quoted, start: start + from, end: start + i });
    if (reference[i] !== '.') break;
    i += 1;
  }
  if (parts.length === 0 || parts.length > 3) return undefined;

  return { parts, start: parts[0].start, end: parts[parts.length - 1].end };
}

function sameObject(key: string, partial: string): boolean {
  return keyEndsWith(key, partial) || keyEndsWith(partial, key);
}

/** Every statement of every file, nested ones included. */
export function forEachStatement(
  files: readonly AnalyzedFile[],
  visit: (statement: Statement, file: AnalyzedFile) => void,
): void {
  const walk = (statement: Statement, file: AnalyzedFile): void => {
    visit(statement, file);
    for (const nested of statement.nested ?? []) walk(nested, file);
  };
  for (const file of files) for (const statement of file.parsed.statements) walk(statement, file);
}
