import type { Span } from '../source';
import type {
  ColumnDefinition,
  CreateTableStatement,
  CreateViewStatement,
  ObjectName,
  PolicyReference,
  Property,
  Statement,
  TagAssignment,
} from '../syntax/ast';
import type { LineageSource } from '../lineage/types';
import type { ColumnFacts } from './classify';
import { typeFamily } from './data-types';
import { type NameContext, canonicalName, lastPart, qualifiedKey, splitKey } from './names';
import {
  EVERY_KEY,
  Fact,
  TrackedMap,
  TrackedSet,
  recordRead,
  recordingInto,
  withoutRecording,
} from '../reads';

/** Where a fact came from: a file and a span in it. */
export interface Location {
  readonly path: string;
  readonly span: Span;
}

export interface PolicyAttachment {
  /** Canonical key of the policy as written, qualified with the session context. */
  readonly policy: string;
  readonly at: Location;
}

export interface ColumnModel {
  /** Canonical column name. */
  readonly name: string;
  /** Spelling in the source, which keeps the author's word breaks for classification. */
  readonly spelling: string;
  /**
   * Spellings the column had before `RENAME COLUMN`, oldest first: renaming `email` to
   * `contact` leaves the same addresses in it, so classification still reads the old names.
   */
  readonly formerSpellings?: readonly string[];
  dataType?: string;
  maskingPolicy?: PolicyAttachment;
  /** A projection policy keeps the column out of every query's output. */
  projectionPolicy?: PolicyAttachment;
  /** Tag key (canonical) → value. */
  readonly tags: Map<string, string | undefined>;
  comment?: string;
  /** The column definition that created the column (the table name for CTAS columns). */
  readonly definedAt: Location;
  /** For columns made by CTAS: the source columns whose values fill it. */
  readonly copiedFrom?: readonly LineageSource[];
}

/** What masking and classification read of a table: its key, columns and tags. */
export interface TableColumns {
  readonly key: string;
  readonly columns: Map<string, ColumnModel>;
  readonly tags: Map<string, string | undefined>;
  /** True when the column list is not known (CTAS, CLONE, LIKE, or a view without lineage). */
  columnsUnknown: boolean;
}

export interface TableModel extends TableColumns {
  readonly kind: 'table' | 'view';
  /** The CREATE statement that defines the table as it stands after all migrations. */
  readonly statement: CreateTableStatement | CreateViewStatement;
  readonly path: string;
  /** The role in effect when it was created, which owns it; undefined when not known. */
  readonly owner?: string;
}

/**
 * A table that no linted file creates, as far as the migrations and the account tell: columns
 * that migrations add, mask or tag, and with an account snapshot the account's columns with
 * their policies and tags. Nothing else is assumed, so its columns stay unknown (a `*` over it
 * is not expanded) unless the account listed them.
 */
export interface ExternalTableModel extends TableColumns {
  readonly kind: 'external';
  /** True when the account snapshot listed the table. */
  readonly inAccount: boolean;
}

/** A privilege or role held by a grantee, as the migrations leave it. */
export interface GrantModel {
  /** `SELECT`, `OWNERSHIP`, … or `ROLE` / `DATABASE ROLE` for role membership. */
  readonly privilege: string;
  /** The object (canonical), `ACCOUNT`, or the granted role for role membership. */
  readonly on: string;
  readonly granteeType: string;
  readonly grantee: string;
  readonly withGrantOption: boolean;
  readonly at: Location;
}

export interface MaskingPolicyModel {
  readonly key: string;
  readonly argumentTypes: readonly string[];
  readonly returnType?: string;
  /**
   * Why the policy shows the clear value to every role, when it does: a body that is just the
   * value, or a CASE whose ELSE returns it. Such a policy is not masking.
   */
  readonly failsOpen?: string;
  /** The role in effect when it was created, which owns it. */
  readonly owner?: string;
  readonly at: Location;
}

export interface TagModel {
  readonly key: string;
  readonly maskingPolicies: Set<string>;
  /**
   * `ALLOWED_VALUES` as the migrations leave them; undefined when any value is allowed. Empty
   * when a statement set them in a way not read here, so that no value counts as allowed.
   */
  allowedValues?: Set<string>;
  /** The last statement that changed the allowed values, when not the CREATE. */
  allowedValuesAt?: Location;
  /** The role in effect when it was created, which owns it. */
  readonly owner?: string;
  readonly at: Location;
}

