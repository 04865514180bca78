import type { ParsedFile, Statement, SyntaxProblem } from './ast';
import { lex, startsLine } from './lexer';
import {
  type SliceParse,
  compareProblems,
  parseTopLevelSlice,
  unterminatedProblems,
} from './parser';
import { type StatementSlice, splitStatements, splitStatementsBeforeEnd } from './splitter';
import { type Comment, isSymbol } from './tokens';

/** One top-level statement slice: where it lies in the text, and what it parsed to. */
interface SliceRecord {
  start: number;
  end: number;
  /** Whether the lexer saw its first token at the start of a line (client commands need it). */
  readonly lineStart: boolean;
  readonly unclosedBlock: boolean;
  readonly parse: SliceParse;
  /** The objects of `parse` that hold offsets, collected when the record first moves. */
  holders?: OffsetHolder[];
}

/** How many later statement starts are tried as the end of the re-read region before the rest. */
const SYNC_ATTEMPTS = 3;

/** Offsets that are not `start`/`end` pairs but still point into the text (as in `parser.ts`). */
const OFFSET_KEYS = new Set(['start', 'end', 'columnListEnd', 'policyInsertAt']);

/**
 * A file's parse that can follow edits. `edit` lexes and splits again only the region around
 * the change, keeps the parse of every statement before it, moves the parse of every statement
 * after it by the change in length, and parses only the statements in between whose text is new.
 * The result always equals `parseFile` of the new text (a property test checks it).
 *
 * Reused statements are the same objects, moved in place, so an analysis of the text before an
 * edit no longer describes it; an `EditableParse` can be edited once, after which it is spent.
 */
export class EditableParse {
  private spent = false;

  private constructor(
    readonly text: string,
    readonly parsed: ParsedFile,
    private readonly records: readonly SliceRecord[],
    private readonly tokenProblems: readonly SyntaxProblem[],
    private readonly commentProblems: readonly SyntaxProblem[],
    /** The top-level statements parsed for this text rather than kept from the one before. */
    readonly fresh: ReadonlySet<Statement>,
    /** What changed since the parse this one was edited from; undefined for a first parse. */
    readonly change?: TextChange,
  ) {}

  static parse(text: string): EditableParse {
    const { tokens, comments } = lex(text);
    const records = splitStatements(tokens).map((slice) => parseRecord(slice, text));

    return EditableParse.assemble(
      text,
      records,
      comments,
      unterminatedProblems(tokens, []),
      unterminatedProblems([], comments),
      new Set(records.flatMap((record) => record.parse.statements)),
    );
  }

  /** The parse of `text`, reusing this one's statements where their text did not change. */
  edit(text: string): EditableParse {
    if (this.spent || text === this.text) return EditableParse.parse(text);
    this.spent = true;

    return this.reparse(text);
  }

  private reparse(text: string): EditableParse {
    const old = this.text;
    const records = this.records;
    const change = changedRange(old, text);
    const delta = text.length - old.length;

    // Lexing restarts at a statement start one statement before the change: the lexer is in its
    // ground state there, and what it read before cannot depend on the changed text. A block
    // left open makes the split of everything after it depend on the end of the file, so then
    // the split restarts before it and runs to the end (unchanged statements are still reused).
    const unclosed = records.findIndex((record) => record.unclosedBlock);
    let first = Math.max(0, firstEndingAtOrAfter(records, change.start) - 1);
    if (unclosed >= 0) first = Math.min(first, unclosed);
    if (first < records.length && records[first].start > change.start) first = 0;
    const restart = first < records.length && first > 0 ? records[first].start : 0;
    const lineStart = startsLine(text, restart);

    const region =
      unclosed >= 0
        ? (readUpTo(text, restart, text.length, lineStart, records.length) as Region)
        : this.readRegion(text, change.oldEnd, delta, first, restart, lineStart);
    // Read before the records after the region are moved.
    const oldResume = region.resume < records.length ? records[region.resume].start : old.length;
    const kept = new Map<string, SliceRecord[]>();
    for (const record of records.slice(first, region.resume)) {
      const key = recordKey(old, record);
      kept.set(key, [...(kept.get(key) ?? []), record]);
    }
    const fresh = new Set<Statement>();
    let keptAll = true;
    const middle = region.slices.map((slice) => {
      const lineStart = startsLine(text, slice.span.start);
      const reused = kept.get(sliceKey(text, lineStart, slice))?.shift();
      if (reused) return moveRecord(reused, slice.span.start - reused.start);
      keptAll = false;
      const record = parseRecord(slice, text);
      for (const statement of record.parse.statements) fresh.add(statement);

      return record;
    });
    const after = records.slice(region.resume).map((record) => moveRecord(record, delta));
    const dropped = [...kept.values()].some((left) => left.length > 0);
    const textChange: TextChange = {
      start: change.start,
      oldEnd: change.oldEnd,
      newEnd: change.oldEnd + delta,
      statementsKept: keptAll && !dropped,
    };

    const around = <T extends SyntaxProblem | Comment>(
      before: readonly T[],
      inside: readonly T[],
      copy: (item: T) => T,
    ): T[] => [
      ...before.filter((item) => item.start < restart),
      ...inside,
      ...before.filter((item) => item.start >= oldResume).map(copy),
    ];
    const moveProblem = (problem: SyntaxProblem): SyntaxProblem => ({
      ...problem,
      start: problem.start + delta,
      end: problem.end + delta,
    });

    return EditableParse.assemble(
      text,
      [...records.slice(0, first), ...middle, ...after],
      around(this.parsed.comments, region.comments, (comment) => ({
        ...comment,
        start: comment.start + delta,
        end: comment.end + delta,
      })),
      around(this.tokenProblems, region.tokenProblems, moveProblem),
      around(this.commentProblems, region.commentProblems, moveProblem),
      fresh,
      textChange,
    );
  }

