import type { QueryLineage } from '../../server/src/engine/lineage/types';
import { canonicalName } from '../../server/src/engine/model/names';
import { defineRule, type EditDraft, type FixDraft } from '../../server/src/engine/rules/define';
import type { Span } from '../../server/src/engine/source';
import type { QueryBody, Statement } from '../../server/src/engine/syntax/ast';
import { shownName } from '../util/names';
import { type ExposedColumn, exposedColumns } from '../util/exposure';
import { type Combination, membersExposed } from './combinations';
import { showsClearOnlyTo } from '../util/roles';
import { maskItem } from './mask-expression';
import { type ListReferences, dropItem, listReferences, selectItems } from './select-list';

interface Options {
  combinations: Combination[];
  unmaskedRoles: string[];
}

export default defineRule<Options, 'forbidden'>({
  name: 'forbidden-projection',
  description: 'Views and queries that expose a forbidden combination of columns together',
  category: 'data-protection',
  defaultSeverity: 'error',
  messages: {
    forbidden: '{{what}} exposes {{combination}} together ({{columns}}). {{advice}}',
  },
  fix: { availability: 'sometimes', safety: 'unsafe' },
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      combinations: {
        type: 'array',
        description:
          'Sets of categories or columns that must never be projected together. A member is ' +
          'exposed when an unprotected base column of that category (or that column itself) ' +
          'reaches the output.',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['name'],
          properties: {
            name: { type: 'string', description: 'How messages name the combination.' },
            categories: {
              type: 'array',
              items: { type: 'string', format: 'category' },
              description: 'Categories that are forbidden together.',
            },
            columns: {
              type: 'array',
              items: { type: 'string' },
              description:
                'Base columns that are forbidden together, as TABLE.COLUMN with the table as ' +
                'qualified as you like (DB.SCHEMA.TABLE.COLUMN, SCHEMA.TABLE.COLUMN, …).',
            },
            message: {
              type: 'string',
              description: 'What to tell the author instead of the default advice.',
            },
          },
        },
      },
      unmaskedRoles: {
        type: 'array',
        items: { type: 'string' },
        description:
          'Roles that may see clear values: an output written as CASE WHEN ' +
          "IS_ROLE_IN_SESSION('<role>') THEN … ELSE <constant> END with only these roles does " +
          'not count, and the masking fix writes it with them. Overrides access.unmaskedRoles ' +
          'for this rule.',
      },
    },
  },
  defaultOptions: {
    combinations: [
      {
        name: 'date of birth, postal code and gender',
        categories: ['date_of_birth', 'postal_code', 'gender'],
      },
    ],
    unmaskedRoles: ['PII_READER'],
  },

  check(statement, context) {
    const target = projectionOf(statement);
    if (!target) return;
    const analysed = context.lineage(target.query);
    if (!analysed) return;
    const lineage = withListedNames(analysed, target.columnNames);
    // A CTAS stores what the creating role saw, so a role-gated CASE masks nothing in the copy.
    const roles = target.readsPerSession ? context.options.unmaskedRoles : [];
    const exposed: Map<string, ExposedColumn[]> = exposedColumns(withoutMasked(lineage, roles), {
      classifier: context.classifier,
      catalog: context.catalog,
      session: context.session,
      analyze: context.lineage,
      clearRoles: roles,
      unknownByName: true,
    });
    for (const combination of context.options.combinations) {
      const outputs = membersExposed(combination, exposed);
      if (!outputs) continue;
      context.report({
        messageId: 'forbidden',
        span: target.span,
        data: {
          what: target.what,
          combination: combination.name,
          columns: outputs.join(', ') + unknownTablesNote(outputs, exposed),
          advice: combination.message ?? adviceFor(combination),
        },
        fixes: projectionFixes(context.file.text, target, lineage, outputs, roles),
      });
    }
  },
});

const ADVICE =
  'Together these re-identify people even though each alone looks harmless. Drop or mask one ' +
  'of them, or protect it with a projection policy';

/**
 * The advice for a combination without a message of its own; the examples of generalised values
 * fit only the built-in combination (found by a helper: a user's `loyalty and amount` got them).
 */
function adviceFor(combination: Combination): string {
  const builtIn = [...(combination.categories ?? [])].sort().join() === BUILT_IN_CATEGORIES;

  return builtIn
    ? `${ADVICE}; generalised values (a birth year, a short postal code) still count, since ` +
        'they narrow people down too.'
    : `${ADVICE}; generalised values still count, since they narrow people down too.`;
}

const BUILT_IN_CATEGORIES = ['date_of_birth', 'gender', 'postal_code'].join();

interface Projection {
  readonly query: QueryBody;
  readonly span: Span;
  readonly what: string;
  /** `CREATE VIEW v (a, b) AS …` names the outputs by position. */
  readonly columnNames?: readonly string[];
  /** Each reader's session evaluates the query (a view, a query), unlike a CTAS's copy. */
  readonly readsPerSession: boolean;
}

