import { type Command, InvalidArgumentError, Option } from 'commander';
import picocolors from 'picocolors';
import { severityAtLeast } from '../engine';
import { identifyFindings } from '../engine/fingerprint';
import { DEFAULT_CACHE_TTL_SECONDS } from '../live/cache';
import {
  ConnectionError,
  type ResolvedConnection,
  describeConnection,
  resolveConnection,
} from '../live/connections';
import { ACCOUNT_PATH, judgeWithAccount, readAccountSnapshot } from '../node/live-validation';
import { type CliEnvironment, colorsFor } from './environment';
import { OUTPUT_FORMATS, type OutputFormat, formatReport, isHumanFormat } from './formats';
import { FAIL_ON, type FailOn, type SelectionFlags, addSelectionOptions } from './lint-options';
import { EXIT_TROUBLE, openProject } from './project';
import {
  type LintReport,
  type LintSummary,
  type ReportedFinding,
  sortForOutput,
  summarize,
} from './report';
import { readRuleDoc } from './rule-docs';

const EXIT_CLEAN = 0;
const EXIT_FINDINGS = 1;

export { ACCOUNT_PATH } from '../node/live-validation';

interface CheckFlags extends SelectionFlags {
  readonly connection?: string;
  readonly configFile?: string;
  readonly timeout: number;
  readonly format?: OutputFormat;
  readonly failOn: FailOn;
  /** `--no-cache` sets it to false. */
  readonly cache: boolean;
  readonly cacheTtl: number;
}

/**
 * `snowgov check [paths…] --connection NAME` (alias `validate`): lints the migrations with a
 * live account's state in view, read-only, and reports the account's own posture.
 */
export function addCheckCommand(
  program: Command,
  environment: CliEnvironment,
  done: (status: number) => void,
): void {
  const command = program
    .command('check')
    .alias('validate')
    .description(
      'Lint SQL files against a live Snowflake account (read-only: SELECT, SHOW, DESCRIBE only).',
    )
    .argument('[paths...]', 'files, directories and globs to lint', ['.'])
    .option('--connection <name>', 'connection from connections.toml or config.toml')
    .option('--config-file <file>', 'Snowflake CLI config.toml to read instead of searching')
    .option(
      '--timeout <seconds>',
      'overall deadline for the account, connect included',
      seconds,
      60,
    )
    .addOption(
      new Option(
        '-f, --format <format>',
        'output format (default: stylish at a terminal, text otherwise)',
      ).choices(OUTPUT_FORMATS),
    )
    .addOption(
      new Option('--fail-on <severity>', 'lowest severity that fails the run')
        .choices(FAIL_ON)
        .default('error'),
    )
    .option('--no-cache', 'query the account even when a recent snapshot is cached')
    .option(
      '--cache-ttl <seconds>',
      'how long a cached account snapshot is used',
      seconds,
      DEFAULT_CACHE_TTL_SECONDS,
    );
  addSelectionOptions(command).action(async (paths: string[], flags: CheckFlags) => {
    done(await check(paths, flags, environment));
  });
}

