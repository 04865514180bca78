import { type Command, InvalidArgumentError, Option } from 'commander';
import { type RuleSettings, type Severity } from '../engine';
import { OUTPUT_FORMATS, type OutputFormat } from './formats';

/** Options that choose the files and rules; `lint` and `baseline` share them. */
export interface SelectionFlags {
  readonly config?: string;
  readonly color?: boolean;
  readonly verbose?: boolean;
  readonly gitignore: boolean;
  readonly progress: boolean;
  readonly stdin?: boolean;
  readonly stdinFilename?: string;
  readonly rule?: readonly RuleOverride[];
  readonly disableRule?: readonly string[];
}

export interface LintFlags extends SelectionFlags {
  readonly format?: OutputFormat;
  readonly outputFile?: string;
  readonly includeSuppressed?: boolean;
  readonly failOn: FailOn;
  readonly maxWarnings?: number;
  readonly quiet?: boolean;
  readonly fix?: boolean;
  readonly unsafeFixes?: boolean;
  readonly fixDryRun?: boolean;
  readonly baseline?: string;
  readonly changedSince?: string;
}

export const FAIL_ON = ['error', 'warning', 'info', 'none'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export interface RuleOverride {
  readonly name: string;
  readonly severity: Severity | 'off';
}

/** A mistake on the command line, reported with exit status 2. */
export class UsageError extends Error {}

const SEVERITIES = ['error', 'warning', 'info', 'off'] as const;

/** Registers the options of `SelectionFlags` on a command. */
export function addSelectionOptions(command: Command): Command {
  return command
    .option('-c, --config <file>', 'use this config file instead of searching for snowgov.yml')
    .option(
      '--rule <rule=severity>',
      'set a rule to error, warning, info or off for this run (repeatable)',
      collectRuleOverride,
    )
    .option(
      '--disable-rule <rule>',
      'turn a rule off for this run (repeatable, or comma-separated)',
      collectNames,
    )
    .option('--no-gitignore', 'also lint files that .gitignore excludes')
    .option('--stdin', 'read one file from standard input; the paths still give the context')
    .option('--stdin-filename <path>', 'the path of the --stdin text, for the report and config')
    .option('--no-progress', 'never show a progress bar')
    .option('--color', 'always colour the output')
    .option('--no-color', 'never colour the output (NO_COLOR is honoured as well)')
    .option('--verbose', 'log the config used and progress to stderr');
}

/** Registers the options of `LintFlags` that only `lint` has. */
export function addLintOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '-f, --format <format>',
        'output format (default: stylish at a terminal, text otherwise)',
      ).choices(OUTPUT_FORMATS),
    )
    .option('-o, --output-file <file>', 'write the report to this file instead of stdout')
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when a finding is at least this severe')
        .choices(FAIL_ON)
        .default('error'),
    )
    .option(
      '--max-warnings <count>',
      'also exit 1 when there are more warnings than this',
      parseCount,
    )
    .option('-q, --quiet', 'report errors only; warnings and infos neither show nor count')
    .option('--include-suppressed', 'also show findings that snowgov-ignore excuses, marked')
    .option('--fix', 'apply safe fixes and write the files')
    .option('--unsafe-fixes', 'with --fix or --fix-dry-run, apply unsafe fixes too')
    .option('--fix-dry-run', 'print the fixes as a unified diff and change nothing')
    .option('--baseline <file>', 'report only findings not recorded in this baseline file')
    .option(
      '--changed-since <ref>',
      'report only findings in files and statements changed since this git ref',
    );
}

/** Checks the combinations commander cannot; throws a UsageError. */
export function checkLintFlags(flags: LintFlags): void {
  if (flags.unsafeFixes && !flags.fix && !flags.fixDryRun) {
    throw new UsageError('--unsafe-fixes only widens --fix or --fix-dry-run; add one of them.');
  }
  if (flags.fix && flags.fixDryRun) {
    throw new UsageError('--fix writes files and --fix-dry-run only shows the diff; pick one.');
  }
  if (flags.stdin && flags.fix) {
    throw new UsageError(
      '--fix cannot write standard input back; use --fix-dry-run to see the diff.',
    );
  }
  if (flags.stdin && flags.changedSince) {
    throw new UsageError(
      '--changed-since compares files on disk, so it cannot be used with --stdin.',
    );
  }
  checkSelectionFlags(flags);
}

export function checkSelectionFlags(flags: SelectionFlags): void {
  if (flags.stdinFilename !== undefined && !flags.stdin) {
    throw new UsageError('--stdin-filename names the text read with --stdin; add --stdin.');
  }
}

/**
 * The config's rule settings with the command line's `--rule` and `--disable-rule` applied on
 * top. A rule name that is not known is a usage error naming the known ones.
 */
export function applyRuleFlags(
  settings: ReadonlyMap<string, RuleSettings>,
  flags: SelectionFlags,
): Map<string, RuleSettings> {
  const result = new Map(settings);
  const known = [...settings.keys()].sort();
  const check = (name: string, flag: string): RuleSettings => {
    const current = settings.get(name);
    if (!current) {
      throw new UsageError(
        `${flag} names an unknown rule '${name}'. Known rules: ${known.join(', ')}.`,
      );
    }

    return current;
  };
  for (const override of flags.rule ?? []) {
    const current = check(override.name, '--rule');
    result.set(
      override.name,
      override.severity === 'off'
        ? { ...current, enabled: false }
        : { ...current, enabled: true, severity: override.severity },
    );
  }
  for (const name of flags.disableRule ?? []) {
    result.set(name, { ...check(name, '--disable-rule'), enabled: false });
  }

  return result;
}

function collectRuleOverride(value: string, previous: RuleOverride[] = []): RuleOverride[] {
  const match = /^\s*([a-z][a-z0-9-]*)\s*[=:]\s*([a-z]+)\s*$/.exec(value);
  if (!match) {
    throw new InvalidArgumentError(
      `expected <rule>=<severity>, such as grant-to-user=warning, not '${value}'.`,
    );
  }
  const severity = match[2] as RuleOverride['severity'];
  if (!(SEVERITIES as readonly string[]).includes(severity)) {
    throw new InvalidArgumentError(
      `'${match[2]}' is not a severity; use one of ${SEVERITIES.join(', ')}.`,
    );
  }

  return [...previous, { name: match[1], severity }];
}

function collectNames(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
  ];
}

function parseCount(value: string): number {
  if (!/^\d+$/.test(value.trim())) {
    throw new InvalidArgumentError(`expected a whole number of warnings, not '${value}'.`);
  }

  return Number(value);
}
