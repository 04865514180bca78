/**
 * Reading names out of node-sql-parser's AST in Snowflake's canonical form.
 *
 * The Snowflake grammar keeps identifiers as written but loses most of their quoting: a table
 * part keeps it in `surround`, an unqualified `"Name"` becomes a `double_quote_string` node, and
 * `t."Col"` or `AS "Out"` come out exactly like `t.col` or `AS out`. Where the AST drops the
 * quotes, the helpers here read them back from the source slice given by the node's location.
 */
import { formatIdentifier } from '../model/names';

/**
 * A node of node-sql-parser's AST. Its published typings describe the MySQL grammar, not what the
 * Snowflake grammar emits, so every node is read defensively.
 */
export type AstNode = { readonly [key: string]: unknown };

/** Thrown for AST shapes the lineage analyser does not model; it then reports no lineage. */
export class UnsupportedShape extends Error {}

/** A column reference with its parts canonical. */
export interface Reference {
  readonly qualifier: readonly string[];
  readonly column: string;
  /** Semi-structured access (`v:a.b`, `v[0]`): the value is derived, not passed through. */
  readonly path: boolean;
}

/**
 * The canonical key of one identifier, exactly as `canonicalName` formats it, so that names from
 * the lineage analyser compare equal to the catalog's table and column keys. Snowflake folds
 * unquoted identifiers to upper case and keeps quoted ones verbatim
 * (https://docs.snowflake.com/en/sql-reference/identifiers-syntax); the key then keeps the quotes
 * only where the bare name would not read back the same: `col` → `COL`, `"COL"` → `COL`,
 * `"mixedCase"` → `"mixedCase"`.
 */
export function canonicalIdentifier(raw: string, quoted: boolean): string {
  return formatIdentifier(quoted ? raw : raw.toUpperCase());
}

/** The exact source text of a node, when the parser recorded its location. */
export function sourceText(sql: string, node: AstNode): string | undefined {
  const loc = node.loc;
  if (!isNode(loc) || !isNode(loc.start) || !isNode(loc.end)) return undefined;
  const start = loc.start.offset;
  const end = loc.end.offset;

  return typeof start === 'number' && typeof end === 'number' ? sql.slice(start, end) : undefined;
}

/**
 * Reads a `column_ref` node. The AST spreads `s.t.c` over `schema`, `table` and `column`, and
 * `v:a.b` over the same fields with `:` in `notations`; only the parts before the first `:`
 * name a column, the rest is a path into its value.
 */
export function readReference(sql: string, node: AstNode): Reference {
  if (typeof node.column !== 'string') throw new UnsupportedShape('column reference');
  const names = [node.db, node.schema, node.table, node.column].filter(
    (name): name is string => typeof name === 'string' && name !== '',
  );
  const colon = asList(node.notations).indexOf(':');
  const text = sourceText(sql, node) ?? '';
  // Without a double quote in the reference no part is quoted, and splitting can be skipped.
  const written = text.includes('"') ? splitNameText(text) : [];
  const parts = (colon >= 0 ? names.slice(0, colon + 1) : names).map((name, index) => {
    const part = written[index];

    return canonicalIdentifier(name, part !== undefined && part.quoted && part.raw === name);
  });

  return {
    qualifier: parts.slice(0, -1),
    column: parts[parts.length - 1] ?? '',
    path: colon >= 0 || asList(node.array_index).length > 0,
  };
}

/**
 * The canonical parts of a table in FROM. Three-part names fill `db`, `schema` and `table`, but
 * two-part names put the schema in `db`, so the parts are taken in that order, whichever exist.
 */
export function readTableParts(item: AstNode): string[] {
  if (typeof item.table !== 'string') throw new UnsupportedShape('FROM table');
  const surround = isNode(item.surround) ? item.surround : {};
  const parts: string[] = [];
  for (const key of ['db', 'schema', 'table']) {
    const value = item[key];
    if (typeof value === 'string') parts.push(canonicalIdentifier(value, surround[key] === '"'));
  }

  return parts;
}

/**
 * The canonical alias of a select item or FROM item. The item's slice ends at its alias
 * (node-sql-parser leaves trailing comments out of it), so a closing quote there tells
 * `AS "Out"` from `AS out`.
 */
export function readAlias(sql: string, item: AstNode): string | undefined {
  const alias = item.as;
  if (alias == null) return undefined;
  if (typeof alias !== 'string') throw new UnsupportedShape('alias');
  const text = (sourceText(sql, item) ?? '').trimEnd();
  const quoted = text.endsWith(`"${alias.replace(/"/g, '""')}"`);
  // node-sql-parser reads `t NATURAL JOIN u` as `t` aliased NATURAL, losing the join kind.
  if (!quoted && /^natural$/i.test(alias)) throw new UnsupportedShape('NATURAL JOIN');

  return canonicalIdentifier(alias, quoted);
}

/** The canonical name of a CTE, whose AST keeps the quoting as the node type. */
export function readCteName(name: unknown): string {
  if (!isNode(name) || typeof name.value !== 'string') throw new UnsupportedShape('CTE name');

  return canonicalIdentifier(name.value, name.type === 'double_quote_string');
}

/**
 * Snowflake names an unaliased expression after its text, upper-cased
 * (`coalesce(p, q)` → `COALESCE(P, Q)`, whose key is `"COALESCE(P, Q)"`). Quoted identifiers
 * keep their case and runs of whitespace collapse to one space; spacing may still differ from
 * what Snowflake prints.
 */
export function expressionName(text: string): string {
  const parts = text.trim().split(/("(?:[^"]|"")*")/);
  const name = parts
    .map((part, index) => (index % 2 === 1 ? part : part.replace(/\s+/g, ' ').toUpperCase()))
    .join('');

  return formatIdentifier(name);
}

// Literals and comments are matched first so that only real quoted identifiers are captured.
const QUOTED_SPANS =
  /'(?:[^'\\]|\\[\s\S]|'')*'|\$\$[\s\S]*?\$\$|--[^\n]*|\/\/[^\n]*|\/\*[\s\S]*?\*\/|"((?:[^"]|"")*)"/g;

/**
 * True when a quoted identifier contains an escaped quote (`"a""b"`). node-sql-parser splits
 * such identifiers in two (`t."a""b"` becomes column `a` aliased `b`), so their lineage would be
 * wrong rather than missing.
 */
export function hasEscapedQuote(sql: string): boolean {
  if (!sql.includes('""')) return false;
  for (const match of sql.matchAll(QUOTED_SPANS)) if (match[1]?.includes('""')) return true;

  return false;
}

export function isNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asList(value: unknown): readonly unknown[] {
  if (value == null) return [];

  return Array.isArray(value) ? value : [value];
}

interface RawPart {
  readonly raw: string;
  readonly quoted: boolean;
}

// A quoted identifier, or a run of characters that cannot separate or quote a name part.
const NAME_PART = /"(?:[^"]|"")*"|[^.:"\s[\]]+/g;

/** Splits source text such as `s."T".c` or `v:"Key"` into its name parts with their quoting. */
function splitNameText(text: string): RawPart[] {
  return (text.match(NAME_PART) ?? []).map((token) =>
    token.startsWith('"')
      ? { raw: token.slice(1, -1).replace(/""/g, '"'), quoted: true }
      : { raw: token, quoted: false },
  );
}
