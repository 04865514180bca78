import type { Classifier, PiiCategory } from '../../server/src/engine/model/classify';
import {
  type Catalog,
  type ColumnModel,
  type ExternalTableModel,
  type SessionState,
  type TableColumns,
  type TableModel,
  masks,
  columnFacts,
} from '../../server/src/engine/model/catalog';
import type { LineageSource, QueryLineage } from '../../server/src/engine/lineage/types';
import type { QueryBody } from '../../server/src/engine/syntax/ast';
import { canonicalName, splitKey } from '../../server/src/engine/model/names';
import { showsClearOnlyTo } from './roles';

const MAX_DEPTH = 8;

/** A base-table column whose value reaches a query output, with what it holds. */
export interface ExposedColumn {
  /** Canonical `TABLE_KEY.COLUMN`. */
  readonly key: string;
  readonly categories: readonly PiiCategory[];
  /**
   * Set when no linted file creates the column's table (`legacy.core.customers`, as the query
   * names it): the categories then come from the column's name alone.
   */
  readonly unknownTable?: string;
}

export interface Tracing {
  readonly classifier: Classifier;
  readonly catalog: Catalog;
  readonly session: SessionState;
  readonly analyze: (query: QueryBody) => QueryLineage | undefined;
  /**
   * Count columns that a masking or projection policy protects. Off for exposure (readers
   * without access never see them), on for copies (the role making a copy sees clear values).
   */
  readonly countProtected?: boolean;
  /**
   * Roles allowed to see clear values: a view output that shows them only to these roles (a CASE
   * on IS_ROLE_IN_SESSION, see `showsClearOnlyTo`) exposes nothing. Unset, every output counts.
   */
  readonly clearRoles?: readonly string[];
  /**
   * Judge columns of tables no linted file creates by their names. Only columns the query names
   * are seen: lineage cannot expand a `*` over such a table, whose columns it does not know.
   */
  readonly unknownByName?: boolean;
}

/** Output name → the base columns whose values reach it, traced through views and CTAS. */
export function exposedColumns(
  lineage: QueryLineage,
  tracing: Tracing,
): Map<string, ExposedColumn[]> {
  const exposed = new Map<string, ExposedColumn[]>();
  for (const output of lineage.outputs) {
    if (output.summarized) continue;
    const columns = output.sources.flatMap((source) => baseColumns(source, tracing, 0));
    exposed.set(output.name, [...(exposed.get(output.name) ?? []), ...columns]);
  }

  return exposed;
}

/** The categories of personal data a lineage source carries once traced to base columns. */
export function sourceCategories(source: LineageSource, tracing: Tracing): PiiCategory[] {
  return [...new Set(baseColumns(source, tracing, 0).flatMap((column) => column.categories))];
}

function baseColumns(source: LineageSource, tracing: Tracing, depth: number): ExposedColumn[] {
  if (depth > MAX_DEPTH) return [];
  const table = findTable(tracing.catalog, source.table, tracing.session);
  if (!table) return externalColumns(source, tracing);
  const inner = (sources: readonly LineageSource[]): ExposedColumn[] =>
    sources.flatMap((next) => baseColumns(next, tracing, depth + 1));

  if (table.kind === 'view') {
    const statement = table.statement;
    const query = statement.kind === 'create-view' ? statement.query : undefined;
    const viewLineage = query ? tracing.analyze(query) : undefined;
    const position = statement.columns.findIndex(
      (definition) => canonicalName([definition.name]) === source.column,
    );
    const output =
      position >= 0
        ? viewLineage?.outputs[position]
        : viewLineage?.outputs.find((candidate) => candidate.name === source.column);

    if (output && tracing.clearRoles && showsClearOnlyTo(output, tracing.clearRoles)) return [];

    return inner(output?.sources ?? []);
  }
  const column = table.columns.get(source.column);
  if (!column) return [];
  const own = classifiedColumn(table, column, tracing);
  if (!own) return [];

  // A CTAS column also carries whatever its sources carry, whatever it is called.
  return [own, ...(column.copiedFrom ? inner(column.copiedFrom) : [])];
}

/**
 * A column of a table no linted file creates: as the migrations that alter it or the account
 * describe it when they do, else (with `unknownByName`) by its name alone.
 */
function externalColumns(source: LineageSource, tracing: Tracing): ExposedColumn[] {
  const table = findExternalTable(tracing.catalog, source.table, tracing.session);
  const column = table?.columns.get(source.column);
  if (table && column) {
    const own = classifiedColumn(table, column, tracing);

    return own ? [{ ...own, unknownTable: table.inAccount ? undefined : source.table }] : [];
  }
  // A table whose columns the account listed has no other columns to judge.
  if (table && !table.columnsUnknown) return [];

  return tracing.unknownByName ? [byNameOnly(source, tracing.classifier)] : [];
}

/** The column with its categories; undefined when a policy keeps it from the tracing's readers. */
function classifiedColumn(
  table: TableColumns,
  column: ColumnModel,
  tracing: Tracing,
): ExposedColumn | undefined {
  if (!tracing.countProtected && isProtected(table, column, tracing.catalog)) return undefined;
  const classification = tracing.classifier.classify(columnFacts(column));

  return {
    key: `${table.key}.${column.name}`,
    categories: classification ? [classification.category] : [],
  };
}

/** A column of a table the catalog does not know: no tags, comment or policy to go by. */
function byNameOnly(source: LineageSource, classifier: Classifier): ExposedColumn {
  const classification = classifier.classify({ name: source.column, tags: new Map() });

  return {
    key: `${source.table}.${source.column}`,
    categories: classification ? [classification.category] : [],
    unknownTable: source.table,
  };
}

function isProtected(table: TableColumns, column: ColumnModel, catalog: Catalog): boolean {
  return column.projectionPolicy !== undefined || masks(catalog.effectiveMasking(table, column));
}

function findTable(catalog: Catalog, key: string, session: SessionState): TableModel | undefined {
  const qualified = qualifiedWith(key, session);

  return catalog.findTable(qualified) ?? catalog.findTable(key);
}

function findExternalTable(
  catalog: Catalog,
  key: string,
  session: SessionState,
): ExternalTableModel | undefined {
  return catalog.findExternalTable(qualifiedWith(key, session)) ?? catalog.findExternalTable(key);
}

/** A key as written in a query, completed with the session's database and schema. */
function qualifiedWith(key: string, session: SessionState): string {
  const parts = splitKey(key);

  return [
    ...(parts.length < 3 && session.database ? [session.database] : []),
    ...(parts.length < 2 && session.schema ? [session.schema] : []),
    ...parts,
  ].join('.');
}
