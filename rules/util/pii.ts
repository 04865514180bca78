import { type Catalog, type TableModel, columnFacts } from '../../server/src/engine/model/catalog';
import type { Classifier } from '../../server/src/engine/model/classify';
import type { ColumnDefinition } from '../../server/src/engine/syntax/ast';
import { sourceCategories } from './exposure';
import type { Tracing } from './exposure';

/**
 * Names of a table's columns that hold personal data: classified by name, tag or comment, or
 * (for CTAS columns) copied from columns that do. Masking does not matter here: a policy hides
 * values from readers, but the table still stores them.
 */
export function piiColumnsOf(table: TableModel, tracing: Tracing): string[] {
  const found: string[] = [];
  for (const column of table.columns.values()) {
    const classified = tracing.classifier.classify(columnFacts(column));
    const copied = (column.copiedFrom ?? []).some(
      (source) => sourceCategories(source, { ...tracing, countProtected: true }).length > 0,
    );
    if (classified || copied) found.push(column.name);
  }

  return found;
}

/** Names of column definitions that hold personal data by name, tag or comment. */
export function piiDefinitions(
  columns: readonly ColumnDefinition[],
  classifier: Classifier,
): string[] {
  return columns
    .filter((column) =>
      classifier.classify({
        name: column.name.value,
        tags: new Map(
          column.tags.map((tag) => [tag.tag.parts.at(-1)?.value ?? '', tag.value?.value]),
        ),
        comment: column.comment?.value,
      }),
    )
    .map((column) => column.name.value);
}

/** `TABLE.COLUMN` of the personal-data columns of tables under a `DB` or `DB.SCHEMA` key. */
export function piiColumnsUnder(prefix: string, catalog: Catalog, tracing: Tracing): string[] {
  const found: string[] = [];
  for (const table of catalog.tables.values()) {
    if (!table.key.startsWith(`${prefix}.`) || table.kind !== 'table') continue;
    const relative = table.key.slice(prefix.length + 1);
    found.push(...piiColumnsOf(table, tracing).map((column) => `${relative}.${column}`));
  }

  return found;
}

/** A list as messages show it: at most three items, then a count. */
export function summary(items: readonly string[]): string {
  return items.length > 3
    ? `${items.slice(0, 3).join(', ')} and ${items.length - 3} more`
    : items.join(', ');
}
