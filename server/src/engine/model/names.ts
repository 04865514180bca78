import type { NamePart, ObjectName } from '../syntax/ast';

const PLAIN_IDENTIFIER = /^[A-Z_][A-Z0-9_$]*$/;

/** One identifier as Snowflake would print it: bare when that round-trips, quoted otherwise. */
export function formatIdentifier(value: string): string {
  return PLAIN_IDENTIFIER.test(value) ? value : `"${value.replace(/"/g, '""')}"`;
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
  // Most keys have no quoted part, and then the last part follows the last dot.
  if (!key.includes('"') && !key.endsWith('.')) return key.slice(key.lastIndexOf('.') + 1);
  const parts = splitKey(key);

  return parts[parts.length - 1] ?? key;
}

/** Splits a canonical key into its formatted parts, respecting quotes. */
export function splitKey(key: string): string[] {
  if (!key.includes('"')) return key === '' ? [] : key.split('.').filter((part) => part !== '');

  return key.match(/"(?:[^"]|"")*"|[^.]+/g) ?? [];
}

/** True when `key` names the same object as `partial`, which may omit leading parts. */
export function keyEndsWith(key: string, partial: string): boolean {
  return key === partial || key.endsWith(`.${partial}`);
}
