import type { Colors } from 'picocolors/types';
import { type Finding, type Rule, type Severity, compareFindings } from '../engine';
import type { BaselineEntry } from './baseline';

/**
 * Counts behind the summary line and the JSON `summary` object. Suppressed findings count only
 * under `suppressed`, never among the findings or toward the exit status; the same goes for
 * `baselined`, present only when `--baseline` is given.
 */
export interface LintSummary {
  /** Files linted (with `--changed-since` or `--stdin`: the files whose findings are reported). */
  readonly files: number;
  readonly filesWithFindings: number;
  readonly findings: number;
  readonly errors: number;
  readonly warnings: number;
  readonly infos: number;
  readonly suppressed: number;
  readonly baselined?: number;
  /** Findings `--fix` fixed and wrote in this run; present only when it wrote some. */
  readonly fixed?: number;
  /**
   * `snowgov check`: some open findings are about the account itself, not a file; they count
   * among the findings but not in `filesWithFindings`. Present only when true.
   */
  readonly account?: true;
}

/**
 * `open` findings are reported and count toward the exit status; `suppressed` ones are excused
 * by a `snowgov-ignore` directive; `baselined` ones are recorded in the `--baseline` file.
 */
export type FindingState = 'open' | 'suppressed' | 'baselined';

export interface ReportedFinding {
  readonly finding: Finding;
  readonly state: FindingState;
  /** Stable across line moves; see server/src/engine/fingerprint.ts. */
  readonly fingerprint: string;
  /** Relative to the project root (the linted paths' git root, see project.ts), with `/`. */
  readonly stablePath: string;
}

/** What `--baseline` changed: how many findings it hid and which entries no longer occur. */
export interface BaselineOutcome {
  /** The baseline file as given on the command line. */
  readonly file: string;
  readonly matched: number;
  readonly prunable: readonly BaselineEntry[];
}

/** Everything an output format may show. */
export interface LintReport {
  /** Every finding in scope, sorted by path and position, whatever its state. */
  readonly findings: readonly ReportedFinding[];
  /** Whether `--include-suppressed` asked to show excused findings. */
  readonly includeSuppressed: boolean;
  readonly summary: LintSummary;
  /** The files in scope, by workspace path (relative to the working directory). */
  readonly paths: readonly string[];
  /** File texts by workspace path, for code frames. */
  readonly texts: ReadonlyMap<string, string>;
  readonly rules: readonly Rule[];
  /** Absolute path of the directory that `stablePath`s are relative to. */
  readonly projectRoot: string;
  /** A workspace path made relative to `projectRoot`. */
  readonly stablePath: (path: string) => string;
  readonly baseline?: BaselineOutcome;
  readonly colors: Colors;
  /** The markdown documentation of a rule, when it can be found. */
  readonly ruleDoc: (name: string) => string | undefined;
}

/** Findings of every file in one list, by path and then position, so output is stable. */
export function sortForOutput(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(compareFindings);
}

/** The findings a human-oriented report shows: open ones, and suppressed ones when asked. */
export function shownFindings(report: LintReport): ReportedFinding[] {
  return report.findings.filter(
    (entry) => entry.state === 'open' || (entry.state === 'suppressed' && report.includeSuppressed),
  );
}

export function openFindings(report: LintReport): ReportedFinding[] {
  return report.findings.filter((entry) => entry.state === 'open');
}

export function summarize(
  findings: readonly ReportedFinding[],
  fileCount: number,
  withBaseline: boolean,
  fixed = 0,
): LintSummary {
  const open = findings.filter((entry) => entry.state === 'open').map((entry) => entry.finding);
  const count = (severity: Severity): number =>
    open.filter((finding) => finding.severity === severity).length;
  const inState = (state: FindingState): number =>
    findings.filter((entry) => entry.state === state).length;

  return {
    files: fileCount,
    filesWithFindings: new Set(open.map((finding) => finding.path)).size,
    findings: open.length,
    errors: count('error'),
    warnings: count('warning'),
    infos: count('info'),
    suppressed: inState('suppressed'),
    ...(withBaseline ? { baselined: inState('baselined') } : {}),
    ...(fixed > 0 ? { fixed } : {}),
  };
}

/**
 * "12 findings (3 errors, 9 warnings) in 4 of 10 files", or "No findings in 10 files.", with
 * "; 2 suppressed" and "; 5 in the baseline" after the files when some were hidden. After
 * `--fix` wrote fixes it says what was fixed and what remains: "Fixed 3 findings; 2 findings
 * remain (2 errors) in 1 of 4 files", or "Fixed 3 findings; none remain in 4 files."
 */
export function summaryLine(summary: LintSummary, colors: Colors): string {
  const files = plural(summary.files, 'file');
  const hidden = [
    summary.suppressed > 0 ? `; ${summary.suppressed} suppressed` : '',
    summary.baselined ? `; ${summary.baselined} in the baseline` : '',
  ].join('');
  const fixed = summary.fixed ? `Fixed ${plural(summary.fixed, 'finding')}; ` : '';
  if (summary.findings === 0) {
    return colors.green(
      fixed ? `${fixed}none remain in ${files}${hidden}.` : `No findings in ${files}${hidden}.`,
    );
  }

  const parts = [
    summary.errors > 0 ? colors.red(plural(summary.errors, 'error')) : undefined,
    summary.warnings > 0 ? colors.yellow(plural(summary.warnings, 'warning')) : undefined,
    summary.infos > 0 ? colors.blue(plural(summary.infos, 'info', 'infos')) : undefined,
  ].filter((part) => part !== undefined);
  const total = colors.bold(plural(summary.findings, 'finding'));
  const remain = fixed ? ` ${summary.findings === 1 ? 'remains' : 'remain'}` : '';

  return `${fixed}${total}${remain} (${parts.join(', ')}) in ${where(summary, files)}${hidden}`;
}

/** "2 of 3 files", "2 of 3 files and the account", or "the account, none in 3 files". */
function where(summary: LintSummary, files: string): string {
  if (!summary.account) return `${summary.filesWithFindings} of ${files}`;
  if (summary.filesWithFindings === 0) return `the account, none in ${files}`;

  return `${summary.filesWithFindings} of ${files} and the account`;
}

/**
 * Lines about the baseline for the human formats: the entries that no longer occur, which
 * `snowgov baseline` would drop. Empty without `--baseline` or when nothing is prunable.
 */
export function baselineNotes(report: LintReport): string[] {
  const baseline = report.baseline;
  if (!baseline || baseline.prunable.length === 0) return [];

  const count = baseline.prunable.length;
  const lines = [
    `${plural(count, 'entry', 'entries')} in ${baseline.file} no longer ${count === 1 ? 'occurs' : 'occur'}; ` +
      'running snowgov baseline again prunes them:',
  ];
  for (const entry of baseline.prunable) {
    lines.push(`  ${entry.path}  ${entry.ruleId}  ${entry.fingerprint}  ${entry.message}`);
  }

  return lines;
}

export function paintSeverity(severity: Severity, colors: Colors): string {
  switch (severity) {
    case 'error':
      return colors.red(severity);
    case 'warning':
      return colors.yellow(severity);
    case 'info':
      return colors.blue(severity);
    default:
      return assertNever(severity);
  }
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${String(value)}`);
}
