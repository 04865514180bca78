import {
  type Classification,
  type Classifier,
  type PiiCategory,
  withArticle,
} from '../../server/src/engine/model/classify';
import {
  type ColumnModel,
  type TableColumns,
  masks,
  columnFacts,
} from '../../server/src/engine/model/catalog';
import { typeFamily } from '../../server/src/engine/model/data-types';
import { canonicalName, qualifiedKey } from '../../server/src/engine/model/names';
import type { RuleContext } from '../../server/src/engine/rules/define';
import type { Span } from '../../server/src/engine/source';
import type {
  ColumnDefinition,
  NamePart,
  PolicyReference,
  Statement,
} from '../../server/src/engine/syntax/ast';
import type { FixDraft } from '../../server/src/engine/rules/define';
import {
  type PolicyChoice,
  alterFixes,
  attachAfter,
  attachInline,
  maskingFixes,
  reusablePolicy,
} from './fixes';
import { laterPlacement } from './placement';
import { policiesFileFix } from './policies-file';
import { namespaceOf } from '../util/names';
import { canAddStatementsBeside } from '../util/statement-edits';

export interface Options {
  /** Categories to check; every known category when absent. */
  categories?: PiiCategory[];
  unmaskedRoles: string[];
  /** Category id → the masking policy the organisation approved for it; used by the fix. */
  approvedPolicies?: Record<string, string>;
  quasiIdentifierSeverity: 'error' | 'warning' | 'info';
  /** Where the fix creates new masking policies, relative to the config's folder. */
  policiesFile?: string;
}

export type MessageId = 'unmasked' | 'failsOpen' | 'policyTypeMismatch' | 'copiesPii';

export type Context = RuleContext<Options, MessageId>;

/**
 * `CREATE TABLE t3 LIKE t`: each column t3 takes from t is judged as a column of t3, reported
 * at the name of the table it was copied from (it has no definition of its own).
 */
export function checkLikeColumns(table: TableColumns, at: Span, context: Context): void {
  for (const column of table.columns.values()) {
    const classification = classify(column, context.classifier);
    if (!classification || !isChecked(classification.category, context.options)) continue;
    const masking = context.catalog.effectiveMasking(table, column);
    if (masks(masking)) continue;
    const data = {
      column: column.name,
      table: table.key,
      category: withArticle(context.classifier.label(classification.category)),
      evidence: classification.evidence,
    };
    const severity = context.classifier.isQuasiIdentifier(classification.category)
      ? context.options.quasiIdentifierSeverity
      : undefined;
    if (masking) {
      const policy = { ...data, policy: masking.policy, reason: masking.failsOpen ?? '' };
      context.report({ messageId: 'failsOpen', span: at, severity, data: policy });
    } else {
      context.report({ messageId: 'unmasked', span: at, severity, data });
    }
  }
}

/** Reports a personal-data column defined here that nothing masks after all migrations. */
export function checkColumn(
  definition: ColumnDefinition,
  table: TableColumns,
  statement: Statement,
  context: Context,
): void {
  const column = columnDefinedAt(table, context.file.path, definition.start);
  if (!column) return;
  const classification = classify(column, context.classifier);
  if (!classification || !isChecked(classification.category, context.options)) return;
  const masking = context.catalog.effectiveMasking(table, column);
  if (masks(masking)) return;

  const data = {
    column: column.name,
    table: table.key,
    category: withArticle(context.classifier.label(classification.category)),
    evidence: classification.evidence,
  };
  const severity = context.classifier.isQuasiIdentifier(classification.category)
    ? context.options.quasiIdentifierSeverity
    : undefined;
  if (masking) {
    const reason = masking.failsOpen ?? '';
    context.report({
      messageId: 'failsOpen',
      span: definition.name,
      severity,
      data: { ...data, policy: masking.policy, reason },
    });

    return;
  }
  context.report({
    messageId: 'unmasked',
    span: definition.name,
    severity,
    data,
    fixes: fixesFor(definition, column, classification, statement, table, context),
  });
}

