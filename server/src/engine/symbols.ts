import type { Catalog } from './model/catalog';
import { canonicalName, keyEndsWith, qualifiedKey } from './model/names';
import { compareMigrationPaths } from './model/order';
import { relationsRead } from './query-reads';
import { redactSecrets } from './redact';
import type { AnalyzedFile } from './rules/define';
import type { Span } from './source';
import type {
  ColumnDefinition,
  CopyLocation,
  NamePart,
  ObjectName,
  PolicyReference,
  QueryBody,
  Statement,
  TagAssignment,
} from './syntax/ast';

/** The kinds of named objects the editor can navigate between. */
export type SymbolKind = 'policy' | 'tag' | 'role' | 'stage' | 'table' | 'column';

/** One place a name is written: where the object is created, or where it is used. */
export interface SymbolOccurrence {
  readonly kind: SymbolKind;
  /** Canonical key, qualified with the session's database and schema when they are known. */
  readonly key: string;
  readonly path: string;
  /** The name as written. */
  readonly span: Span;
  readonly isDefinition: boolean;
  /** The statement the name is written in. */
  readonly statement: Statement;
  /** `MASKING`, `ROW ACCESS`, `PROJECTION`, … for policies; the table key for columns. */
  readonly detail?: string;
}

/** An entry of a file's outline: one statement, with the columns of a table as children. */
export interface OutlineEntry {
  readonly name: string;
  readonly kind: SymbolKind | 'statement';
  readonly span: Span;
  readonly selection: Span;
  readonly children: readonly OutlineEntry[];
}

/** A name completion offers. */
export interface Completion {
  readonly name: string;
  /**
   * The file that creates the object, when every CREATE of it runs after the place completion
   * was asked for in migration order, so the object does not exist yet when that statement runs.
   */
  readonly createdLaterIn?: string;
}

/** Where completion is asked for, judged from the text before the cursor. */
export type CompletionContext =
  | { readonly kind: 'policy'; readonly policyType?: string; readonly prefix: string }
  | { readonly kind: 'tag' | 'role'; readonly prefix: string };

/**
 * Every occurrence of a navigable name in the workspace. Pure: built from the parsed files and
 * the catalog that `Workspace.analyze()` returns, so the CLI could use it as well as the server.
 */
export class SymbolIndex {
  private readonly byPath = new Map<string, SymbolOccurrence[]>();

  constructor(
    readonly files: readonly AnalyzedFile[],
    readonly catalog: Catalog,
  ) {
    for (const file of files) {
      const found: SymbolOccurrence[] = [];
      const collector = new Collector(file.path, file.text, catalog, found);
      for (const statement of file.parsed.statements) collector.statement(statement);
      found.sort((a, b) => a.span.start - b.span.start);
      this.byPath.set(file.path, found);
    }
  }

  /** The occurrence whose name covers the offset (the end included, as editors place cursors). */
  at(path: string, offset: number): SymbolOccurrence | undefined {
    return this.byPath
      .get(path)
      ?.find((occurrence) => occurrence.span.start <= offset && offset <= occurrence.span.end);
  }

  /** Where the object an occurrence names is created, across the workspace. */
  definitions(of: SymbolOccurrence): SymbolOccurrence[] {
    return this.all().filter((other) => other.isDefinition && sameObject(of, other));
  }

  /** Every occurrence of the same object, definitions included. */
  references(of: SymbolOccurrence): SymbolOccurrence[] {
    return this.all().filter((other) => sameObject(of, other));
  }

  /** Every definition in the workspace, for workspace symbols and completion. */
  allDefinitions(): SymbolOccurrence[] {
    return this.all().filter((occurrence) => occurrence.isDefinition);
  }

