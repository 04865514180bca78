import type { PiiCategory } from '../../server/src/engine/model/classify';
import { defineRule } from '../../server/src/engine/rules/define';
import type { Span } from '../../server/src/engine/source';
import type { QueryBody, Statement } from '../../server/src/engine/syntax/ast';
import { shownName } from '../util/names';
import { type ColumnCategories, outputCategories } from '../util/exposure';

interface Combination {
  name: string;
  categories: PiiCategory[];
}

interface Options {
  combinations: Combination[];
}

export default defineRule<Options, 'forbidden'>({
  name: 'forbidden-projection',
  description: 'Views and queries that expose a forbidden combination of columns together',
  category: 'data-protection',
  defaultSeverity: 'error',
  messages: {
    forbidden:
      '{{what}} exposes {{combination}} together ({{columns}}). Together these re-identify ' +
      'people even though each alone looks harmless. Drop or mask one of them; generalised ' +
      'values (a birth year, a short postal code) still count, since they narrow people down too.',
  },
  fix: { availability: 'never', safety: 'unsafe' },
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      combinations: {
        type: 'array',
        description: 'Sets of categories that must never be projected together.',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'categories'],
          properties: {
            name: { type: 'string', description: 'How messages name the combination.' },
            categories: {
              type: 'array',
              minItems: 2,
              items: { type: 'string', format: 'category' },
              description: 'Categories that are forbidden together.',
            },
          },
        },
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
  },

  check(statement, context) {
    const target = projectionOf(statement);
    if (!target) return;
    const lineage = context.lineage(target.query);
    if (!lineage) return;
    const exposed: ColumnCategories = outputCategories(
      lineage,
      context.classifier,
      context.catalog,
      context.session,
      context.lineage,
    );
    for (const combination of context.options.combinations) {
      const columns = combination.categories.map((category) => exposed.get(category));
      if (columns.some((names) => names === undefined)) continue;
      context.report({
        messageId: 'forbidden',
        span: target.span,
        data: {
          what: target.what,
          combination: combination.name,
          columns: columns.map((names) => (names as string[]).join('/')).join(', '),
        },
      });
    }
  },
});

interface Projection {
  readonly query: QueryBody;
  readonly span: Span;
  readonly what: string;
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
          }
        : undefined;
    case 'create-table':
      return statement.asQuery
        ? {
            query: statement.asQuery,
            span: statement.name,
            what: `Table ${shownName(statement.name)}`,
          }
        : undefined;
    case 'select':
      return {
        query: statement.query,
        span: {
          start: statement.query.start,
          end: statement.query.start + firstWordLength(statement.query.text),
        },
        what: 'This query',
      };
    default:
      return undefined;
  }
}

function firstWordLength(text: string): number {
  return /^\w+/.exec(text)?.[0].length ?? 1;
}
