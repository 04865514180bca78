import type { Severity } from '../../engine';
import { PARSE_ERROR_RULE } from '../../engine';
import { type LintReport, openFindings } from '../report';

/** GitLab's scale is info, minor, major, critical, blocker; errors rank above warnings. */
const GITLAB_SEVERITY: Record<Severity, string> = {
  error: 'major',
  warning: 'minor',
  info: 'info',
};

/** One issue of a Code Quality report, a subset of the Code Climate engine spec. */
export interface CodeQualityIssue {
  readonly type: 'issue';
  readonly check_name: string;
  readonly description: string;
  readonly categories: readonly string[];
  readonly severity: string;
  readonly fingerprint: string;
  readonly location: {
    readonly path: string;
    readonly lines: { readonly begin: number; readonly end: number };
  };
}

/**
 * GitLab Code Quality JSON (`artifacts: reports: codequality`): an array of issues. The
 * fingerprint is the stable one, so GitLab tracks an issue across commits that move its lines.
 * https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format
 */
export function formatGitlab(report: LintReport): string {
  const issues: CodeQualityIssue[] = openFindings(report).map(
    ({ finding, fingerprint, stablePath }) => ({
      type: 'issue',
      check_name: finding.ruleId,
      description: finding.message,
      categories: [finding.ruleId === PARSE_ERROR_RULE ? 'Bug Risk' : 'Security'],
      severity: GITLAB_SEVERITY[finding.severity],
      fingerprint,
      location: {
        path: stablePath,
        lines: { begin: finding.start.line + 1, end: finding.end.line + 1 },
      },
    }),
  );

  return `${JSON.stringify(issues, null, 2)}\n`;
}
