import {
  type AccountState,
  UNRESOLVED_REFERENCE_RULE,
  applyAccountState,
  seedAccountTables,
  unresolvedReferences,
} from './account-state';
import { type ResolvedConfig, type RuleSettings, defaultConfig } from './config';
import { type Finding, PARSE_ERROR_RULE, compareFindings } from './findings';
import { analyzeQuery } from './lineage/lineage';
import type { QueryLineage } from './lineage/types';
import { type Logger, silentLogger } from './logger';
import { buildCatalog } from './model/build-catalog';
import { CatalogCheckpoints } from './model/checkpoints';
import type { Catalog, SessionState } from './model/catalog';
import { sortMigrations } from './model/order';
import { mayCarryPersonalData, sensitiveRelationNames } from './model/sensitive';
import { type AnalyzedFile, type Rule, type RuleContext, formatMessage } from './rules/define';
import { type TextMove, moveFindings, neutralMove, withPositions } from './moved-findings';
import {
  type Derived,
  EVERY_KEY,
  Fact,
  ReadLog,
  derivedOnce,
  recordRead,
  recordingInto,
} from './reads';
import { LineIndex } from './source';
import { type ResultsRun, type RuleResult, StatementResults } from './statement-results';
import {
  type SuppressionContext,
  type SuppressionEntry,
  applySuppressions,
  isoDate,
  listSuppressions,
} from './suppressions';
import type { QueryBody, Statement } from './syntax/ast';
import { EditableParse } from './syntax/incremental';
import { parseFile } from './syntax/parser';

export interface WorkspaceOptions {
  /** The clock that suppressions' `until=` dates are judged against; the system clock by default. */
  readonly now?: () => Date;
  /**
   * The config that governs one file, for repositories with a snowgov.yml per folder (the
   * nearest wins). Files it gives nothing for use the workspace's config. The catalog is shared,
   * so which relations can carry personal data is judged with the workspace's classifier.
   */
  readonly configFor?: (path: string) => ResolvedConfig | undefined;
}

export interface Analysis {
  /** Findings per file path, sorted by position; every workspace file has an entry. */
  readonly findings: ReadonlyMap<string, readonly Finding[]>;
  readonly catalog: Catalog;
  /** Files in migration order. */
  readonly files: readonly AnalyzedFile[];
}

/**
 * The set of SQL files being judged together. Parses are cached by file text, so after an edit
 * only the edited file is parsed again; the catalog is rebuilt from the cached parses.
 */
export class Workspace {
  private readonly files = new Map<string, AnalyzedFile>();
  /** Each file's parse, which the next text of the file is parsed from; see `setFile`. */
  private readonly parses = new Map<string, EditableParse>();
  private readonly reportedCrashes = new Set<string>();
  private accountState?: AccountState;
  /** Lineage kept across analyses; see `lineageOver`. */
  private lineageMemo = new Map<string, MemoizedLineage>();
  /** The rule findings of the last analysis, before suppressions; see `movedFindings`. */
  private last?: { readonly wanted?: ReadonlySet<string>; readonly rules: Map<string, Finding[]> };
  /** How each file's text moved since the last analysis, while no statement changed. */
  private readonly moves = new Map<string, TextMove[]>();
  /** Set when something changed since the last analysis that its findings cannot follow. */
  private changed = true;
  /** Rule results per statement, kept across analyses once a file is being edited. */
  private readonly results = new StatementResults();
  /** Where the next catalog build can start, once a file is being edited. */
  private readonly checkpoints = new CatalogCheckpoints();

  constructor(
    private readonly rules: readonly Rule[],
    private config: ResolvedConfig = defaultConfig(rules),
    private readonly logger: Logger = silentLogger,
    private readonly options: WorkspaceOptions = {},
  ) {}

  setConfig(config: ResolvedConfig): void {
    this.config = config;
    this.changed = true;
    this.results.clear();
    this.checkpoints.clear();
  }

