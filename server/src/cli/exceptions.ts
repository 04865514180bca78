import { type Command, Option } from 'commander';
import { type Analysis, type SuppressionEntry, UNUSED_SUPPRESSION_RULE } from '../engine';
import type { CliEnvironment } from './environment';
import { openProject } from './project';

// The status documented in `snowgov --help`; listing never fails on what it lists.
const EXIT_CLEAN = 0;

const OUTPUT_FORMATS = ['table', 'json'] as const;

/** Whether a directive does its job; the first that applies, in this order. */
export type SuppressionStatus = 'invalid' | 'expired' | 'unused' | 'valid';

interface ExceptionsOptions {
  readonly format: (typeof OUTPUT_FORMATS)[number];
  readonly config?: string;
}

/**
 * One directive in `--format json`, a public contract like the lint output: fields may be added,
 * none renamed or removed without raising `version`.
 */
export interface JsonSuppression {
  readonly path: string;
  /** 1-based line of the directive. */
  readonly line: number;
  /** `statement` for `snowgov-ignore`, `file` for `snowgov-ignore-file`. */
  readonly scope: 'statement' | 'file';
  readonly rules: readonly string[];
  readonly reason: string | null;
  readonly until: string | null;
  readonly expired: boolean;
  /** Why the directive is invalid; an invalid directive excuses nothing. */
  readonly problems: readonly string[];
  /**
   * `invalid` (see `problems`), `expired`, `unused` (it excuses no finding, or one of its rules
   * has none to excuse) or `valid`.
   */
  readonly status: SuppressionStatus;
  /** The rules of an `unused` directive that excuse nothing: all of them, or only some. */
  readonly unusedRules: readonly string[];
}

export interface JsonSuppressionsReport {
  readonly version: 1;
  readonly suppressions: readonly JsonSuppression[];
  readonly summary: {
    readonly files: number;
    readonly suppressions: number;
    readonly expired: number;
    readonly invalid: number;
    readonly unused: number;
  };
}

const HELP = `
Lists every snowgov-ignore and snowgov-ignore-file directive with its file, line, rules, reason
and expiry, for review. An expired or invalid directive excuses nothing; snowgov lint reports it
as an invalid-suppression error.

JSON output (--format json) is one object, format version 1:
  { "version": 1,
    "suppressions": [{ "path", "line", "scope", "rules", "reason", "until", "expired",
                       "problems", "status", "unusedRules" }],
    "summary": { "files", "suppressions", "expired", "invalid", "unused" } }
  "reason" and "until" are null when the directive has none; "scope" is statement or file;
  "status" is invalid, expired, unused (it excuses no finding, or one of its rules has none to
  excuse) or valid, the first that applies; "unusedRules" names the rules that excuse nothing.

Exit status:
  0  the list was printed, whatever it holds
  2  usage error, configuration problem, unreadable path, or an internal error`;

/** Registers `snowgov exceptions`; `done` receives its exit status. */
export function addExceptionsCommand(
  program: Command,
  environment: CliEnvironment,
  done: (status: number) => void,
): void {
  program
    .command('exceptions')
    .description('List the suppressions (snowgov-ignore) with their reasons and expiry.')
    .argument('[paths...]', 'files and directories to search', ['.'])
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(OUTPUT_FORMATS).default('table'),
    )
    .option('-c, --config <file>', 'use this config file instead of searching for snowgov.yml')
    .showHelpAfterError("Run 'snowgov exceptions --help' to see its options.")
    .addHelpText('after', HELP)
    .action(async (paths: string[], options: ExceptionsOptions) => {
      done(await listExceptions(paths, options, environment));
    });
}

async function listExceptions(
  paths: readonly string[],
  options: ExceptionsOptions,
  environment: CliEnvironment,
): Promise<number> {
  // Files and config are found exactly as `snowgov lint` finds them, so both see the same.
  const project = await openProject(
    paths,
    { config: options.config, gitignore: true, progress: false },
    environment,
  );
  if (typeof project === 'number') return project;
  const { workspace } = project;
  const entries = workspace.listSuppressions();
  const uses = usesOf(entries, workspace.analyze());
  const fileCount = project.sources.size;
  environment.stdout.write(
    options.format === 'json'
      ? formatJson(entries, uses, fileCount)
      : formatTable(entries, uses, fileCount),
  );

  return EXIT_CLEAN;
}

/** How a directive fares: its status and, when unused, which of its rules excuse nothing. */
interface DirectiveUse {
  readonly status: SuppressionStatus;
  readonly unusedRules: readonly string[];
}

