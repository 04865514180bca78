import { Command, CommanderError } from 'commander';
import { addBaselineCommand } from './baseline-command';
import type { CliEnvironment, Output } from './environment';
import { addExceptionsCommand } from './exceptions';
import { addInitCommand } from './init';
import { lint } from './lint';
import { addRuleCommands } from './rules-command';
import { type LintFlags, UsageError, addLintOptions, addSelectionOptions } from './lint-options';
import { addCheckCommand } from './check';
import { ISSUES_URL, SNOWGOV_VERSION } from './version';

/** Exit statuses, as documented in `snowgov --help`. */
export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_TROUBLE = 2;

const JSON_HELP = `
JSON output (--format json) is one object, format version 1:
  { "version": 1,
    "findings": [{ "path", "line", "column", "endLine", "endColumn", "severity", "ruleId",
                   "message", "fixes": [{ "title", "safety" }], "fingerprint",
                   "suppression": { "reason", "until", "path", "line" } }],
    "summary": { "files", "filesWithFindings", "findings", "errors", "warnings", "infos",
                 "suppressed", "baselined" },
    "baseline": { "file", "matched", "prunable": [{ "fingerprint", "ruleId", "path",
                                                    "message" }] } }
  Lines and columns start at 1; the end position is just past the finding.
  "fingerprint" is stable when lines move: rule, file and normalised statement text, hashed.
  "suppression" appears only with --include-suppressed, on findings a snowgov-ignore excuses;
  suppressed findings never count in "findings", the severity counts or the exit status.
  "baselined" and "baseline" appear only with --baseline. snowgov check adds
  "account": true to the summary when findings about the account itself are open.

Formats: stylish (default at a terminal: code frames and a summary by rule), text (default
when piped: one line per finding, path:line:column  severity  rule  message), json, sarif
(SARIF 2.1.0 for code scanning, with suppressed and baselined findings marked as such),
github (workflow annotations), gitlab (Code Quality), junit.

Fixes: --fix applies safe fixes; --unsafe-fixes adds fixes that change access or behaviour.
Each fix is applied in memory, parsed and linted again, and a file is written (atomically)
only when it still parses and the fixed findings are gone. --fix-dry-run prints the same
changes as a unified diff, writes nothing, and reports the summary on stderr.`;

const EXIT_STATUS_HELP = `
Exit status:
  0  no open finding reaches --fail-on (default: error), and warnings are within --max-warnings
  1  an open finding reaches --fail-on, or there are more warnings than --max-warnings
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
    if (error instanceof UsageError) {
      environment.stderr.write(`snowgov: ${error.message}\n`);

      return EXIT_TROUBLE;
    }
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

  const lintCommand = program
    .command('lint')
    .description('Lint SQL files; directories are searched for *.sql files.')
    .argument('[paths...]', 'files, directories and globs to lint', ['.']);
  addLintOptions(addSelectionOptions(lintCommand))
    .showHelpAfterError("Run 'snowgov lint --help' to see its options.")
    .addHelpText('after', `${JSON_HELP}\n${EXIT_STATUS_HELP}`)
    .action(async (paths: string[], flags: LintFlags) => {
      status = await lint(paths, flags, environment);
    });

  // Each command is defined in its own module, so that this file only registers them.
  const done = (exitStatus: number): void => {
    status = exitStatus;
  };
  addBaselineCommand(program, environment, done);
  addRuleCommands(program, environment, done);
  addExceptionsCommand(program, environment, done);
  addInitCommand(program, environment, done);
  addCheckCommand(program, environment, done);

  await program.parseAsync([...argv], { from: 'user' });

  return status;
}