export interface StageModel {
  readonly key: string;
  readonly url?: string;
  /** True when the URL is a session variable or otherwise not known before run time. */
  readonly dynamic: boolean;
  readonly storageIntegration?: string;
  readonly hasCredentials: boolean;
  /** The role in effect when it was created, which owns it. */
  readonly owner?: string;
  readonly at: Location;
}

export interface StorageIntegrationModel {
  readonly key: string;
  /** `STORAGE_ALLOWED_LOCATIONS`; `*` allows every location. */
  readonly allowedLocations: readonly string[];
  /** `STORAGE_PROVIDER`, upper case: `S3`, `AZURE`, `GCS`, … */
  readonly provider?: string;
  readonly at: Location;
}

/** The session as a statement sees it: role in effect and current namespace. */
export interface SessionState extends NameContext {
  readonly role?: string;
  /** The USE ROLE that set `role`, possibly in an earlier migration. */
  readonly roleSetAt?: Location;
}

/** How many catalogs' sessions a lookup may pass through before they are merged. */
const MAX_SESSION_CHAIN = 4;

/**
 * The workspace's objects after applying every migration in order. Keys are canonical names,
 * qualified with the `USE DATABASE` / `USE SCHEMA` in effect when they were created.
 */
export class Catalog {
  readonly tables = new NameMap<TableModel>(Fact.tables);
  /** Tables no linted file creates but which migrations alter or the account holds. */
  readonly externalTables = new NameMap<ExternalTableModel>(Fact.externalTables);
  readonly maskingPolicies = new NameMap<MaskingPolicyModel>(Fact.maskingPolicies);
  readonly tags = new NameMap<TagModel>(Fact.tags);
  readonly stages = new NameMap<StageModel>(Fact.stages);
  readonly storageIntegrations = new TrackedMap<string, StorageIntegrationModel>(
    Fact.storageIntegrations,
  );
  /** Roles, database roles and users the migrations create. */
  readonly roles = new TrackedSet<string>(Fact.roles);
  readonly users = new TrackedSet<string>(Fact.users);
  /** Grants in effect, by privilege, object and grantee, so a REVOKE finds its GRANT at once. */
  readonly grantIndex = new TrackedMap<string, GrantModel>(Fact.grants);
  /** DEFAULT_ROLE of each user, as CREATE or ALTER USER last set it. */
  readonly defaultRoles = new TrackedMap<string, string>(Fact.defaultRoles);
  /** The roles granted to each user, kept beside `grantIndex` by `addGrant` and `removeGrant`. */
  private roleGrantsToUsers = new Map<string, readonly string[]>();

  /** Grants in effect after all migrations: GRANTs minus later REVOKEs, in grant order. */
  get grants(): GrantModel[] {
    return [...this.grantIndex.values()];
  }

  /** Roles that reach a user in the migrations: roles granted to it and its default role. */
  rolesHeldBy(user: string): string[] {
    // Read as one fact per user, which `catalogChanges` reports when a role grant to the user
    // changes: depending on every grant would judge every GRANT … TO USER again after any edit
    // of a grant.
    recordRead(Fact.grants, roleGrantsReadKey(user));
    recordRead(Fact.defaultRoles, user);
    const held = new Set(this.roleGrantsToUsers.get(user));
    const defaultRole = Map.prototype.get.call(this.defaultRoles, user) as string | undefined;
    if (defaultRole !== undefined) held.add(defaultRole);

    return [...held].sort();
  }

  /** Records a grant unless one with its key is in effect already. */
  addGrant(key: string, grant: GrantModel): void {
    if (this.grantIndex.has(key)) return;
    this.grantIndex.set(key, grant);
    if (grant.granteeType === 'USER' && grant.privilege === 'ROLE') {
      // A new array, never changed in place: a resumed build shares the arrays it copies.
      const roles = this.roleGrantsToUsers.get(grant.grantee) ?? [];
      this.roleGrantsToUsers.set(grant.grantee, [...roles, grant.on]);
    }
  }

  /** Takes back the grant with the key, as a REVOKE does. */
  removeGrant(key: string): void {
    const grant = this.grantIndex.get(key);
    if (!grant) return;
    this.grantIndex.delete(key);
    if (grant.granteeType === 'USER' && grant.privilege === 'ROLE') {
      const roles = this.roleGrantsToUsers.get(grant.grantee) ?? [];
      this.roleGrantsToUsers.set(
        grant.grantee,
        roles.filter((role) => role !== grant.on),
      );
    }
  }

