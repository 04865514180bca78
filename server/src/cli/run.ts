import { statSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { dirname, resolve } from 'node:path';
import { type ConfigProblem, Workspace } from '../engine';
import { type LoadedConfig, loadConfig, loadConfigFile } from '../node/config-file';
import { collectSources, displayPath } from './collect';
import { type CliEnvironment, type Output, colorsFor } from './environment';
import { addInitCommand } from './init';
import { addExceptionsCommand } from './exceptions';
import { stderrLogger } from './logger';
import { findingsToShow, formatJson, formatText, sortForOutput, summarize } from './report';
import { ISSUES_URL, SNOWGOV_VERSION } from './version';

/** Exit statuses, as documented in `snowgov --help`. */
export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_TROUBLE = 2;

const OUTPUT_FORMATS = ['text', 'json'] as const;

interface LintOptions {
  readonly format: (typeof OUTPUT_FORMATS)[number];
  readonly config?: string;
  readonly color?: boolean;
  readonly verbose?: boolean;
  readonly includeSuppressed?: boolean;
}

const JSON_HELP = `
JSON output (--format json) is one object, format version 1:
  { "version": 1,
    "findings": [{ "path", "line", "column", "endLine", "endColumn", "severity", "ruleId",
                   "message", "fixes": [{ "title", "safety" }],
                   "suppression": { "reason", "until", "path", "line" } }],
    "summary": { "files", "filesWithFindings", "findings", "errors", "warnings", "infos",
                 "suppressed" } }
  Lines and columns start at 1; the end position is just past the finding.
  "suppression" appears only with --include-suppressed, on findings a snowgov-ignore excuses;
  suppressed findings never count in "findings", the severity counts or the exit status.`;

const EXIT_STATUS_HELP = `
Exit status:
  0  no finding has error severity
  1  at least one finding has error severity
  2  usage error, configuration problem, unreadable path, or an internal error`;

/**
 * Runs one snowgov command line and returns the exit status. Never throws: an unexpected error
 * is reported as a crash with the version and where to report it.
 */
export async function run(argv: readonly string[], environment: CliEnvironment): Promise<number> {
  try {
    return await runCommands(argv, environment);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_CLEAN : EXIT_TROUBLE;
    reportCrash(error, environment.stderr);

    return EXIT_TROUBLE;
  }
}

export function reportCrash(error: unknown, stderr: Output): void {
  const message = error instanceof Error ? error.message : String(error);
  const stack = error instanceof Error ? error.stack : undefined;
  stderr.write(`snowgov ${SNOWGOV_VERSION} crashed: ${message}\n`);
  if (stack) stderr.write(`${stack}\n`);
  stderr.write(
    `This is a bug in snowgov, not in your SQL. Please report it at ${ISSUES_URL} with the ` +
      'command you ran and the output above.\n',
  );
}

async function runCommands(argv: readonly string[], environment: CliEnvironment): Promise<number> {
  let status = EXIT_CLEAN;
  const program = new Command('snowgov')
    .description('Governance linter for Snowflake SQL migrations.')
    .version(SNOWGOV_VERSION, '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'show help')
    .addHelpText('after', EXIT_STATUS_HELP)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => environment.stdout.write(text),
      writeErr: (text) => environment.stderr.write(text),
      outputError: (text, write) => write(`snowgov: ${text.replace(/^error: /, '')}`),
    })
    .showHelpAfterError("Run 'snowgov --help' to see the commands and options.");

  program
    .command('lint')
    .description('Lint SQL files; directories are searched for *.sql files.')
    .argument('[paths...]', 'files and directories to lint', ['.'])
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(OUTPUT_FORMATS).default('text'),
    )
    .option('-c, --config <file>', 'use this config file instead of searching for snowgov.yaml')
    .option('--color', 'always colour the output')
    .option('--no-color', 'never colour the output (NO_COLOR is honoured as well)')
    .option('--verbose', 'log the config used and progress to stderr')
    .option('--include-suppressed', 'also show findings that snowgov-ignore excuses, marked')
    .showHelpAfterError("Run 'snowgov lint --help' to see its options.")
    .addHelpText('after', `${JSON_HELP}\n${EXIT_STATUS_HELP}`)
    .action(async (paths: string[], options: LintOptions) => {
      status = await lint(paths, options, environment);
    });

  // Defined in exceptions.ts, so that this file only registers it.
  addExceptionsCommand(program, environment, (exitStatus) => (status = exitStatus));

  addInitCommand(program, environment, (exitStatus) => (status = exitStatus));

  program
    .command('rules')
    .description('List the rules with their default severity.')
    .action(() => {
      status = listRules(environment);
    });

  await program.parseAsync([...argv], { from: 'user' });

  return status;
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

