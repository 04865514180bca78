import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type ConfigProblem, type Logger, type ResolvedConfig, Workspace } from '../engine';
import { type LoadedConfig, findConfigFile, loadConfig, loadConfigFile } from '../node/config-file';
import { type SourceOnDisk, collectSources, displayPath, stripByteOrderMark } from './collect';
import { type CliEnvironment, colorsFor } from './environment';
import { findGitRoot } from './gitignore';
import { type SelectionFlags, applyRuleFlags } from './lint-options';
import { stderrLogger } from './logger';
import { type Progress, startProgress } from './progress';

/** The exit status for usage, configuration and internal errors, as `snowgov --help` says. */
export const EXIT_TROUBLE = 2;

/** The workspace path of `--stdin` text when `--stdin-filename` does not name it. */
export const STDIN_PATH = '<stdin>';

/** The files of one run, read, parsed and ready to analyse. */
export interface LintProject {
  readonly workspace: Workspace;
  readonly config: ResolvedConfig;
  /** Files read from disk, by workspace path (relative to the working directory). */
  readonly sources: ReadonlyMap<string, SourceOnDisk>;
  /** The workspace path of the `--stdin` text, whose findings alone are reported. */
  readonly stdinPath?: string;
  /**
   * What stable paths (fingerprints, baselines, SARIF) are relative to: the git root of the
   * linted paths, else the folder of snowgov.yml, else the folder of the baseline file, else the
   * working directory. It never depends on the working directory when there is an anchor, so
   * that `cd / && snowgov lint /repo/db` records and matches the same paths as a run from inside
   * the repository, even where there is no `.git` (a Docker build context).
   */
  readonly projectRoot: string;
  /** The first linted folder (or a linted file's folder); git is asked about it. */
  readonly lintedFolder: string;
  /** A workspace path relative to `projectRoot`, as fingerprints and CI reports record it. */
  readonly stablePath: (path: string) => string;
  readonly logger: Logger;
  readonly progress: Progress;
}

/**
 * Loads the config, applies the command line's rule settings, finds and reads the files (and
 * `--stdin`), and parses them into a workspace. Problems are reported on stderr and turn into
 * exit status 2, returned instead of a project.
 */
export async function openProject(
  paths: readonly string[],
  flags: SelectionFlags,
  environment: CliEnvironment,
  baselineFile?: string,
): Promise<LintProject | number> {
  const { cwd, stderr, rules } = environment;
  const logger = stderrLogger(
    stderr,
    colorsFor(stderr, environment.env, flags.color),
    flags.verbose === true,
  );

  // Like ESLint, the config is looked up from what is being linted, so that
  // `snowgov lint examples/` from the repository root honours examples/snowgov.yaml.
  const workspacePathOf = (absolutePath: string): string => displayPath(absolutePath, cwd);
  const loaded = flags.config
    ? loadConfigFile(resolve(cwd, flags.config), rules, workspacePathOf)
    : loadConfig(configSearchStart(paths, cwd), rules, workspacePathOf);
  if (loaded.problems.length > 0) {
    reportConfigProblems(loaded, environment);

    return EXIT_TROUBLE;
  }
  logger.info(
    loaded.path
      ? `Using config ${displayPath(loaded.path, cwd)}`
      : 'No snowgov.yml found; using the default settings',
  );
  const config: ResolvedConfig = {
    ...loaded.config,
    rules: applyRuleFlags(loaded.config.rules, flags),
  };

  const collection = await collectSources(paths, {
    cwd,
    exclude: config.exclude,
    include: config.include,
    excludeBase: loaded.path ? dirname(loaded.path) : cwd,
    gitignore: flags.gitignore,
  });
  if (collection.errors.length > 0) {
    for (const error of collection.errors) stderr.write(`snowgov: ${error}\n`);

    return EXIT_TROUBLE;
  }
  for (const file of collection.binaryFiles) {
    logger.warn(`snowgov: '${file}' holds binary data, not SQL text; it was skipped`);
  }
  for (const source of collection.sources) {
    if (source.invalidLine === undefined) continue;
    logger.warn(
      `snowgov: '${source.displayPath}' is not valid UTF-8 (first at line ${source.invalidLine}); ` +
        'its invalid bytes are read as U+FFFD, and it is never fixed. Save it as UTF-8.',
    );
  }
  // With --stdin the paths only give context, so an empty one does not matter.
  if (!flags.stdin && !reportEmptyPaths(collection.emptyPaths, environment, logger)) {
    return EXIT_TROUBLE;
  }

  const stdinPath = flags.stdin
    ? flags.stdinFilename
      ? displayPath(resolve(cwd, flags.stdinFilename), cwd)
      : STDIN_PATH
    : undefined;
  const stdinText = flags.stdin ? await (environment.readStdin ?? readProcessStdin)() : undefined;

  const sources = new Map(collection.sources.map((source) => [source.displayPath, source]));
  const nested = flags.config ? new Map() : nearestConfigs(sources, loaded, flags, environment);
  if (typeof nested === 'number') return nested;
  const workspace = new Workspace(rules, config, logger, {
    now: environment.now,
    configFor: (path) => nested.get(path),
  });
  const progress = startProgress(stderr, sources.size, flags.progress);
  for (const source of sources.values()) {
    if (source.displayPath !== stdinPath) workspace.setFile(source.displayPath, source.text);
    progress.tick();
  }
  if (stdinPath !== undefined && stdinText !== undefined) {
    workspace.setFile(stdinPath, stripByteOrderMark(stdinText));
  }

  const lintedFolder = configSearchStart(paths, cwd);
  const projectRoot =
    findGitRoot(lintedFolder) ??
    (loaded.path ? dirname(loaded.path) : baselineFile ? dirname(resolve(cwd, baselineFile)) : cwd);
  // Asked once per finding, so each file's answer is kept.
  const stablePaths = new Map<string, string>();
  const stablePath = (path: string): string => {
    let stable = stablePaths.get(path);
    if (stable === undefined) {
      stable = path === STDIN_PATH ? path : displayPath(resolve(cwd, path), projectRoot);
      stablePaths.set(path, stable);
    }

    return stable;
  };

  return {
    workspace,
    config,
    sources,
    stdinPath,
    projectRoot,
    lintedFolder,
    stablePath,
    logger,
    progress,
  };
}