/**
 * Per offending output, a fix that removes it from the select list, then per output one that
 * wraps it in a role-gated CASE; offered only when each select item is exactly one output and no
 * column list renames them.
 */
function projectionFixes(
  text: string,
  target: Projection,
  lineage: QueryLineage,
  outputs: readonly string[],
  roles: readonly string[],
): FixDraft[] {
  if (target.columnNames?.length || lineage.incomplete) return [];
  const items = selectItems(text, target.query);
  if (!items || items.length < 2 || items.length !== lineage.outputs.length) return [];
  if (items.some((item) => text.slice(item.start, item.end).endsWith('*'))) return [];
  const positions = outputs
    .map((output) => ({ output, index: lineage.outputs.findIndex((c) => c.name === output) }))
    .filter(({ index }) => index >= 0);

  const references = listReferences(text, target.query);
  const drops = positions.flatMap(({ output, index }) => {
    const edits = dropEdits(text, items, index, output, references);

    return edits ? [{ title: `Drop output column ${output}`, edits }] : [];
  });
  const masks = positions.flatMap(({ output, index }) => {
    const edit = maskItem(text, items[index], output, roles);

    return edit
      ? [{ title: `Mask output column ${output} unless the role may see it`, edits: [edit] }]
      : [];
  });

  return [...drops, ...masks];
}

/**
 * Removes select item `index` and renumbers the GROUP BY and ORDER BY ordinals after it.
 * Undefined when the query still needs the item: an ordinal points at it, or a later clause
 * names its alias, which only the select list defines (a bare column keeps its name in the
 * table, so naming it still works).
 */
function dropEdits(
  text: string,
  items: readonly Span[],
  index: number,
  output: string,
  references: ListReferences,
): EditDraft[] | undefined {
  const position = index + 1;
  if (references.ordinals.some((ordinal) => ordinal.position === position)) return undefined;
  const itemText = text.slice(items[index].start, items[index].end);
  const bareColumn = new RegExp(`(^|\\.)${escapeRegExp(output)}$`, 'i');
  const named = references.names.has(output) && !bareColumn.test(itemText.trim());
  if (named) return undefined;
  const renumbered = references.ordinals
    .filter((ordinal) => ordinal.position > position)
    .map((ordinal) => ({ span: ordinal.span, newText: String(ordinal.position - 1) }));

  return [dropItem(items, index), ...renumbered];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Says when outputs were judged by column names alone, because no linted file creates their
 * table, so the reader knows to check the table itself.
 */
function unknownTablesNote(
  outputs: readonly string[],
  exposed: ReadonlyMap<string, readonly ExposedColumn[]>,
): string {
  const tables = new Set(
    outputs.flatMap((output) =>
      (exposed.get(output) ?? []).flatMap((column) =>
        column.unknownTable && column.categories.length > 0 ? [column.unknownTable] : [],
      ),
    ),
  );
  if (tables.size === 0) return '';
  const names = [...tables].join(', ').replace(/, (?=[^,]*$)/, ' and ');

  return tables.size === 1
    ? `; judged by column names, since ${names} is not created in the linted files`
    : `; judged by column names, since ${names} are not created in the linted files`;
}

/** Outputs that only allowed roles see in clear expose nothing. */
function withoutMasked(lineage: QueryLineage, roles: readonly string[]): QueryLineage {
  if (!lineage.outputs.some((output) => output.clearFor)) return lineage;
  const outputs = lineage.outputs.map((output) =>
    showsClearOnlyTo(output, roles) ? { ...output, sources: [] } : output,
  );

  return { ...lineage, outputs };
}

function withListedNames(lineage: QueryLineage, names: readonly string[] = []): QueryLineage {
  if (names.length === 0) return lineage;
  const outputs = lineage.outputs.map((output, index) => ({
    ...output,
    name: names[index] ?? output.name,
  }));

  return { ...lineage, outputs };
}

/** The query a statement projects, and where to report on it. */
function projectionOf(statement: Statement): Projection | undefined {
  switch (statement.kind) {
    case 'create-view':
      return statement.query
        ? {
            query: statement.query,
            span: statement.name,
            what: `View ${shownName(statement.name)}`,
            columnNames: statement.columns.map((column) => canonicalName([column.name])),
            readsPerSession: true,
          }
        : undefined;
    case 'create-table': {
      const name = shownName(statement.name);

      return statement.asQuery
        ? {
            query: statement.asQuery,
            span: statement.name,
            what: `${statement.tableKind === 'DYNAMIC' ? 'Dynamic table' : 'Table'} ${name}`,
            readsPerSession: false,
          }
        : undefined;
    }
    case 'select':
      return {
        query: statement.query,
        span: {
          start: statement.query.start,
          end: statement.query.start + firstWordLength(statement.query.text),
        },
        what: 'This query',
        readsPerSession: true,
      };
    default:
      return undefined;
  }
}

function firstWordLength(text: string): number {
  return /^\w+/.exec(text)?.[0].length ?? 1;
}
