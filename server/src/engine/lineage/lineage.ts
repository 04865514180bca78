import {
  type AstNode,
  type Reference,
  UnsupportedShape as Unsupported,
  asList,
  canonicalIdentifier,
  expressionName,
  hasEscapedQuote,
  isNode,
  readAlias,
  readCteName,
  readReference,
  readTableParts,
  sourceText,
} from './canonical';
import { parseQueryCached } from './parse-cache';
import { readCommonSelect } from './select-reader';
import { SUMMARIZING_FUNCTIONS } from './select-words';
import { clearOnlyFor } from './role-gate';
import { withoutStarRenames } from './star-rename';
import type { ColumnLookup, LineageSource, OutputColumn, QueryLineage } from './types';

export { type ParsedQuery, parseQueryCached } from './parse-cache';

/**
 * Column lineage of one query body: for each output column, the base-table columns that reach
 * it. Gives undefined, and never throws, when the query does not parse or uses a construct that
 * is not modelled (table functions such as FLATTEN, stages, PIVOT, positional `$1` columns, …).
 */
export function analyzeQuery(sql: string, lookup: ColumnLookup): QueryLineage | undefined {
  return analyzeQueryRead(sql, lookup, readQuery);
}

/** Reads a query body into node-sql-parser's AST shape; undefined when it cannot. */
export type QueryReader = (sql: string) => AstNode | undefined;

/**
 * The common shapes are read by our own reader, and only what it declines goes to the slow
 * node-sql-parser; both give the same AST shape, so the analysis below cannot tell them apart.
 */
const readQuery: QueryReader = (sql) => readCommonSelect(sql) ?? parseQueryCached(sql)?.ast;

/** node-sql-parser alone, for comparing the two readers. */
export const readQueryWithParser: QueryReader = (sql) => parseQueryCached(sql)?.ast;

/** analyzeQuery with the given reader; the differential test runs each reader through it. */
export function analyzeQueryRead(
  sql: string,
  lookup: ColumnLookup,
  read: QueryReader,
): QueryLineage | undefined {
  const renamed = /\brename\b/i.test(sql) ? withoutStarRenames(sql) : { sql, renames: new Map() };
  if (!renamed) return undefined;
  // The renames apply to the columns a top-level `*` expands to, and so to every output of that
  // name; a column selected by name as well as through the `*` would be renamed too.
  const rename = (name: string): string => renamed.renames.get(name) ?? name;
  const ast = read(renamed.sql);
  if (!ast || ast.type !== 'select' || hasEscapedQuote(sql)) return undefined;
  try {
    const analysis = new Analysis(renamed.sql, lookup);
    const shape = analysis.query(ast, new Map(), undefined);
    const outputs: OutputColumn[] = shape.items.filter(isColumn).map((column) => ({
      name: rename(column.name),
      sources: column.sources,
      direct: column.direct,
      ...(column.summarized ? { summarized: true } : {}),
      ...(column.clearFor ? { clearFor: column.clearFor } : {}),
    }));

    return {
      outputs,
      tables: [...analysis.tables],
      incomplete: analysis.incomplete || shape.items.some(isGap),
    };
  } catch {
    // Unsupported shapes end here on purpose; anything else is a defect in this module, and a
    // missing lineage is safer for the rules than a wrong one.
    return undefined;
  }
}

interface Flow {
  readonly sources: readonly LineageSource[];
  readonly direct: boolean;
  /** The select item is a count or statistic over its sources; see OutputColumn. */
  readonly summarized?: boolean;
}

interface Column extends Flow {
  readonly name: string;
  /** The item is a role-gated CASE; see OutputColumn. */
  readonly clearFor?: readonly string[];
}

/** The output of a `*` over a relation whose columns are unknown. */
interface Gap {
  readonly gap: Relation;
}

type Item = Column | Gap;

/** The outputs of a query, CTE or subquery, in order. */
interface Shape {
  readonly items: readonly Item[];
}

