import { performance } from 'node:perf_hooks';
import {
  type ClientCapabilities,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type FileEvent,
  FileChangeType,
  type TextDocuments,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  type Analysis,
  type ConfigProblem,
  type Logger,
  type ResolvedConfig,
  type Rule,
  Workspace,
  defaultConfig,
  lineBreakOf,
  suppressionEdit,
} from '../engine';
import { dirname, resolve } from 'node:path';
import type { AccountState } from '../engine/account-state';
import { fileURLToPath } from 'node:url';
import { findConfigFile, loadConfig, loadConfigFile } from '../node/config-file';
import { ClosedFileDiagnostics } from './closed-files';
import { ConfigDiagnostics } from './config-diagnostics';
import { codeActionsFor } from './code-actions';
import { shownFindings, toDiagnostic } from './diagnostics';
import { type SeverityOverrides, applyOverrides, readOverrides } from './overrides';
import { isConfigFile, isSqlFile, listExcludedFiles, listSqlFiles, readText } from './disk';
import { describeError } from './logger';
import { type Folder, PathMap, fileSystemPath } from './paths';
import type { DiagnosticsScope, InitializationOptions } from './protocol';

export interface ProjectView {
  readonly analysis: Analysis;
  readonly classifier: ResolvedConfig['classifier'];
  /** The rule settings, the editor's overrides applied; live validation honours them too. */
  readonly rules: ResolvedConfig['rules'];
  pathOf(uri: string): string;
  uriOf(path: string): string;
}

/** `snowflake-sql` is what Snowflake's own extension calls `.sql` files. */
export const SQL_LANGUAGES: ReadonlySet<string> = new Set(['sql', 'snowflake-sql']);

/**
 * The quiet spell before an analysis while edits keep coming: a change that finds no analysis
 * waiting is analysed at once (on the next turn of the event loop, so that changes read in the
 * same batch still share one analysis), and one that arrives while an analysis is waiting
 * pushes it back by this much, so that a burst of keystrokes or a paste costs one analysis.
 */
const BURST_DELAY_MS = 30;

/**
 * The least quiet spell after the open documents' diagnostics before the files no editor shows
 * are judged again: judging every file costs as much as a `snowgov lint` of the workspace and
 * holds up a keystroke that arrives meanwhile, so it waits until typing pauses, and in a
 * workspace where it takes longer than this, for as long as it last took.
 */
const CLOSED_FILES_DELAY_MS = 300;

/** A reload of at least this many files reports work-done progress; smaller ones are too quick. */
export const PROGRESS_MIN_FILES = 200;
/** How many files are read between two progress reports. */
const PROGRESS_STEP_FILES = 100;

/** One work-done progress, as `ProjectHost.progress` starts it. */
export interface Progress {
  report(done: number, total: number): void;
  done(): void;
}

/** What the project needs from the connection. */
export interface ProjectHost {
  publish(uri: string, diagnostics: Diagnostic[], version?: number): void;
  /** A popup; only for problems the user must fix. */
  showWarning(message: string): void;
  /** Starts a work-done progress; absent when the editor cannot show one. */
  progress?(title: string): Progress;
}

/**
 * The server's view of the SQL files: every `.sql` file under the workspace folders as it is on
 * disk, with the text of open documents in place of their disk text, judged as one workspace so
 * that a table defined in an unopened migration is known when an open one grants on it.
 *
 * Disk work runs one job at a time in `queue`; edits to open documents apply at once. Analysis
 * runs after a quiet spell, and only rules on open documents run, against the whole catalog.
 */
