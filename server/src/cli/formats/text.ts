import type { Colors } from 'picocolors/types';
import type { Suppression } from '../../engine';
import {
  type LintReport,
  baselineNotes,
  paintSeverity,
  shownFindings,
  summaryLine,
} from '../report';

/**
 * One line per finding, `path:line:col  severity  rule-id  message`, with a blank line between
 * files, then the summary. Columns are separated by two spaces and never padded, so the lines
 * stay easy to match with grep or a CI problem matcher. A suppressed finding (shown only with
 * `--include-suppressed`) ends with `(suppressed until <date>: <reason>)`.
 */
export function formatText(report: LintReport): string {
  const { colors } = report;
  const lines: string[] = [];
  let previousPath: string | undefined;
  for (const { finding } of shownFindings(report)) {
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
  lines.push(summaryLine(report.summary, colors));
  const notes = baselineNotes(report);
  if (notes.length > 0) lines.push('', ...notes);

  return `${lines.join('\n')}\n`;
}

export function suppressionNote(suppression: Suppression, colors: Colors): string {
  const until = suppression.until ? ` until ${suppression.until}` : '';

  return colors.dim(`(suppressed${until}: ${suppression.reason})`);
}