type Relation =
  | {
      readonly kind: 'base';
      readonly key: string;
      readonly parts: readonly string[];
      readonly alias?: string;
    }
  | {
      readonly kind: 'derived';
      readonly shape: Shape;
      readonly name?: string;
      readonly alias?: string;
    };

type CteEnv = ReadonlyMap<string, Shape>;

interface Scope {
  readonly relations: readonly Relation[];
  /** The enclosing query, for correlated subqueries. */
  readonly outer: Scope | undefined;
  readonly env: CteEnv;
  /** Aliases defined earlier in the select list, which Snowflake lets later items reference. */
  readonly laterals: Column[];
}

/** Keys a FROM item may carry; any other non-null key is a construct this module does not model. */
const FROM_ITEM_KEYS = new Set(
  'db catalog schema table surround as loc join on using expr operator prefix'.split(' '),
);

/** Clauses that cannot feed output values but may hold subqueries over more tables. */
const FILTER_CLAUSES = ['where', 'having', 'qualify', 'groupby', 'orderby', 'window'];

/**
 * Argument positions that take a bare date or time part (`DATEADD(month, 1, d)`), which the
 * grammar reads as a column reference (https://docs.snowflake.com/en/sql-reference/functions-date-time).
 */
const DATE_PART_ARGUMENT = new Map([
  ['DATEADD', 0],
  ['DATEDIFF', 0],
  ['DATE_PART', 0],
  ['DATE_TRUNC', 0],
  ['TIMEADD', 0],
  ['TIMEDIFF', 0],
  ['TIMESTAMPADD', 0],
  ['TIMESTAMPDIFF', 0],
  ['LAST_DAY', 1],
  ['TIME_SLICE', 2],
]);

/** A recursive CTE is re-analysed until its sources stop growing, within this many rounds. */
const MAX_RECURSION_ROUNDS = 8;

class Analysis {
  readonly tables = new Set<string>();
  incomplete = false;
  private readonly knownColumns = new Map<string, readonly string[] | undefined>();

  constructor(
    private readonly sql: string,
    private readonly lookup: ColumnLookup,
  ) {}

  /** A whole query expression: its WITH clause, then each UNION branch. */
  query(node: AstNode, env: CteEnv, outer: Scope | undefined, headOnly = false): Shape {
    const inner = this.withClause(node.with, env, outer);
    const shapes = [this.select(node, inner, outer)];
    // Each branch carries the operator that joins it to the next one in `set_op`.
    for (let branch = node; !headOnly && branch._next != null;) {
      const next = branch._next;
      const operator = typeof branch.set_op === 'string' ? branch.set_op : '';
      if (!isNode(next) || !/^union/i.test(operator)) {
        throw new Unsupported(`set operation ${operator}`);
      }
      shapes.push(this.select(next, inner, outer));
      branch = next;
    }

    return this.mergeBranches(shapes);
  }

  private withClause(list: unknown, env: CteEnv, outer: Scope | undefined): CteEnv {
    if (list == null) return env;
    if (!Array.isArray(list)) throw new Unsupported('WITH clause');
    const recursive = list.some((cte) => isNode(cte) && cte.recursive === true);
    let current = env;
    for (const cte of list) {
      if (!isNode(cte)) throw new Unsupported('CTE');
      const name = readCteName(cte.name);
      const body = isNode(cte.stmt) && isNode(cte.stmt.ast) ? cte.stmt.ast : cte.stmt;
      if (!isNode(body)) throw new Unsupported('CTE body');
      const columns = Array.isArray(cte.columns) ? cte.columns.map((c) => this.listedName(c)) : [];
      const analyse = (scopeEnv: CteEnv, headOnly: boolean): Shape =>
        this.renameColumns(this.query(body, scopeEnv, outer, headOnly), columns);
      const shape = recursive ? this.recursiveCte(name, current, analyse) : analyse(current, false);
      current = new Map(current).set(name, shape);
    }

    return current;
  }

