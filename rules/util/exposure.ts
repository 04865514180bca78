import type { Classifier, PiiCategory } from '../../server/src/engine/model/classify';
import {
  type Catalog,
  type SessionState,
  type TableModel,
  masks,
  tagNamesForClassification,
} from '../../server/src/engine/model/catalog';
import type { LineageSource, QueryLineage } from '../../server/src/engine/lineage/types';
import type { QueryBody } from '../../server/src/engine/syntax/ast';
import { canonicalName, splitKey } from '../../server/src/engine/model/names';

/** Category → output column names that carry it. */
export type ColumnCategories = Map<PiiCategory, string[]>;

const MAX_VIEW_DEPTH = 8;

/**
 * Which categories of personal data reach the query's output, traced through views to base
 * columns. A base column that a masking policy protects does not count: readers without the
 * unmasking role never see its value.
 */
export function outputCategories(
  lineage: QueryLineage,
  classifier: Classifier,
  catalog: Catalog,
  session: SessionState,
  analyze: (query: QueryBody) => QueryLineage | undefined,
): ColumnCategories {
  const exposed: ColumnCategories = new Map();
  for (const output of lineage.outputs) {
    for (const source of output.sources) {
      for (const category of sourceCategories(source, classifier, catalog, session, analyze, 0)) {
        const names = exposed.get(category) ?? [];
        if (!names.includes(output.name)) names.push(output.name);
        exposed.set(category, names);
      }
    }
  }

  return exposed;
}

/**
 * The categories of personal data a lineage source carries once traced to base columns through
 * views. Masked base columns carry none.
 */
export function sourceCategories(
  source: LineageSource,
  classifier: Classifier,
  catalog: Catalog,
  session: SessionState,
  analyze: (query: QueryBody) => QueryLineage | undefined,
  depth: number,
  countMasked = false,
): PiiCategory[] {
  const table = findTable(catalog, source.table, session);
  if (!table || depth > MAX_VIEW_DEPTH) return [];
  const inner = (sources: readonly LineageSource[]): PiiCategory[] =>
    sources.flatMap((next) =>
      sourceCategories(next, classifier, catalog, session, analyze, depth + 1, countMasked),
    );

  if (table.kind === 'view') {
    const statement = table.statement;
    const query = statement.kind === 'create-view' ? statement.query : undefined;
    const viewLineage = query ? analyze(query) : undefined;
    const position = statement.columns.findIndex(
      (definition) => canonicalName([definition.name]) === source.column,
    );
    const output =
      position >= 0
        ? viewLineage?.outputs[position]
        : viewLineage?.outputs.find((o) => o.name === source.column);

    return inner(output?.sources ?? []);
  }
  const column = table.columns.get(source.column);
  if (!column) return [];
  if (!countMasked && masks(catalog.effectiveMasking(table, column))) return [];
  const classification = classifier.classify({
    name: column.spelling,
    tags: tagNamesForClassification(column.tags),
    comment: column.comment,
  });
  // A CTAS column carries whatever its sources carry, whatever it is called.
  const copied = column.copiedFrom ? inner(column.copiedFrom) : [];

  return [...new Set([...(classification ? [classification.category] : []), ...copied])];
}

function findTable(catalog: Catalog, key: string, session: SessionState): TableModel | undefined {
  const parts = splitKey(key);
  const qualified = [
    ...(parts.length < 3 && session.database ? [session.database] : []),
    ...(parts.length < 2 && session.schema ? [session.schema] : []),
    ...parts,
  ].join('.');

  return catalog.findTable(qualified) ?? catalog.findTable(key);
}
