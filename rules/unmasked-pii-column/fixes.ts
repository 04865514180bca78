import type {
  Classification,
  Classifier,
  PiiCategory,
} from '../../server/src/engine/model/classify';
import {
  type Catalog,
  type ColumnModel,
  type MaskingPolicyModel,
  type TagModel,
  tagNamesForClassification,
} from '../../server/src/engine/model/catalog';
import { typeFamily } from '../../server/src/engine/model/data-types';
import { type Derived, derivedOnce } from '../../server/src/engine/reads';
import type { AnalyzedFile, EditDraft, FixDraft } from '../../server/src/engine/rules/define';
import type { ColumnDefinition, Statement } from '../../server/src/engine/syntax/ast';
import { namespaceOf } from '../util/names';
import { insertAfter, insertBefore } from '../util/statement-edits';
import { type Placement, fileName, insertAt, laterOf, laterPlacement } from './placement';
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
  text: string,
): FixDraft[] {
  if (!column.dataType && !policies.approved) return [];
  // A policy created later in migration order cannot be named here; `alterFixes` attaches it
  // after its CREATE instead.
  if (policies.reusedLater) return [];

  if (policies.approved) {
    return [
      {
        title: `Attach approved masking policy ${policies.approved} inline`,
        edits: [attachInline(definition, policies.approved, text)],
      },
    ];
  }
  if (!column.dataType) return [];
  const existing = fittingPolicy(catalog, column.dataType, classification.category);
  if (existing) {
    return [
      {
        title: `Attach masking policy ${existing} inline`,
        edits: [attachInline(definition, existing, text)],
      },
    ];
  }
  if (policies.createElsewhere || !policies.createHere) return [];
  const draft = draftPolicy(
    namespaceOf(statement.name),
    classification.category,
    column.dataType,
    policies.unmaskedRoles,
  );

  return [
    {
      title: `Create masking policy ${draft.name} and attach it inline`,
      edits: [insertBefore(statement, draft.sql, text), attachInline(definition, draft.name, text)],
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
  /**
   * Whether a policy may be created just before the column's statement; not where only that
   * one statement fits (`statementSlot`).
   */
  readonly createHere?: boolean;
  /** Where the reusable policy exists at the earliest, when only after the column's statement. */
  readonly reusedLater?: Placement;
}

/**
 * `WITH MASKING POLICY p` on the column definition, where Snowflake's clause order puts it:
 * before any projection policy, tag and COMMENT clause.
 * https://docs.snowflake.com/en/sql-reference/sql/create-table#syntax
 */
export function attachInline(
  definition: ColumnDefinition,
  policy: string,
  text: string,
): EditDraft {
  const at = Math.min(definition.policyInsertAt, commentClauseStart(definition, text));
  const atEnd = at >= definition.end;
  const insertAt = { start: at, end: at };

  return {
    span: insertAt,
    newText: atEnd ? ` WITH MASKING POLICY ${policy}` : `WITH MASKING POLICY ${policy} `,
  };
}

/** Where the definition's `COMMENT [=] '…'` clause starts, or past its end when it has none. */
function commentClauseStart(definition: ColumnDefinition, text: string): number {
  if (!definition.comment) return Number.POSITIVE_INFINITY;
  const keyword = /\bCOMMENT\s*(?:=\s*)?$/i.exec(
    text.slice(definition.start, definition.comment.start),
  );

  return keyword ? definition.start + keyword.index : Number.POSITIVE_INFINITY;
}

/** `ALTER TABLE … MODIFY COLUMN … SET MASKING POLICY p;` after the statement. */
export function attachAfter(target: AlterTarget, policy: string): EditDraft {
  const alter = `ALTER TABLE ${target.table} MODIFY COLUMN ${target.column}`;

  return attachAfterStatement(target, `${alter} SET MASKING POLICY ${policy}`);
}

const familyIndex = new WeakMap<Catalog, Derived<Map<string, MaskingPolicyModel[]>>>();

/** One-argument policies by the type family they take, indexed once per analysis. */
function policiesByFamily(catalog: Catalog): Map<string, MaskingPolicyModel[]> {
  return derivedOnce(familyIndex, catalog, () => {
    const index = new Map<string, MaskingPolicyModel[]>();
    for (const policy of catalog.maskingPolicies.values()) {
      if (policy.argumentTypes.length !== 1) continue;
      const family = typeFamily(policy.argumentTypes[0]) ?? '';
      const list = index.get(family);
      if (list) list.push(policy);
      else index.set(family, [policy]);
    }

    return index;
  });
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
  mac_address: ['mac', 'macaddress'],
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
  /** The table fully qualified, for statements in another file or under another session. */
  readonly tableKey: string;
  /** The column statement's file, and where it starts. */
  readonly path: string;
  readonly start: number;
  readonly column: string;
  /** Offset just after the statement's semicolon. */
  readonly after: number;
  /** The text of the statement's file, whose indentation inserted statements take. */
  readonly text: string;
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
  model: {
    readonly catalog: Catalog;
    readonly classifier: Classifier;
    files: readonly AnalyzedFile[];
  },
  policies: PolicyChoice,
): FixDraft[] {
  const { catalog } = model;
  const alter = `ALTER TABLE ${target.table} MODIFY COLUMN ${target.column}`;
  const laterAlter = `ALTER TABLE ${target.tableKey} MODIFY COLUMN ${target.column}`;
  const fixes: FixDraft[] = [];
  const policy = reusablePolicy(column, classification, catalog, policies);
  if (policy && policies.reusedLater) {
    const where = policies.reusedLater;
    const file = fileName(where.path);
    fixes.push({
      title: `Attach masking policy ${policy} with ALTER TABLE after its CREATE in ${file}`,
      edits: [insertAt(where, `${laterAlter} SET MASKING POLICY ${policy}`, true)],
    });
  } else if (policy) {
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
        insertAfter(
          target.after,
          target.start,
          `${draft.sql.trimEnd()}\n${alter} SET MASKING POLICY ${draft.name};`,
          target.text,
        ),
      ],
    });
  }
  const tag = column.dataType
    ? maskingTag(model, column.dataType, classification.category)
    : undefined;
  if (tag) {
    const value = `'${tag.value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
    const later = laterOf(
      laterPlacement(tag.model.at, target.path, target.start, model.files),
      laterPlacement(tag.model.allowedValuesAt, target.path, target.start, model.files),
    );
    fixes.push(
      later
        ? {
            title:
              `Tag the column with ${tag.model.key}, whose masking policy fits it, with ALTER ` +
              `TABLE in ${fileName(later.path)}`,
            edits: [insertAt(later, `${laterAlter} SET TAG ${tag.model.key} = ${value}`, false)],
          }
        : {
            title: `Tag the column with ${tag.model.key}, whose masking policy fits it`,
            edits: [attachAfterStatement(target, `${alter} SET TAG ${tag.model.key} = ${value}`)],
          },
    );
  }

  return fixes;
}

function attachAfterStatement(target: AlterTarget, statement: string): EditDraft {
  return insertAfter(target.after, target.start, `${statement};`, target.text);
}

/** A tag holding a masking policy for this column's type, and the value to set it to. */
interface MaskingTag {
  readonly model: TagModel;
  readonly value: string;
}

/**
 * The first tag that holds a masking policy for this column's type and allows a value naming the
 * category, so that tag-based masking applies and Snowflake accepts the value.
 */
function maskingTag(
  model: { readonly catalog: Catalog; readonly classifier: Classifier },
  dataType: string,
  category: PiiCategory,
): MaskingTag | undefined {
  for (const tag of maskingTags(model.catalog, typeFamily(dataType))) {
    const value = allowedValueFor(tag, category, model.classifier);
    if (value !== undefined) return { model: tag, value };
  }

  return undefined;
}

/**
 * The value that names the category, when the tag allows one: the category id when any value is
 * allowed; else an allowed value spelled like the id in any case, or one the classifier reads as
 * the category (`'address'` for street addresses on a PII_TYPE tag). Allowed values are written
 * exactly as the tag lists them, since Snowflake accepts only a listed value.
 * https://docs.snowflake.com/en/user-guide/object-tagging/work#set-a-list-of-allowed-tag-values
 */
function allowedValueFor(
  tag: TagModel,
  category: PiiCategory,
  classifier: Classifier,
): string | undefined {
  if (tag.allowedValues === undefined) return category;
  const allowed = [...tag.allowedValues];
  const sameWord = allowed.find((value) => value.toLowerCase() === category.toLowerCase());
  if (sameWord !== undefined) return sameWord;
  const tags = (value: string) => tagNamesForClassification(new Map([[tag.key, value]]));

  return allowed.find(
    (value) => classifier.classify({ name: '', tags: tags(value) })?.category === category,
  );
}

/**
 * Tags holding a masking policy of the type family, memoised per analysis: the answer depends
 * only on the catalog and the family, and a scan of every tag per unmasked column grows with
 * columns × tags.
 */
function maskingTags(catalog: Catalog, family: string | undefined): readonly TagModel[] {
  let byFamily = maskingTagIndex.get(catalog);
  if (!byFamily) {
    byFamily = new Map();
    maskingTagIndex.set(catalog, byFamily);
  }

  return derivedOnce(byFamily, family, () =>
    [...catalog.tags.values()].filter((tag) =>
      [...tag.maskingPolicies].some((key) => {
        const policy = catalog.findMaskingPolicy(key);

        return policy !== undefined && typeFamily(policy.argumentTypes[0]) === family;
      }),
    ),
  );
}

const maskingTagIndex = new WeakMap<Catalog, Map<string | undefined, Derived<TagModel[]>>>();
