import type { Span } from '../source';
import type { AlterTableStatement, NamePart, ObjectName } from '../syntax/ast';
import {
  type Catalog,
  type ColumnModel,
  type ExternalTableModel,
  type SessionState,
  type TableModel,
  columnModel,
  tagMap,
} from './catalog';
import type { CatalogInput } from './build-catalog';
import { canonicalName, qualifiedKey } from './names';

/**
 * The model of a table that no linted file creates, which an ALTER TABLE changes: made empty on
 * first use, so that it holds only what migrations do to it (and what an account snapshot
 * seeded). Views and other kinds of table are left out.
 */
export function externalTable(
  catalog: Catalog,
  statement: AlterTableStatement,
  session: SessionState,
): ExternalTableModel | undefined {
  if (statement.objectType !== 'TABLE') return undefined;
  const known = catalog.findExternalTableByName(statement.name, session);
  if (known) return known;
  const key = qualifiedKey(statement.name, session);
  if (key === undefined) return undefined;
  const table: ExternalTableModel = {
    key,
    kind: 'external',
    inAccount: false,
    columns: new Map(),
    tags: new Map(),
    columnsUnknown: true,
  };
  catalog.externalTables.set(key, catalog.own(table));

  return table;
}

/** A column that a statement names on a table whose columns are not all known. */
function namedColumn(name: NamePart, path: string, at: Span): ColumnModel {
  return {
    name: canonicalName([name]),
    spelling: name.value,
    tags: new Map(),
    definedAt: { path, span: { start: at.start, end: at.end } },
  };
}

/**
 * Applies an ALTER TABLE to a table a linted file creates, or to the model of one that none
 * creates (`externalTable`), which learns of the columns the statement names.
 */
export function applyAlterTable(
  catalog: Catalog,
  found: TableModel | ExternalTableModel,
  statement: AlterTableStatement,
  file: CatalogInput,
  session: SessionState,
): void {
  const { path, text } = file;
  const table = catalog.writableTable(found);
  for (const action of statement.actions) {
    switch (action.type) {
      case 'alter-column': {
        const name = canonicalName([action.column]);
        // MODIFY COLUMN names a column that exists, even where the model does not list it.
        if (table.kind === 'external' && !table.columns.has(name)) {
          table.columns.set(name, catalog.own(namedColumn(action.column, path, action)));
        }
        const column = catalog.writableColumn(table, name);
        if (!column) break;
        const change = action.action;
        if (change.type === 'set-masking-policy') {
          const policy =
            qualifiedKey(change.policy.policy, session) ?? canonicalName(change.policy.policy);
          column.maskingPolicy = {
            policy,
            at: { path, span: { start: action.start, end: action.end } },
          };
        } else if (change.type === 'unset-masking-policy') {
          column.maskingPolicy = undefined;
        } else if (change.type === 'set-projection-policy') {
          const policy =
            qualifiedKey(change.policy.policy, session) ?? canonicalName(change.policy.policy);
          column.projectionPolicy = {
            policy,
            at: { path, span: { start: action.start, end: action.end } },
          };
        } else if (change.type === 'unset-projection-policy') {
          column.projectionPolicy = undefined;
        } else if (change.type === 'set-tags') {
          for (const [tag, value] of tagMap(change.tags, session)) column.tags.set(tag, value);
        } else if (change.type === 'unset-tags') {
          for (const tag of change.tags)
            column.tags.delete(qualifiedKey(tag, session) ?? canonicalName(tag));
        }
        break;
      }
      case 'add-column': {
        const column = catalog.own(columnModel(action.column, path, text, session));
        table.columns.set(column.name, column);
        break;
      }
      case 'drop-column':
        for (const name of action.columns) table.columns.delete(canonicalName([name]));
        break;
      case 'rename-column': {
        const column = table.columns.get(canonicalName([action.from]));
        if (!column) break;
        table.columns.delete(column.name);
        const renamed = canonicalName([action.to]);
        const formerSpellings = [...(column.formerSpellings ?? []), column.spelling];
        table.columns.set(renamed, {
          ...column,
          name: renamed,
          spelling: action.to.value,
          formerSpellings,
        });
        break;
      }
      case 'rename': {
        const newKey = qualifiedKey(action.newName, session);
        if (newKey === undefined) break;
        if (table.kind === 'external') {
          catalog.externalTables.delete(table.key);
          catalog.externalTables.set(newKey, { ...table, key: newKey });
        } else {
          catalog.tables.delete(table.key);
          catalog.tables.set(newKey, { ...table, key: newKey });
        }
        break;
      }
      case 'swap':
        swapTables(catalog, table, action.other, session);
        break;
      case 'set-tags':
        for (const [tag, value] of tagMap(action.tags, session)) table.tags.set(tag, value);
        break;
      case 'unset-tags':
        for (const tag of action.tags)
          table.tags.delete(qualifiedKey(tag, session) ?? canonicalName(tag));
        break;
      default:
        break;
    }
  }
}

/**
 * `ALTER TABLE a SWAP WITH b`: each table takes the other's name and keeps its own columns,
 * policies and tags. A partner no linted file creates (nor the account lists) is not known, so
 * the table simply takes its name.
 */
function swapTables(
  catalog: Catalog,
  table: TableModel | ExternalTableModel,
  otherName: ObjectName,
  session: SessionState,
): void {
  const otherKey = qualifiedKey(otherName, session);
  if (otherKey === undefined) return;
  const other =
    catalog.findTableByName(otherName, session) ??
    catalog.findExternalTableByName(otherName, session);
  if (other === table) return;
  const ownKey = table.key;
  const remove = (found: TableModel | ExternalTableModel): void => {
    if (found.kind === 'external') catalog.externalTables.delete(found.key);
    else catalog.tables.delete(found.key);
  };
  const place = (found: TableModel | ExternalTableModel, key: string): void => {
    if (found.kind === 'external') catalog.externalTables.set(key, { ...found, key });
    else catalog.tables.set(key, { ...found, key });
  };
  remove(table);
  if (other) remove(other);
  place(table, other?.key ?? otherKey);
  if (other) place(other, ownKey);
}
