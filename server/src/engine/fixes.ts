import type { TextEdit } from './findings';

/**
 * Applies edits to one file's text. Edits are applied from the end backwards so that earlier
 * offsets stay valid; overlapping edits are refused (the later one is dropped) rather than
 * producing a corrupt file.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.span.start - a.span.start || b.span.end - a.span.end);
  // Rules write `\n`; a file that breaks its lines with CRLF keeps doing so.
  const lineBreak = /\r\n/.test(text.slice(0, text.indexOf('\n') + 1)) ? '\r\n' : '\n';
  let result = text;
  let limit = Number.POSITIVE_INFINITY;
  for (const edit of sorted) {
    if (edit.span.end > limit || edit.span.start < 0 || edit.span.end > text.length) continue;
    const newText = lineBreak === '\n' ? edit.newText : edit.newText.replace(/\r?\n/g, '\r\n');
    result = result.slice(0, edit.span.start) + newText + result.slice(edit.span.end);
    limit = edit.span.start;
  }

  return result;
}

/**
 * An edit to a file the workspace does not hold can only create it: it inserts at the start of
 * an empty text. Faces that cannot create files reject such fixes (`AutofixOptions.createFiles`).
 */
export function createsFile(edit: TextEdit): boolean {
  return edit.span.start === 0 && edit.span.end === 0;
}
