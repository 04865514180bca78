import type { Severity } from '../../engine';
import { type LintReport, openFindings, summaryLine } from '../report';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

/**
 * GitHub Actions workflow commands, one annotation per open finding, then the summary as a
 * plain log line. Paths are relative to the repository root, where Actions resolves them.
 * https://docs.github.com/actions/reference/workflow-commands-for-github-actions
 */
export function formatGithub(report: LintReport): string {
  const lines = openFindings(report).map(({ finding, stablePath }) => {
    const properties = [
      `file=${escapeProperty(stablePath)}`,
      `line=${finding.start.line + 1}`,
      `endLine=${finding.end.line + 1}`,
    ];
    // Columns are honoured only for an annotation on a single line.
    if (finding.start.line === finding.end.line) {
      properties.push(
        `col=${finding.start.character + 1}`,
        `endColumn=${finding.end.character + 1}`,
      );
    }
    properties.push(`title=${escapeProperty(`snowgov ${finding.ruleId}`)}`);

    return `::${COMMAND[finding.severity]} ${properties.join(',')}::${escapeData(finding.message)}`;
  });
  lines.push(summaryLine(report.summary, report.colors));

  return `${lines.join('\n')}\n`;
}

/** Escapes as the Actions toolkit does (`@actions/core`, command.ts). */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
