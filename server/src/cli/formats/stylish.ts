import { type BabelCodeFrameOptions, codeFrameColumns } from '@babel/code-frame';
import type { Colors } from 'picocolors/types';
import type { Finding } from '../../engine';
import {
  type LintReport,
  baselineNotes,
  paintSeverity,
  plural,
  shownFindings,
  summaryLine,
} from '../report';
import { redactSecrets } from '../../engine/redact';
import { suppressionNote } from './text';

/** A finding spanning more lines than this is marked on its first line only. */
const MAX_MARKED_LINES = 3;

/**
 * For people at a terminal: findings grouped under their file, each with a code frame and a
 * caret under the finding, then a summary by severity and by rule. Colour comes from the
 * report's palette, so `--no-color` and NO_COLOR give plain text.
 */
export function formatStylish(report: LintReport): string {
  const { colors } = report;
  const shown = shownFindings(report);
  // Each file is redacted and split into lines once, however many findings it has.
  const redacted = new Map<string, string[]>();
  const linesOf = (path: string): string[] | undefined => {
    const text = report.texts.get(path);
    if (text !== undefined && !redacted.has(path)) {
      redacted.set(path, redactSecrets(text).split(/\r\n|\r|\n/));
    }

    return redacted.get(path);
  };
  const lines: string[] = [];
  let previousPath: string | undefined;
  for (const { finding } of shown) {
    if (finding.path !== previousPath) {
      if (previousPath !== undefined) lines.push('');
      lines.push(colors.underline(colors.bold(finding.path)));
      previousPath = finding.path;
    }
    const where = colors.dim(`${finding.start.line + 1}:${finding.start.character + 1}`);
    const severity = paintSeverity(finding.severity, colors);
    const note = finding.suppression ? `  ${suppressionNote(finding.suppression, colors)}` : '';
    lines.push(`  ${where}  ${severity}  ${finding.message}  ${colors.dim(finding.ruleId)}${note}`);
    const fileLines = linesOf(finding.path);
    if (fileLines) lines.push(indent(paintFrame(codeFrame(fileLines, finding), colors)));
    for (const fix of finding.fixes) {
      lines.push(colors.dim(`    fix (${fix.safety}): ${fix.title}`));
    }
  }

  if (lines.length > 0) lines.push('');
  const mark = report.summary.findings === 0 ? colors.green('✔') : colors.red('✖');
  lines.push(`${mark} ${summaryLine(report.summary, colors)}`);
  lines.push(...ruleBreakdown(report));
  const fixable = fixableHint(report);
  if (fixable) lines.push(colors.dim(fixable));
  const notes = baselineNotes(report);
  if (notes.length > 0) lines.push('', ...notes);

  return `${lines.join('\n')}\n`;
}

/** Two or more lines of context around the finding, numbered like the file. */
function codeFrame(allLines: readonly string[], finding: Finding): string {
  const first = finding.start.line;
  const multiLine = finding.end.line - first + 1 > MAX_MARKED_LINES;
  const lastMarked = multiLine ? first : finding.end.line;
  const endColumn = multiLine ? (allLines[first]?.length ?? 0) + 1 : finding.end.character + 1;
  // Only the lines around the finding are framed, so a long file is not highlighted in full;
  // `startLine` keeps the gutter numbered like the file, and the location stays absolute.
  const from = Math.max(0, first - 1);
  const to = Math.min(allLines.length - 1, lastMarked + 1);
  const framed = allLines.slice(from, to + 1);
  const window = columnWindow(framed, finding.start.character);
  const slice = framed.map(window.clip).join('\n');

  // `startLine` is read by codeFrameColumns in @babel/code-frame 7 but missing from its types.
  const options: BabelCodeFrameOptions & { startLine: number } = {
    highlightCode: false,
    linesAbove: 1,
    linesBelow: 1,
    startLine: from + 1,
  };
  const startColumn = window.column(finding.start.character + 1);

  return codeFrameColumns(
    slice,
    {
      start: { line: first + 1, column: startColumn },
      end: {
        line: lastMarked + 1,
        column: Math.max(window.column(endColumn), startColumn + 1),
      },
    },
    options,
  );
}

