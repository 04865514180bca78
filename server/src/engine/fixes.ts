import type { TextEdit } from './findings';

/**
 * Applies edits to one file's text. Edits are applied from the end backwards so that earlier
 * offsets stay valid; overlapping edits are refused (the later one is dropped) rather than
 * producing a corrupt file.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.span.start - a.span.start || b.span.end - a.span.end);
  const lineBreak = lineBreakOf(text);
  // Chosen from the end backwards, as if applied one by one, then joined in one pass: slicing
  // the growing result once per edit made a file with thousands of fixes quadratic.
  const applied: TextEdit[] = [];
  let limit = Number.POSITIVE_INFINITY;
  for (const edit of sorted) {
    if (edit.span.end > limit || edit.span.start < 0 || edit.span.end > text.length) continue;
    applied.push(edit);
    limit = edit.span.start;
  }
  const pieces: string[] = [];
  let at = 0;
  for (let index = applied.length - 1; index >= 0; index--) {
    const edit = applied[index];
    pieces.push(text.slice(at, edit.span.start), withLineBreaks(edit.newText, lineBreak));
    at = edit.span.end;
  }
  pieces.push(text.slice(at));

  return pieces.join('');
}

/** How the file breaks its lines, judged by its first line: `\r\n` or `\n`. */
export function lineBreakOf(text: string): '\r\n' | '\n' {
  return /\r\n/.test(text.slice(0, text.indexOf('\n') + 1)) ? '\r\n' : '\n';
}

/** Rules write `\n`; a file that breaks its lines with CRLF keeps doing so. */
export function withLineBreaks(newText: string, lineBreak: '\r\n' | '\n'): string {
  return lineBreak === '\n' ? newText : newText.replace(/\r?\n/g, '\r\n');
}

/**
 * An edit to a file the workspace does not hold can only create it: it inserts at the start of
 * an empty text. Faces that cannot create files reject such fixes (`AutofixOptions.createFiles`).
 */
export function createsFile(edit: TextEdit): boolean {
  return edit.span.start === 0 && edit.span.end === 0;
}

/**
 * The statements an edit inserts, with runs of blank space made one space, when it inserts whole
 * statements (a zero-width edit whose text ends with `;`); else undefined. Two fixes for columns
 * of one type may each create the same masking policy: the second insertion adds nothing, so
 * fix-all keeps the first and autofix leaves the second fix to its next pass.
 */
export function insertedStatements(edit: Pick<TextEdit, 'span' | 'newText'>): string | undefined {
  if (edit.span.start !== edit.span.end) return undefined;
  const text = edit.newText.trim().replace(/\s+/g, ' ');

  return text.endsWith(';') ? text : undefined;
}
