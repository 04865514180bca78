import type { Classification, PiiCategory } from '../../server/src/engine/model/classify';
import type {
  Catalog,
  ColumnModel,
  MaskingPolicyModel,
} from '../../server/src/engine/model/catalog';
import { typeFamily } from '../../server/src/engine/model/data-types';
import type { EditDraft, FixDraft } from '../../server/src/engine/rules/define';
import type { ColumnDefinition, Statement } from '../../server/src/engine/syntax/ast';
import { namespaceOf } from '../util/names';
import { draftPolicy } from './policy-template';

/**
 * Attaches a masking policy inline. Prefers a workspace policy whose argument type fits and
 * whose name mentions the category; otherwise creates one just before the table.
 */
export function maskingFixes(
  definition: ColumnDefinition,
  column: ColumnModel,
  classification: Classification,
  statement: Extract<Statement, { kind: 'create-table' }>,
  catalog: Catalog,
  policies: PolicyChoice,
): FixDraft[] {
  if (!column.dataType && !policies.approved) return [];

  if (policies.approved) {
    return [
      {
        title: `Attach approved masking policy ${policies.approved}`,
        edits: [attachInline(definition, policies.approved)],
      },
    ];
  }
  if (!column.dataType) return [];
  const existing = fittingPolicy(catalog, column.dataType, classification.category);
  if (existing) {
    return [
      {
        title: `Attach masking policy ${existing}`,
        edits: [attachInline(definition, existing)],
      },
    ];
  }
  if (policies.createElsewhere) return [];
  const draft = draftPolicy(
    namespaceOf(statement.name),
    classification.category,
    column.dataType,
    policies.unmaskedRoles,
  );

  return [
    {
      title: `Create masking policy ${draft.name} and attach it`,
      edits: [
        { span: { start: statement.start, end: statement.start }, newText: draft.sql },
        attachInline(definition, draft.name),
      ],
    },
  ];
}

/** The approved policy for the category, or a workspace policy that fits the column. */
export function reusablePolicy(
  column: ColumnModel,
  classification: Classification,
  catalog: Catalog,
  policies: PolicyChoice,
): string | undefined {
  if (policies.approved) return policies.approved;

  return column.dataType
    ? fittingPolicy(catalog, column.dataType, classification.category)
    : undefined;
}

/** Which policy the fixes attach, and whether they may create one in the linted file. */
export interface PolicyChoice {
  readonly unmaskedRoles: readonly string[];
  readonly approved?: string;
  /** A policies file is configured: new policies go there (`policies-file.ts`), not here. */
  readonly createElsewhere?: boolean;
}

/** `WITH MASKING POLICY p` on the column definition. */
export function attachInline(definition: ColumnDefinition, policy: string): EditDraft {
  const atEnd = definition.policyInsertAt >= definition.end;
  const insertAt = { start: definition.policyInsertAt, end: definition.policyInsertAt };

  return {
    span: insertAt,
    newText: atEnd ? ` WITH MASKING POLICY ${policy}` : `WITH MASKING POLICY ${policy} `,
  };
}

/** `ALTER TABLE … MODIFY COLUMN … SET MASKING POLICY p;` after the statement. */
export function attachAfter(target: AlterTarget, policy: string): EditDraft {
  return {
    span: { start: target.after, end: target.after },
    newText: `\nALTER TABLE ${target.table} MODIFY COLUMN ${target.column} SET MASKING POLICY ${policy};`,
  };
}

const familyIndex = new WeakMap<Catalog, Map<string, MaskingPolicyModel[]>>();

/** One-argument policies by the type family they take, indexed once per analysis. */
function policiesByFamily(catalog: Catalog): Map<string, MaskingPolicyModel[]> {
  let index = familyIndex.get(catalog);
  if (!index) {
    index = new Map();
    for (const policy of catalog.maskingPolicies.values()) {
      if (policy.argumentTypes.length !== 1) continue;
      const family = typeFamily(policy.argumentTypes[0]) ?? '';
      const list = index.get(family);
      if (list) list.push(policy);
      else index.set(family, [policy]);
    }
    familyIndex.set(catalog, index);
  }

  return index;
}

function fittingPolicy(
  catalog: Catalog,
  dataType: string,
  category: PiiCategory,
): string | undefined {
  const family = typeFamily(dataType) ?? '';
  const fitting = policiesByFamily(catalog).get(family) ?? [];
  // A policy meant for another kind of value would mask this one wrongly: reuse one whose name
  // has a word of this category (`MASK_EMAIL`), else a general-purpose one (`MASK_PII`).
  const firstByWord = policyWordIndex(catalog, family, fitting);
  const named = (words: readonly string[]): MaskingPolicyModel | undefined => {
    if (fitting.length === 0) return undefined;
    let first: number | undefined;
    for (const word of words) {
      const at = firstByWord.get(word);
      if (at !== undefined && (first === undefined || at < first)) first = at;
    }

    return first === undefined ? undefined : fitting[first];
  };

  // A category the user defined has no word list; the words of its id stand in for one.
  const words = POLICY_NAME_WORDS[category] ?? category.split('_');

  return (named(words) ?? named(GENERAL_POLICY_WORDS))?.key;
}

