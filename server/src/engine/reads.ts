/**
 * What a rule read while it judged one statement, so that its findings can be kept across an
 * edit that changed nothing it read (see `statement-results.ts`). Reads are recorded only while
 * a `ReadLog` is active, which the workspace does only once a file is being edited: a one-off
 * analysis (the CLI) pays nothing but a check of one variable per lookup.
 */

/**
 * The kinds of fact a read can depend on; each read pairs one with a key. Catalog name maps are
 * keyed by the last part of the name looked up (see `NameMap`), other catalog maps and sets by
 * exact key, `statements` and `lines` by file path.
 */
export const Fact = {
  tables: 0,
  externalTables: 1,
  maskingPolicies: 2,
  tags: 3,
  stages: 4,
  storageIntegrations: 5,
  roles: 6,
  users: 7,
  grants: 8,
  defaultRoles: 9,
  containerTags: 10,
  /** A file's statements: siblings, ancestors, statements at an offset. */
  statements: 11,
  /** A file's line index: line numbers in messages. */
  lines: 12,
  /** Which files the workspace holds, in migration order. */
  files: 13,
  /** The relations personal data can flow through, which gate lineage. */
  sensitive: 14,
  /** The session state of the judged statement and the statements nested in it. */
  session: 15,
  /** A value derived from the whole catalog or file list, keyed by name (see `derivedFact`). */
  derived: 16,
} as const;

export type Fact = (typeof Fact)[keyof typeof Fact];

/** Key of a read of a whole collection: any change to it invalidates the read. */
export const EVERY_KEY = '*';

/** Reads in order, as parallel arrays so that recording allocates no object per read. */
export class ReadLog {
  readonly facts: Fact[] = [];
  readonly keys: string[] = [];
  /** One bit per fact read, so that a log that read no changed fact is passed at once. */
  mask = 0;

  add(fact: Fact, key: string): void {
    const last = this.facts.length - 1;
    // Lookups repeat (one table read for each of its columns): keep the log short.
    if (last >= 0 && this.facts[last] === fact && this.keys[last] === key) return;
    this.facts.push(fact);
    this.keys.push(key);
    this.mask |= 1 << fact;
  }

  addAll(other: ReadLog): void {
    for (let i = 0; i < other.facts.length; i++) this.add(other.facts[i], other.keys[i]);
  }

  get empty(): boolean {
    return this.facts.length === 0;
  }

  clear(): void {
    this.facts.length = 0;
    this.keys.length = 0;
    this.mask = 0;
  }

  copy(): ReadLog {
    const copy = new ReadLog();
    copy.facts.push(...this.facts);
    copy.keys.push(...this.keys);
    copy.mask = this.mask;

    return copy;
  }
}

let active: ReadLog | undefined;

/** Records a read into the active log, if any. */
export function recordRead(fact: Fact, key: string): void {
  active?.add(fact, key);
}

export function isRecording(): boolean {
  return active !== undefined;
}

/** Runs `work` with `log` receiving its reads; the log active before is restored after. */
export function recordingInto<T>(log: ReadLog | undefined, work: () => T): T {
  const outer = active;
  active = log;
  try {
    return work();
  } finally {
    active = outer;
  }
}

/** Runs `work` without recording its reads, for lookups that cannot depend on other facts. */
export function withoutRecording<T>(work: () => T): T {
  return recordingInto(undefined, work);
}

/** A cached value with the reads made while it was derived. */
export interface Derived<Value> {
  readonly value: Value;
  readonly reads: ReadLog;
}

/**
 * A value derived once per `key` (a catalog, the file list, a type family) and cached, whose
 * reads are given again to each later caller: without that, only the first statement to build
 * the cache would depend on what it was built from.
 */
export function derivedOnce<Key, Value>(
  cache: {
    get(key: Key): Derived<Value> | undefined;
    set(key: Key, entry: Derived<Value>): unknown;
  },
  key: Key,
  build: () => Value,
): Value {
  let entry = cache.get(key);
  if (!entry) {
    const reads = new ReadLog();
    const value = recordingInto(reads, build);
    entry = { value, reads };
    cache.set(key, entry);
  }
  active?.addAll(entry.reads);

  return entry.value;
}

/** What a derived fact is derived from: the analysis's catalog or its list of files. */
export type DerivedSource = 'catalog' | 'files';

interface DerivedFactDefinition {
  readonly source: DerivedSource;
  readonly derive: (from: object) => unknown;
}

const derivedFacts = new Map<string, DerivedFactDefinition>();
const derivedValues = new WeakMap<object, Map<string, unknown>>();

