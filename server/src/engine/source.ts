/** Half-open character range [start, end) into a document's text, in UTF-16 code units. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface Position {
  /** Zero-based line. */
  readonly line: number;
  /** Zero-based UTF-16 column. */
  readonly character: number;
}

/** One SQL document as the engine sees it: an identity and its full text. */
export interface SourceFile {
  /** Workspace-relative path with forward slashes, or an editor URI for unsaved documents. */
  readonly path: string;
  readonly text: string;
}

export function span(start: number, end: number): Span {
  return { start, end };
}

export function spanOf(first: Span, last: Span): Span {
  return { start: first.start, end: last.end };
}

/**
 * A copy of a piece cut from a document's text that does not hold on to that text. V8 cuts all
 * but the shortest pieces as views into the whole text, so a cache that outlives one analysis and
 * is keyed by such a piece would keep every edited version of the document alive. Concatenating
 * and cutting again yields a string of the piece's own size.
 */
export function detachedCopy(piece: string): string {
  return ` ${piece}`.slice(1);
}

/** Where the lines that start after `from` and at or before `to` start. */
function lineStartsIn(text: string, from: number, to: number): number[] {
  const starts: number[] = [];
  for (let i = from; i < to; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10) {
      starts.push(i + 1);
    } else if (ch === 13) {
      if (text.charCodeAt(i + 1) === 10) continue;
      starts.push(i + 1);
    }
  }

  return starts;
}

/** Maps offsets to line/character positions and back, built once per text. */
export class LineIndex {
  private readonly lineStarts: number[];

  constructor(
    private readonly text: string,
    lineStarts?: number[],
  ) {
    this.lineStarts = lineStarts ?? [0, ...lineStartsIn(text, 0, text.length)];
  }

  /**
   * The index of `text`, made from this one's for the text it was before one edit replaced
   * `[start, oldEnd)` with `[start, newEnd)`: only the edited lines are read again. A line start
   * depends on the two characters before it (a CR followed by an LF ends one line), so the text
   * from one character before the edit to two after it is read again.
   */
  edited(text: string, change: { start: number; oldEnd: number; newEnd: number }): LineIndex {
    const from = Math.max(0, change.start - 1);
    const to = Math.min(text.length, change.newEnd + 2);
    const delta = change.newEnd - change.oldEnd;
    const starts: number[] = [];
    const old = this.lineStarts;
    let at = 0;
    for (; at < old.length && old[at] <= from; at++) starts.push(old[at]);
    starts.push(...lineStartsIn(text, from, to));
    while (at < old.length && old[at] + delta <= to) at++;
    for (; at < old.length; at++) starts.push(old[at] + delta);

    return new LineIndex(text, starts);
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= clamped) low = mid;
      else high = mid - 1;
    }

    return { line: low, character: clamped - this.lineStarts[low] };
  }

  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.lineStarts.length) return this.text.length;
    const lineStart = this.lineStarts[position.line];
    const nextStart =
      position.line + 1 < this.lineStarts.length
        ? this.lineStarts[position.line + 1]
        : this.text.length;

    return Math.min(lineStart + Math.max(0, position.character), nextStart);
  }

  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line, this.lineStarts.length - 1))];
  }
}
