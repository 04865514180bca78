import type { Colors } from 'picocolors/types';
import {
  type Finding,
  type FixSafety,
  type Severity,
  type Suppression,
  compareFindings,
} from '../engine';

/**
 * Counts behind the summary line and the JSON `summary` object. Suppressed findings count only
 * under `suppressed`, never among the findings or toward the exit status.
 */
export interface LintSummary {
  /** Files linted. */
  readonly files: number;
  readonly filesWithFindings: number;
  readonly findings: number;
  readonly errors: number;
  readonly warnings: number;
  readonly infos: number;
  readonly suppressed: number;
}

/**
 * One finding in `--format json`. This shape is a public contract, version 1: fields may be
 * added, but none is renamed, removed or given another meaning without raising `version`.
 *
 * Lines and columns are 1-based and count UTF-16 code units, as editors do; `endLine` and
 * `endColumn` point just past the last character of the finding. `path` is relative to the
 * working directory and uses forward slashes.
 */
export interface JsonFinding {
  readonly path: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly severity: Severity;
  /** The rule name, such as `grant-to-user`, or `parse-error`. */
  readonly ruleId: string;
  readonly message: string;
  /** Fixes the editor offers; `safety` is `safe`, `unsafe` or `suggestion`. */
  readonly fixes: readonly { readonly title: string; readonly safety: FixSafety }[];
  /** Only with `--include-suppressed`, on findings a `snowgov-ignore` directive excuses. */
  readonly suppression?: Suppression;
}

/** The whole `--format json` document, printed as one object followed by a newline. */
export interface JsonReport {
  readonly version: 1;
  /** Sorted by path, then position. */
  readonly findings: readonly JsonFinding[];
  readonly summary: LintSummary;
}

/** Findings of every file in one list, by path and then position, so output is stable. */
export function sortForOutput(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(compareFindings);
}

/** The findings a report shows: suppressed ones only when asked for. */
export function findingsToShow(
  findings: readonly Finding[],
  includeSuppressed: boolean,
): Finding[] {
  return includeSuppressed ? [...findings] : findings.filter((finding) => !finding.suppression);
}

export function summarize(findings: readonly Finding[], fileCount: number): LintSummary {
  const open = findings.filter((finding) => !finding.suppression);
  const count = (severity: Severity): number =>
    open.filter((finding) => finding.severity === severity).length;

  return {
    files: fileCount,
    filesWithFindings: new Set(open.map((finding) => finding.path)).size,
    findings: open.length,
    errors: count('error'),
    warnings: count('warning'),
    infos: count('info'),
    suppressed: findings.length - open.length,
  };
}

export function formatJson(findings: readonly Finding[], summary: LintSummary): string {
  const report: JsonReport = {
    version: 1,
    findings: findings.map((finding) => ({
      path: finding.path,
      line: finding.start.line + 1,
      column: finding.start.character + 1,
      endLine: finding.end.line + 1,
      endColumn: finding.end.character + 1,
      severity: finding.severity,
      ruleId: finding.ruleId,
      message: finding.message,
      fixes: finding.fixes.map((fix) => ({ title: fix.title, safety: fix.safety })),
      ...(finding.suppression ? { suppression: finding.suppression } : {}),
    })),
    summary,
  };

  return `${JSON.stringify(report, null, 2)}\n`;
}

/**
 * One line per finding, `path:line:col  severity  rule-id  message`, with a blank line between
 * files, then the summary. Columns are separated by two spaces and never padded, so the lines
 * stay easy to match with grep or a CI problem matcher. A suppressed finding (shown only with
 * `--include-suppressed`) ends with `(suppressed until <date>: <reason>)`.
 */
export function formatText(
  findings: readonly Finding[],
  summary: LintSummary,
  colors: Colors,
): string {
  const lines: string[] = [];
  let previousPath: string | undefined;
  for (const finding of findings) {
    if (previousPath !== undefined && finding.path !== previousPath) lines.push('');
    previousPath = finding.path;
    const where = `${finding.path}:${finding.start.line + 1}:${finding.start.character + 1}`;
    const severity = paintSeverity(finding.severity, colors);
    const line = `${where}  ${severity}  ${colors.dim(finding.ruleId)}  ${finding.message}`;
    lines.push(
      finding.suppression ? `${line}  ${suppressionNote(finding.suppression, colors)}` : line,
    );
  }
  if (lines.length > 0) lines.push('');
  lines.push(summaryLine(summary, colors));

  return `${lines.join('\n')}\n`;
}

/**
 * "12 findings (3 errors, 9 warnings) in 4 of 10 files", or "No findings in 10 files.", with
 * "; 2 suppressed" after the files when directives excused some.
 */
export function summaryLine(summary: LintSummary, colors: Colors): string {
  const files = plural(summary.files, 'file');
  const suppressed = summary.suppressed > 0 ? `; ${summary.suppressed} suppressed` : '';
  if (summary.findings === 0) return colors.green(`No findings in ${files}${suppressed}.`);

  const parts = [
    summary.errors > 0 ? colors.red(plural(summary.errors, 'error')) : undefined,
    summary.warnings > 0 ? colors.yellow(plural(summary.warnings, 'warning')) : undefined,
    summary.infos > 0 ? colors.blue(plural(summary.infos, 'info', 'infos')) : undefined,
  ].filter((part) => part !== undefined);
  const total = colors.bold(plural(summary.findings, 'finding'));

  return `${total} (${parts.join(', ')}) in ${summary.filesWithFindings} of ${files}${suppressed}`;
}

function suppressionNote(suppression: Suppression, colors: Colors): string {
  const until = suppression.until ? ` until ${suppression.until}` : '';

  return colors.dim(`(suppressed${until}: ${suppression.reason})`);
}

function paintSeverity(severity: Severity, colors: Colors): string {
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

function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${String(value)}`);
}