  /**
   * The names completion offers: defined in the workspace, or known to the catalog, by name.
   * With `at` (the file and offset of the cursor), objects that only later migrations create
   * come after the rest and say where they are created. A statement naming one would fail when
   * it runs, so they must not pass for ready to use; but they are not hidden, since the engineer
   * may be about to move the CREATE earlier, and a missing name would look like a typo.
   */
  completions(context: CompletionContext, at?: { path: string; offset: number }): Completion[] {
    const names = new Set<string>();
    /** The CREATE statements of each name, for judging whether one runs before the cursor. */
    const created = new Map<string, SymbolOccurrence[]>();
    for (const definition of this.allDefinitions()) {
      if (definition.kind !== context.kind) continue;
      if (context.kind === 'policy' && context.policyType && definition.detail) {
        if (definition.detail !== context.policyType) continue;
      }
      names.add(definition.key);
      created.set(definition.key, [...(created.get(definition.key) ?? []), definition]);
    }
    if (context.kind === 'policy' && context.policyType !== 'ROW ACCESS') {
      for (const key of this.catalog.maskingPolicies.keys()) names.add(key);
    }
    if (context.kind === 'tag') for (const key of this.catalog.tags.keys()) names.add(key);
    if (context.kind === 'role') for (const role of this.catalog.roles) names.add(role);
    const prefix = context.prefix.toUpperCase();

    const laterFile = (name: string): string | undefined =>
      at ? createdLaterIn(created.get(name) ?? [], at) : undefined;
    const offered = [...names]
      .filter((name) => name.toUpperCase().includes(prefix))
      .sort()
      .map((name): Completion => {
        const later = laterFile(name);

        return later === undefined ? { name } : { name, createdLaterIn: later };
      });

    return [
      ...offered.filter((completion) => completion.createdLaterIn === undefined),
      ...offered.filter((completion) => completion.createdLaterIn !== undefined),
    ];
  }

  /** The file's statements, in order, with columns under their table. */
  outline(path: string): OutlineEntry[] {
    const file = this.files.find((candidate) => candidate.path === path);
    if (!file) return [];
    const occurrences = this.byPath.get(path) ?? [];

    return file.parsed.statements.map((statement) => {
      const columns = occurrences
        .filter((o) => o.kind === 'column' && o.isDefinition && o.statement === statement)
        .map((o) => ({
          name: file.text.slice(o.span.start, o.span.end),
          kind: 'column' as const,
          span: o.span,
          selection: o.span,
          children: [],
        }));
      const named = occurrences.find((o) => o.statement === statement && o.kind !== 'column');

      return {
        // Outline names are shown in breadcrumbs and symbol search, so they never show a secret.
        name: headline(redactSecrets(file.text.slice(statement.start, statement.end))),
        kind: named?.isDefinition ? named.kind : 'statement',
        span: { start: statement.start, end: statement.end },
        selection: named?.span ?? { start: statement.start, end: statement.start },
        children: columns,
      };
    });
  }

  private all(): SymbolOccurrence[] {
    return [...this.byPath.values()].flat();
  }
}

/**
 * What completion should offer at the end of `before`, the text of the line up to the cursor:
 * policies after `MASKING POLICY`, tags inside `WITH TAG (` or after `SET TAG`, roles after
 * `ROLE`.
 */
export function completionContext(before: string): CompletionContext | undefined {
  const name = String.raw`([\w$."]*)$`;
  const policy = new RegExp(
    String.raw`\b(MASKING|PROJECTION|ROW\s+ACCESS|AGGREGATION|JOIN)\s+POLICY\s+` + name,
    'i',
  ).exec(before);
  if (policy) {
    return {
      kind: 'policy',
      policyType: policy[1].toUpperCase().replace(/\s+/g, ' '),
      prefix: policy[2],
    };
  }
  const assignment = String.raw`(?:[\w$."]+\s*=\s*'[^']*'\s*,\s*)*`;
  const tag = new RegExp(
    String.raw`(?:\bWITH\s+TAG\s*\(\s*|\b(?:SET|UNSET)\s+TAG\s+)` + assignment + name,
    'i',
  ).exec(before);
  if (tag) return { kind: 'tag', prefix: tag[1] };
  const role = new RegExp(String.raw`\bROLE\s+` + name, 'i').exec(before);
  if (role) return { kind: 'role', prefix: role[1] };

  return undefined;
}

/**
 * The file of the earliest CREATE when every CREATE runs after the cursor in migration order (a
 * later file, or further down the same one); undefined when one runs before it, or none is known.
 */
function createdLaterIn(
  definitions: readonly SymbolOccurrence[],
  at: { path: string; offset: number },
): string | undefined {
  const runsBefore = (definition: SymbolOccurrence): boolean => {
    const order = compareMigrationPaths(definition.path, at.path);

    return order < 0 || (order === 0 && definition.span.start < at.offset);
  };
  if (definitions.length === 0 || definitions.some(runsBefore)) return undefined;
  const earliest = [...definitions].sort(
    (a, b) => compareMigrationPaths(a.path, b.path) || a.span.start - b.span.start,
  )[0];

  return earliest.path;
}