async function lint(
  paths: readonly string[],
  options: LintOptions,
  environment: CliEnvironment,
): Promise<number> {
  const { cwd, stdout, stderr, rules } = environment;
  const stderrColors = colorsFor(stderr, environment.env, options.color);
  const logger = stderrLogger(stderr, stderrColors, options.verbose === true);

  // Like ESLint, the config is looked up from what is being linted, so that
  // `snowgov lint examples/` from the repository root honours examples/snowgov.yaml.
  const loaded = options.config
    ? loadConfigFile(resolve(cwd, options.config), rules)
    : loadConfig(configSearchStart(paths, cwd), rules);
  if (loaded.problems.length > 0) {
    reportConfigProblems(loaded, environment);

    return EXIT_TROUBLE;
  }
  logger.info(
    loaded.path
      ? `Using config ${displayPath(loaded.path, cwd)}`
      : 'No snowgov.yaml found; using the default settings',
  );

  const collection = await collectSources(paths, {
    cwd,
    exclude: loaded.config.exclude,
    excludeBase: loaded.path ? dirname(loaded.path) : cwd,
  });
  if (collection.errors.length > 0) {
    for (const error of collection.errors) stderr.write(`snowgov: ${error}\n`);

    return EXIT_TROUBLE;
  }
  for (const file of collection.binaryFiles) {
    logger.warn(`snowgov: '${file}' holds binary data, not SQL text; it was skipped`);
  }
  for (const directory of collection.emptyDirectories) {
    logger.warn(`snowgov: no .sql files in '${directory}' once excludes are applied`);
  }

  const started = Date.now();
  const workspace = new Workspace(rules, loaded.config, logger, { now: environment.now });
  for (const source of collection.sources) workspace.setFile(source.displayPath, source.text);
  const analysis = workspace.analyze();
  const analyzed = sortForOutput([...analysis.findings.values()].flat());
  const summary = summarize(analyzed, collection.sources.length);
  const findings = findingsToShow(analyzed, options.includeSuppressed === true);
  const fileCount = summary.files === 1 ? '1 file' : `${summary.files} files`;
  logger.debug(`Analysed ${fileCount} in ${Date.now() - started} ms`);

  const output =
    options.format === 'json'
      ? formatJson(findings, summary)
      : formatText(findings, summary, colorsFor(stdout, environment.env, options.color));
  stdout.write(output);

  return summary.errors > 0 ? EXIT_FINDINGS : EXIT_CLEAN;
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

function listRules(environment: CliEnvironment): number {
  const rules = [...environment.rules].sort((a, b) => (a.name < b.name ? -1 : 1));
  const rows = [
    ['RULE', 'SEVERITY', 'DESCRIPTION'],
    ...rules.map((rule) => [rule.name, rule.defaultSeverity, rule.description]),
  ];
  const nameWidth = Math.max(...rows.map((row) => row[0].length));
  const severityWidth = Math.max(...rows.map((row) => row[1].length));
  for (const [name, severity, description] of rows) {
    const line = `${name.padEnd(nameWidth)}  ${severity.padEnd(severityWidth)}  ${description}`;
    environment.stdout.write(`${line}\n`);
  }

  return EXIT_CLEAN;
}