  /** Tags on databases and schemas (keys `DB` and `DB.SCHEMA`), inherited by their tables. */
  readonly containerTags = new TrackedMap<string, Map<string, string | undefined>>(
    Fact.containerTags,
  );
  /**
   * Session state before each statement, nested statements included, for the statements this
   * catalog applied; those of a kept catalog it resumed from are read through `sessionOf`.
   */
  private sessions = new Map<Statement, SessionState>();
  /** The kept catalog this one resumed from, for the sessions of the statements before. */
  private sessionsBefore?: Catalog;
  /**
   * Models (and the maps and sets in them) this catalog made since its last checkpoint. Others
   * may be shared with a checkpoint (see `CatalogCheckpoints`), so a change copies them first:
   * see the `writable…` methods, which every change to an existing model goes through.
   */
  private owned = new WeakSet<object>();

  /** Marks a model this catalog just made, with maps and sets of its own, as changeable. */
  own<T extends object>(model: T): T {
    this.owned.add(model);

    return model;
  }

  /** Every model now is shared with a checkpoint: the next change to one copies it. */
  shareAll(): void {
    this.owned = new WeakSet();
  }

  /** The table as it may be changed: a copy in its place when it may be shared. */
  writableTable<T extends TableModel | ExternalTableModel>(table: T): T {
    if (this.owned.has(table)) return table;
    const copy = this.own({ ...table, columns: new Map(table.columns), tags: new Map(table.tags) });
    const map: Map<string, TableModel | ExternalTableModel> =
      table.kind === 'external' ? this.externalTables : this.tables;
    if (map.get(table.key) === table) map.set(table.key, copy);

    return copy;
  }

  /** A column of a table from `writableTable`, as it may be changed. */
  writableColumn(table: TableColumns, name: string): ColumnModel | undefined {
    const column = table.columns.get(name);
    if (!column || this.owned.has(column)) return column;
    const copy = this.own({ ...column, tags: new Map(column.tags) });
    table.columns.set(name, copy);

    return copy;
  }

  writableTag(tag: TagModel): TagModel {
    if (this.owned.has(tag)) return tag;
    const copy = this.own({
      ...tag,
      maskingPolicies: new Set(tag.maskingPolicies),
      allowedValues: tag.allowedValues && new Set(tag.allowedValues),
    });
    if (this.tags.get(tag.key) === tag) this.tags.set(tag.key, copy);

    return copy;
  }

  /** The tags of a database or schema as they may be changed; created when it has none. */
  writableContainerTags(key: string): Map<string, string | undefined> {
    const tags = this.containerTags.get(key);
    if (tags && this.owned.has(tags)) return tags;
    const copy = this.own(new Map(tags));
    this.containerTags.set(key, copy);

    return copy;
  }

  /** How many entries `copyInto` copies, which is what resuming from this catalog costs. */
  get entryCount(): number {
    const collections = [
      this.tables,
      this.externalTables,
      this.maskingPolicies,
      this.tags,
      this.stages,
      this.storageIntegrations,
      this.roles,
      this.users,
      this.grantIndex,
      this.defaultRoles,
      this.containerTags,
    ];

    return withoutRecording(() => collections.reduce((sum, each) => sum + each.size, 0));
  }

  /** This catalog's collections copied into `target`; the models themselves are shared. */
  copyInto(target: Catalog): void {
    target.tables.assign(this.tables);
    target.externalTables.assign(this.externalTables);
    target.maskingPolicies.assign(this.maskingPolicies);
    target.tags.assign(this.tags);
    target.stages.assign(this.stages);
    copyEntries(this.storageIntegrations, target.storageIntegrations);
    for (const role of this.roles.values()) target.roles.add(role);
    for (const user of this.users.values()) target.users.add(user);
    copyEntries(this.grantIndex, target.grantIndex);
    target.roleGrantsToUsers = new Map(this.roleGrantsToUsers);
    copyEntries(this.defaultRoles, target.defaultRoles);
    copyEntries(this.containerTags, target.containerTags);
    target.sessionsBefore = this;
  }