const wordIndex = new WeakMap<Catalog, Map<string, Map<string, number>>>();

/**
 * For one type family: each word of a policy name → the position of the first policy whose name
 * has it, so that finding the first fitting policy does not split every policy name per column.
 */
function policyWordIndex(
  catalog: Catalog,
  family: string,
  fitting: readonly MaskingPolicyModel[],
): Map<string, number> {
  let byFamily = wordIndex.get(catalog);
  if (!byFamily) {
    byFamily = new Map();
    wordIndex.set(catalog, byFamily);
  }
  let index = byFamily.get(family);
  if (!index) {
    index = new Map();
    for (const [position, policy] of fitting.entries()) {
      const key = policy.key;
      const words = key
        .slice(key.lastIndexOf('.') + 1)
        .toLowerCase()
        .split(/[^a-z0-9]+/);
      for (const word of words) if (!index.has(word)) index.set(word, position);
    }
    byFamily.set(family, index);
  }

  return index;
}

/** Words in a policy's name that show which category it was written for. */
const POLICY_NAME_WORDS: Partial<Record<PiiCategory, readonly string[]>> = {
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

/** Where an `ALTER TABLE … MODIFY COLUMN` fix goes and what it names. */
export interface AlterTarget {
  /** The table as the statement names it. */
  readonly table: string;
  readonly column: string;
  /** Offset just after the statement's semicolon. */
  readonly after: number;
  /** Database and schema for a policy the fix creates. */
  readonly namespace: string;
  /** How the title says where the statement goes. */
  readonly where: string;
}

/**
 * Attaches a policy, or a tag that carries one, with `ALTER TABLE … MODIFY COLUMN` after the
 * statement: the only way for a column added by ALTER, and an alternative to editing a CREATE
 * that an earlier migration may already have run.
 */
export function alterFixes(
  target: AlterTarget,
  column: ColumnModel,
  classification: Classification,
  catalog: Catalog,
  policies: PolicyChoice,
): FixDraft[] {
  const insertAt = { start: target.after, end: target.after };
  const alter = `ALTER TABLE ${target.table} MODIFY COLUMN ${target.column}`;
  const fixes: FixDraft[] = [];
  const policy = reusablePolicy(column, classification, catalog, policies);
  if (policy) {
    fixes.push({
      title: `Attach masking policy ${policy} with ALTER TABLE ${target.where}`,
      edits: [attachAfter(target, policy)],
    });
  } else if (column.dataType && !policies.createElsewhere) {
    const draft = draftPolicy(
      target.namespace,
      classification.category,
      column.dataType,
      policies.unmaskedRoles,
    );
    fixes.push({
      title: `Create masking policy ${draft.name} and attach it with ALTER TABLE ${target.where}`,
      edits: [
        {
          span: insertAt,
          newText: `\n${draft.sql.trimEnd()}\n${alter} SET MASKING POLICY ${draft.name};`,
        },
      ],
    });
  }
  const tag = column.dataType ? maskingTag(catalog, column.dataType) : undefined;
  if (tag) {
    fixes.push({
      title: `Tag the column with ${tag}, whose masking policy fits it`,
      edits: [
        { span: insertAt, newText: `\n${alter} SET TAG ${tag} = '${classification.category}';` },
      ],
    });
  }

  return fixes;
}

/** A tag holding a masking policy for this column's type, so that tag-based masking applies. */
function maskingTag(catalog: Catalog, dataType: string): string | undefined {
  const family = typeFamily(dataType);
  let byFamily = maskingTagIndex.get(catalog);
  if (!byFamily) {
    byFamily = new Map();
    maskingTagIndex.set(catalog, byFamily);
  }
  // Memoised per analysis: the answer depends only on the catalog and the type family, and a
  // scan of every tag per unmasked column grows with columns × tags.
  if (byFamily.has(family)) return byFamily.get(family);
  const found = firstMaskingTag(catalog, family);
  byFamily.set(family, found);

  return found;
}

const maskingTagIndex = new WeakMap<Catalog, Map<string | undefined, string | undefined>>();

function firstMaskingTag(catalog: Catalog, family: string | undefined): string | undefined {
  for (const tag of catalog.tags.values()) {
    for (const key of tag.maskingPolicies) {
      const policy = catalog.findMaskingPolicy(key);
      if (policy && typeFamily(policy.argumentTypes[0]) === family) return tag.key;
    }
  }

  return undefined;
}
