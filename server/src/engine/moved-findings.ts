import type { Finding } from './findings';
import type { LineIndex, Span } from './source';
import type { Statement } from './syntax/ast';
import type { TextChange } from './syntax/incremental';

/** An edit that moved a file's text without changing any statement: see `neutralMove`. */
export interface TextMove {
  readonly start: number;
  readonly oldEnd: number;
  readonly delta: number;
}

/**
 * The move an edit made when it changed no statement, so that every rule finding of the file
 * (and the catalog the rules read) is what it was, only moved: each statement kept its text, no
 * line was added or removed (messages may name lines), and no line the edit touched holds any
 * part of a statement (rules may read the text around a statement on its line). Undefined when
 * the edit was anything else. Typing in a comment between statements, or in a blank line, is.
 */
export function neutralMove(
  change: TextChange | undefined,
  oldText: string,
  text: string,
  statements: readonly Statement[],
): TextMove | undefined {
  if (!change?.statementsKept) return undefined;
  const breaks = (of: string, from: number, to: number): number => {
    let count = 0;
    for (let i = from; i < to; i++) {
      const c = of.charCodeAt(i);
      if (c === 10 || (c === 13 && of.charCodeAt(i + 1) !== 10)) count++;
    }

    return count;
  };
  // A CR just before the change may pair with an LF the edit adds or removes.
  const edge = (of: string, at: number): boolean => of.charCodeAt(at - 1) === 13;
  if (edge(text, change.start)) return undefined;
  if (breaks(oldText, change.start, change.oldEnd) !== breaks(text, change.start, change.newEnd)) {
    return undefined;
  }
  const lines = linesAround(text, change.start, change.newEnd);
  if (statements.some((s) => s.start < lines.end && s.end > lines.start)) return undefined;
  // Fixes keep the comment lines right above a statement with it, up to a blank line: an edit
  // that blanks a comment line, or writes on a blank one, moves where those comments begin.
  const oldLines = linesAround(oldText, change.start, change.oldEnd);
  if (
    !sameBlankLines(oldText.slice(oldLines.start, oldLines.end), text.slice(lines.start, lines.end))
  ) {
    return undefined;
  }

  return { start: change.start, oldEnd: change.oldEnd, delta: change.newEnd - change.oldEnd };
}

/**
 * Findings moved across `move` in the file at `path`: their spans there, and their fixes' edits
 * there, wherever the finding itself is. Undefined when an offset lies inside the changed range,
 * where it is not known which side of the edit it belongs to.
 */
export function moveFindings(
  findings: readonly Finding[],
  path: string,
  move: TextMove,
): Finding[] | undefined {
  const moved: Finding[] = [];
  for (const finding of findings) {
    const span = finding.path === path ? moveSpan(finding.span, move) : finding.span;
    if (!span) return undefined;
    const fixes: Finding['fixes'][number][] = [];
    for (const fix of finding.fixes) {
      const edits: (typeof fix.edits)[number][] = [];
      for (const edit of fix.edits) {
        const editSpan = edit.path === path ? moveSpan(edit.span, move) : edit.span;
        if (!editSpan) return undefined;
        edits.push(editSpan === edit.span ? edit : { ...edit, span: editSpan });
      }
      fixes.push({ ...fix, edits });
    }
    moved.push({ ...finding, span, fixes });
  }

  return moved;
}

/** A finding with its line and character positions read again from its file's new lines. */
export function withPositions(finding: Finding, lines: LineIndex): Finding {
  return {
    ...finding,
    start: lines.positionAt(finding.span.start),
    end: lines.positionAt(finding.span.end),
  };
}

function moveSpan(span: Span, move: TextMove): Span | undefined {
  const { start, oldEnd, delta } = move;
  if (span.start === span.end) {
    if (span.start < start) return span;
    if (span.start > oldEnd) return { start: span.start + delta, end: span.end + delta };

    return undefined;
  }
  const from = span.start < start ? span.start : span.start >= oldEnd ? span.start + delta : -1;
  const to = span.end <= start ? span.end : span.end > oldEnd ? span.end + delta : -1;
  if (from < 0 || to < 0) return undefined;

  return from === span.start && to === span.end ? span : { start: from, end: to };
}

/** True when the two runs of lines have the same number of lines, blank at the same places. */
function sameBlankLines(before: string, after: string): boolean {
  const blanks = (text: string): string =>
    text
      .split(/\r\n|\r|\n/)
      .map((line) => (line.trim() === '' ? '_' : 'x'))
      .join('');

  return blanks(before) === blanks(after);
}

/** From the start of the line holding `from` to the end of the line holding `to`. */
function linesAround(text: string, from: number, to: number): Span {
  let start = from;
  while (start > 0 && !isBreak(text.charCodeAt(start - 1))) start--;
  let end = to;
  while (end < text.length && !isBreak(text.charCodeAt(end))) end++;

  return { start, end };
}

function isBreak(c: number): boolean {
  return c === 10 || c === 13;
}