function sameObject(a: SymbolOccurrence, b: SymbolOccurrence): boolean {
  return a.kind === b.kind && (keyEndsWith(a.key, b.key) || keyEndsWith(b.key, a.key));
}

/** The first words of a statement, on one line, for the outline. */
function headline(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  const cut = oneLine.search(/[(;]| AS /);
  const head = cut > 0 ? oneLine.slice(0, cut).trim() : oneLine;

  return head.length > 80 ? `${head.slice(0, 79)}…` : head;
}

/** Walks statements and records the names they define and use. */
class Collector {
  private current!: Statement;

  constructor(
    private readonly path: string,
    private readonly text: string,
    private readonly catalog: Catalog,
    private readonly found: SymbolOccurrence[],
  ) {}

  statement(statement: Statement): void {
    this.current = statement;
    this.visit(statement);
    for (const nested of statement.nested ?? []) this.statement(nested);
  }

  private visit(s: Statement): void {
    switch (s.kind) {
      case 'create-table':
      case 'create-view': {
        const table = this.add('table', s.name, true);
        for (const column of s.columns) this.column(table, column, true);
        for (const policy of [s.rowAccessPolicy, s.aggregationPolicy, s.joinPolicy]) {
          this.policy(policy);
        }
        this.tags(s.tags);
        if (s.kind === 'create-table') {
          if (s.cloneOf) this.add('table', s.cloneOf, false);
          if (s.likeOf) this.add('table', s.likeOf, false);
        }
        this.reads(s.kind === 'create-table' ? s.asQuery : s.query);
        break;
      }
      case 'alter-table':
        this.alterTable(s);
        break;
      case 'create-policy':
        this.add('policy', s.name, true, s.policyType.toUpperCase());
        this.tags(s.tags);
        break;
      case 'alter-policy':
        this.add('policy', s.name, false, s.policyType.toUpperCase());
        break;
      case 'create-tag':
        this.add('tag', s.name, true);
        break;
      case 'alter-tag':
        this.add('tag', s.name, false);
        for (const policy of [...s.setMaskingPolicies, ...s.unsetMaskingPolicies]) {
          this.add('policy', policy, false, 'MASKING');
        }
        break;
      case 'create-stage':
        this.add('stage', s.name, true);
        break;
      case 'create-object':
        if (s.objectType.toUpperCase() === 'ROLE') this.add('role', s.name, true);
        this.tags(s.tags);
        break;
      case 'grant-privileges':
        if (s.grantee.type === 'ROLE') this.add('role', s.grantee.name, false);
        if (s.on.type === 'object' && /TABLE|VIEW/i.test(s.on.objectType)) {
          this.add('table', s.on.name, false);
        }
        if (s.on.type === 'object' && /STAGE/i.test(s.on.objectType)) {
          this.add('stage', s.on.name, false);
        }
        break;
      case 'grant-role':
        if (s.roleType === 'ROLE') this.add('role', s.role, false);
        if (s.grantee.type === 'ROLE') this.add('role', s.grantee.name, false);
        break;
      case 'use':
        if (s.target === 'ROLE' && s.name) this.add('role', s.name, false);
        for (const role of s.secondaryRoles?.roles ?? []) this.add('role', role, false);
        break;
      case 'copy-into':
        this.location(s.target);
        this.location(s.source);
        break;
      case 'file-transfer':
        this.location(s.stage);
        break;
      case 'insert':
        this.add('table', s.table, false);
        this.reads(s.query);
        break;
      case 'select':
        this.reads(s.query);
        break;
      case 'drop':
        this.dropped(s.objectType.toUpperCase(), s.name);
        break;
      default:
        break;
    }
  }

  private alterTable(s: Extract<Statement, { kind: 'alter-table' }>): void {
    const table = this.add('table', s.name, false);
    for (const action of s.actions) {
      switch (action.type) {
        case 'add-column':
          this.column(table, action.column, true);
          break;
        case 'alter-column':
          this.columnName(table, action.column, false);
          if (action.action.type === 'set-masking-policy') this.policy(action.action.policy);
          if (action.action.type === 'set-projection-policy') this.policy(action.action.policy);
          if (action.action.type === 'set-tags') this.tags(action.action.tags);
          if (action.action.type === 'unset-tags') {
            for (const tag of action.action.tags) this.add('tag', tag, false);
          }
          break;
        case 'drop-column':
          for (const column of action.columns) this.columnName(table, column, false);
          break;
        case 'rename-column':
          this.columnName(table, action.from, false);
          break;
        case 'set-tags':
          this.tags(action.tags);
          break;
        case 'unset-tags':
          for (const tag of action.tags) this.add('tag', tag, false);
          break;
        case 'add-row-access-policy':
        case 'set-policy':
          this.policy(action.policy);
          break;
        case 'drop-row-access-policy':
          if (action.policy) this.add('policy', action.policy, false, 'ROW ACCESS');
          break;
        default:
          break;
      }
    }
  }

  private dropped(objectType: string, name: ObjectName): void {
    if (/POLICY$/.test(objectType)) this.add('policy', name, false);
    else if (objectType === 'TAG') this.add('tag', name, false);
    else if (objectType === 'ROLE') this.add('role', name, false);
    else if (objectType === 'STAGE') this.add('stage', name, false);
    else if (/TABLE|VIEW/.test(objectType)) this.add('table', name, false);
  }

  private column(table: string | undefined, definition: ColumnDefinition, isDefinition: boolean) {
    this.columnName(table, definition.name, isDefinition);
    this.policy(definition.maskingPolicy, 'MASKING');
    this.policy(definition.projectionPolicy, 'PROJECTION');
    this.tags(definition.tags);
  }

  private columnName(table: string | undefined, name: NamePart, isDefinition: boolean): void {
    if (!table) return;
    this.found.push({
      kind: 'column',
      key: `${table}.${canonicalName([name])}`,
      path: this.path,
      span: { start: name.start, end: name.end },
      isDefinition,
      statement: this.current,
      detail: table,
    });
  }

  private policy(reference: PolicyReference | undefined, policyType?: string): void {
    if (reference) this.add('policy', reference.policy, false, policyType);
  }

  private tags(assignments: readonly TagAssignment[]): void {
    for (const assignment of assignments) this.add('tag', assignment.tag, false);
  }

  /** `@db.schema.stage/path` names a stage; `@~` and `@%table` do not. */
  private location(location: CopyLocation): void {
    if (location.type === 'table') this.add('table', location.name, false);
    if (location.type === 'query') this.reads(location.query);
    if (location.type !== 'stage') return;
    const match = /^@([^~%/][^/]*)/.exec(location.stage);
    if (!match) return;
    const at = location.start + 1;
    this.found.push({
      kind: 'stage',
      key: this.qualify(match[1].split('.').map(stagePart)),
      path: this.path,
      span: { start: at, end: at + match[1].length },
      isDefinition: false,
      statement: this.current,
    });
  }

  /** The tables and views a query reads (`query-reads.ts`), as uses of those tables. */
  private reads(body: QueryBody | undefined): void {
    if (!body) return;
    for (const name of relationsRead(body, this.text)) this.add('table', name, false);
  }

  private qualify(parts: readonly string[]): string {
    const name: ObjectName = {
      start: 0,
      end: 0,
      parts: parts.map((value) => ({ value, quoted: false, start: 0, end: 0 })),
    };

    return qualifiedKey(name, this.catalog.sessionAt(this.current)) ?? canonicalName(name);
  }

  private add(
    kind: SymbolKind,
    name: ObjectName,
    isDefinition: boolean,
    detail?: string,
  ): string | undefined {
    if (name.dynamic || name.parts.length === 0) return undefined;
    // Roles are account objects: their names are never qualified by the session.
    const key =
      kind === 'role'
        ? canonicalName(name)
        : (qualifiedKey(name, this.catalog.sessionAt(this.current)) ?? canonicalName(name));
    this.found.push({
      kind,
      key,
      path: this.path,
      span: { start: name.start, end: name.end },
      isDefinition,
      statement: this.current,
      ...(detail ? { detail } : {}),
    });

    return key;
  }
}

function stagePart(part: string): string {
  return part.startsWith('"') ? part.replace(/^"|"$/g, '') : part.toUpperCase();
}