function fixesFor(
  definition: ColumnDefinition,
  column: ColumnModel,
  classification: Classification,
  statement: Statement,
  table: TableColumns,
  context: Context,
): FixDraft[] {
  if (statement.kind !== 'create-table' && statement.kind !== 'alter-table') return [];
  const { policiesFile } = context.options;
  const { catalog, files } = context;
  const chosen: PolicyChoice = {
    unmaskedRoles: context.options.unmaskedRoles,
    approved: context.options.approvedPolicies?.[classification.category],
    createElsewhere: policiesFile !== undefined,
  };
  const reused = reusablePolicy(column, classification, catalog, chosen);
  const reusedAt = reused === undefined ? undefined : catalog.findMaskingPolicy(reused)?.at;
  const policies: PolicyChoice = {
    ...chosen,
    reusedLater: laterPlacement(reusedAt, context.file.path, statement.start, files),
  };
  const text = context.file.text;
  // Where only the column's statement fits (a task body, a quoted string), no statement may be
  // added beside it: only attaching an existing policy inline is offered.
  const canAddStatements = canAddStatementsBeside(statement, context.file);
  const here: PolicyChoice = { ...policies, createHere: canAddStatements };
  const target = {
    table: text.slice(statement.name.start, statement.name.end),
    tableKey: table.key,
    path: context.file.path,
    start: statement.start,
    column: text.slice(definition.name.start, definition.name.end),
    after: text[statement.end] === ';' ? statement.end + 1 : statement.end,
    text,
    namespace: namespaceOf(statement.name),
    where: statement.kind === 'create-table' ? '(table already created)' : '… MODIFY COLUMN',
  };
  const inline =
    statement.kind === 'create-table'
      ? maskingFixes(definition, column, classification, statement, catalog, here, text)
      : [];
  if (!canAddStatements) return inline;
  const model = { catalog, classifier: context.classifier, files };
  const alter = alterFixes(target, column, classification, model, policies);
  const created =
    policiesFile !== undefined && reused === undefined
      ? policiesFileFix(
          {
            configured: policiesFile,
            file: context.file,
            files: context.files,
            table,
            column: target.column,
            attachHere: (policy) =>
              statement.kind === 'create-table'
                ? attachInline(definition, policy, text)
                : attachAfter(target, policy),
          },
          column,
          classification,
          policies.unmaskedRoles,
        )
      : undefined;

  return [...(created ? [created] : []), ...inline, ...alter];
}

/**
 * A masking policy's first argument must have the column's type; Snowflake rejects the
 * attachment otherwise. Only policies the workspace defines can be checked.
 */
export function checkPolicyType(
  reference: PolicyReference | undefined,
  columnName: NamePart,
  table: TableColumns,
  context: Context,
): void {
  if (!reference || reference.policy.dynamic) return;
  const column = table.columns.get(canonicalName([columnName]));
  const policy =
    context.catalog.findMaskingPolicy(
      qualifiedKey(reference.policy, context.session) ?? canonicalName(reference.policy),
    ) ?? context.catalog.findMaskingPolicy(canonicalName(reference.policy));
  const policyType = policy?.argumentTypes[0];
  if (!column?.dataType || !policyType) return;
  if (typeFamily(policyType) === typeFamily(column.dataType)) return;
  context.report({
    messageId: 'policyTypeMismatch',
    span: reference.policy,
    data: {
      policy: policy.key,
      policyType,
      column: column.name,
      columnType: column.dataType,
    },
  });
}

/**
 * The table's column defined at `start` of `path`. A scan without building keys: tables hold
 * tens of columns, and every defined column of every table is looked up once per analysis.
 */
function columnDefinedAt(
  table: TableColumns,
  path: string,
  start: number,
): ColumnModel | undefined {
  for (const column of table.columns.values()) {
    if (column.definedAt.span.start === start && column.definedAt.path === path) return column;
  }

  return undefined;
}

export function isChecked(category: PiiCategory, options: Options): boolean {
  return options.categories === undefined || options.categories.includes(category);
}

export function classify(column: ColumnModel, classifier: Classifier): Classification | undefined {
  return classifier.classify(columnFacts(column));
}