/**
 * The config of each file whose nearest snowgov.yml (walking up from its folder) is not the one
 * the run started from, so that a folder can tighten or relax its own rules. A problem in any of
 * them stops the run like a problem in the main one.
 */
function nearestConfigs(
  sources: ReadonlyMap<string, SourceOnDisk>,
  main: LoadedConfig,
  flags: SelectionFlags,
  environment: CliEnvironment,
): Map<string, ResolvedConfig> | number {
  const byFolder = new Map<string, string | undefined>();
  const byFile = new Map<string, LoadedConfig>();
  const result = new Map<string, ResolvedConfig>();
  for (const [path, source] of sources) {
    const folder = dirname(source.absolutePath);
    if (!byFolder.has(folder)) byFolder.set(folder, findConfigFile(folder));
    const configPath = byFolder.get(folder);
    if (!configPath || configPath === main.path) continue;
    let loaded = byFile.get(configPath);
    if (!loaded) {
      // Paths in a nested config are relative to its own folder, named like the linted files.
      loaded = loadConfigFile(configPath, environment.rules, (absolutePath) =>
        displayPath(absolutePath, environment.cwd),
      );
      if (loaded.problems.length > 0) {
        reportConfigProblems(loaded, environment);

        return EXIT_TROUBLE;
      }
      byFile.set(configPath, loaded);
    }
    result.set(path, { ...loaded.config, rules: applyRuleFlags(loaded.config.rules, flags) });
  }

  return result;
}

/**
 * A path named on the command line that gives no SQL file is most likely a mistake (a typo in a
 * CI job would otherwise pass as clean), so it stops the run, as ESLint's "No files matching"
 * does. The working directory itself (`snowgov lint`, `snowgov lint .`) is only noted: a
 * repository without migrations yet, or a pre-commit hook in one, has nothing to lint. Returns
 * whether the run may go on.
 */
function reportEmptyPaths(
  emptyPaths: readonly string[],
  environment: CliEnvironment,
  logger: Logger,
): boolean {
  let fine = true;
  for (const path of emptyPaths) {
    if (resolve(environment.cwd, path) === environment.cwd) {
      logger.warn(`snowgov: no SQL files in '${path}' once excludes are applied; nothing to lint`);
      continue;
    }
    // A file named on the command line was skipped for a reason already given (binary data).
    if (statSync(resolve(environment.cwd, path), { throwIfNoEntry: false })?.isFile()) {
      environment.stderr.write(`snowgov: nothing to lint in '${path}'.\n`);
      fine = false;
      continue;
    }
    environment.stderr.write(
      `snowgov: no SQL files in '${path}'. Check the path, and that .gitignore or the ` +
        'include and exclude globs of snowgov.yml do not leave it out (--no-gitignore to ' +
        'ignore .gitignore).\n',
    );
    fine = false;
  }

  return fine;
}

/** The first linted directory (or a linted file's directory) that exists, else `cwd`. */
function configSearchStart(paths: readonly string[], cwd: string): string {
  for (const path of paths) {
    const absolute = resolve(cwd, path);
    try {
      return statSync(absolute).isDirectory() ? absolute : dirname(absolute);
    } catch {
      // A missing path is reported by collectSources; keep looking.
    }
  }

  return cwd;
}

function reportConfigProblems(loaded: LoadedConfig, environment: CliEnvironment): void {
  const { cwd, stderr } = environment;
  for (const problem of loaded.problems) stderr.write(`${formatProblem(problem, cwd)}\n`);
  const file = loaded.path ? displayPath(loaded.path, cwd) : 'the config file';
  const count = loaded.problems.length === 1 ? '1 problem' : `${loaded.problems.length} problems`;
  stderr.write(`snowgov: ${count} in ${file}; nothing was linted. Fix it and run again.\n`);
}

function formatProblem(problem: ConfigProblem, cwd: string): string {
  const where = displayPath(problem.path, cwd);

  return problem.line === undefined
    ? `${where}: ${problem.message}`
    : `${where}:${problem.line}: ${problem.message}`;
}

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);

  return Buffer.concat(chunks).toString('utf8');
}