  /**
   * Self-references see the anchor branch's columns first; each round feeds the previous round's
   * sources back in, so that columns reaching the output only through recursion are found too.
   */
  private recursiveCte(
    name: string,
    env: CteEnv,
    analyse: (env: CteEnv, headOnly: boolean) => Shape,
  ): Shape {
    let shape = analyse(env, true);
    for (let round = 0; round < MAX_RECURSION_ROUNDS; round++) {
      const next = analyse(new Map(env).set(name, shape), false);
      if (JSON.stringify(next) === JSON.stringify(shape)) break;
      shape = next;
    }

    return shape;
  }

  private renameColumns(shape: Shape, names: readonly string[]): Shape {
    if (names.length === 0) return shape;
    if (shape.items.some(isGap) || shape.items.length !== names.length) {
      // Positions cannot be matched, so the names are kept without claiming any sources.
      this.incomplete = true;

      return {
        items: names.map((name) => ({ name, sources: [], direct: false })),
      };
    }

    return {
      items: shape.items
        .filter(isColumn)
        .map((item, index) => ({ ...item, name: names[index] ?? '' })),
    };
  }

  /** UNION outputs take their names from the first branch and their sources from every branch. */
  private mergeBranches(shapes: readonly Shape[]): Shape {
    const [first, ...rest] = shapes;
    if (!first) throw new Unsupported('empty query');
    if (rest.length === 0) return first;
    if (shapes.some((shape) => shape.items.some(isGap))) {
      this.incomplete = true;

      return first;
    }
    if (rest.some((shape) => shape.items.length !== first.items.length)) this.incomplete = true;
    const items = first.items.filter(isColumn).map((column, index) => {
      const branches = shapes.map((shape) => shape.items[index]).filter(isColumn);

      return {
        name: column.name,
        sources: mergeSources(branches.map((branch) => branch.sources)),
        direct: branches.every((branch) => branch.direct),
      };
    });

    return { items };
  }

  private select(node: AstNode, env: CteEnv, outer: Scope | undefined): Shape {
    if (node.type !== 'select') throw new Unsupported(`statement ${String(node.type)}`);
    const fromItems = asList(node.from);
    const relations = fromItems.map((item) => this.relation(item, env, outer));
    const scope: Scope = { relations, outer, env, laterals: [] };
    const items: Item[] = [];
    for (const column of asList(node.columns)) {
      const produced = this.selectItem(column, scope);
      items.push(...produced);
    }

    // Filters and join conditions decide which rows flow, not which values, but their
    // subqueries still read tables that belong in `tables`.
    for (const clause of FILTER_CLAUSES) this.scanSubqueries(node[clause], scope);
    for (const item of fromItems) if (isNode(item)) this.scanSubqueries(item.on, scope);

    return { items };
  }

  private relation(item: unknown, env: CteEnv, outer: Scope | undefined): Relation {
    if (!isNode(item)) throw new Unsupported('FROM item');
    for (const [key, value] of Object.entries(item)) {
      if (value != null && !FROM_ITEM_KEYS.has(key)) throw new Unsupported(`FROM item ${key}`);
    }
    if (item.operator != null || item.prefix != null) throw new Unsupported('PIVOT or LATERAL');
    const alias = readAlias(this.sql, item);
    if (item.expr != null) {
      if (!isNode(item.expr) || !isNode(item.expr.ast)) throw new Unsupported('FROM expression');

      return {
        kind: 'derived',
        shape: this.query(item.expr.ast, env, outer),
        alias,
      };
    }
    const parts = readTableParts(item);
    const cte = parts.length === 1 ? env.get(parts[0] ?? '') : undefined;
    if (cte) return { kind: 'derived', shape: cte, name: parts[0], alias };

    const key = parts.join('.');
    this.tables.add(key);

    return { kind: 'base', key, parts, alias };
  }