  /**
   * Lexes and splits the new text from `restart` up to the start of an old statement after the
   * change where the new text reads the same, in the same lexer and splitter state, as the old
   * one; from there on everything is as before, moved by `delta`. `resume` is that statement's
   * index among the old records, or their count when the region runs to the end of the text.
   */
  private readRegion(
    text: string,
    oldChangeEnd: number,
    delta: number,
    first: number,
    restart: number,
    lineStart: boolean,
  ): Region {
    const records = this.records;
    let candidate = firstStartingAtOrAfter(records, oldChangeEnd);
    if (candidate <= first) candidate = first + 1;
    const last = Math.min(records.length, candidate + SYNC_ATTEMPTS);
    for (; candidate < last; candidate++) {
      const oldStart = records[candidate].start;
      const stop = oldStart + delta;
      if (startsLine(text, stop) !== records[candidate].lineStart) continue;
      const region = readUpTo(text, restart, stop, lineStart, candidate);
      if (region) return region;
    }

    return readUpTo(text, restart, text.length, lineStart, records.length) as Region;
  }

  private static assemble(
    text: string,
    records: SliceRecord[],
    comments: Comment[],
    tokenProblems: SyntaxProblem[],
    commentProblems: SyntaxProblem[],
    fresh: ReadonlySet<Statement>,
    change?: TextChange,
  ): EditableParse {
    const statements: Statement[] = [];
    // Problems are gathered in the order parseFile finds them, so that equal positions sort alike.
    const problems = [...tokenProblems, ...commentProblems];
    for (const record of records) {
      for (const statement of record.parse.statements) statements.push(statement);
      for (const problem of record.parse.problems) problems.push(problem);
    }
    problems.sort(compareProblems);
    const parsed: ParsedFile = { statements, comments, problems };

    return new EditableParse(text, parsed, records, tokenProblems, commentProblems, fresh, change);
  }
}

/** The one changed range between two texts: `[start, oldEnd)` of the old became `[start, newEnd)`. */
export interface TextChange {
  readonly start: number;
  readonly oldEnd: number;
  readonly newEnd: number;
  /** Every statement kept its text (only where it lies may differ), and none came or went. */
  readonly statementsKept: boolean;
}

interface Region {
  readonly slices: readonly StatementSlice[];
  readonly comments: Comment[];
  readonly tokenProblems: SyntaxProblem[];
  readonly commentProblems: SyntaxProblem[];
  readonly resume: number;
}

/**
 * Lexes and splits `[restart, stop)`; undefined when `stop` is before the end of the text and
 * the region might read differently as part of the whole text: something in it runs up to
 * `stop` or past it, it does not end with a semicolon, or where a statement ends depended on the
 * end of the region (see `splitStatementsBeforeEnd`).
 */
function readUpTo(
  text: string,
  restart: number,
  stop: number,
  lineStart: boolean,
  resume: number,
): Region | undefined {
  const { tokens, comments } = lex(text, restart, stop, lineStart);
  const isEnd = stop >= text.length;
  const lastComment = comments[comments.length - 1];
  // Only the last token or comment can run on past `stop`: a last token `;` cannot, and a
  // comment that reaches `stop` might (whatever is left open is last and reaches the end).
  const isCleanCut =
    isEnd ||
    (isSymbol(tokens[tokens.length - 1], ';') && !(lastComment && lastComment.end >= stop));
  if (!isCleanCut) return undefined;
  const slices = isEnd ? splitStatements(tokens) : splitStatementsBeforeEnd(tokens);
  if (!slices) return undefined;

  return {
    slices,
    comments,
    tokenProblems: unterminatedProblems(tokens, []),
    commentProblems: unterminatedProblems([], comments),
    resume,
  };
}