export class Project {
  private paths = new PathMap([]);
  /** The folders last asked for; `paths` catches up once the queued reload runs. */
  private requestedFolders: readonly Folder[] = [];
  private config: ResolvedConfig;
  private workspace: Workspace;
  private excluded = new Set<string>();
  /** Engine path → URI of each open SQL document. */
  private readonly open = new Map<string, string>();
  /** The analysis of the current texts; undefined once anything changed. */
  private analysis: Analysis | undefined;
  private timer: NodeJS.Timeout | undefined;
  private queue: Promise<void> = Promise.resolve();
  /** Config problems already shown, so that a reload with the same mistakes stays quiet. */
  private shownProblems = new Set<string>();
  private readonly configDiagnostics: ConfigDiagnostics;
  /**
   * The last settings read without problems, and from where: while that file has mistakes
   * being fixed, linting goes on with them rather than with the defaults, which would change
   * every severity the file sets.
   */
  private lastGoodSettings: { path?: string; config: ResolvedConfig } | undefined;
  /** The editor's settings that bear on the config (`configure`). */
  private options: Pick<InitializationOptions, 'configPath' | 'rules'> = {};
  private scope: DiagnosticsScope = 'workspace';
  /** Pending judgement of the closed files, after the open documents' (`scheduleClosedFiles`). */
  private closedTimer: NodeJS.Timeout | undefined;
  private readonly closedFiles: ClosedFileDiagnostics;
  /** How long the last judgement of every file took, which sets the next one's quiet spell. */
  private closedFilesCostMs = 0;
  /** The account state of the last live validation, until cleared (`live-validation.ts`). */
  private accountState: AccountState | undefined;
  /** Whether the client applies CreateFile operations, without which fixes that create files go. */
  private canCreateFiles = false;

  constructor(
    private readonly rules: readonly Rule[],
    private readonly documents: TextDocuments<TextDocument>,
    private readonly host: ProjectHost,
    private readonly logger: Logger,
  ) {
    this.config = defaultConfig(rules);
    this.workspace = new Workspace(rules, this.config, logger);
    this.closedFiles = new ClosedFileDiagnostics((uri, diagnostics) =>
      host.publish(uri, diagnostics),
    );
    this.configDiagnostics = new ConfigDiagnostics((uri, diagnostics) =>
      host.publish(uri, diagnostics),
    );
  }

  /**
   * Takes the editor's config path and severity overrides, and what its workspace edits can do;
   * call before `setFolders`.
   */
  configure(
    options: Pick<InitializationOptions, 'configPath' | 'rules' | 'diagnosticsScope'>,
    client: ClientCapabilities = {},
  ): void {
    this.options = { configPath: options.configPath || undefined, rules: options.rules };
    this.scope = readScope(options.diagnosticsScope, this.logger);
    this.canCreateFiles = canCreateFiles(client);
  }

  /** Replaces the workspace folders and reads everything again. */
  setFolders(folders: readonly Folder[]): void {
    this.requestedFolders = folders;
    this.enqueue('load the workspace folders', async () => {
      this.paths = new PathMap(folders);
      await this.reload();
    });
  }

  get folders(): readonly Folder[] {
    return this.requestedFolders;
  }

  /** Whether files no editor shows get diagnostics too (`snowgov.diagnostics.scope`). */
  get publishesClosedFiles(): boolean {
    return this.scope === 'workspace';
  }

  /** An open document was opened or edited. */
  documentChanged(document: TextDocument): void {
    if (this.overlay(document)) this.invalidate();
  }

  /** Drops the editor's text; the file's disk text, if it has one, takes its place again. */
  documentClosed(document: TextDocument): void {
    const path = this.openPathOf(document.uri);
    if (path === undefined) return;
    this.open.delete(path);
    // With the workspace in scope, the closed file's own findings replace the document's once
    // its disk text is judged; clearing them first would only make the Problems panel flicker.
    if (!this.publishesClosedFiles) this.host.publish(document.uri, []);
    this.enqueue(`read ${path} after it was closed`, async () => {
      await this.refreshFromDisk(path);
      this.invalidate();
    });
  }

