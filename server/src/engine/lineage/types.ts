/**
 * Column lineage of a query: for each output column, the base-table columns whose values reach
 * it. Table and column names are canonical keys as produced by `canonicalName`: unquoted names
 * upper-cased, quoted names that need it kept in quotes (`"mixedCase"`), so they can be looked up
 * in the catalog directly. Tables are named as written in the query: `DB.S.T`, `S.T` or `T`.
 */
export interface LineageSource {
  /** Canonical name of the base table (or view) as written in the query. */
  readonly table: string;
  /** Canonical column name: `COL`, or `"mixedCase"` for a quoted name that needs quotes. */
  readonly column: string;
}

export interface OutputColumn {
  /** Canonical output name (alias, or the column name for a plain reference). */
  readonly name: string;
  /** Base columns whose values flow into this output, directly or through expressions. */
  readonly sources: readonly LineageSource[];
  /** True when the value is passed through unchanged (a plain column reference). */
  readonly direct: boolean;
  /**
   * True when the output is only a count or statistic over its sources (`COUNT(DISTINCT dob)`,
   * `AVG(salary)`), which reveals no single row's value.
   */
  readonly summarized?: boolean;
  /**
   * Set when the value reaches the output only for sessions holding one of these roles: the item
   * is a CASE on `IS_ROLE_IN_SESSION('<role>')` whose other branches give constants (see
   * `role-gate.ts`). Role names are the literals as written.
   */
  readonly clearFor?: readonly string[];
}

export interface QueryLineage {
  readonly outputs: readonly OutputColumn[];
  /** Base tables referenced anywhere in the query (FROM, JOIN, subqueries), canonical. */
  readonly tables: readonly string[];
  /**
   * True when some output could not be resolved completely, e.g. `SELECT *` over a table
   * whose columns are unknown. Rules must then avoid claims that need the full list.
   */
  readonly incomplete: boolean;
}

/** Answers which columns a base table has, for `SELECT *` and unqualified references. */
export type ColumnLookup = (table: string) => readonly string[] | undefined;