  /**
   * The table a CREATE TABLE or CREATE VIEW made, under the name it has after all migrations
   * (RENAME TO and SWAP WITH move it); undefined when it was dropped or replaced. Indexed on
   * first use, once the catalog is complete.
   */
  tableDefinedBy(statement: Statement): TableModel | undefined {
    this.tablesByStatement ??= recordingInto(
      undefined,
      () =>
        new Map([...this.tables.values()].map((table) => [table.statement as Statement, table])),
    );
    const table = this.tablesByStatement.get(statement);
    // Only a change to the table found can change the answer; when none is, any table could.
    recordRead(Fact.tables, table ? lastPart(table.key) : EVERY_KEY);

    return table;
  }
  private tablesByStatement?: Map<Statement, TableModel>;

  /** Finds a table by a key that may omit database and schema; undefined when ambiguous. */
  findTable(key: string): TableModel | undefined {
    return findByKey(this.tables, key);
  }

  findTableByName(name: ObjectName, session: NameContext): TableModel | undefined {
    const key = qualifiedKey(name, session);
    if (key === undefined) return undefined;

    return this.findTable(key) ?? this.findTable(canonicalName(name));
  }

  findExternalTable(key: string): ExternalTableModel | undefined {
    return findByKey(this.externalTables, key);
  }

  findExternalTableByName(name: ObjectName, session: NameContext): ExternalTableModel | undefined {
    const key = qualifiedKey(name, session);
    if (key === undefined) return undefined;

    return this.findExternalTable(key) ?? this.findExternalTable(canonicalName(name));
  }

  /** Columns of a table no linted file creates, when the account listed them. */
  externalColumns(key: string): string[] | undefined {
    const table = this.findExternalTable(key);

    return table && !table.columnsUnknown ? [...table.columns.keys()] : undefined;
  }

  findMaskingPolicy(key: string): MaskingPolicyModel | undefined {
    return findByKey(this.maskingPolicies, key);
  }

  findTag(key: string): TagModel | undefined {
    return findByKey(this.tags, key);
  }

  findStage(key: string): StageModel | undefined {
    return findByKey(this.stages, key);
  }

  sessionAt(statement: Statement): SessionState {
    return this.sessionOf(statement) ?? {};
  }

  /** The session state a statement ran in; undefined for a statement not applied. */
  sessionOf(statement: Statement): SessionState | undefined {
    return this.sessions.get(statement) ?? this.sessionsBefore?.sessionOf(statement);
  }

  private sessionDepth(): number {
    return this.sessionsBefore ? this.sessionsBefore.sessionDepth() + 1 : 0;
  }

  setSession(statement: Statement, session: SessionState): void {
    this.sessions.set(statement, session);
  }

  /**
   * Takes the sessions of the catalogs this one resumed from into its own map once they are
   * more than a few, so that a chain of checkpoints does not keep every older one alive.
   */
  flattenSessions(): void {
    const before = this.sessionsBefore;
    if (!before || this.sessionDepth() <= MAX_SESSION_CHAIN) return;
    const own = this.sessions;
    const chain: Catalog[] = [];
    for (let at: Catalog | undefined = before; at; at = at.sessionsBefore) chain.unshift(at);
    this.sessions = new Map();
    for (const catalog of chain) {
      for (const [statement, session] of catalog.sessions) this.sessions.set(statement, session);
    }
    for (const [statement, session] of own) this.sessions.set(statement, session);
    this.sessionsBefore = undefined;
  }

  /**
   * The masking policy that governs a column: its own, else the first fitting policy of a tag on
   * the column or its table. Snowflake gives a direct policy precedence over a tag's, and a tag
   * holds at most one policy per data type, so a tag masks only columns of a fitting type. A
   * policy the workspace does not define is assumed to fit.
   */
  effectiveMasking(table: TableColumns, column: ColumnModel): EffectiveMasking | undefined {
    if (column.maskingPolicy) {
      const policy = column.maskingPolicy.policy;

      return { policy, via: 'direct', failsOpen: this.findMaskingPolicy(policy)?.failsOpen };
    }
    const parts = splitKey(table.key);
    const schemaTags =
      parts.length >= 3 ? this.containerTags.get(parts.slice(0, 2).join('.')) : undefined;
    const databaseTags = parts.length >= 3 ? this.containerTags.get(parts[0]) : undefined;
    for (const [source, tags] of [
      ['column', column.tags],
      ['table', table.tags],
      ['schema', schemaTags ?? new Map()],
      ['database', databaseTags ?? new Map()],
    ] as const) {
      for (const tagKey of tags.keys()) {
        const tag = this.findTag(tagKey);
        const policy = tag ? this.policyForType(tag, column.dataType) : undefined;
        if (tag && policy) {
          const failsOpen = this.findMaskingPolicy(policy)?.failsOpen;

          return { policy, via: 'tag', tag: tag.key, tagOn: source, failsOpen };
        }
      }
    }

    return undefined;
  }