/** Widest a framed line is shown; minified or generated SQL can put a whole file on one line. */
const FRAME_WIDTH = 160;
/** How much of the line before the finding a clipped frame keeps. */
const FRAME_LEAD = 40;

/**
 * The columns of the framed lines that are shown: all of them when every line fits, else
 * FRAME_WIDTH columns starting a little before the finding, with `…` where lines were cut.
 * `column` maps a 1-based column of the file to the same place in the clipped text.
 */
function columnWindow(
  lines: readonly string[],
  findingStart: number,
): { clip: (line: string) => string; column: (column: number) => number } {
  if (lines.every((line) => line.length <= FRAME_WIDTH)) {
    return { clip: (line) => line, column: (column) => column };
  }
  const start = Math.max(0, findingStart - FRAME_LEAD);
  const end = start + FRAME_WIDTH;
  const lead = start > 0 ? 1 : 0;

  return {
    clip: (line) => {
      const before = start > 0 && line.length > 0 ? '…' : '';
      const after = line.length > end ? '…' : '';

      return `${before}${line.slice(start, end)}${after}`;
    },
    column: (column) => Math.min(Math.max(1, column - start + lead), FRAME_WIDTH + lead + 1),
  };
}

/**
 * Colours a plain frame: the gutter dim, the marker and carets red. The code itself stays
 * plain, because @babel/code-frame can only highlight JavaScript, which misreads SQL.
 */
function paintFrame(frame: string, colors: Colors): string {
  return frame
    .split('\n')
    .map((line) => {
      const match = /^(>?)( *\d* \|)(.*)$/.exec(line);
      if (!match) return line;
      const [, marker, gutter, rest] = match;
      const body = /^ *\^+$/.test(rest)
        ? rest.replace(/\^+/, (carets) => colors.red(carets))
        : rest;

      return `${marker ? colors.red(colors.bold(marker)) : ''}${colors.dim(gutter)}${body}`;
    })
    .join('\n');
}

/** Sets the frame under its finding's line, so the findings of a file read as one list. */
function indent(frame: string): string {
  return frame
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

/** One line per rule with open findings: "  grant-to-user  2 errors, 1 warning". */
function ruleBreakdown(report: LintReport): string[] {
  const byRule = new Map<string, Finding[]>();
  for (const entry of report.findings) {
    if (entry.state !== 'open') continue;
    byRule.set(entry.finding.ruleId, [...(byRule.get(entry.finding.ruleId) ?? []), entry.finding]);
  }
  const width = Math.max(0, ...[...byRule.keys()].map((rule) => rule.length));

  return [...byRule.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([rule, findings]) => {
      const counts = (['error', 'warning', 'info'] as const)
        .map((severity) => {
          const count = findings.filter((finding) => finding.severity === severity).length;
          if (count === 0) return undefined;

          return plural(count, severity, severity === 'info' ? 'infos' : `${severity}s`);
        })
        .filter((part) => part !== undefined);

      return `  ${report.colors.dim(rule.padEnd(width))}  ${counts.join(', ')}`;
    });
}

/** Tells how many open findings a `--fix` run could address, by the flag it needs. */
function fixableHint(report: LintReport): string | undefined {
  const open = report.findings.filter((entry) => entry.state === 'open');
  const safe = open.filter((entry) => entry.finding.fixes.some((fix) => fix.safety === 'safe'));
  const unsafe = open.filter(
    (entry) =>
      !entry.finding.fixes.some((fix) => fix.safety === 'safe') &&
      entry.finding.fixes.some((fix) => fix.safety === 'unsafe'),
  );
  const can = (count: number): string => `${plural(count, 'finding')} can be fixed`;
  const parts = [
    safe.length > 0 ? `${can(safe.length)} with --fix` : undefined,
    unsafe.length > 0
      ? `${safe.length > 0 ? `${unsafe.length} more` : can(unsafe.length)} with ` +
        '--fix --unsafe-fixes (review the diff first: --fix-dry-run --unsafe-fixes)'
      : undefined,
  ].filter((part) => part !== undefined);

  return parts.length > 0 ? `${parts.join('; ')}.` : undefined;
}