  filesChanged(changes: readonly FileEvent[]): void {
    this.enqueue('apply file changes', async () => {
      const fsPaths = changes.map((change) => fileSystemPath(change.uri));
      if (fsPaths.some((fsPath) => fsPath !== undefined && isConfigFile(fsPath))) {
        // Settings and exclusions may both have changed, which touches every file.
        await this.reload();

        return;
      }

      if (changes.some((change) => change.type === FileChangeType.Created)) {
        this.excluded = await listExcludedFiles(this.config);
      }
      for (const [index, change] of changes.entries()) {
        const fsPath = fsPaths[index];
        if (fsPath === undefined || !isSqlFile(fsPath)) continue;
        const path = this.paths.fromFsPath(fsPath);
        if (change.type === FileChangeType.Deleted) {
          if (!this.open.has(path)) this.workspace.removeFile(path);
        } else {
          await this.refreshFromDisk(path);
        }
      }
      this.invalidate();
    });
  }

  async codeActions(params: CodeActionParams): Promise<CodeAction[]> {
    await this.queue;
    const path = this.openPathOf(params.textDocument.uri);
    if (path === undefined) return [];
    const analysis = this.current();
    const files = new Map(analysis.files.map((file) => [file.path, file]));

    return codeActionsFor(
      path,
      shownFindings(analysis.findings.get(path) ?? []),
      params.range,
      params.context.only,
      {
        rangeOf: (filePath, span) => {
          const file = files.get(filePath);

          return (
            file && {
              start: file.lines.positionAt(span.start),
              end: file.lines.positionAt(span.end),
            }
          );
        },
        uriOf: (filePath) => this.paths.toUri(filePath),
        lineBreakOf: (filePath) => lineBreakOf(files.get(filePath)?.text ?? ''),
        canCreateFiles: this.canCreateFiles,
        suppressionEdit: (finding) => {
          const file = files.get(finding.path);

          return file && suppressionEdit(file, finding, new Date());
        },
      },
    );
  }

  /** The current analysis, with the mappings hover and navigation need (`navigation.ts`). */
  async view(): Promise<ProjectView> {
    await this.queue;

    return {
      analysis: this.current(),
      classifier: this.config.classifier,
      rules: this.config.rules,
      pathOf: (uri) => this.openPathOf(uri) ?? this.paths.toPath(uri),
      uriOf: (path) => this.paths.toUri(path),
    };
  }

  /**
   * Judges documents with a live account's state in view (columns it masks count as masked,
   * names it defines resolve), or without it again when undefined; open documents are published
   * again either way.
   */
  setAccountState(state: AccountState | undefined): void {
    this.accountState = state;
    this.workspace.setAccountState(state);
    this.invalidate();
  }