/**
 * A value derived from a whole collection (every table by schema, every role the files create)
 * and cached on it. Depending on the whole collection would make every edit a change; a rule that
 * reads the value depends instead on the value itself, which the next analysis derives again
 * and compares. `derive` must be a function of `from`'s collections alone (of the catalog's
 * maps and sets, or of the files' parses), and `name` unique to it.
 */
export function derivedFact<From extends object, Value>(
  name: string,
  source: DerivedSource,
  from: From,
  derive: (from: From) => Value,
): Value {
  if (!derivedFacts.has(name)) {
    derivedFacts.set(name, { source, derive: derive as (from: object) => unknown });
  }
  active?.add(Fact.derived, name);

  return derivedValue(name, from) as Value;
}

/**
 * One entry of a derived fact that maps keys to values, such as the tables of one schema: a rule
 * that reads it depends on that entry alone, not on the whole map.
 */
export function derivedEntry<From extends object, Value>(
  name: string,
  source: DerivedSource,
  from: From,
  derive: (from: From) => ReadonlyMap<string, Value>,
  key: string,
): Value | undefined {
  const map = withoutRecording(() => derivedFact(name, source, from, derive));
  active?.add(Fact.derived, `${name}${ENTRY_SEPARATOR}${key}`);

  return map.get(key);
}

const ENTRY_SEPARATOR = '\u0000';

/**
 * A recorded read of a derived fact: its name, and the key of the entry read, when the read
 * was made through `derivedEntry`.
 */
export function derivedRead(readKey: string): { name: string; entry?: string } {
  const at = readKey.indexOf(ENTRY_SEPARATOR);

  return at < 0 ? { name: readKey } : { name: readKey.slice(0, at), entry: readKey.slice(at + 1) };
}

/** The named derived fact of `from`, derived once. */
export function derivedValue(name: string, from: object): unknown {
  let values = derivedValues.get(from);
  if (!values) {
    values = new Map();
    derivedValues.set(from, values);
  }
  if (values.has(name)) return values.get(name);
  const definition = derivedFacts.get(name);
  const value = definition && withoutRecording(() => definition.derive(from));
  values.set(name, value);

  return value;
}

export function derivedSourceOf(name: string): DerivedSource | undefined {
  return derivedFacts.get(name)?.source;
}

/** A map whose lookups and iterations are recorded as reads of one fact. */
export class TrackedMap<K extends string, V> extends Map<K, V> {
  /** `fact` undefined makes a plain map, for maps no rule reads. */
  constructor(private readonly fact?: Fact) {
    super();
  }

  /** The key a lookup of `key` is recorded under; `NameMap` records name parts. */
  protected readKey(key: string): string {
    return key;
  }

  override get(key: K): V | undefined {
    if (active && this.fact !== undefined) active.add(this.fact, this.readKey(key));

    return super.get(key);
  }

  override has(key: K): boolean {
    if (active && this.fact !== undefined) active.add(this.fact, this.readKey(key));

    return super.has(key);
  }

  override get size(): number {
    this.readAll();

    return super.size;
  }

  override forEach(each: (value: V, key: K, map: Map<K, V>) => void): void {
    this.readAll();
    super.forEach(each);
  }

  override keys(): MapIterator<K> {
    this.readAll();

    return super.keys();
  }

  override values(): MapIterator<V> {
    this.readAll();

    return super.values();
  }

  override entries(): MapIterator<[K, V]> {
    this.readAll();

    return super.entries();
  }

  override [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  private readAll(): void {
    if (active && this.fact !== undefined) active.add(this.fact, EVERY_KEY);
  }

  /** Lookups that record nothing, for the catalog's own bookkeeping while it is built. */
  getUntracked(key: K): V | undefined {
    return super.get(key);
  }

  hasUntracked(key: K): boolean {
    return super.has(key);
  }
}

/** A set whose membership tests and iterations are recorded as reads of one fact. */
export class TrackedSet<T extends string> extends Set<T> {
  constructor(private readonly fact: Fact) {
    super();
  }

  override has(value: T): boolean {
    active?.add(this.fact, value);

    return super.has(value);
  }

  override get size(): number {
    active?.add(this.fact, EVERY_KEY);

    return super.size;
  }

  override forEach(each: (value: T, again: T, set: Set<T>) => void): void {
    active?.add(this.fact, EVERY_KEY);
    super.forEach(each);
  }

  override values(): SetIterator<T> {
    active?.add(this.fact, EVERY_KEY);

    return super.values();
  }

  override keys(): SetIterator<T> {
    return this.values();
  }

  override entries(): SetIterator<[T, T]> {
    active?.add(this.fact, EVERY_KEY);

    return super.entries();
  }

  override [Symbol.iterator](): SetIterator<T> {
    return this.values();
  }
}