  /** A live account's state, which rules then see in the catalog; undefined to forget it. */
  setAccountState(state: AccountState | undefined): void {
    this.accountState = state;
    this.changed = true;
    this.results.clear();
    this.checkpoints.clear();
  }

  /**
   * Adds or replaces a file. Returns false when its text is unchanged. A replaced file is parsed
   * again only where its text changed (see `EditableParse`): its other statements are kept and
   * moved in place, so an analysis made before describes the new text, not the old one.
   */
  setFile(path: string, text: string): boolean {
    const current = this.files.get(path);
    if (current?.text === text) return false;
    // A file is kept editable from its first replacement on: most files are set once, and an
    // editable parse holds a little more than the statements.
    const previous = this.parses.get(path);
    const parse = previous ? previous.edit(text) : current ? EditableParse.parse(text) : undefined;
    if (parse) this.parses.set(path, parse);
    const parsed = parse?.parsed ?? parseFile(text);
    const change = parse?.change;
    const lines = current && change ? current.lines.edited(text, change) : new LineIndex(text);
    this.files.set(path, { path, text, parsed, lines });
    const move =
      current && parse && neutralMove(parse.change, current.text, text, parsed.statements);
    if (move) this.moves.set(path, [...(this.moves.get(path) ?? []), move]);
    else this.changed = true;

    return true;
  }

  /**
   * A workspace like this one with some files' texts replaced, or removed where the text is
   * undefined; unchanged files share their cached parses. Used to judge an earlier revision.
   */
  variant(texts: ReadonlyMap<string, string | undefined>): Workspace {
    const copy = new Workspace(this.rules, this.config, this.logger, this.options);
    // The copy shares this workspace's statements, which an edit here would move in place.
    this.parses.clear();
    for (const [path, file] of this.files) {
      const text = texts.has(path) ? texts.get(path) : file.text;
      if (text === file.text) copy.files.set(path, file);
      else if (text !== undefined) copy.setFile(path, text);
    }

    return copy;
  }

  removeFile(path: string): void {
    this.files.delete(path);
    this.parses.delete(path);
    this.changed = true;
  }

  /**
   * How many times a rule failed on a file (each rule and file counted once), so that a face can
   * tell its user that findings may be missing.
   */
  get ruleFailures(): number {
    return this.reportedCrashes.size;
  }

  hasFile(path: string): boolean {
    return this.files.has(path);
  }

  get paths(): string[] {
    return [...this.files.keys()];
  }

  /**
   * Builds the catalog from every file and runs the rules on `only` (default: every file).
   * Never throws: a rule that fails on a statement is logged once and the others still run.
   */
  analyze(only?: Iterable<string>): Analysis {
    const ordered = sortMigrations([...this.files.values()], (file) => file.path);
    const wanted = only ? new Set(only) : undefined;
    const moved = this.movedFindings(wanted);
    this.moves.clear();
    this.changed = false;
    if (moved) return this.judge(ordered, moved, () => this.buildCatalog(ordered));

    const catalog = this.buildCatalog(ordered);
    const sensitive = sensitiveRelationNames(catalog, this.config.classifier);
    const used = new Map<string, MemoizedLineage>();
    const gate = (text: string): boolean =>
      mayCarryPersonalData(text, sensitive, this.config.classifier);
    const lineage = lineageOver(catalog, gate, this.lineageMemo, used);
    // Results are kept (and reads recorded) only once a file is being edited: a one-off
    // analysis, such as the CLI's, would pay for records it never reads.
    const recording = this.parses.size > 0;
    const tracked = recording ? ordered.map((file) => trackedFile(file)) : ordered;
    const run = recording ? this.results.begin(tracked, catalog, sensitive) : undefined;
    const rules = new Map<string, Finding[]>();
    for (const file of ordered) {
      if (wanted && !wanted.has(file.path)) continue;
      const fileFindings: Finding[] = [];
      const seen = recording ? trackedFile(file, true) : file;
      const runs = this.ruleRuns(file, seen, tracked, catalog, lineage);
      let previousEnd = 0;
      for (const statement of file.parsed.statements) {
        if (run) judgeKeeping(statement, previousEnd, file, catalog, runs, run, fileFindings);
        else {
          const tree = statementTree(statement, catalog);
          for (const rule of runs) fileFindings.push(...runRule(rule, tree));
        }
        previousEnd = statement.end;
      }
      rules.set(file.path, fileFindings);
    }
    if (run) this.results.finish(run);
    // Only what this analysis used is kept, so the memo stays the size of one analysis.
    this.lineageMemo = used;
    this.last = { wanted, rules };

    return this.judge(ordered, rules, () => catalog);
  }

