/**
 * Tag-based masking as the account applies it. POLICY_REFERENCES reports a masking policy set
 * on a tag once, on the tag (`REF_ENTITY_DOMAIN = 'TAG'`, no column), and TAG_REFERENCES lists
 * where the tag is set, directly only: on a column, or on a table, schema or database whose
 * columns inherit it. Snowflake masks such a column with the tag's policy whose signature has the
 * column's data type
 * (https://docs.snowflake.com/en/user-guide/tag-based-masking-policies). This module turns the
 * tag's policies into one column reference per column they mask, so that everything downstream
 * (the account-level findings and the state migrations are judged against) sees plain columns.
 */
import type { AccountPolicyReference, AccountTagReference } from '../engine/account-state';

/** A POLICY_REFERENCES row with the domain of the object it is set on. */
export interface PolicyRow extends AccountPolicyReference {
  /** `TABLE`, `VIEW`, `TAG`, `ACCOUNT`, `USER`, …; '' when the view did not say. */
  readonly domain: string;
}

/** An ACCOUNT_USAGE.COLUMNS row with its data type when read. */
export interface TypedColumn {
  readonly table: string;
  readonly column: string;
  readonly dataType?: string;
}

export interface TagMaskingInput {
  readonly policyRows: readonly PolicyRow[];
  readonly tagReferences: readonly AccountTagReference[];
  readonly columns: readonly TypedColumn[];
  /** Masking policy key → the data type of its first argument, when read. */
  readonly signatures: ReadonlyMap<string, string>;
  /** Every tag the account defines: names a policy row without a domain as set on a tag. */
  readonly tags: ReadonlySet<string>;
}

/**
 * The policy references on tables and views, plus one masking reference for each column a tag's
 * masking policy reaches. Rows on tags, the account, users and other non-table objects are
 * left out: they name no table.
 */
export function policyReferencesWithTags(input: TagMaskingInput): AccountPolicyReference[] {
  const references: AccountPolicyReference[] = [];
  const tagPolicies = new Map<string, string[]>();
  for (const row of input.policyRows) {
    const domain = row.domain || (!row.column && input.tags.has(row.table) ? 'TAG' : '');
    if (domain === 'TAG') {
      if (row.kind === 'MASKING_POLICY') {
        tagPolicies.set(row.table, [...(tagPolicies.get(row.table) ?? []), row.policy]);
      }
      continue;
    }
    if (domain !== '' && !/TABLE|VIEW/.test(domain)) continue;
    references.push({ policy: row.policy, kind: row.kind, table: row.table, column: row.column });
  }
  if (tagPolicies.size === 0) return references;

  const seen = new Set<string>();
  const mask = (policies: readonly string[], column: TypedColumn): void => {
    const type = typeFamily(column.dataType);
    const policy = policies.find((candidate) => {
      const signature = typeFamily(input.signatures.get(candidate));

      return type === undefined || signature === undefined || type === signature;
    });
    const id = `${column.table}.${column.column}`;
    if (!policy || seen.has(id)) return;
    seen.add(id);
    references.push({
      policy,
      kind: 'MASKING_POLICY',
      table: column.table,
      column: column.column,
    });
  };
  for (const reference of input.tagReferences) {
    const policies = tagPolicies.get(reference.tag);
    if (!policies) continue;
    if (reference.column) {
      const listed = input.columns.find(
        (c) => c.table === reference.object && c.column === reference.column,
      );
      mask(policies, listed ?? { table: reference.object, column: reference.column });
      continue;
    }
    // A tag on a table, schema or database reaches every column beneath it.
    for (const column of input.columns) {
      if (column.table === reference.object || column.table.startsWith(`${reference.object}.`)) {
        mask(policies, column);
      }
    }
  }

  return references;
}

/**
 * The first argument's type of a POLICY_SIGNATURE (`(VAL VARCHAR)`, `(VAL STRING, ROLE TEXT)`),
 * or a data type as COLUMNS reports it.
 */
export function signatureType(signature: string): string | undefined {
  const first = /^\s*\(\s*(?:"[^"]*"|\S+)\s+([A-Za-z_ ]+?)\s*(?:\([^)]*\)\s*)?[,)]/.exec(signature);

  return first?.[1];
}

/** Synonyms folded to one name, so that a VARCHAR policy fits a TEXT column. */
function typeFamily(type: string | undefined): string | undefined {
  const name = type
    ?.trim()
    .toUpperCase()
    .replace(/\s*\(.*$/, '');
  if (!name) return undefined;
  if (/^(N?VARCHAR|N?CHAR(ACTER)?( VARYING)?|STRING|TEXT|NCHAR VARYING)$/.test(name)) return 'TEXT';
  if (/^(NUMBER|NUMERIC|DECIMAL|INT|INTEGER|BIGINT|SMALLINT|TINYINT|BYTEINT)$/.test(name)) {
    return 'NUMBER';
  }
  if (/^(FLOAT[48]?|DOUBLE( PRECISION)?|REAL)$/.test(name)) return 'FLOAT';
  if (name === 'DATETIME') return 'TIMESTAMP_NTZ';
  if (name === 'VARBINARY') return 'BINARY';

  return name;
}
