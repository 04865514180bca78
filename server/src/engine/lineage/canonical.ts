import { formatIdentifier } from '../model/names';

/** One part of a dotted name as written, before Snowflake's case folding. */
export interface RawPart {
  readonly raw: string;
  readonly quoted: boolean;
}

/**
 * How Snowflake resolves an identifier: unquoted ones fold to upper case, quoted ones are kept
 * verbatim (https://docs.snowflake.com/en/sql-reference/identifiers-syntax).
 */
export function canonicalIdentifier(raw: string, quoted: boolean): string {
  return quoted ? raw : raw.toUpperCase();
}

/**
 * The canonical key of a table from its resolved parts, formatted exactly as `canonicalName`
 * does so that keys from the lineage analyser and from the statement parser compare equal.
 */
export function tableKey(parts: readonly string[]): string {
  return parts.map(formatIdentifier).join('.');
}

// A quoted identifier, or a run of characters that cannot separate or quote a name part.
const NAME_PART = /"(?:[^"]|"")*"|[^.:"\s[\]]+/g;

/**
 * Splits source text such as `s."T".c` or `v:"Key"` into its name parts with their quoting.
 * node-sql-parser drops the quotes of qualified references (`t."Col"` and `t.col` both give
 * `column: 'Col'`/`'col'`), so the analyser reads them back from the source slice instead.
 */
export function splitNameText(text: string): RawPart[] {
  return (text.match(NAME_PART) ?? []).map((token) =>
    token.startsWith('"')
      ? { raw: token.slice(1, -1).replace(/""/g, '"'), quoted: true }
      : { raw: token, quoted: false },
  );
}

/**
 * True when the source of an aliased item ends with the alias in double quotes. The item's
 * slice ends at its alias (node-sql-parser leaves trailing comments out of it), so this is
 * enough to tell `AS "Out"` from `AS out`, which the AST spells the same.
 */
export function endsWithQuotedAlias(text: string, alias: string): boolean {
  return text.trimEnd().endsWith(`"${alias.replace(/"/g, '""')}"`);
}

/**
 * Snowflake names an unaliased expression after its text, upper-cased
 * (`coalesce(p, q)` → `COALESCE(P, Q)`). Quoted identifiers keep their case and runs of
 * whitespace collapse to one space; the result is an approximation, not Snowflake's exact
 * spelling in every case (it may differ in spacing around operators).
 */
export function expressionName(text: string): string {
  const parts = text.trim().split(/("(?:[^"]|"")*")/);

  return parts
    .map((part, index) => (index % 2 === 1 ? part : part.replace(/\s+/g, ' ').toUpperCase()))
    .join('');
}
