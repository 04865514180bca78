import { type Diagnostic, DiagnosticSeverity, type Range } from 'vscode-languageserver';
import {
  type Finding,
  type Severity,
  INVALID_SUPPRESSION_RULE,
  PARSE_ERROR_RULE,
  UNUSED_SUPPRESSION_RULE,
} from '../engine';

export const SOURCE = 'snowgov';

const SEVERITIES: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** Where a rule's documentation lives; the rule id is also its folder name. */
export function ruleDocumentationUrl(ruleId: string): string {
  // Directive problems come from the engine, not a rule folder; the README explains directives.
  if (ruleId === INVALID_SUPPRESSION_RULE || ruleId === UNUSED_SUPPRESSION_RULE) {
    return 'https://github.com/snowgov/snowgov/blob/main/README.md#suppressions';
  }

  return `https://github.com/snowgov/snowgov/blob/main/rules/${ruleId}/README.md`;
}

/** What the editor shows: a suppressed finding was excused in the SQL itself, with a reason. */
export function shownFindings(findings: readonly Finding[]): Finding[] {
  return findings.filter((finding) => !finding.suppression);
}

export function findingRange(finding: Finding): Range {
  return { start: finding.start, end: finding.end };
}

export function toDiagnostic(finding: Finding): Diagnostic {
  const diagnostic: Diagnostic = {
    range: findingRange(finding),
    severity: SEVERITIES[finding.severity],
    source: SOURCE,
    code: finding.ruleId,
    message: finding.message,
  };

  // Syntax errors come from the front end, not from a rule, so there is no page to link.
  if (finding.ruleId !== PARSE_ERROR_RULE) {
    diagnostic.codeDescription = { href: ruleDocumentationUrl(finding.ruleId) };
  }

  return diagnostic;
}
