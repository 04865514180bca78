import {
  CATEGORY_LABELS,
  type Classification,
  type PiiCategory,
  QUASI_IDENTIFIERS,
  classifyColumn,
  withArticle,
} from '../../server/src/engine/model/classify';
import {
  type Catalog,
  type ColumnModel,
  type TableModel,
  tagNamesForClassification,
} from '../../server/src/engine/model/catalog';
import { type FixDraft, type RuleContext, defineRule } from '../../server/src/engine/rules/define';
import type { ColumnDefinition, Statement } from '../../server/src/engine/syntax/ast';
import { namespaceOf } from '../util/names';
import { typeFamily } from '../util/types';
import { draftPolicy } from './policy-template';

interface Options {
  categories: PiiCategory[];
  unmaskedRoles: string[];
  quasiIdentifierSeverity: 'error' | 'warning' | 'info';
}

type Context = RuleContext<Options, 'unmasked'>;

const ALL_CATEGORIES = Object.keys(CATEGORY_LABELS) as PiiCategory[];

export default defineRule<Options, 'unmasked'>({
  name: 'unmasked-pii-column',
  description: 'Columns holding personal data that no masking policy protects',
  category: 'data-protection',
  defaultSeverity: 'error',
  messages: {
    unmasked:
      'Column {{column}} of {{table}} holds {{category}} (judged by {{evidence}}), and after ' +
      'all migrations no masking policy protects it, directly or through a tag. Every role that ' +
      'can read the table sees clear values.',
  },
  fix: { availability: 'always', safety: 'unsafe' },
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      categories: {
        type: 'array',
        items: { type: 'string', enum: ALL_CATEGORIES },
        description: 'Categories of personal data that must be masked.',
      },
      unmaskedRoles: {
        type: 'array',
        items: { type: 'string' },
        description: 'Roles that see clear values in masking policies the fix creates.',
      },
      quasiIdentifierSeverity: {
        type: 'string',
        enum: ['error', 'warning', 'info'],
        description:
          'Severity for date of birth, postal code and gender, which identify people only in ' +
          'combination.',
      },
    },
  },
  defaultOptions: {
    categories: ALL_CATEGORIES,
    unmaskedRoles: ['PII_READER'],
    quasiIdentifierSeverity: 'warning',
  },

  check(statement, context) {
    if (statement.kind === 'create-table') {
      const table = context.catalog.findTableByName(statement.name, context.session);
      if (!table || table.statement !== statement) return;
      for (const definition of statement.columns)
        checkColumn(definition, table, statement, context);
    } else if (statement.kind === 'alter-table') {
      const table = context.catalog.findTableByName(statement.name, context.session);
      if (!table || table.kind !== 'table') return;
      for (const action of statement.actions) {
        if (action.type === 'add-column') checkColumn(action.column, table, statement, context);
      }
    }
  },
});

function checkColumn(
  definition: ColumnDefinition,
  table: TableModel,
  statement: Statement,
  context: Context,
): void {
  const column = [...table.columns.values()].find(
    (candidate) =>
      candidate.definedAt.path === context.file.path &&
      candidate.definedAt.span.start === definition.start,
  );
  if (!column) return;
  const classification = classify(column);
  if (!classification || !context.options.categories.includes(classification.category)) return;
  if (context.catalog.effectiveMasking(table, column)) return;

  const quasi = QUASI_IDENTIFIERS.has(classification.category);
  context.report({
    messageId: 'unmasked',
    span: definition.name,
    severity: quasi ? context.options.quasiIdentifierSeverity : undefined,
    data: {
      column: column.name,
      table: table.key,
      category: withArticle(CATEGORY_LABELS[classification.category]),
      evidence: classification.evidence,
    },
    fixes:
      statement.kind === 'create-table'
        ? maskingFixes(definition, column, classification, statement, context)
        : [],
  });
}

export function classify(column: ColumnModel): Classification | undefined {
  return classifyColumn({
    name: column.spelling,
    tags: tagNamesForClassification(column.tags),
    comment: column.comment,
  });
}

/**
 * Attaches a masking policy inline. Prefers a workspace policy whose argument type fits and
 * whose name mentions the category; otherwise creates one just before the table.
 */
function maskingFixes(
  definition: ColumnDefinition,
  column: ColumnModel,
  classification: Classification,
  statement: Extract<Statement, { kind: 'create-table' }>,
  context: Context,
): FixDraft[] {
  if (!column.dataType) return [];
  const atEnd = definition.policyInsertAt >= definition.end;
  const clause = (policy: string): string =>
    atEnd ? ` WITH MASKING POLICY ${policy}` : `WITH MASKING POLICY ${policy} `;
  const insertAt = { start: definition.policyInsertAt, end: definition.policyInsertAt };

  const existing = fittingPolicy(context.catalog, column.dataType, classification.category);
  if (existing) {
    return [
      {
        title: `Attach masking policy ${existing}`,
        edits: [{ span: insertAt, newText: clause(existing) }],
      },
    ];
  }
  const draft = draftPolicy(
    namespaceOf(statement.name),
    classification.category,
    column.dataType,
    context.options.unmaskedRoles,
  );

  return [
    {
      title: `Create masking policy ${draft.name} and attach it`,
      edits: [
        { span: { start: statement.start, end: statement.start }, newText: draft.sql },
        { span: insertAt, newText: clause(draft.name) },
      ],
    },
  ];
}

function fittingPolicy(
  catalog: Catalog,
  dataType: string,
  category: PiiCategory,
): string | undefined {
  const family = typeFamily(dataType);
  const fitting = [...catalog.maskingPolicies.values()].filter(
    (policy) => policy.argumentTypes.length === 1 && typeFamily(policy.argumentTypes[0]) === family,
  );
  // A policy meant for another kind of value would mask this one wrongly: reuse one whose name
  // has a word of this category (`MASK_EMAIL`), else a general-purpose one (`MASK_PII`).
  const wordsOf = (key: string): string[] =>
    key
      .slice(key.lastIndexOf('.') + 1)
      .toLowerCase()
      .split(/[^a-z0-9]+/);
  const named = (words: readonly string[]) =>
    fitting.find((policy) => wordsOf(policy.key).some((word) => words.includes(word)));

  return (named(POLICY_NAME_WORDS[category]) ?? named(GENERAL_POLICY_WORDS))?.key;
}

/** Words in a policy's name that show which category it was written for. */
const POLICY_NAME_WORDS: Record<PiiCategory, readonly string[]> = {
  email: ['email', 'mail'],
  phone: ['phone', 'mobile', 'tel', 'telephone'],
  person_name: ['name', 'names'],
  national_id: ['ssn', 'national', 'nin', 'tin', 'tax'],
  date_of_birth: ['dob', 'birth', 'birthdate', 'birthday'],
  street_address: ['address', 'addr', 'street'],
  postal_code: ['zip', 'postal', 'postcode', 'zipcode'],
  ip_address: ['ip', 'ipaddress'],
  payment_card: ['card', 'pan', 'cc', 'payment'],
  bank_account: ['iban', 'bank', 'account'],
  passport: ['passport'],
  drivers_license: ['license', 'licence', 'driver', 'drivers', 'dl'],
  gender: ['gender', 'sex'],
  pii: ['pii'],
};

const GENERAL_POLICY_WORDS = ['pii', 'sensitive', 'default', 'generic', 'redact'];