  private selectItem(column: unknown, scope: Scope): Item[] {
    if (!isNode(column) || !isNode(column.expr)) throw new Unsupported('select item');
    const expr = column.expr;
    if (expr.type === 'column_ref' && expr.column === '*') return this.expandStar(expr, scope);

    const flow = this.expression(expr, scope);
    const alias = readAlias(this.sql, column);
    const name = alias ?? this.derivedName(expr, column);
    const clearFor =
      expr.type === 'case'
        ? clearOnlyFor(expr, (node) => this.expression(node, scope).sources.length > 0)
        : undefined;
    const output: Column = { name, ...flow, summarized: isSummary(expr), clearFor };
    if (alias !== undefined) scope.laterals.push(output);

    return [output];
  }

  private derivedName(expr: AstNode, column: AstNode): string {
    if (expr.type === 'double_quote_string' && typeof expr.value === 'string') {
      return canonicalIdentifier(expr.value, true);
    }
    if (expr.type === 'column_ref') {
      const reference = readReference(this.sql, expr);
      if (!reference.path) return reference.column;
    }
    const text = sourceText(this.sql, column);
    if (text === undefined) throw new Unsupported('select item without location');

    return expressionName(text);
  }

  private expandStar(expr: AstNode, scope: Scope): Item[] {
    const excluded = this.excludedColumns(expr.suffix);
    const qualifier = readReference(this.sql, expr).qualifier;
    const relations =
      qualifier.length > 0 ? [this.findRelation(qualifier, scope)] : scope.relations;
    if (relations.length === 0) throw new Unsupported('* without FROM');

    return relations
      .flatMap((relation) => this.itemsOf(relation))
      .filter((item) => isGap(item) || !excluded.has(item.name));
  }

  /** `* EXCLUDE (a, b)`; the other `*` modifiers (RENAME, REPLACE, ILIKE) are not modelled. */
  private excludedColumns(suffix: unknown): Set<string> {
    if (suffix == null) return new Set();
    const name = isNode(suffix) && isNode(suffix.name) ? asList(suffix.name.name)[0] : undefined;
    if (!isNode(name) || String(name.value).toUpperCase() !== 'EXCLUDE') {
      throw new Unsupported('* modifier');
    }
    const args = isNode(suffix) && isNode(suffix.args) ? asList(suffix.args.value) : [];

    return new Set(
      args.map((arg) => {
        if (!isNode(arg) || arg.type !== 'column_ref') throw new Unsupported('EXCLUDE item');

        return readReference(this.sql, arg).column;
      }),
    );
  }

  private itemsOf(relation: Relation): readonly Item[] {
    if (relation.kind === 'derived') return relation.shape.items;
    const columns = this.columnsOf(relation.key);
    if (columns === undefined) return [{ gap: relation }];

    return columns.map((column) => ({
      name: column,
      sources: [{ table: relation.key, column }],
      direct: true,
    }));
  }

  /** The sources of an expression; only a plain column reference passes its value through. */
  private expression(node: unknown, scope: Scope): Flow {
    if (Array.isArray(node)) {
      const flows = node.map((child) => this.expression(child, scope));

      return {
        sources: mergeSources(flows.map((flow) => flow.sources)),
        direct: false,
      };
    }
    if (!isNode(node)) return { sources: [], direct: false };
    if (node.type === 'column_ref') {
      if (node.column === '*') {
        const items = this.expandStar(node, scope);
        if (items.some(isGap)) this.incomplete = true;
        const sources = mergeSources(items.filter(isColumn).map((item) => item.sources));

        return { sources, direct: false };
      }
      const reference = readReference(this.sql, node);
      const flow = this.resolve(reference, scope);

      return reference.path ? { sources: flow.sources, direct: false } : flow;
    }
    // The Snowflake grammar turns an unqualified `"Name"` into a string node; single-quoted
    // literals are a different node type, so this is always a quoted identifier.
    if (node.type === 'double_quote_string' && typeof node.value === 'string') {
      const column = canonicalIdentifier(node.value, true);

      return this.resolve({ qualifier: [], column, path: false }, scope);
    }
    // `$1` reads a column by position from a stage or table; a `$name` session variable has
    // no column sources.
    if (node.type === 'var' && /^\d+$/.test(String(node.name))) {
      throw new Unsupported('positional column');
    }
    if (isNode(node.ast)) {
      const shape = this.query(node.ast, scope.env, scope);
      if (shape.items.some(isGap)) this.incomplete = true;
      const sources = mergeSources(shape.items.filter(isColumn).map((item) => item.sources));

      return { sources, direct: false };
    }

    const flows: Flow[] = [];
    for (const [key, child] of Object.entries(node)) {
      if (isSkippedKey(node, key)) continue;
      const value = key === 'args' ? withoutDatePart(node, child) : child;
      if (isNode(value) || Array.isArray(value)) flows.push(this.expression(value, scope));
    }

    return {
      sources: mergeSources(flows.map((flow) => flow.sources)),
      direct: false,
    };
  }