function parseRecord(slice: StatementSlice, text: string): SliceRecord {
  return {
    start: slice.span.start,
    end: slice.span.end,
    lineStart: startsLine(text, slice.span.start),
    unclosedBlock: slice.unclosedBlock === true,
    parse: parseTopLevelSlice(slice, text),
  };
}

/** Two slices with the same key lex, split and parse alike, up to where they are. */
function recordKey(text: string, record: SliceRecord): string {
  const flags = `${record.lineStart ? 1 : 0}${record.unclosedBlock ? 1 : 0}`;

  return flags + text.slice(record.start, record.end);
}

function sliceKey(text: string, lineStart: boolean, slice: StatementSlice): string {
  const flags = `${lineStart ? 1 : 0}${slice.unclosedBlock ? 1 : 0}`;

  return flags + text.slice(slice.span.start, slice.span.end);
}

/** Moves a record and everything it parsed to by `delta`, in place. */
function moveRecord(record: SliceRecord, delta: number): SliceRecord {
  if (delta === 0) return record;
  record.start += delta;
  record.end += delta;
  record.holders ??= offsetHolders(record.parse);
  for (const holder of record.holders) {
    if (typeof holder.start === 'number') holder.start += delta;
    if (typeof holder.end === 'number') holder.end += delta;
    if (typeof holder.columnListEnd === 'number') holder.columnListEnd += delta;
    if (typeof holder.policyInsertAt === 'number') holder.policyInsertAt += delta;
  }

  return record;
}

/** Every object of a parse with an offset, once each, even when the parse shares a node. */
function offsetHolders(parse: SliceParse): OffsetHolder[] {
  const seen = new Set<object>();
  const holders: OffsetHolder[] = [];
  for (const statement of parse.statements) collectHolders(statement, seen, holders);
  for (const problem of parse.problems) collectHolders(problem, seen, holders);

  return holders;
}

function collectHolders(node: object, seen: Set<object>, holders: OffsetHolder[]): void {
  if (seen.has(node)) return;
  seen.add(node);
  if (Array.isArray(node)) {
    for (const item of node) {
      if (item !== null && typeof item === 'object') collectHolders(item, seen, holders);
    }

    return;
  }
  const fields = node as Record<string, unknown>;
  let holds = false;
  for (const key in fields) {
    const value = fields[key];
    if (typeof value === 'number') holds ||= OFFSET_KEYS.has(key);
    else if (value !== null && typeof value === 'object') collectHolders(value, seen, holders);
  }
  if (holds) holders.push(node as OffsetHolder);
}

/** An AST node (or problem) seen as the offsets it may hold; see `OFFSET_KEYS`. */
interface OffsetHolder {
  start?: number;
  end?: number;
  columnListEnd?: number;
  policyInsertAt?: number;
}

/** Characters compared at a time while looking for the change; native compares are fast. */
const BLOCK = 256;

/** The changed part of the text: `[start, oldEnd)` of the old text became `[start, newEnd)`. */
export function changedRange(old: string, text: string): { start: number; oldEnd: number } {
  const shorter = Math.min(old.length, text.length);
  let start = 0;
  while (
    start + BLOCK <= shorter &&
    old.slice(start, start + BLOCK) === text.slice(start, start + BLOCK)
  ) {
    start += BLOCK;
  }
  while (start < shorter && old.charCodeAt(start) === text.charCodeAt(start)) start++;
  const room = shorter - start;
  let same = 0;
  while (
    same + BLOCK <= room &&
    old.slice(old.length - same - BLOCK, old.length - same) ===
      text.slice(text.length - same - BLOCK, text.length - same)
  ) {
    same += BLOCK;
  }
  while (
    same < room &&
    old.charCodeAt(old.length - 1 - same) === text.charCodeAt(text.length - 1 - same)
  ) {
    same++;
  }

  return { start, oldEnd: old.length - same };
}

/** The index of the first record ending at or after `offset`, or their count. */
function firstEndingAtOrAfter(records: readonly SliceRecord[], offset: number): number {
  let low = 0;
  let high = records.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (records[mid].end < offset) low = mid + 1;
    else high = mid;
  }

  return low;
}

/** The index of the first record starting at or after `offset`, or their count. */
function firstStartingAtOrAfter(records: readonly SliceRecord[], offset: number): number {
  let low = 0;
  let high = records.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (records[mid].start < offset) low = mid + 1;
    else high = mid;
  }

  return low;
}