  private buildCatalog(ordered: readonly AnalyzedFile[]): Catalog {
    const state = this.accountState;
    const seed = state && ((empty: Catalog) => seedAccountTables(empty, state));
    const carries = (path: string): boolean =>
      this.configOf(path).migrations?.sessionCarriesOver === true;
    // An account's state is applied to the built catalog's models, which a checkpoint shares.
    const checkpoints = this.parses.size > 0 && !state ? this.checkpoints : undefined;
    const catalog = buildCatalog(ordered, analyzeQuery, seed, carries, checkpoints);
    if (this.accountState) applyAccountState(catalog, this.accountState);

    return catalog;
  }

  /**
   * The last analysis's rule findings, moved to where the edits since put them, when those
   * edits changed no statement (see `neutralMove`) and nothing else changed: the catalog and
   * every rule's input are then as they were. Undefined when the rules must run again.
   */
  private movedFindings(
    wanted: ReadonlySet<string> | undefined,
  ): Map<string, Finding[]> | undefined {
    const last = this.last;
    if (this.changed || !last || !sameSet(last.wanted, wanted)) return undefined;
    const rules = new Map<string, Finding[]>();
    for (const [path, findings] of last.rules) {
      let moved: Finding[] | undefined = findings;
      for (const [movedPath, moves] of this.moves) {
        for (const move of moves) moved = moved && moveFindings(moved, movedPath, move);
      }
      if (!moved) return undefined;
      const lines = this.files.get(path)?.lines;
      if (!lines) return undefined;
      rules.set(path, this.moves.has(path) ? moved.map((f) => withPositions(f, lines)) : moved);
    }
    this.last = { wanted, rules };

    return rules;
  }

  /**
   * Each file's findings: its parse errors, rule findings and, with an account state, the names
   * neither the files nor the account define, judged by its suppressions. The catalog is built
   * on first use, so an analysis that could keep its findings builds none unless asked (or
   * needed for the account); it then describes the files as they are when it is first read.
   */
  private judge(
    ordered: readonly AnalyzedFile[],
    rules: ReadonlyMap<string, readonly Finding[]>,
    catalogOf: () => Catalog,
  ): Analysis {
    let catalog: Catalog | undefined;
    const catalogNow = (): Catalog => (catalog ??= catalogOf());
    const suppressions = this.suppressionContext();
    const unresolved = this.unresolvedByPath(ordered, rules, catalogNow);
    const findings = new Map<string, Finding[]>();
    for (const file of ordered) {
      const own = rules.get(file.path);
      if (!own) continue;
      const config = this.configOf(file.path);
      const all = [
        ...parseErrorFindings(file, config.rules.get(PARSE_ERROR_RULE)),
        ...own,
        ...configured(unresolved.get(file.path) ?? [], config.rules.get(UNRESOLVED_REFERENCE_RULE)),
      ];
      const settings = this.accountState ? config.rules : this.withoutLiveRules(config.rules);
      const judged = applySuppressions(file, all, { ...suppressions, settings });
      findings.set(file.path, judged.sort(compareFindings));
    }

    return {
      findings,
      files: ordered,
      get catalog(): Catalog {
        return catalogNow();
      },
    };
  }

