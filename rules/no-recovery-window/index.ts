import { type RuleContext, defineRule } from '../../server/src/engine/rules/define';
import { qualifiedKey } from '../../server/src/engine/model/names';
import type { Span } from '../../server/src/engine/source';
import type { ObjectName, Statement } from '../../server/src/engine/syntax/ast';
import { shownName } from '../util/names';
import { piiColumnsOf, piiColumnsUnder, piiDefinitions, summary } from '../util/pii';
import { settedProperties } from '../util/security';

type MessageId = 'noRetention' | 'noFailSafe';
type Context = RuleContext<Record<string, never>, MessageId>;

const RETENTION = 'DATA_RETENTION_TIME_IN_DAYS';

export default defineRule<Record<string, never>, MessageId>({
  name: 'no-recovery-window',
  description:
    'Tables, schemas and databases holding personal data with Time Travel off or without Fail-safe',
  category: 'data-protection',
  defaultSeverity: 'warning',
  messages: {
    noRetention:
      '{{objectType}} {{object}} holds personal data ({{columns}}) but sets ' +
      'DATA_RETENTION_TIME_IN_DAYS = 0, so a dropped, truncated or overwritten table cannot be ' +
      'recovered with Time Travel or UNDROP.',
    noFailSafe:
      '{{objectType}} {{object}} holds personal data ({{columns}}) but is {{modifier}}, so it ' +
      'has no Fail-safe and at most one day of Time Travel: data lost to a mistake or an attack ' +
      'cannot be recovered.',
  },
  fix: { availability: 'sometimes', safety: 'unsafe' },
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  defaultOptions: {},

  check(statement, context) {
    const target = targetOf(statement);
    if (!target) return;
    const retention = settedProperties(statement).find(
      (property) => property.key.toUpperCase() === RETENTION && property.value?.value === '0',
    );
    const modifier = modifierOf(statement, context);
    if (!retention && !modifier) return;
    const columns = piiColumns(statement, target, context);
    if (columns.length === 0) return;
    const data = {
      objectType: target.objectType,
      object: shownName(target.name),
      columns: summary(columns),
    };

    if (retention?.value) {
      context.report({
        messageId: 'noRetention',
        span: retention,
        data,
        fixes: [
          {
            title: 'Keep one day of Time Travel',
            edits: [{ span: retention.value, newText: '1' }],
          },
        ],
      });
    }
    if (modifier) {
      const isTemporary = modifier.word !== 'TRANSIENT';
      context.report({
        messageId: 'noFailSafe',
        span: modifier,
        data: { ...data, modifier: modifier.word },
        // A temporary table lives for one session: making it permanent changes more than recovery.
        fixes: isTemporary
          ? []
          : [
              {
                title: `Create a permanent ${target.objectType.toLowerCase()}`,
                edits: [{ span: withSpace(modifier, context.file.text), newText: '' }],
              },
            ],
      });
    }
  },
});

interface Target {
  readonly objectType: 'Table' | 'Schema' | 'Database';
  readonly name: ObjectName;
}

function targetOf(statement: Statement): Target | undefined {
  switch (statement.kind) {
    case 'create-table':
    case 'alter-table':
      return statement.kind === 'alter-table' && statement.objectType !== 'TABLE'
        ? undefined
        : { objectType: 'Table', name: statement.name };
    case 'create-object':
    case 'alter-object': {
      const objectType =
        statement.objectType === 'SCHEMA'
          ? 'Schema'
          : statement.objectType === 'DATABASE'
            ? 'Database'
            : undefined;

      return objectType && statement.name ? { objectType, name: statement.name } : undefined;
    }
    default:
      return undefined;
  }
}

/** The `TRANSIENT` or `TEMPORARY` word of a CREATE, with its span. */
function modifierOf(statement: Statement, context: Context): (Span & { word: string }) | undefined {
  const words =
    statement.kind === 'create-table'
      ? [statement.tableKind]
      : statement.kind === 'create-object'
        ? statement.modifiers
        : [];
  if (!words.some((word) => word && /^(TRANSIENT|TEMP|TEMPORARY|VOLATILE)$/.test(word))) {
    return undefined;
  }
  if (statement.kind !== 'create-table' && statement.kind !== 'create-object') return undefined;
  const head = context.file.text.slice(statement.start, statement.name.start);
  const match = /\b(TRANSIENT|TEMPORARY|TEMP|VOLATILE)\b/i.exec(head);
  if (!match) return undefined;
  const start = statement.start + match.index;

  return { start, end: start + match[0].length, word: match[1].toUpperCase() };
}

/** The word and the blank after it, so that removing it leaves single spacing. */
function withSpace(span: Span, text: string): Span {
  const blank = /^\s+/.exec(text.slice(span.end))?.[0].length ?? 0;

  return { start: span.start, end: span.end + blank };
}

function piiColumns(statement: Statement, target: Target, context: Context): string[] {
  const tracing = {
    classifier: context.classifier,
    catalog: context.catalog,
    session: context.session,
    analyze: context.lineage,
  };
  if (target.objectType === 'Table') {
    const table = context.catalog.findTableByName(target.name, context.session);
    if (table && (statement.kind === 'alter-table' || table.statement === statement)) {
      return piiColumnsOf(table, tracing);
    }

    return statement.kind === 'create-table'
      ? piiDefinitions(statement.columns, context.classifier)
      : [];
  }
  const bare = qualifiedKey(target.name, {});
  const database = context.session.database;
  const key =
    target.objectType === 'Schema' && bare && !bare.includes('.') && database
      ? `${database}.${bare}`
      : bare;
  const depth = target.objectType === 'Schema' ? 2 : 1;
  if (key === undefined || key.split('.').length !== depth) return [];

  return piiColumnsUnder(key, context.catalog, tracing);
}