  /** Finds subqueries anywhere below `node` and analyses them for their tables only. */
  private scanSubqueries(node: unknown, scope: Scope): void {
    if (Array.isArray(node)) {
      for (const child of node) this.scanSubqueries(child, scope);

      return;
    }
    if (!isNode(node)) return;
    if (isNode(node.ast)) {
      this.query(node.ast, scope.env, scope);

      return;
    }
    // A for-in loop visits the same keys in the same order as Object.entries, without copying.
    for (const key in node) if (key !== 'loc') this.scanSubqueries(node[key], scope);
  }

  private resolve(reference: Reference, scope: Scope): Flow {
    if (reference.qualifier.length > 0) {
      return this.columnOf(this.findRelation(reference.qualifier, scope), reference.column);
    }
    const column = reference.column;
    for (let current: Scope | undefined = scope; current; current = current.outer) {
      const owner = current.relations.find((r) => this.hasColumn(r, column) === true);
      if (owner) return this.columnOf(owner, column);
      const lateral = current === scope ? scope.laterals.find((c) => c.name === column) : undefined;
      if (lateral) return { sources: lateral.sources, direct: lateral.direct };
    }

    // No relation is known to have the column: it must belong to the only relation whose
    // columns are unknown, or to the only relation in scope.
    let nearest: Scope | undefined = scope;
    while (nearest && nearest.relations.length === 0) nearest = nearest.outer;
    const relations = nearest?.relations ?? [];
    const unknown = relations.filter((relation) => this.hasColumn(relation, column) === undefined);
    const guess =
      unknown.length === 1 ? unknown[0] : relations.length === 1 ? relations[0] : undefined;
    if (guess) return this.columnOf(guess, column);
    // Still a plain reference, so `direct` stays true; the empty sources make no claim.
    this.incomplete = true;

    return { sources: [], direct: true };
  }

  private findRelation(qualifier: readonly string[], scope: Scope): Relation {
    for (let current: Scope | undefined = scope; current; current = current.outer) {
      const found = current.relations.find((relation) => matchesQualifier(relation, qualifier));
      if (found) return found;
    }
    throw new Unsupported(`unknown qualifier ${qualifier.join('.')}`);
  }

  /** True or false when the columns of the relation are known, undefined otherwise. */
  private hasColumn(relation: Relation, column: string): boolean | undefined {
    if (relation.kind === 'base') return this.columnsOf(relation.key)?.includes(column);
    let answer: boolean | undefined = false;
    for (const item of relation.shape.items) {
      if (!isGap(item)) {
        if (item.name === column) return true;
        continue;
      }
      const inGap = this.hasColumn(item.gap, column);
      if (inGap) return true;
      if (inGap === undefined) answer = undefined;
    }

    return answer;
  }

  private columnOf(relation: Relation, column: string): Flow {
    if (relation.kind === 'base') {
      return { sources: [{ table: relation.key, column }], direct: true };
    }
    const items = relation.shape.items;
    const found = items.find((item): item is Column => !isGap(item) && item.name === column);
    if (found) return { sources: found.sources, direct: found.direct };

    // The column can only come through a `*` over relations whose columns are unknown.
    const gaps = items.filter(isGap).map((item) => item.gap);
    const owner =
      gaps.find((gap) => this.hasColumn(gap, column) === true) ??
      onlyOne(gaps.filter((gap) => this.hasColumn(gap, column) === undefined));
    if (owner) return this.columnOf(owner, column);
    this.incomplete = true;

    return { sources: [], direct: true };
  }

