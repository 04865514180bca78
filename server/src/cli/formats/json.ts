import type { FixSafety, Severity, Suppression } from '../../engine';
import type { BaselineEntry } from '../baseline';
import { type LintReport, type LintSummary, shownFindings } from '../report';

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
  /** Stable across line moves: rule, file and normalised statement text, hashed. */
  readonly fingerprint: string;
  /** Only with `--include-suppressed`, on findings a `snowgov-ignore` directive excuses. */
  readonly suppression?: Suppression;
}

/** The whole `--format json` document, printed as one object followed by a newline. */
export interface JsonReport {
  readonly version: 1;
  /** Sorted by path, then position. */
  readonly findings: readonly JsonFinding[];
  readonly summary: LintSummary;
  /** Only with `--baseline`: the file, how many findings it hid, and entries that no longer occur. */
  readonly baseline?: {
    readonly file: string;
    readonly matched: number;
    readonly prunable: readonly BaselineEntry[];
  };
}

export function formatJson(report: LintReport): string {
  const json: JsonReport = {
    version: 1,
    findings: shownFindings(report).map(({ finding, fingerprint }) => ({
      path: finding.path,
      line: finding.start.line + 1,
      column: finding.start.character + 1,
      endLine: finding.end.line + 1,
      endColumn: finding.end.character + 1,
      severity: finding.severity,
      ruleId: finding.ruleId,
      message: finding.message,
      fixes: finding.fixes.map((fix) => ({ title: fix.title, safety: fix.safety })),
      fingerprint,
      ...(finding.suppression ? { suppression: finding.suppression } : {}),
    })),
    summary: report.summary,
    ...(report.baseline
      ? {
          baseline: {
            file: report.baseline.file,
            matched: report.baseline.matched,
            prunable: report.baseline.prunable,
          },
        }
      : {}),
  };

  return `${JSON.stringify(json, null, 2)}\n`;
}