  /** Like `view`, with every file judged rather than only the open documents. */
  async viewAll(): Promise<ProjectView> {
    const view = await this.view();

    return { ...view, analysis: this.workspace.analyze() };
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.closedTimer) clearTimeout(this.closedTimer);
    this.timer = undefined;
    this.closedTimer = undefined;
  }

  /** Reads settings and every folder from scratch, then lays the open documents over them. */
  private async reload(): Promise<void> {
    const started = performance.now();
    const loaded = this.loadSettings();
    const { problems, path: configPath } = loaded;
    this.reportConfigProblems(problems);
    this.configDiagnostics.update(problems);
    const kept =
      problems.length > 0 && this.lastGoodSettings?.path === configPath
        ? this.lastGoodSettings
        : undefined;
    if (problems.length === 0) this.lastGoodSettings = { path: configPath, config: loaded.config };
    const base = kept?.config ?? loaded.config;
    const overrides = this.readOverrides(base);
    const config = applyOverrides(base, overrides);
    const excluded = await listExcludedFiles(config);
    const workspace = new Workspace(this.rules, config, this.logger, {
      configFor: this.nearestConfigs(configPath, overrides),
    });
    workspace.setAccountState(this.accountState);
    const listed: string[][] = [];
    for (const folder of this.paths.folders) {
      listed.push((await listSqlFiles(folder.fsPath)).filter((file) => !excluded.has(file)));
    }
    const total = listed.reduce((sum, files) => sum + files.length, 0);
    const progress =
      total >= PROGRESS_MIN_FILES ? this.host.progress?.('snowgov: indexing SQL files') : undefined;
    let done = 0;
    try {
      for (const files of listed) {
        for (let start = 0; start < files.length; start += PROGRESS_STEP_FILES) {
          const batch = files.slice(start, start + PROGRESS_STEP_FILES);
          const texts = await Promise.all(batch.map((file) => this.readQuietly(file)));
          for (const [index, file] of batch.entries()) {
            const text = texts[index];
            if (text !== undefined) workspace.setFile(this.paths.fromFsPath(file), text);
          }
          done += batch.length;
          progress?.report(done, total);
        }
      }
    } finally {
      progress?.done();
    }

    this.config = config;
    this.excluded = excluded;
    this.workspace = workspace;
    const wasOpen = new Set(this.open.values());
    this.open.clear();
    for (const document of this.documents.all()) this.overlay(document);

    // A document that the new exclusions hide keeps no stale diagnostics.
    const stillOpen = new Set(this.open.values());
    for (const uri of wasOpen) if (!stillOpen.has(uri)) this.host.publish(uri, []);

    const elapsed = Math.round(performance.now() - started);
    const settings =
      problems.length === 0
        ? configPath
          ? `settings from ${configPath}`
          : 'default settings'
        : `${kept ? 'the last valid settings' : 'default settings'}, since ` +
          `${configPath ?? 'the settings file'} has problems`;
    this.logger.info(
      `Loaded ${count(workspace.paths.length, 'SQL file')} from ` +
        `${count(this.paths.folders.length, 'workspace folder')} in ${elapsed} ms with ${settings}`,
    );
    this.invalidate();
  }

  /**
   * The config of each file whose nearest snowgov.yml (walking up from its folder) is not the
   * workspace's own, as the CLI does, so that a folder's rules hold in the editor too. Files are
   * looked up lazily and cached until the next reload; a nested file with problems is reported in
   * the log once and the workspace's settings apply instead.
   */
  private nearestConfigs(
    mainPath: string | undefined,
    overrides: SeverityOverrides,
  ): (path: string) => ResolvedConfig | undefined {
    // An explicit config file holds for every file, wherever it is.
    if (this.options.configPath) return () => undefined;
    const byFolder = new Map<string, string | undefined>();
    const byFile = new Map<string, ResolvedConfig | undefined>();

    return (path) => {
      const uri = this.paths.toUri(path);
      if (!uri.startsWith('file:')) return undefined;
      const folder = dirname(fileURLToPath(uri));
      if (!byFolder.has(folder)) byFolder.set(folder, findConfigFile(folder));
      const configPath = byFolder.get(folder);
      if (!configPath || configPath === mainPath) return undefined;
      if (!byFile.has(configPath)) {
        const loaded = loadConfigFile(configPath, this.rules, this.workspacePathOf);
        for (const problem of loaded.problems) this.logger.warn(this.describeProblem(problem));
        byFile.set(
          configPath,
          loaded.problems.length > 0 ? undefined : applyOverrides(loaded.config, overrides),
        );
      }

      return byFile.get(configPath);
    };
  }

  /**
   * Settings come from the editor's explicit config file when it names one (a relative path is
   * resolved against the first folder), else from the first folder's config file (or one above
   * it); without an explicit file, files under a folder with its own snowgov.yml use that one
   * instead (see `nearestConfigs`).
   */
  private loadSettings(): { config: ResolvedConfig; problems: ConfigProblem[]; path?: string } {
    const first = this.paths.folders[0];
    const explicit = this.options.configPath;
    if (explicit) {
      return loadConfigFile(
        resolve(first?.fsPath ?? '', explicit),
        this.rules,
        this.workspacePathOf,
      );
    }
    if (!first) return { config: defaultConfig(this.rules), problems: [] };

    return loadConfig(first.fsPath, this.rules, this.workspacePathOf);
  }

  /**
   * Paths in config files (such as unmasked-pii-column's policiesFile) named as the engine names
   * the files of the workspace folders, so that a fix creates the file where the config means.
   */
  private readonly workspacePathOf = (absolutePath: string): string =>
    this.paths.fromFsPath(absolutePath);

  /** The editor's severity overrides that name a known rule and severity; the rest are logged. */
  private readOverrides(config: ResolvedConfig): SeverityOverrides {
    const { overrides, problems } = readOverrides(this.options.rules, config);
    for (const problem of problems) this.logger.warn(problem);

    return overrides;
  }

  private reportConfigProblems(problems: readonly ConfigProblem[]): void {
    const keyOf = (problem: ConfigProblem): string =>
      `${problem.path}\u0000${problem.line ?? ''}\u0000${problem.message}`;
    const fresh = problems.filter((problem) => !this.shownProblems.has(keyOf(problem)));

    // Only current problems are remembered, so a mistake that is fixed and made again warns again.
    this.shownProblems = new Set(problems.map(keyOf));
    if (fresh.length === 0) return;
    for (const problem of fresh) this.logger.warn(this.describeProblem(problem));
    const more = fresh.length > 1 ? ` (and ${fresh.length - 1} more; see the snowgov output)` : '';
    this.host.showWarning(`${this.describeProblem(fresh[0])}${more}`);
  }

  private describeProblem(problem: ConfigProblem): string {
    const file = this.paths.fromFsPath(problem.path);
    const where = problem.line === undefined ? file : `${file}, line ${problem.line}`;

    return `snowgov settings problem in ${where}: ${problem.message}`;
  }

  /** Puts an open document's text in the workspace; false when snowgov does not judge it. */
  private overlay(document: TextDocument): boolean {
    if (!SQL_LANGUAGES.has(document.languageId)) return false;
    const fsPath = fileSystemPath(document.uri);
    if (fsPath !== undefined && this.excluded.has(fsPath)) return false;
    const path = this.paths.toPath(document.uri);
    this.open.set(path, document.uri);
    this.workspace.setFile(path, document.getText());

    return true;
  }

  /** Sets a closed file to its disk text, or drops it when it is gone or outside the disk view. */
  private async refreshFromDisk(path: string): Promise<void> {
    const fsPath = this.paths.toFsPath(path);
    const inView = fsPath !== undefined && this.isInDiskView(fsPath);
    const text = inView ? await readText(fsPath) : undefined;

    // The document may have been opened again while the file was read; its text wins.
    if (this.open.has(path)) return;
    if (text === undefined) this.workspace.removeFile(path);
    else this.workspace.setFile(path, text);
  }

  /** Whether the folder scan would read this file. */
  private isInDiskView(fsPath: string): boolean {
    if (!isSqlFile(fsPath) || this.excluded.has(fsPath) || !this.paths.isInsideFolder(fsPath)) {
      return false;
    }
    const parts = this.paths.fromFsPath(fsPath).split('/');

    return !parts.includes('node_modules') && !parts.includes('.git');
  }

  private async readQuietly(fsPath: string): Promise<string | undefined> {
    try {
      return await readText(fsPath);
    } catch (error) {
      this.logger.warn(`Cannot read ${fsPath}; it is left out: ${describeError(error)}`);

      return undefined;
    }
  }

  private openPathOf(uri: string): string | undefined {
    for (const [path, openUri] of this.open) if (openUri === uri) return path;

    return undefined;
  }

  /** Marks the analysis stale and schedules diagnostics for the open documents. */
  private invalidate(): void {
    this.analysis = undefined;
    // The closed files wait for the open documents' diagnostics of this change (`publishAll`).
    if (this.closedTimer) clearTimeout(this.closedTimer);
    this.closedTimer = undefined;
    const delay = this.timer ? BURST_DELAY_MS : 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.publishAll();
    }, delay);
  }

  private async publishAll(): Promise<void> {
    await this.queue;

    // A change during the wait scheduled a newer run, which publishes instead.
    if (this.timer) return;
    try {
      // With an account state, the analysis also holds the names nothing defines.
      const analysis = this.current();
      for (const [path, uri] of this.open) {
        const diagnostics = shownFindings(analysis.findings.get(path) ?? []).map(toDiagnostic);
        this.host.publish(uri, diagnostics, this.documents.get(uri)?.version);
        this.closedFiles.sentToOpen(uri, diagnostics);
      }
    } catch (error) {
      this.logger.error(
        `Analysis failed, so diagnostics were not updated: ${describeError(error)}`,
      );
    }
    if (this.publishesClosedFiles) this.scheduleClosedFiles();
  }

  private scheduleClosedFiles(): void {
    if (this.closedTimer) clearTimeout(this.closedTimer);
    this.closedTimer = setTimeout(
      () => {
        this.closedTimer = undefined;
        void this.publishClosedFiles();
      },
      Math.max(CLOSED_FILES_DELAY_MS, this.closedFilesCostMs),
    );
  }

  /**
   * Judges every file and publishes the closed ones whose diagnostics changed, such as a view
   * whose finding an edit to an open migration's masking just cleared.
   */
  private async publishClosedFiles(): Promise<void> {
    await this.queue;

    // An edit or file change during the wait scheduled a newer run, which publishes instead.
    if (this.timer || this.closedTimer) return;
    try {
      const started = performance.now();
      const analysis = this.workspace.analyze();
      const byUri = new Map<string, Diagnostic[]>();
      for (const [path, findings] of analysis.findings) {
        if (this.open.has(path)) continue;
        byUri.set(this.paths.toUri(path), shownFindings(findings).map(toDiagnostic));
      }
      const sent = this.closedFiles.update(byUri, new Set(this.open.values()));
      this.closedFilesCostMs = performance.now() - started;
      const elapsed = this.closedFilesCostMs.toFixed(1);
      this.logger.debug(
        `Judged ${count(byUri.size, 'closed file')} in ${elapsed} ms; ` +
          `${count(sent, 'file')} had new diagnostics`,
      );
    } catch (error) {
      this.logger.error(
        `Analysis of the closed files failed, so their diagnostics were not updated: ` +
          describeError(error),
      );
    }
  }

  private current(): Analysis {
    if (this.analysis) return this.analysis;
    const started = performance.now();
    this.analysis = this.workspace.analyze(this.open.keys());
    const elapsed = (performance.now() - started).toFixed(1);
    this.logger.debug(
      `Analysed ${count(this.open.size, 'open document')} against ` +
        `${count(this.workspace.paths.length, 'file')} in ${elapsed} ms`,
    );

    return this.analysis;
  }

  private enqueue(what: string, work: () => Promise<void>): void {
    this.queue = this.queue
      .then(work)
      .catch((error: unknown) => this.logger.error(`Could not ${what}: ${describeError(error)}`));
  }
}

/**
 * A CreateFile operation travels only in `documentChanges`, and the client must list `create`
 * among the resource operations it applies (LSP 3.13); a client that cannot would fail the whole
 * edit or drop the new file.
 * https://microsoft.github.io/language-server-protocol/specifications/lsp/3.17/specification/#workspaceEditClientCapabilities
 */
export function canCreateFiles(client: ClientCapabilities): boolean {
  const edits = client.workspace?.workspaceEdit;

  return edits?.documentChanges === true && (edits.resourceOperations ?? []).includes('create');
}

/** The diagnostics scope the editor asked for; anything else is logged and the default holds. */
function readScope(scope: unknown, logger: Logger): DiagnosticsScope {
  if (scope === undefined || scope === 'workspace' || scope === 'openFiles') {
    return scope ?? 'workspace';
  }
  logger.warn(
    `The diagnostics scope ${JSON.stringify(scope)} is not known; ` +
      `use "workspace" or "openFiles". Every file of the workspace gets diagnostics.`,
  );

  return 'workspace';
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