export async function check(
  paths: readonly string[],
  flags: CheckFlags,
  environment: CliEnvironment,
): Promise<number> {
  const { stderr } = environment;
  let connection: ResolvedConnection;
  try {
    connection = resolveConnection({
      name: flags.connection,
      configFile: flags.configFile,
      env: environment.env,
    });
  } catch (error) {
    if (!(error instanceof ConnectionError)) throw error;
    stderr.write(`snowgov: ${error.message}\n`);

    return EXIT_TROUBLE;
  }
  // Sign-in advice waits for a sign-in: a cached snapshot sends no password anywhere.
  const signInWarnings = new Set(connection.signInWarnings);
  for (const warning of connection.warnings) {
    if (!signInWarnings.has(warning)) stderr.write(`snowgov: ${warning}\n`);
  }

  const project = await openProject(paths, flags, environment);
  if (typeof project === 'number') return project;
  project.progress.stop();
  project.logger.info(`Using connection ${connection.name}: ${describeConnection(connection)}`);

  const read = await readAccountSnapshot(connection, {
    env: environment.env,
    useCache: flags.cache,
    cacheTtlSeconds: flags.cacheTtl,
    deadlineMs: flags.timeout * 1000,
    log: (message) => project.logger.info(message),
    warn: (message) => stderr.write(`snowgov: ${message}\n`),
    onStep: (step) => {
      if (step.kind !== 'signing-in') return;
      for (const warning of signInWarnings) stderr.write(`snowgov: ${warning}\n`);
    },
  });
  if ('error' in read) {
    stderr.write(`snowgov: ${read.error}\n`);
    stderr.write('snowgov: nothing was checked; `snowgov lint` still works offline.\n');
    exitSoon(environment);

    return EXIT_TROUBLE;
  }
  for (const gap of read.gaps) project.logger.warn(`snowgov: could not read ${gap}`);

  project.workspace.setAccountState(read.state);
  // With --stdin only that text is judged (against every file), as `snowgov lint` does.
  const judgedPaths = project.stdinPath === undefined ? undefined : [project.stdinPath];
  const analysis = project.workspace.analyze(judgedPaths);
  const { config } = project;
  const judged = judgeWithAccount(analysis, read.state, config.classifier, config.rules);
  const all = sortForOutput([...judged.fileFindings, ...judged.accountFindings]);
  const stablePath = (path: string): string =>
    path === ACCOUNT_PATH ? ACCOUNT_PATH : project.stablePath(path);
  const identities = identifyFindings(all, analysis.files, stablePath);
  const findings: ReportedFinding[] = all.map((finding) => ({
    finding,
    fingerprint: identities.get(finding)?.fingerprint ?? '',
    stablePath: stablePath(finding.path),
    state: finding.suppression ? 'suppressed' : 'open',
  }));
  const filePaths = judgedPaths ?? analysis.files.map((file) => file.path).sort();
  const reportedPaths = [...filePaths];
  if (judged.accountFindings.length > 0) reportedPaths.push(ACCOUNT_PATH);

  const format = flags.format ?? (environment.stdout.isTTY === true ? 'stylish' : 'text');
  const report: LintReport = {
    findings,
    includeSuppressed: false,
    summary: accountSummary(findings, filePaths.length),
    paths: reportedPaths,
    texts: new Map(analysis.files.map((file) => [file.path, file.text])),
    rules: environment.rules,
    projectRoot: project.projectRoot,
    stablePath,
    colors: isHumanFormat(format)
      ? colorsFor(environment.stdout, environment.env, flags.color)
      : picocolors.createColors(false),
    ruleDoc: environment.readRuleDoc ?? readRuleDoc,
  };
  environment.stdout.write(formatReport(format, report));

  const failing = findings.some(
    (entry) =>
      entry.state === 'open' &&
      flags.failOn !== 'none' &&
      severityAtLeast(entry.finding.severity, flags.failOn),
  );

  return failing ? EXIT_FINDINGS : EXIT_CLEAN;
}

/**
 * The account is not a file: "in 2 of 3 files" counts migrations only, and "and the account"
 * says when findings about the account itself are open too.
 */
function accountSummary(findings: readonly ReportedFinding[], fileCount: number): LintSummary {
  const summary = summarize(findings, fileCount, false);
  const open = findings.filter((entry) => entry.state === 'open');
  const inFiles = open.filter((entry) => entry.finding.path !== ACCOUNT_PATH);

  return {
    ...summary,
    filesWithFindings: new Set(inFiles.map((entry) => entry.finding.path)).size,
    ...(inFiles.length < open.length ? { account: true } : {}),
  };
}

/**
 * The driver may keep retrying after snowgov gave up, and `destroy()` does not stop it. When
 * this command is the process itself (not a test), leave once the status is set.
 */
function exitSoon(environment: CliEnvironment): void {
  if (environment.stdout !== process.stdout) return;
  setTimeout(() => process.exit(), 200).unref();
}

function seconds(value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) {
    throw new InvalidArgumentError('expected a number of seconds greater than 0');
  }

  return parsed;
}
