import type { NamePart, ObjectName } from '../syntax/ast';

const PLAIN_IDENTIFIER = /^[A-Z_][A-Z0-9_$]*$/;

/** One template placeholder: Jinja, Flyway, SnowSQL, Snowflake CLI or a documentation `<x>`. */
const PLACEHOLDER = String.raw`\{\{[\s\S]*?\}\}|<%[\s\S]*?%>|[$&]\{[^}]*\}|&[A-Za-z_][\w$]*|<\w+>`;
/** A name part that is placeholders and name characters only (`{{ env }}_ADMIN`). */
const TEMPLATED_PART = new RegExp(
  String.raw`^(?:${PLACEHOLDER}|[\w$])*(?:${PLACEHOLDER})(?:${PLACEHOLDER}|[\w$])*$`,
);
/** The parts of a canonical key: quoted, or runs of placeholders and other characters. */
const KEY_PARTS = new RegExp(String.raw`"(?:[^"]|"")*"|(?:${PLACEHOLDER}|[^."])+`, 'g');

/**
 * One identifier as Snowflake would print it: bare when that round-trips, quoted otherwise. A
 * template placeholder keeps the text it is written with, so that the same placeholder gives
 * the same key wherever it is written alike, and a fix that writes the name keeps the template.
 */
export function formatIdentifier(value: string): string {
  if (PLAIN_IDENTIFIER.test(value)) return value;

  return isTemplated(value) ? value : `"${value.replace(/"/g, '""')}"`;
}

/** True when a name part's value is a template placeholder, possibly glued to name characters. */
export function isTemplated(value: string): boolean {
  return value.length >= 2 && /[{<&]/.test(value) && TEMPLATED_PART.test(value);
}

/**
 * The canonical key of a name: each resolved part formatted and joined with dots. `t`, `T` and
 * `"T"` share the key `T`; `"t"` keeps its own, `"t"`.
 */
export function canonicalName(name: ObjectName | readonly NamePart[]): string {
  const parts = 'parts' in name ? name.parts : name;

  return parts.map((part) => formatIdentifier(part.value)).join('.');
}

/** The session's current database and schema, used to qualify partial names. */
export interface NameContext {
  readonly database?: string;
  readonly schema?: string;
}

/**
 * Qualifies a name with the session's database and schema where it leaves them out, returning
 * the canonical key. A name that cannot be resolved statically (`IDENTIFIER($v)`) gives undefined.
 */
export function qualifiedKey(name: ObjectName, context: NameContext): string | undefined {
  if (name.dynamic || name.parts.length === 0) return undefined;
  const parts = name.parts.map((part) => formatIdentifier(part.value));
  if (parts.length === 1 && context.schema) parts.unshift(context.schema);
  if (parts.length === 2 && context.database) parts.unshift(context.database);

  return parts.join('.');
}

/** The last part of a canonical key: `DB.S.T` → `T`. */
export function lastPart(key: string): string {
  // Most keys have no quoted or templated part, and then the last part follows the last dot.
  if (isPlainKey(key) && !key.endsWith('.')) return key.slice(key.lastIndexOf('.') + 1);
  const parts = splitKey(key);

  return parts[parts.length - 1] ?? key;
}

/** Splits a canonical key into its formatted parts, respecting quotes. */
export function splitKey(key: string): string[] {
  if (isPlainKey(key)) return key === '' ? [] : key.split('.').filter((part) => part !== '');

  return key.match(KEY_PARTS) ?? [];
}

/**
 * True when a key holds a template placeholder: it names an object only once the template is
 * rendered, so what the account holds cannot be judged by it.
 */
export function isTemplatedKey(key: string): boolean {
  return !isPlainKey(key) && splitKey(key).some((part) => isTemplated(part));
}

/** A key whose parts hold no dots of their own: none is quoted or a placeholder (`<% a.b %>`). */
function isPlainKey(key: string): boolean {
  return !key.includes('"') && !key.includes('{') && !key.includes('<');
}

/** True when `key` names the same object as `partial`, which may omit leading parts. */
export function keyEndsWith(key: string, partial: string): boolean {
  return key === partial || key.endsWith(`.${partial}`);
}