  /** The policy of a tag that applies to a column of this type, if any. */
  private policyForType(tag: TagModel, dataType: string | undefined): string | undefined {
    const family = typeFamily(dataType);
    let unknown: string | undefined;
    for (const key of tag.maskingPolicies) {
      const policy = this.findMaskingPolicy(key);
      if (!policy) unknown ??= key;
      else if (family === undefined || typeFamily(policy.argumentTypes[0]) === family) return key;
    }

    return unknown;
  }
}

export interface EffectiveMasking {
  readonly policy: string;
  readonly via: 'direct' | 'tag';
  readonly tag?: string;
  readonly tagOn?: 'column' | 'table' | 'schema' | 'database';
  /** Set when the policy shows clear values to everyone; see MaskingPolicyModel. */
  readonly failsOpen?: string;
}

/** True when a masking policy really hides the column from roles without access. */
export function masks(masking: EffectiveMasking | undefined): boolean {
  return masking !== undefined && masking.failsOpen === undefined;
}

/**
 * A map from canonical keys that also finds entries by a partly qualified key without scanning
 * every key (large repositories hold many tables).
 */
export class NameMap<T> extends TrackedMap<string, T> {
  /** Each text after a dot of a key → the keys that end with `.text` (`T` and `S.T` → `D.S.T`). */
  private byDotSuffix = new Map<string, Set<string>>();
  /**
   * The index's sets this map made; the others are shared with the map it was copied from
   * (see `assign`) and are copied before they change.
   */
  private ownSets = new WeakSet<Set<string>>();

  /**
   * Lookups by a partial key find entries through its last part, so a read depends on every
   * entry with that last part: one added elsewhere can make the lookup ambiguous.
   */
  protected override readKey(key: string): string {
    return lastPart(key);
  }

  override set(key: string, value: T): this {
    // A key already present is already indexed (delete takes keys out of the indexes too).
    const fresh = !this.hasUntracked(key);
    super.set(key, value);
    if (fresh) {
      for (const suffix of dotSuffixes(key)) {
        const longer = this.byDotSuffix.get(suffix);
        if (longer) this.ownSet(suffix, longer).add(key);
        else this.byDotSuffix.set(suffix, this.ownSet(suffix, new Set([key])));
      }
    }

    return this;
  }

  override delete(key: string): boolean {
    for (const suffix of dotSuffixes(key)) {
      const longer = this.byDotSuffix.get(suffix);
      if (longer?.has(key)) this.ownSet(suffix, longer).delete(key);
    }

    return super.delete(key);
  }

  override clear(): void {
    this.byDotSuffix.clear();
    super.clear();
  }

  /** Makes this map a copy of `other`, sharing its index's sets until one changes. */
  assign(other: NameMap<T>): void {
    this.clear();
    copyEntries(other, this);
    this.byDotSuffix = new Map(other.byDotSuffix);
    this.ownSets = new WeakSet();
    // The sets are shared both ways: the other map must copy them too before a change.
    other.ownSets = new WeakSet();
  }

  private ownSet(suffix: string, keys: Set<string>): Set<string> {
    if (this.ownSets.has(keys)) return keys;
    const own = new Set(keys);
    this.ownSets.add(own);
    this.byDotSuffix.set(suffix, own);

    return own;
  }

  /**
   * The keys that share the last name part of `key` and for which `keyEndsWith(candidate, key)`
   * or `keyEndsWith(key, candidate)` holds, found through the suffix index instead of a scan of
   * every key with the same last part (a scan made each lookup quadratic when every schema
   * defines a policy or tag of the same name).
   */
  endingMatches(key: string): Set<string> {
    const last = lastPart(key);
    const found = new Set<string>();
    const consider = (candidate: string): void => {
      if (lastPart(candidate) === last) found.add(candidate);
    };
    if (this.has(key)) consider(key);
    for (const longer of this.byDotSuffix.get(key) ?? []) consider(longer);
    for (const suffix of dotSuffixes(key)) if (this.has(suffix)) consider(suffix);

    return found;
  }
}

