import type { PiiCategory } from '../../server/src/engine/model/classify';
import {
  type ExternalTableModel,
  type SessionState,
  type TableModel,
  masks,
} from '../../server/src/engine/model/catalog';
import { canonicalName, qualifiedKey } from '../../server/src/engine/model/names';
import type { LineageSource } from '../../server/src/engine/lineage/types';
import type { CreateTableStatement, InsertStatement } from '../../server/src/engine/syntax/ast';
import { sourceCategories } from '../util/exposure';
import { type Context, isChecked } from './checks';

interface Copy {
  readonly target: string;
  readonly sources: readonly LineageSource[];
}

/**
 * CTAS, CLONE and INSERT … SELECT that copy personal data into a column no policy masks. A
 * masked source does not make the copy safe: the role running the copy sees clear values and
 * writes them into the new column. A source column of a table no linted file creates is judged
 * by what migrations and the account say of it, else by its name; an INSERT target of such a
 * table only when its column is known (added by a migration, or listed by the account).
 */
export function checkCopies(
  statement: CreateTableStatement | InsertStatement,
  context: Context,
): void {
  const target = statement.kind === 'insert' ? statement.table : statement.name;
  const table =
    (statement.kind === 'insert'
      ? context.catalog.findTableByName(target, context.session)
      : context.catalog.tableDefinedBy(statement)) ??
    (statement.kind === 'insert'
      ? context.catalog.findExternalTableByName(target, context.session)
      : undefined);
  if (!table || table.kind === 'view') return;
  const copies =
    statement.kind === 'insert'
      ? insertCopies(statement, table, context)
      : table.kind === 'table'
        ? ctasCopies(statement, table, context.session)
        : [];

  const described: string[] = [];
  const targets: string[] = [];
  const copied = new Set<PiiCategory>();
  for (const copy of copies) {
    const column = table.columns.get(copy.target);
    if (!column || masks(context.catalog.effectiveMasking(table, column))) continue;
    const categories = new Set<PiiCategory>();
    for (const source of copy.sources) {
      const found = sourceCategories(source, {
        classifier: context.classifier,
        catalog: context.catalog,
        session: context.session,
        analyze: context.lineage,
        countProtected: true,
        unknownByName: true,
      });
      for (const category of found) {
        if (isChecked(category, context.options)) categories.add(category);
      }
    }
    if (categories.size === 0) continue;
    for (const category of categories) copied.add(category);
    const labels = [...categories].map((category) => context.classifier.label(category)).join(', ');
    described.push(`${copy.sources.map((s) => `${s.table}.${s.column}`).join(' + ')} (${labels})`);
    targets.push(copy.target);
  }
  if (described.length === 0) return;

  const what =
    statement.kind === 'insert'
      ? 'INSERT'
      : statement.cloneOf
        ? 'CLONE'
        : `CREATE ${statement.tableKind ? `${statement.tableKind} ` : ''}TABLE … AS SELECT`;
  // A copy of quasi-identifiers alone weighs what those columns weigh unmasked in place.
  const onlyQuasi = [...copied].every((category) => context.classifier.isQuasiIdentifier(category));
  context.report({
    messageId: 'copiesPii',
    span: target,
    severity: onlyQuasi ? context.options.quasiIdentifierSeverity : undefined,
    data: {
      what,
      sources: described.join(', '),
      target: `${targets.length === 1 ? 'column' : 'columns'} ${targets.join(', ')} of ${table.key}`,
    },
  });
}

/** CTAS columns know their sources; CLONE columns are copies of the same-named source columns. */
function ctasCopies(
  statement: CreateTableStatement,
  table: TableModel,
  session: SessionState,
): Copy[] {
  if (table.statement !== statement) return [];
  if (statement.cloneOf) {
    const source = qualifiedKey(statement.cloneOf, session) ?? canonicalName(statement.cloneOf);

    return [...table.columns.keys()].map((name) => ({
      target: name,
      sources: [{ table: source, column: name }],
    }));
  }
  if (!statement.asQuery) return [];

  return [...table.columns.values()]
    .filter((column) => column.copiedFrom !== undefined)
    .map((column) => ({ target: column.name, sources: column.copiedFrom ?? [] }));
}

/** Outputs fill the listed columns, or the table's columns in order, by position. */
function insertCopies(
  statement: InsertStatement,
  table: TableModel | ExternalTableModel,
  context: Context,
): Copy[] {
  // Without a column list, outputs fill the columns in table order, which is known only for
  // tables a linted file creates with a column list (the account's listing has no order).
  if (statement.columns.length === 0 && (table.kind === 'external' || table.columnsUnknown)) {
    return [];
  }
  const lineage = statement.query ? context.lineage(statement.query) : undefined;
  if (!lineage) return [];
  const targets =
    statement.columns.length > 0
      ? statement.columns.map((column) => canonicalName([column]))
      : [...table.columns.keys()];

  return lineage.outputs.flatMap((output, index) =>
    targets[index] && !output.summarized
      ? [{ target: targets[index], sources: output.sources }]
      : [],
  );
}
