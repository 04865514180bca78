import { type Catalog, roleGrantsChangedBy } from './model/catalog';
import { lastPart } from './model/names';
import { Fact } from './reads';
import type { Span } from './source';

/** Where an old location's span lies now, or undefined when the text there changed. */
export type MoveSpan = (path: string, span: Span) => Span | undefined;

/**
 * The keys whose facts differ between two catalogs, by fact, as reads record them (name maps by
 * last name part, the others by exact key). Locations are compared after moving the old one
 * across the edits, so a table that only moved with the text is unchanged; a syntax node is
 * the same only when it is the same object, which the incremental parse keeps for every
 * statement whose text did not change. A key whose place in its collection's order changed
 * counts as changed, since rules that iterate a collection may take the first fitting entry.
 */
export function catalogChanges(
  before: Catalog,
  after: Catalog,
  moveSpan: MoveSpan,
): Map<Fact, Set<string>> {
  const same = (a: unknown, b: unknown): boolean => sameValue(a, b, moveSpan);
  const byName = (keys: Iterable<string>): Set<string> => new Set([...keys].map(lastPart));
  const changes = new Map<Fact, Set<string>>();
  const note = (fact: Fact, keys: Set<string>): void => {
    if (keys.size > 0) changes.set(fact, keys);
  };
  note(Fact.tables, byName(changedKeys(before.tables, after.tables, same)));
  note(Fact.externalTables, byName(changedKeys(before.externalTables, after.externalTables, same)));
  note(
    Fact.maskingPolicies,
    byName(changedKeys(before.maskingPolicies, after.maskingPolicies, same)),
  );
  note(Fact.tags, byName(changedKeys(before.tags, after.tags, same)));
  note(Fact.stages, byName(changedKeys(before.stages, after.stages, same)));
  note(
    Fact.storageIntegrations,
    changedKeys(before.storageIntegrations, after.storageIntegrations, same),
  );
  note(Fact.roles, changedMembers(before.roles, after.roles));
  note(Fact.users, changedMembers(before.users, after.users));
  note(Fact.grants, withRoleGrantKeys(changedKeys(before.grantIndex, after.grantIndex, same)));
  note(Fact.defaultRoles, changedKeys(before.defaultRoles, after.defaultRoles, same));
  note(Fact.containerTags, changedKeys(before.containerTags, after.containerTags, same));

  return changes;
}

/** Changed grant keys, with the per-user keys `Catalog.rolesHeldBy` reads them by. */
function withRoleGrantKeys(keys: Set<string>): Set<string> {
  for (const key of [...keys]) {
    const readKey = roleGrantsChangedBy(key);
    if (readKey) keys.add(readKey);
  }

  return keys;
}

/** Keys added, removed, moved in order or holding a different value. */
function changedKeys<V>(
  before: ReadonlyMap<string, V>,
  after: ReadonlyMap<string, V>,
  same: (a: V, b: V) => boolean,
): Set<string> {
  const changed = new Set<string>();
  // Walked side by side: most keys keep their place, and most values are the very same model.
  const theirs = Map.prototype.entries.call(after) as IterableIterator<[string, V]>;
  for (const [oldKey, oldValue] of Map.prototype.entries.call(before) as Iterable<[string, V]>) {
    const next = theirs.next();
    if (next.done) {
      changed.add(oldKey);
      continue;
    }
    const [newKey, newValue] = next.value;
    if (oldKey !== newKey) {
      changed.add(oldKey);
      changed.add(newKey);
    } else if (oldValue !== newValue && !same(oldValue, newValue)) {
      changed.add(oldKey);
    }
  }
  for (let next = theirs.next(); !next.done; next = theirs.next()) changed.add(next.value[0]);

  return changed;
}

function changedMembers(before: ReadonlySet<string>, after: ReadonlySet<string>): Set<string> {
  const changed = new Set<string>();
  const theirs = Set.prototype.values.call(after) as IterableIterator<string>;
  for (const member of Set.prototype.values.call(before) as Iterable<string>) {
    const next = theirs.next();
    if (next.done || next.value !== member) {
      changed.add(member);
      if (!next.done) changed.add(next.value);
    }
  }
  for (let next = theirs.next(); !next.done; next = theirs.next()) changed.add(next.value);

  return changed;
}

/**
 * Deep equality of two catalog values (models, session states), with maps and sets compared in
 * order, locations compared across the edits and syntax nodes by identity. It runs over the
 * whole catalog on every edit, so it loops without allocating.
 */
export function sameValue(a: unknown, b: unknown, moveSpan: MoveSpan): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i], moveSpan)) return false;

    return true;
  }
  if (a instanceof Map) return b instanceof Map && sameMaps(a, b, moveSpan);
  if (a instanceof Set) return b instanceof Set && sameSets(a, b, moveSpan);
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  if (isLocation(left)) return isLocation(right) && sameLocations(left, right, moveSpan);
  // Syntax nodes are kept as objects only by an unchanged statement: identity decides.
  if (typeof left.kind === 'string' && typeof left.start === 'number') return false;
  let keys = 0;
  for (const key in left) {
    keys++;
    const value = left[key];
    if (value === undefined && !(key in right)) return false;
    if (!sameValue(value, right[key], moveSpan)) return false;
  }
  for (const key in right) if (key !== undefined) keys--;

  return keys === 0;
}

function sameMaps(
  a: ReadonlyMap<unknown, unknown>,
  b: ReadonlyMap<unknown, unknown>,
  moveSpan: MoveSpan,
): boolean {
  if (a.size !== b.size) return false;
  const theirs = b.entries();
  for (const [key, value] of a) {
    const next = theirs.next();
    if (next.done || next.value[0] !== key || !sameValue(value, next.value[1], moveSpan)) {
      return false;
    }
  }

  return true;
}

function sameSets(a: ReadonlySet<unknown>, b: ReadonlySet<unknown>, moveSpan: MoveSpan): boolean {
  if (a.size !== b.size) return false;
  const theirs = b.values();
  for (const value of a) if (!sameValue(value, theirs.next().value, moveSpan)) return false;

  return true;
}

function sameLocations(
  a: { path: string; span: Span },
  b: { path: string; span: Span },
  moveSpan: MoveSpan,
): boolean {
  if (a.path !== b.path) return false;
  const moved = moveSpan(a.path, a.span);

  return moved !== undefined && moved.start === b.span.start && moved.end === b.span.end;
}

function isLocation(value: Record<string, unknown>): value is { path: string; span: Span } {
  return typeof value.path === 'string' && typeof value.span === 'object' && value.span !== null;
}