  private columnsOf(key: string): readonly string[] | undefined {
    if (!this.knownColumns.has(key)) this.knownColumns.set(key, this.lookup(key));

    return this.knownColumns.get(key);
  }

  /** A name from a CTE column list, `WITH c (a, "B") AS …`. */
  private listedName(node: unknown): string {
    if (!isNode(node) || node.type !== 'column_ref') throw new Unsupported('CTE column list');

    return readReference(this.sql, node).column;
  }
}

function matchesQualifier(relation: Relation, qualifier: readonly string[]): boolean {
  if (relation.alias !== undefined)
    return qualifier.length === 1 && qualifier[0] === relation.alias;
  const parts = relation.kind === 'base' ? relation.parts : relation.name ? [relation.name] : [];
  if (qualifier.length > parts.length) return false;
  const offset = parts.length - qualifier.length;

  return qualifier.every((part, index) => parts[offset + index] === part);
}

/**
 * True for a select item built only from counts and statistics, such as `COUNT(DISTINCT dob)`
 * or `SUM(a) / COUNT(*)`; a window aggregate (`OVER …`) keeps one value per row and does not count.
 */
function isSummary(node: unknown): boolean {
  if (!isNode(node)) return false;
  if (node.type === 'binary_expr') {
    const sides = [node.left, node.right];

    return sides.some(isSummary) && sides.every((side) => isSummary(side) || isConstant(side));
  }

  return isSummarizing(node) && node.over == null;
}

function isConstant(node: unknown): boolean {
  return isNode(node) && (node.type === 'number' || node.type === 'null');
}

function isSummarizing(node: AstNode): boolean {
  if (node.type !== 'aggr_func' && node.type !== 'function') return false;
  const name = isNode(node.name) ? asList(node.name.name) : [node.name];
  const last = name[name.length - 1];
  const text = isNode(last) ? last.value : last;

  return typeof text === 'string' && SUMMARIZING_FUNCTIONS.has(text.toUpperCase());
}

/** Function names and cast targets hold identifiers that are not column references. */
function isSkippedKey(node: AstNode, key: string): boolean {
  if (key === 'loc') return true;
  if (node.type === 'function' && key === 'name') return true;

  return node.type === 'cast' && key === 'target';
}

/** The arguments of a call, minus a date part that the grammar mistook for a column. */
function withoutDatePart(call: AstNode, args: unknown): unknown {
  const nameParts = isNode(call.name) ? asList(call.name.name) : [];
  const last = nameParts[nameParts.length - 1];
  const position = isNode(last)
    ? DATE_PART_ARGUMENT.get(String(last.value).toUpperCase())
    : undefined;
  if (call.type !== 'function' || position === undefined || !isNode(args)) return args;
  const list = asList(args.value);
  const part = list[position];
  const isBareWord = isNode(part) && part.type === 'column_ref' && part.table == null;

  return isBareWord ? list.filter((_, index) => index !== position) : args;
}

function mergeSources(lists: readonly (readonly LineageSource[])[]): LineageSource[] {
  const seen = new Set<string>();
  const merged: LineageSource[] = [];
  for (const source of lists.flat()) {
    const key = `${source.table}\u0000${source.column}`;
    if (seen.has(key)) continue;
    seen.add(key);
    merged.push(source);
  }

  return merged;
}

function onlyOne<T>(items: readonly T[]): T | undefined {
  return items.length === 1 ? items[0] : undefined;
}

function isGap(item: Item | undefined): item is Gap {
  return item !== undefined && 'gap' in item;
}

function isColumn(item: Item | undefined): item is Column {
  return item !== undefined && !('gap' in item);
}
