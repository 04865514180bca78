import { type Diagnostic, DiagnosticSeverity, type Range } from 'vscode-languageserver';
import { type Finding, type Severity, PARSE_ERROR_RULE } from '../engine';

export const SOURCE = 'snowgov';

const SEVERITIES: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** Where a rule's documentation lives; the rule id is also its folder name. */
export function ruleDocumentationUrl(ruleId: string): string {
  return `https://github.com/snowgov/snowgov/blob/main/rules/${ruleId}/README.md`;
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