/**
 * The use of each entry, in order. Whether a directive is used is known only from an analysis:
 * its `unused-suppression` findings (none when that rule is off) sit on the directive's lines,
 * so each belongs to the last directive of its file that starts at or above it. A finding on one
 * rule name of the directive is about that rule alone; any other is about the whole directive.
 */
function usesOf(entries: readonly SuppressionEntry[], analysis: Analysis): DirectiveUse[] {
  const unused = new Map<SuppressionEntry, Set<string>>();
  const textOf = new Map(analysis.files.map((file) => [file.path, file.text]));
  for (const [path, findings] of analysis.findings) {
    const inFile = entries.filter((entry) => entry.path === path);
    const text = textOf.get(path) ?? '';
    for (const finding of findings) {
      if (finding.ruleId !== UNUSED_SUPPRESSION_RULE) continue;
      const owner = inFile.filter((entry) => entry.line <= finding.start.line + 1).at(-1);
      if (!owner) continue;
      const named = text.slice(finding.span.start, finding.span.end).toLowerCase();
      const rules = unused.get(owner) ?? new Set<string>();
      for (const rule of owner.rules.includes(named) ? [named] : owner.rules) rules.add(rule);
      unused.set(owner, rules);
    }
  }

  return entries.map((entry) => {
    if (entry.problems.length > 0) return { status: 'invalid', unusedRules: [] };
    if (entry.expired) return { status: 'expired', unusedRules: [] };
    const rules = unused.get(entry);
    if (!rules) return { status: 'valid', unusedRules: [] };

    return { status: 'unused', unusedRules: entry.rules.filter((rule) => rules.has(rule)) };
  });
}

function formatJson(
  entries: readonly SuppressionEntry[],
  uses: readonly DirectiveUse[],
  files: number,
): string {
  const report: JsonSuppressionsReport = {
    version: 1,
    suppressions: entries.map((entry, index) => ({
      path: entry.path,
      line: entry.line,
      scope: entry.scope,
      rules: entry.rules,
      reason: entry.reason ?? null,
      until: entry.until ?? null,
      expired: entry.expired,
      problems: entry.problems,
      status: uses[index].status,
      unusedRules: uses[index].unusedRules,
    })),
    summary: {
      files,
      suppressions: entries.length,
      expired: entries.filter((entry) => entry.expired).length,
      invalid: uses.filter((use) => use.status === 'invalid').length,
      unused: uses.filter((use) => use.status === 'unused').length,
    },
  };

  return `${JSON.stringify(report, null, 2)}\n`;
}

/**
 * Columns padded to their widest cell, the status last because an invalid directive's says why
 * at length; then a summary line. A reason written over several lines of a block comment is
 * shown on one.
 */
function formatTable(
  entries: readonly SuppressionEntry[],
  uses: readonly DirectiveUse[],
  files: number,
): string {
  const fileCount = `${files} ${files === 1 ? 'file' : 'files'}`;
  if (entries.length === 0) return `No suppressions in ${fileCount}.\n`;

  const rows = [
    ['LOCATION', 'SCOPE', 'RULES', 'UNTIL', 'REASON', 'STATUS'],
    ...entries.map((entry, index) => [
      `${entry.path}:${entry.line}`,
      entry.scope,
      entry.rules.join(', ') || '-',
      entry.until ?? '-',
      entry.reason?.replace(/\s+/g, ' ').trim() || '(none)',
      describeUse(entry, uses[index]),
    ]),
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const lines = rows.map((row) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column])))
      .join('  '),
  );

  const count = (wanted: SuppressionStatus): number =>
    uses.filter((use) => use.status === wanted).length;
  const [invalid, expired, unused] = [count('invalid'), count('expired'), count('unused')];
  const total = `${entries.length} ${entries.length === 1 ? 'suppression' : 'suppressions'}`;
  const inFiles = new Set(entries.map((entry) => entry.path)).size;
  const notes = [
    invalid > 0 ? `${invalid} invalid` : undefined,
    expired > 0 ? `${expired} expired` : undefined,
    unused > 0 ? `${unused} unused` : undefined,
  ].filter((note) => note !== undefined);
  const tail = notes.length > 0 ? `; ${notes.join(', ')}` : '';
  lines.push('', `${total} in ${inFiles} of ${fileCount}${tail}.`);

  return `${lines.join('\n')}\n`;
}

/** The STATUS cell: why a directive is invalid, or which rules of a partly unused one are idle. */
function describeUse(entry: SuppressionEntry, use: DirectiveUse): string {
  if (use.status === 'invalid') return `invalid: ${entry.problems.join(' ')}`;
  if (use.status === 'unused' && use.unusedRules.length < entry.rules.length) {
    return `unused: ${use.unusedRules.join(', ')}`;
  }

  return use.status;
}
