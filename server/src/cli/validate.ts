import { type Command, InvalidArgumentError, Option } from 'commander';
import { type Finding, type Severity, severityAtLeast } from '../engine';
import {
  type AccountFinding,
  type AccountState,
  accountPosture,
  unresolvedReferences,
} from '../engine/account-state';
import {
  ConnectionError,
  type ResolvedConnection,
  describeConnection,
  resolveConnection,
} from '../live/connections';
import { ReadOnlyViolation } from '../live/read-only';
import { LiveError, openSession } from '../live/session';
import { readSnapshot } from '../live/snapshot';
import type { CliEnvironment } from './environment';
import { FAIL_ON, type FailOn, type SelectionFlags, addSelectionOptions } from './lint-options';
import { EXIT_TROUBLE, openProject } from './project';

const EXIT_CLEAN = 0;
const EXIT_FINDINGS = 1;

interface ValidateFlags extends SelectionFlags {
  readonly connection?: string;
  readonly configFile?: string;
  readonly timeout: number;
  readonly format: 'text' | 'json';
  readonly failOn: FailOn;
}

/**
 * `snowgov validate [paths…] --connection NAME`: lints the migrations with a live account's
 * state in view, read-only, and reports the account's own posture.
 */
export function addValidateCommand(
  program: Command,
  environment: CliEnvironment,
  done: (status: number) => void,
): void {
  const command = program
    .command('validate')
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
      new Option('-f, --format <format>', 'output format')
        .choices(['text', 'json'])
        .default('text'),
    )
    .addOption(
      new Option('--fail-on <severity>', 'lowest severity that fails the run')
        .choices(FAIL_ON)
        .default('error'),
    );
  addSelectionOptions(command).action(async (paths: string[], flags: ValidateFlags) => {
    done(await validate(paths, flags, environment));
  });
}

export async function validate(
  paths: readonly string[],
  flags: ValidateFlags,
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
  for (const warning of connection.warnings) stderr.write(`snowgov: ${warning}\n`);

  const project = await openProject(paths, flags, environment);
  if (typeof project === 'number') return project;
  project.progress.stop();
  project.logger.info(`Using connection ${connection.name}: ${describeConnection(connection)}`);

  const read = await readAccount(connection, flags.timeout * 1000);
  if ('error' in read) {
    stderr.write(`snowgov: ${read.error}\n`);
    stderr.write('snowgov: nothing was validated; `snowgov lint` still works offline.\n');
    exitSoon(environment);

    return EXIT_TROUBLE;
  }
  for (const gap of read.gaps) project.logger.warn(`snowgov: could not read ${gap}`);

  project.workspace.setAccountState(read.state);
  const analysis = project.workspace.analyze();
  const findings = [
    ...[...analysis.findings.values()].flat().filter((finding) => !finding.suppression),
    ...unresolvedReferences(analysis.files, analysis.catalog, read.state),
  ].sort((a, b) => a.path.localeCompare(b.path) || a.span.start - b.span.start);
  const posture = accountPosture(read.state);

  environment.stdout.write(render(flags.format, connection.name, findings, posture, read.gaps));

  const failing = [...findings, ...posture].some(
    (finding) => flags.failOn !== 'none' && severityAtLeast(finding.severity, flags.failOn),
  );

  return failing ? EXIT_FINDINGS : EXIT_CLEAN;
}

type AccountRead = { state: AccountState; gaps: readonly string[] } | { error: string };

async function readAccount(
  connection: ResolvedConnection,
  deadlineMs: number,
): Promise<AccountRead> {
  try {
    const session = await openSession(connection, { deadlineMs });
    try {
      const { state, gaps } = await readSnapshot(session, connection.settings.account);

      return { state, gaps };
    } finally {
      await session.close();
    }
  } catch (error) {
    if (error instanceof LiveError || error instanceof ReadOnlyViolation) {
      return { error: error.message };
    }
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') {
      return { error: `A file named by connection '${connection.name}' does not exist.` };
    }
    throw error;
  }
}

/**
 * The driver may keep retrying after snowgov gave up, and `destroy()` does not stop it. When
 * this command is the process itself (not a test), leave once the status is set.
 */
function exitSoon(environment: CliEnvironment): void {
  if (environment.stdout !== process.stdout) return;
  setTimeout(() => process.exit(), 200).unref();
}

function render(
  format: 'text' | 'json',
  connectionName: string,
  findings: readonly Finding[],
  posture: readonly AccountFinding[],
  gaps: readonly string[],
): string {
  if (format === 'json') {
    return `${JSON.stringify(
      {
        version: 1,
        connection: connectionName,
        findings: findings.map((finding) => ({
          path: finding.path,
          line: finding.start.line + 1,
          column: finding.start.character + 1,
          endLine: finding.end.line + 1,
          endColumn: finding.end.character + 1,
          severity: finding.severity,
          ruleId: finding.ruleId,
          message: finding.message,
        })),
        account: posture,
        gaps,
      },
      null,
      2,
    )}\n`;
  }
  const lines = findings.map(
    (finding) =>
      `${finding.path}:${finding.start.line + 1}:${finding.start.character + 1}  ` +
      `${finding.severity}  ${finding.ruleId}  ${finding.message}`,
  );
  for (const finding of posture) {
    lines.push(
      `snowflake:${connectionName}  ${finding.severity}  ${finding.ruleId}  ${finding.message}`,
    );
  }
  const count = (severity: Severity): number =>
    [...findings, ...posture].filter((finding) => finding.severity === severity).length;
  lines.push(
    `${findings.length + posture.length} findings (${count('error')} errors, ` +
      `${count('warning')} warnings, ${count('info')} infos) with connection ${connectionName}`,
  );

  return `${lines.join('\n')}\n`;
}

function seconds(value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) {
    throw new InvalidArgumentError('expected a number of seconds greater than 0');
  }

  return parsed;
}
