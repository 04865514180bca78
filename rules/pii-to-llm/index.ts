import { defineRule } from '../../server/src/engine/rules/define';
import type { LineageSource, QueryLineage } from '../../server/src/engine/lineage/types';
import type { QueryBody, Statement } from '../../server/src/engine/syntax/ast';
import { type AiCall, columnReferences, findAiCalls, guardrailsOn } from '../util/ai-calls';
import { type ExposedColumn, type Tracing, exposedColumns } from '../util/exposure';
import { summary } from '../util/pii';

interface Options {
  requireGuardrails: boolean;
}

type MessageId = 'piiToLlm' | 'guardrailsOff';

export default defineRule<Options, MessageId>({
  name: 'pii-to-llm',
  description:
    'Cortex AI functions applied to unmasked personal data, and COMPLETE without Cortex Guard',
  category: 'data-protection',
  defaultSeverity: 'warning',
  messages: {
    piiToLlm:
      '{{function}} sends personal data to a large language model: {{columns}} ({{categories}}), ' +
      'unmasked. Mask, redact or drop these columns before the call, or leave them out of the prompt.',
    guardrailsOff:
      '{{function}} runs without Cortex Guard, so unsafe or harmful responses are returned as ' +
      "they are. Pass {'guardrails': TRUE} in its options.",
  },
  fix: { availability: 'never', safety: 'unsafe' },
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      requireGuardrails: {
        type: 'boolean',
        description:
          'Report COMPLETE and AI_COMPLETE calls that do not turn Cortex Guard on with ' +
          "{'guardrails': TRUE}.",
      },
    },
  },
  defaultOptions: { requireGuardrails: true },

  check(statement, context) {
    const query = queryOf(statement);
    if (!query) return;
    const calls = findAiCalls(context.file.text, query.start, query.end);
    if (calls.length === 0) return;

    for (const call of calls) {
      if (context.options.requireGuardrails && /COMPLETE$/.test(call.function)) {
        if (guardrailsOn(call) === false) {
          context.report({
            messageId: 'guardrailsOff',
            span: call.argsSpan,
            data: { function: call.name },
            severity: 'info',
          });
        }
      }
    }
    // node-sql-parser reads neither qualified function names nor Snowflake's array and object
    // literals, so lineage runs over the query with each outermost call reduced to the column
    // references it reads.
    const outermost = calls.filter(
      (call) =>
        !calls.some(
          (other) => other !== call && other.start <= call.start && call.end <= other.end,
        ),
    );
    const reduced = (nulled?: AiCall): QueryBody => reduce(query, outermost, nulled);
    const lineage = context.lineage(reduced());
    if (!lineage) return;
    const tracing: Tracing = {
      classifier: context.classifier,
      catalog: context.catalog,
      session: context.session,
      analyze: context.lineage,
    };
    for (const call of outermost) {
      const without = context.lineage(reduced(call));
      const columns = personalColumns(call, lineage, without, tracing);
      if (columns.length === 0) continue;
      const categories = [...new Set(columns.flatMap((column) => column.categories))];
      context.report({
        messageId: 'piiToLlm',
        span: call.nameSpan,
        data: {
          function: call.name,
          columns: summary([...new Set(columns.map((column) => column.key))]),
          categories: categories.join(', '),
        },
      });
    }
  },
});

/** The query a statement runs, where AI functions can be called. */
function queryOf(statement: Statement): QueryBody | undefined {
  switch (statement.kind) {
    case 'create-view':
    case 'select':
    case 'insert':
      return statement.query;
    case 'create-table':
      return statement.asQuery;
    case 'let':
    case 'return':
      return statement.value;
    case 'copy-into':
      return statement.source.type === 'query' ? statement.source.query : undefined;
    default:
      return undefined;
  }
}

/** The query with each call replaced by `AI_CALL(<references>)`, and `nulled` by NULL. */
function reduce(query: QueryBody, calls: readonly AiCall[], nulled?: AiCall): QueryBody {
  let text = '';
  let at = query.start;
  for (const call of calls) {
    const references = columnReferences(call);
    const replacement =
      call === nulled || references.length === 0 ? 'NULL' : `AI_CALL(${references.join(', ')})`;
    text += query.text.slice(at - query.start, call.start - query.start) + replacement;
    at = call.end;
  }
  text += query.text.slice(at - query.start);

  return { start: query.start, end: query.start + text.length, text };
}

/**
 * The unmasked personal-data columns a call reads. The call's own sources are what the output
 * columns lose when the call is replaced by NULL; a call outside the select list (a WHERE, a
 * JOIN condition, a subquery that is not projected) falls back to matching the names it reads
 * against the columns of the tables the query reads.
 */
function personalColumns(
  call: AiCall,
  lineage: QueryLineage,
  without: QueryLineage | undefined,
  tracing: Tracing,
): ExposedColumn[] {
  const lost: LineageSource[] = [];
  if (without && without.outputs.length === lineage.outputs.length) {
    lineage.outputs.forEach((output, index) => {
      const kept = new Set(without.outputs[index].sources.map((s) => `${s.table}.${s.column}`));
      lost.push(...output.sources.filter((s) => !kept.has(`${s.table}.${s.column}`)));
    });
  }
  const names = columnReferences(call).map(lastName);
  const sources =
    lost.length > 0
      ? lost
      : lineage.tables.flatMap((table) => names.map((column) => ({ table, column })));
  const synthetic: QueryLineage = {
    outputs: [{ name: 'AI', sources, direct: false }],
    tables: [],
    incomplete: false,
  };
  const exposed = exposedColumns(synthetic, tracing).get('AI') ?? [];

  return exposed.filter((column) => column.categories.length > 0);
}

/** The canonical column name of a reference: `p.full_name` → `FULL_NAME`. */
function lastName(reference: string): string {
  const last = /("(?:[^"]|"")*"|[^."]+)$/.exec(reference)?.[0] ?? reference;
  if (!last.startsWith('"')) return last.toUpperCase();
  const value = last.slice(1, -1).replace(/""/g, '"');

  return /^[A-Z_][A-Z0-9_$]*$/.test(value) ? value : last;
}