  /** With an account state, the names used in the judged files that nothing defines, by path. */
  private unresolvedByPath(
    ordered: readonly AnalyzedFile[],
    judged: ReadonlyMap<string, readonly Finding[]>,
    catalogOf: () => Catalog,
  ): Map<string, Finding[]> {
    const byPath = new Map<string, Finding[]>();
    if (!this.accountState) return byPath;
    const isJudged = (path: string): boolean => judged.has(path);
    for (const finding of unresolvedReferences(ordered, catalogOf(), this.accountState, isJudged)) {
      byPath.set(finding.path, [...(byPath.get(finding.path) ?? []), finding]);
    }

    return byPath;
  }

  /**
   * Settings for judging directives without an account: rules that only a live account raises
   * count as turned off, so a directive naming one is not reported as excusing nothing.
   */
  private withoutLiveRules(
    settings: ReadonlyMap<string, RuleSettings>,
  ): ReadonlyMap<string, RuleSettings> {
    const result = new Map(settings);
    for (const rule of this.rules) {
      const current = result.get(rule.name);
      if (rule.live && current) result.set(rule.name, { ...current, enabled: false });
    }

    return result;
  }

  /** Every `snowgov-ignore` directive of the workspace, by path and line; no rule runs. */
  listSuppressions(): SuppressionEntry[] {
    return listSuppressions([...this.files.values()], this.suppressionContext());
  }

  private configOf(path: string): ResolvedConfig {
    return this.options.configFor?.(path) ?? this.config;
  }

  /** Read once per analysis, so that every file is judged against the same day. */
  private suppressionContext(): SuppressionContext {
    return {
      ruleNames: [...this.rules.map((rule) => rule.name), PARSE_ERROR_RULE],
      accountRules: this.rules.filter((rule) => rule.live === 'account').map((rule) => rule.name),
      settings: this.config.rules,
      today: isoDate((this.options.now ?? (() => new Date()))()),
    };
  }

  /**
   * One context per enabled rule for a file, reused for each of its statements: only the
   * session and `parent` change from statement to statement. Rules are synchronous and keep no
   * context, so reuse is invisible to them, and it spares an object and a closure per rule per
   * statement. Reports go to the run's `sink`, which `runRule` empties. Rules see `seen`, the
   * file as reads are recorded through; reports are placed with the file itself.
   */
  private ruleRuns(
    file: AnalyzedFile,
    seen: AnalyzedFile,
    files: readonly AnalyzedFile[],
    catalog: Catalog,
    lineage: (query: QueryBody) => QueryLineage | undefined,
  ): RuleRun[] {
    const config = this.configOf(file.path);
    const runs: RuleRun[] = [];
    for (const rule of this.rules) {
      const settings = config.rules.get(rule.name);
      if (rule.live || (settings && !settings.enabled)) continue;
      const severity = settings?.severity ?? rule.defaultSeverity;
      const sink: Finding[] = [];
      const context: MutableContext = {
        file: seen,
        get files(): readonly AnalyzedFile[] {
          recordRead(Fact.files, EVERY_KEY);

          return files;
        },
        catalog,
        classifier: config.classifier,
        sessionNow: {},
        get session(): SessionState {
          recordRead(Fact.session, EVERY_KEY);

          return this.sessionNow;
        },
        options: settings?.options ?? rule.defaultOptions,
        parent: undefined,
        lineage,
        report: (report) => {
          const template = rule.messages[report.messageId] ?? report.messageId;
          sink.push({
            ruleId: rule.name,
            messageId: report.messageId,
            severity: report.severity ?? severity,
            message: formatMessage(template, report.data),
            path: file.path,
            // Copied: a report may hand over an AST node, which a later edit moves in place.
            span: { start: report.span.start, end: report.span.end },
            start: file.lines.positionAt(report.span.start),
            end: file.lines.positionAt(report.span.end),
            fixes: (report.fixes ?? []).map((fix) => ({
              title: fix.title,
              safety: fix.safety ?? rule.fix.safety,
              edits: fix.edits.map((edit) => ({
                path: edit.path ?? file.path,
                span: { start: edit.span.start, end: edit.span.end },
                newText: edit.newText,
              })),
            })),
          });
        },
      };
      runs.push({ rule, context, sink, crashed: (error) => this.reportCrash(rule, file, error) });
    }

    return runs;
  }