/** The key of a grant in `Catalog.grantIndex`: one per privilege, object and grantee. */
export function grantKey(
  privilege: string,
  on: string,
  granteeType: string,
  grantee: string,
): string {
  return `${privilege}\u0000${on}\u0000${granteeType}\u0000${grantee}`;
}

/**
 * The key under which `rolesHeldBy` records its read of the grants: a change to any grant of a
 * role to the user is a change of it (see `roleGrantsChangedBy`).
 */
export function roleGrantsReadKey(user: string): string {
  return `ROLES OF USER\u0000${user}`;
}

/** The read key a changed grant key also changes, when the grant gave a role to a user. */
export function roleGrantsChangedBy(key: string): string | undefined {
  const [privilege, , granteeType, grantee] = key.split('\u0000');

  return privilege === 'ROLE' && granteeType === 'USER' ? roleGrantsReadKey(grantee) : undefined;
}

/** Copies entries without recording reads or, for a `NameMap`, indexing them one by one. */
function copyEntries<K, V>(from: Map<K, V>, to: Map<K, V>): void {
  Map.prototype.forEach.call(from, (value: V, key: K) => Map.prototype.set.call(to, key, value));
}

/** What follows each dot of a key, as `keyEndsWith` compares it. */
function dotSuffixes(key: string): string[] {
  const suffixes: string[] = [];
  for (let at = key.indexOf('.'); at >= 0; at = key.indexOf('.', at + 1)) {
    suffixes.push(key.slice(at + 1));
  }

  return suffixes;
}

/** Exact key first; otherwise the single entry whose key ends with it (`T` finds `DB.S.T`). */
function findByKey<T>(map: NameMap<T>, key: string): T | undefined {
  const exact = map.get(key);
  if (exact !== undefined) return exact;
  const matches = map.endingMatches(key);
  if (matches.size !== 1) return undefined;
  const [only] = matches;

  return map.get(only);
}

export function tagMap(
  assignments: readonly TagAssignment[],
  session: NameContext,
): Map<string, string | undefined> {
  const tags = new Map<string, string | undefined>();
  for (const assignment of assignments) {
    const key = qualifiedKey(assignment.tag, session) ?? canonicalName(assignment.tag);
    tags.set(key, assignment.value?.value);
  }

  return tags;
}

export function columnModel(
  definition: ColumnDefinition,
  path: string,
  text: string,
  session: NameContext,
): ColumnModel {
  const attachment = (reference: PolicyReference | undefined): PolicyAttachment | undefined =>
    reference && {
      policy: qualifiedKey(reference.policy, session) ?? canonicalName(reference.policy),
      at: { path, span: { start: reference.start, end: reference.end } },
    };

  return {
    name: canonicalName([definition.name]),
    spelling: text.slice(definition.name.start, definition.name.end).replace(/^"|"$/g, ''),
    dataType: definition.dataType,
    maskingPolicy: attachment(definition.maskingPolicy),
    projectionPolicy: attachment(definition.projectionPolicy),
    tags: tagMap(definition.tags, session),
    comment: definition.comment?.value,
    definedAt: { path, span: { start: definition.start, end: definition.end } },
  };
}

export function propertyValue(properties: readonly Property[], key: string): Property | undefined {
  return properties.find((property) => property.key === key);
}

/** What classification reads of a column: its names, its tags by last part and its comment. */
export function columnFacts(column: ColumnModel): ColumnFacts {
  return {
    name: column.spelling,
    ...(column.formerSpellings ? { formerNames: column.formerSpellings } : {}),
    tags: tagNamesForClassification(column.tags),
    comment: column.comment,
  };
}

/** Tag keys compared by their last part, as classification needs (`GOV.TAGS.PII` → `PII`). */
export function tagNamesForClassification(
  tags: ReadonlyMap<string, string | undefined>,
): Map<string, string | undefined> {
  const byName = new Map<string, string | undefined>();
  for (const [key, value] of tags)
    byName.set(lastPart(key).replace(/^"|"$/g, '').toUpperCase(), value);

  return byName;
}
