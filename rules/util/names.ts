import { canonicalName, formatIdentifier } from '../../server/src/engine/model/names';
import type { ObjectName } from '../../server/src/engine/syntax/ast';

/** A name as messages show it: canonical, or a placeholder for names known only at run time. */
export function shownName(name: ObjectName | undefined): string {
  if (!name) return 'the current user';
  if (name.dynamic || name.parts.length === 0) return '<name set at run time>';

  return canonicalName(name);
}

/** The leading parts of a name (database and schema), to place a new object beside it. */
export function namespaceOf(name: ObjectName): string {
  return name.parts
    .slice(0, -1)
    .map((part) => formatIdentifier(part.value))
    .join('.');
}

export function qualify(namespace: string, object: string): string {
  return namespace ? `${namespace}.${object}` : object;
}

/** `DATABASE ROLE` → `Database role`, for kinds written inside messages. */
export function sentenceCase(words: string): string {
  const lower = words.toLowerCase();

  return lower.charAt(0).toUpperCase() + lower.slice(1);
}