  private reportCrash(rule: Rule, file: AnalyzedFile, error: unknown): void {
    const key = `${rule.name}\u0000${file.path}\u0000${file.text.length}`;
    if (this.reportedCrashes.has(key)) return;
    this.reportedCrashes.add(key);
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    this.logger.warn(`Rule ${rule.name} failed on ${file.path}; other rules still ran: ${detail}`);
  }
}

type MutableContext = {
  -readonly [K in keyof RuleContext<object, string>]: RuleContext<object, string>[K];
} & {
  /** The session of the statement being judged; `session` reads it and records the read. */
  sessionNow: SessionState;
};

interface RuleRun {
  readonly rule: Rule;
  readonly context: MutableContext;
  /** The findings reported since `runRule` last emptied it. */
  readonly sink: Finding[];
  crashed(error: unknown): void;
}

/** A top-level statement and those nested in it, in order, with their parents and sessions. */
type StatementTree = readonly {
  readonly statement: Statement;
  readonly parent: Statement | undefined;
  readonly session: SessionState;
}[];

function statementTree(statement: Statement, catalog: Catalog): StatementTree {
  const tree: { statement: Statement; parent: Statement | undefined; session: SessionState }[] = [];
  const add = (node: Statement, parent: Statement | undefined): void => {
    tree.push({ statement: node, parent, session: catalog.sessionAt(node) });
    for (const nested of node.nested ?? []) add(nested, node);
  };
  add(statement, undefined);

  return tree;
}

/** One rule's findings on a statement tree; a rule that throws on one statement loses only it. */
function runRule(run: RuleRun, tree: StatementTree): Finding[] {
  for (const { statement, parent, session } of tree) {
    run.context.sessionNow = session;
    run.context.parent = parent;
    try {
      run.rule.check(statement, run.context);
    } catch (error) {
      run.crashed(error);
    }
  }

  return run.sink.splice(0);
}

/** Collects the reads of one rule run; most runs read nothing beyond their statement. */
const scratchReads = new ReadLog();

/**
 * Judges a top-level statement, keeping the results of the last analysis that still hold (see
 * `StatementResults`) and running the other rules with their reads recorded.
 */
function judgeKeeping(
  statement: Statement,
  previousEnd: number,
  file: AnalyzedFile,
  catalog: Catalog,
  runs: readonly RuleRun[],
  results: ResultsRun,
  out: Finding[],
): void {
  const kept = results.kept(statement, file, previousEnd);
  for (const result of kept?.results ?? []) out.push(...result.findings);
  // Most statements keep every result: their record stands as it is.
  if (kept?.stale.size === 0) {
    results.keep(statement, kept.results);

    return;
  }
  let tree: StatementTree | undefined;
  const now: RuleResult[] = kept ? [...kept.results] : [];
  for (const run of runs) {
    // A rule neither kept nor stale reported nothing and read nothing: it would do so again.
    if (kept && !kept.stale.has(run.rule.name)) continue;
    scratchReads.clear();
    tree ??= statementTree(statement, catalog);
    const nodes = tree;
    const findings = recordingInto(scratchReads, () => runRule(run, nodes));
    const reads = scratchReads.empty ? undefined : scratchReads.copy();
    if (findings.length > 0 || reads) now.push({ rule: run.rule.name, findings, reads });
    out.push(...findings);
  }
  results.keep(statement, now);
}

/**
 * A file as rules see it while reads are recorded: reading its statements or lines is a read,
 * and so is reading the text of another file (a fix that appends to a file reads its text). The
 * judged file's own text is read unrecorded: every rule reads the text of its statement, and a
 * statement is judged again whenever an edit comes near it (see `StatementResults`).
 */
function trackedFile(file: AnalyzedFile, judged = false): AnalyzedFile {
  return {
    path: file.path,
    get text() {
      if (!judged) recordRead(Fact.statements, file.path);

      return file.text;
    },
    get parsed() {
      recordRead(Fact.statements, file.path);

      return file.parsed;
    },
    get lines() {
      recordRead(Fact.lines, file.path);

      return file.lines;
    },
  };
}

