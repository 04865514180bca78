import { type AccountState, applyAccountState } from './account-state';
import { type ResolvedConfig, type RuleSettings, defaultConfig } from './config';
import { type Finding, PARSE_ERROR_RULE, compareFindings } from './findings';
import { analyzeQuery } from './lineage/lineage';
import type { QueryLineage } from './lineage/types';
import { type Logger, silentLogger } from './logger';
import { buildCatalog } from './model/build-catalog';
import type { Catalog } from './model/catalog';
import { sortMigrations } from './model/order';
import { mentionsAny, sensitiveRelationNames } from './model/sensitive';
import { type AnalyzedFile, type Rule, type RuleContext, formatMessage } from './rules/define';
import { LineIndex } from './source';
import {
  type SuppressionContext,
  type SuppressionEntry,
  applySuppressions,
  isoDate,
  listSuppressions,
} from './suppressions';
import type { QueryBody, Statement } from './syntax/ast';
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
  private readonly reportedCrashes = new Set<string>();
  private accountState?: AccountState;
  /** Lineage kept across analyses; see `lineageOver`. */
  private lineageMemo = new Map<string, MemoizedLineage>();

  constructor(
    private readonly rules: readonly Rule[],
    private config: ResolvedConfig = defaultConfig(rules),
    private readonly logger: Logger = silentLogger,
    private readonly options: WorkspaceOptions = {},
  ) {}

  setConfig(config: ResolvedConfig): void {
    this.config = config;
  }

  /** A live account's state, which rules then see in the catalog; undefined to forget it. */
  setAccountState(state: AccountState | undefined): void {
    this.accountState = state;
  }

  /** Adds or replaces a file. Returns false when its text is unchanged. */
  setFile(path: string, text: string): boolean {
    const current = this.files.get(path);
    if (current?.text === text) return false;
    this.files.set(path, { path, text, parsed: parseFile(text), lines: new LineIndex(text) });

    return true;
  }

  /**
   * A workspace like this one with some files' texts replaced, or removed where the text is
   * undefined; unchanged files share their cached parses. Used to judge an earlier revision.
   */
  variant(texts: ReadonlyMap<string, string | undefined>): Workspace {
    const copy = new Workspace(this.rules, this.config, this.logger, this.options);
    for (const [path, file] of this.files) {
      const text = texts.has(path) ? texts.get(path) : file.text;
      if (text === file.text) copy.files.set(path, file);
      else if (text !== undefined) copy.setFile(path, text);
    }

    return copy;
  }

  removeFile(path: string): void {
    this.files.delete(path);
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
    const catalog = buildCatalog(ordered, analyzeQuery);
    if (this.accountState) applyAccountState(catalog, this.accountState);
    const sensitive = sensitiveRelationNames(catalog, this.config.classifier);
    const used = new Map<string, MemoizedLineage>();
    const lineage = lineageOver(catalog, sensitive, this.lineageMemo, used);

    const wanted = only ? new Set(only) : undefined;
    const suppressions = this.suppressionContext();
    const findings = new Map<string, Finding[]>();
    for (const file of ordered) {
      if (wanted && !wanted.has(file.path)) continue;
      const config = this.configOf(file.path);
      const fileFindings = parseErrorFindings(file, config.rules.get(PARSE_ERROR_RULE));
      const runs = this.ruleRuns(file, ordered, catalog, lineage, fileFindings, config);
      for (const statement of file.parsed.statements) visit(statement, undefined, runs, catalog);
      const judged = applySuppressions(file, fileFindings, {
        ...suppressions,
        settings: config.rules,
      });
      findings.set(file.path, judged.sort(compareFindings));
    }
    // Only what this analysis used is kept, so the memo stays the size of one analysis.
    this.lineageMemo = used;

    return { findings, catalog, files: ordered };
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
      settings: this.config.rules,
      today: isoDate((this.options.now ?? (() => new Date()))()),
    };
  }

  /**
   * One context per enabled rule for a file, reused for each of its statements: only `session`
   * and `parent` change from statement to statement. Rules are synchronous and keep no context,
   * so reuse is invisible to them, and it spares an object and a closure per rule per statement.
   */
  private ruleRuns(
    file: AnalyzedFile,
    files: readonly AnalyzedFile[],
    catalog: Catalog,
    lineage: (query: QueryBody) => QueryLineage | undefined,
    out: Finding[],
    config: ResolvedConfig,
  ): RuleRun[] {
    const runs: RuleRun[] = [];
    for (const rule of this.rules) {
      const settings = config.rules.get(rule.name);
      if (settings && !settings.enabled) continue;
      const severity = settings?.severity ?? rule.defaultSeverity;
      const context: MutableContext = {
        file,
        files,
        catalog,
        classifier: config.classifier,
        session: {},
        options: settings?.options ?? rule.defaultOptions,
        parent: undefined,
        lineage,
        report: (report) => {
          const template = rule.messages[report.messageId] ?? report.messageId;
          out.push({
            ruleId: rule.name,
            messageId: report.messageId,
            severity: report.severity ?? severity,
            message: formatMessage(template, report.data),
            path: file.path,
            span: report.span,
            start: file.lines.positionAt(report.span.start),
            end: file.lines.positionAt(report.span.end),
            fixes: (report.fixes ?? []).map((fix) => ({
              title: fix.title,
              safety: fix.safety ?? rule.fix.safety,
              edits: fix.edits.map((edit) => ({
                path: edit.path ?? file.path,
                span: edit.span,
                newText: edit.newText,
              })),
            })),
          });
        },
      };
      runs.push({ rule, context, crashed: (error) => this.reportCrash(rule, file, error) });
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
};

interface RuleRun {
  readonly rule: Rule;
  readonly context: MutableContext;
  crashed(error: unknown): void;
}

function visit(
  statement: Statement,
  parent: Statement | undefined,
  runs: readonly RuleRun[],
  catalog: Catalog,
): void {
  const session = catalog.sessionAt(statement);
  for (const run of runs) {
    run.context.session = session;
    run.context.parent = parent;
    try {
      run.rule.check(statement, run.context);
    } catch (error) {
      run.crashed(error);
    }
  }
  for (const nested of statement.nested ?? []) visit(nested, statement, runs, catalog);
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
  sensitive: ReadonlySet<string>,
  memo: ReadonlyMap<string, MemoizedLineage>,
  used: Map<string, MemoizedLineage>,
): (query: QueryBody) => QueryLineage | undefined {
  const cache = new Map<string, QueryLineage | undefined>();
  const inProgress = new Set<string>();
  const analyze = (query: QueryBody): QueryLineage | undefined => {
    if (cache.has(query.text)) return cache.get(query.text);
    // A query over nothing that holds personal data has no lineage any rule needs.
    if (!mentionsAny(query.text, sensitive)) return undefined;
    if (inProgress.has(query.text)) return undefined;
    inProgress.add(query.text);
    const result = reuse(query.text) ?? compute(query.text);
    inProgress.delete(query.text);
    cache.set(query.text, result.result);
    used.set(query.text, result);

    return result.result;
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
    if (!table) return undefined;
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

function sameColumns(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;

  return a.every((name, index) => name === b[index]);
}
