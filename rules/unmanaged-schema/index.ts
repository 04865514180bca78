import { type RuleContext, defineRule } from '../../server/src/engine/rules/define';
import { qualifiedKey } from '../../server/src/engine/model/names';
import { type Catalog, columnFacts } from '../../server/src/engine/model/catalog';
import { derivedEntry } from '../../server/src/engine/reads';
import type { Span } from '../../server/src/engine/source';
import type { ObjectName } from '../../server/src/engine/syntax/ast';
import { shownName } from '../util/names';

type MessageId = 'unmanaged' | 'disabled';

export default defineRule<Record<string, never>, MessageId>({
  name: 'unmanaged-schema',
  description: 'Schemas holding personal data that are created without managed access',
  category: 'access-control',
  defaultSeverity: 'warning',
  messages: {
    unmanaged:
      'Schema {{schema}} holds personal data ({{columns}}) but is created without WITH MANAGED ' +
      'ACCESS, so every table owner can grant access to its tables on their own. Create it ' +
      'WITH MANAGED ACCESS so that only the schema owner or MANAGE GRANTS can grant.',
    disabled:
      'Schema {{schema}} holds personal data ({{columns}}), and this turns managed access off, ' +
      'so every table owner can grant access to its tables on their own.',
  },
  fix: { availability: 'sometimes', safety: 'unsafe' },
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  defaultOptions: {},

  check(statement, context) {
    if (statement.kind === 'create-object' && statement.objectType === 'SCHEMA') {
      if (statement.managedAccess) return;
      const columns = piiColumns(statement.name, context);
      if (columns.length === 0) return;
      context.report({
        messageId: 'unmanaged',
        span: statement.name,
        data: { schema: shownName(statement.name), columns: summary(columns) },
        fixes: statement.cloneOf
          ? []
          : [
              {
                title: 'Create the schema WITH MANAGED ACCESS',
                edits: [{ span: at(statement.name.end), newText: ' WITH MANAGED ACCESS' }],
              },
            ],
      });
    } else if (statement.kind === 'alter-object' && statement.objectType === 'SCHEMA') {
      const action = statement.actions.find((a) => a.type === 'managed-access' && !a.enabled);
      if (!action || !statement.name) return;
      const columns = piiColumns(statement.name, context);
      if (columns.length === 0) return;
      context.report({
        messageId: 'disabled',
        span: action,
        data: { schema: shownName(statement.name), columns: summary(columns) },
      });
    }
  },
});

function at(offset: number): Span {
  return { start: offset, end: offset };
}

/** `TABLE.COLUMN` of the columns of the schema's tables that hold personal data. */
function piiColumns(
  name: ObjectName,
  context: RuleContext<Record<string, never>, MessageId>,
): string[] {
  const key = qualifiedKey(name, {});
  const database = context.session.database;
  const schema = key && !key.includes('.') && database ? `${database}.${key}` : key;
  if (schema === undefined || schema.split('.').length !== 2) return [];
  const found: string[] = [];
  for (const key of tablesOfSchema(context.catalog, schema) ?? []) {
    const table = context.catalog.tables.get(key);
    for (const column of table?.columns.values() ?? []) {
      const classification = context.classifier.classify(columnFacts(column));
      if (classification) found.push(`${key.slice(schema.length + 1)}.${column.name}`);
    }
  }

  return found;
}

/**
 * Keys of the tables (not views) of a `DATABASE.SCHEMA`, in catalog order, from an index made
 * once per analysis so that each schema statement does not scan every table of the workspace.
 * Only the keys are derived: a rule then depends on the tables it reads, and on the index only
 * for which tables its schema holds.
 */
function tablesOfSchema(catalog: Catalog, schema: string): string[] | undefined {
  return derivedEntry(
    'unmanaged-schema/tables-by-schema',
    'catalog',
    catalog,
    tablesBySchema,
    schema,
  );
}

function tablesBySchema(catalog: Catalog): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const table of catalog.tables.values()) {
    if (table.kind !== 'table') continue;
    // The key up to its second dot: the two-part schema `startsWith(schema + '.')` accepts.
    const second = table.key.indexOf('.', table.key.indexOf('.') + 1);
    if (second < 0) continue;
    const schema = table.key.slice(0, second);
    const list = index.get(schema);
    if (list) list.push(table.key);
    else index.set(schema, [table.key]);
  }

  return index;
}

function summary(columns: readonly string[]): string {
  return columns.length > 3
    ? `${columns.slice(0, 3).join(', ')} and ${columns.length - 3} more`
    : columns.join(', ');
}