/** A query's lineage with the column lookups it made, in order, and their answers. */
interface MemoizedLineage {
  readonly result: QueryLineage | undefined;
  readonly lookups: readonly (readonly [string, readonly string[] | undefined])[];
}

/**
 * Lineage with the catalog as column source, cached by query text for one analysis. A view's
 * columns come from its own query when it has no column list; a view that reaches itself
 * (through other views) resolves to unknown columns instead of looping.
 */
function lineageOver(
  catalog: Catalog,
  mayCarryPersonalData: (text: string) => boolean,
  memo: ReadonlyMap<string, MemoizedLineage>,
  used: Map<string, MemoizedLineage>,
): (query: QueryBody) => QueryLineage | undefined {
  // Each query's catalog reads are kept with its lineage and given to every rule that asks.
  const cache = new Map<string, Derived<QueryLineage | undefined>>();
  const inProgress = new Set<string>();
  const analyze = (query: QueryBody): QueryLineage | undefined => {
    // A query over nothing that holds personal data has no lineage any rule needs.
    recordRead(Fact.sensitive, EVERY_KEY);
    if (!mayCarryPersonalData(query.text)) return undefined;
    if (inProgress.has(query.text)) return undefined;

    return derivedOnce(cache, query.text, () => {
      inProgress.add(query.text);
      const result = reuse(query.text) ?? compute(query.text);
      inProgress.delete(query.text);
      used.set(query.text, result);

      return result.result;
    });
  };
  // A result from an earlier analysis stands when the same lookups, made again in the same
  // order (and so with the same side effects on this analysis's cache), give the same columns:
  // the lineage is a function of the text and those answers alone.
  const reuse = (text: string): MemoizedLineage | undefined => {
    const earlier = memo.get(text);
    if (!earlier) return undefined;
    for (const [key, columns] of earlier.lookups) {
      if (!sameColumns(columnsOf(key), columns)) return undefined;
    }

    return earlier;
  };
  const compute = (text: string): MemoizedLineage => {
    const lookups: (readonly [string, readonly string[] | undefined])[] = [];
    const result = analyzeQuery(text, (table) => {
      const columns = columnsOf(table);
      lookups.push([table, columns]);

      return columns;
    });

    return { result, lookups };
  };
  const columnsOf = (key: string): readonly string[] | undefined => {
    const table = catalog.findTable(key);
    if (!table) return catalog.externalColumns(key);
    if (table.statement.kind === 'create-view' && table.statement.columns.length === 0) {
      const query = table.statement.query;
      const outputs = query ? analyze(query) : undefined;

      return outputs && !outputs.incomplete
        ? outputs.outputs.map((output) => output.name)
        : undefined;
    }

    return table.columnsUnknown ? undefined : [...table.columns.keys()];
  };

  return analyze;
}

function parseErrorFindings(file: AnalyzedFile, settings: RuleSettings | undefined): Finding[] {
  if (settings && !settings.enabled) return [];

  return file.parsed.problems.map((problem) => ({
    ruleId: PARSE_ERROR_RULE,
    severity: settings?.severity ?? 'warning',
    message: problem.message,
    path: file.path,
    span: { start: problem.start, end: problem.end },
    start: file.lines.positionAt(problem.start),
    end: file.lines.positionAt(problem.end),
    fixes: [],
  }));
}

/** Findings of a live check with the rule's configured severity, or none when it is off. */
function configured(findings: readonly Finding[], settings: RuleSettings | undefined): Finding[] {
  if (settings && !settings.enabled) return [];

  return findings.map((finding) => ({
    ...finding,
    severity: settings?.severity ?? finding.severity,
  }));
}

function sameSet(a: ReadonlySet<string> | undefined, b: ReadonlySet<string> | undefined): boolean {
  if (!a || !b) return a === b;

  return a.size === b.size && [...a].every((item) => b.has(item));
}

function sameColumns(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;

  return a.every((name, index) => name === b[index]);
}
