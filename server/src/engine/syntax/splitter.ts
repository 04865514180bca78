import { type Span } from '../source';
import { isKeyword, isSymbol, keywordOf, type Token } from './tokens';

/** The tokens of one statement, without its terminating semicolon. */
export interface StatementSlice {
  readonly tokens: readonly Token[];
  /** From the first token's start to the last token's end. */
  readonly span: Span;
  /** Set when a scripting block opened in this statement never closed before the end of input. */
  readonly unclosedBlock?: boolean;
}

/** Words after which `DECLARE` opens a scripting block rather than naming something. */
const BLOCK_LEADERS = new Set(['AS', 'THEN', 'ELSE', 'DO', 'LOOP', 'BEGIN']);

/** `BEGIN` followed by one of these starts a transaction, not a scripting block. */
const TRANSACTION_WORDS = new Set(['TRANSACTION', 'WORK', 'NAME']);

/**
 * Loops and branches closed by `END <word>`. They are tracked where a statement starts, so that
 * a snippet starting with one (as in worksheets and test fixtures) stays whole up to its END, and
 * a block's statements keep each loop or branch together with its body.
 */
const CONTROL_CLOSERS = new Set(['IF', 'FOR', 'LOOP', 'WHILE', 'REPEAT', 'CASE']);

/** Every word the block tracking looks at; any other word is passed over at once. */
const TRACKED_WORDS = new Set(['DECLARE', 'BEGIN', 'CASE', 'END', ...CONTROL_CLOSERS]);

/** Words after which a new statement starts inside a block. */
const STATEMENT_LEADERS = new Set(['BEGIN', 'THEN', 'ELSE', 'DO', 'LOOP']);

/**
 * Splits a token stream into statements at top-level semicolons.
 *
 * Strings, comments and `$$` bodies are single tokens already, so only Snowflake Scripting
 * blocks need tracking: a semicolon inside `[DECLARE …] BEGIN … END` does not end the statement.
 * A block left open at the end of input is re-split without block tracking, so one missing `END`
 * cannot swallow the rest of the file; its statement is marked `unclosedBlock`. A SnowSQL client
 * command (`!set …`) is a statement of its own, ended by its line. `skipHeader`, given the start
 * of each statement, returns where its statement really starts: the branches of IF and CASE and
 * the handlers of EXCEPTION use it to step over `ELSEIF … THEN`, `ELSE` and `WHEN … THEN`.
 */
export function splitStatements(
  tokens: readonly Token[],
  skipHeader?: (tokens: readonly Token[], start: number) => number,
): StatementSlice[] {
  return split(tokens, skipHeader, { reachedEnd: false });
}

/**
 * Splits like `splitStatements`, or gives undefined when where any statement ends depended on
 * the end of the tokens: a statement (or a block, a DECLARE section or an exception handler
 * section in it) ran on to the end, so more tokens after them could have changed the split.
 * `incremental.ts` re-splits a region of a file with it.
 */
export function splitStatementsBeforeEnd(tokens: readonly Token[]): StatementSlice[] | undefined {
  const scan = { reachedEnd: false };
  const slices = split(tokens, undefined, scan);

  return scan.reachedEnd ? undefined : slices;
}

/** Set by the scans of one split when they ran into the end of the tokens. */
interface Scan {
  reachedEnd: boolean;
}

function split(
  tokens: readonly Token[],
  skipHeader: ((tokens: readonly Token[], start: number) => number) | undefined,
  scan: Scan,
): StatementSlice[] {
  const slices: StatementSlice[] = [];
  let start = skipHeader ? skipHeader(tokens, 0) : 0;
  // Openers left unclosed by an earlier scan. Any statement starting at or before the last of
  // them cannot close either, so it is split flat without scanning to the end again: this keeps
  // a file full of unclosed blocks linear instead of quadratic.
  let unclosed: number[] = [];
  // The first of `unclosed` not yet behind the current statement; statements only move forward.
  let nextUnclosed = 0;

  while (start < tokens.length) {
    if (tokens[start].kind === 'client') {
      pushSlice(slices, tokens, start, start + 1, false);
      start += isSymbol(tokens[start + 1], ';') ? 2 : 1;
      if (skipHeader && start < tokens.length) start = skipHeader(tokens, start);
      continue;
    }
    const lastUnclosed = unclosed.length > 0 ? unclosed[unclosed.length - 1] : -1;
    let end: number;
    if (start <= lastUnclosed) {
      end = findStatementEnd(tokens, start, false, scan).end;
    } else {
      const stop = findStatementEnd(tokens, start, true, scan);
      end = stop.end;
      if (stop.open.length > 0) {
        unclosed = stop.open;
        nextUnclosed = 0;
        end = findStatementEnd(tokens, start, false, scan).end;
      }
    }
    if (startsExceptionSection(tokens, start)) end = exceptionSectionEnd(tokens, end, scan);
    while (nextUnclosed < unclosed.length && unclosed[nextUnclosed] < start) nextUnclosed++;
    const holdsUnclosed = nextUnclosed < unclosed.length && unclosed[nextUnclosed] < end;
    pushSlice(slices, tokens, start, end, holdsUnclosed);
    // A statement ended by a client command has no semicolon to step over.
    start = tokens[end]?.kind === 'client' ? end : end + 1;
    if (skipHeader && start < tokens.length) start = skipHeader(tokens, start);
  }

  return slices;
}

function pushSlice(
  slices: StatementSlice[],
  tokens: readonly Token[],
  start: number,
  end: number,
  unclosedBlock: boolean,
): void {
  if (end <= start) return;
  const own = tokens.slice(start, end);
  const span = { start: own[0].start, end: own[own.length - 1].end };
  slices.push(unclosedBlock ? { tokens: own, span, unclosedBlock } : { tokens: own, span });
}

interface StatementEnd {
  /** Index of the terminating `;`, or of the token that ends the statement without one. */
  readonly end: number;
  /** Token indexes of the openers still open at the end of input, innermost last. */
  readonly open: number[];
}

/** Where the statement starting at `start` ends, tracking scripting blocks when asked to. */
function findStatementEnd(
  tokens: readonly Token[],
  start: number,
  trackBlocks: boolean,
  scan: Scan,
): StatementEnd {
  const open: { word: string; at: number }[] = [];
  // A DECLARE section's last semicolon, so that a section with no BEGIN ends there.
  let declareEnd = -1;

  const startsStatement = (i: number): boolean =>
    i === start ||
    (open.length > 0 &&
      (isSymbol(tokens[i - 1], ';') || STATEMENT_LEADERS.has(keywordOf(tokens[i - 1]) ?? '')));

  for (let i = start; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.kind === 'symbol' && token.text === ';') {
      if (open.length === 0) return { end: i, open: [] };
      if (open.length === 1 && open[0].word === 'DECLARE') declareEnd = i;
      continue;
    }
    if (token.kind === 'client' && i > start && open.length === 0) return { end: i, open: [] };
    if (!trackBlocks || token.kind !== 'word') continue;
    const word = keywordOf(token);
    if (word === undefined || !TRACKED_WORDS.has(word)) continue;

    const previous = i > start ? tokens[i - 1] : undefined;
    const next = tokens[i + 1];
    if (word === 'DECLARE' && startsBlockSection(previous)) {
      // A DECLARE section followed by another DECLARE never got its block: end it there.
      if (open.length === 1 && open[0].word === 'DECLARE' && declareEnd >= 0) {
        return { end: declareEnd, open: [] };
      }
      open.push({ word: 'DECLARE', at: i });
    } else if (word === 'BEGIN' && !startsTransaction(next)) {
      if (open.length > 0 && open[open.length - 1].word === 'DECLARE') {
        open[open.length - 1] = { word: 'BEGIN', at: open[open.length - 1].at };
      } else {
        open.push({ word: 'BEGIN', at: i });
      }
    } else if (word === 'CASE' && open.length > 0) {
      open.push({ word, at: i });
    } else if (
      word !== undefined &&
      CONTROL_CLOSERS.has(word) &&
      startsStatement(i) &&
      // `REPEAT('-', 3)` is the string function, not a loop.
      !(word === 'REPEAT' && isSymbol(next, '('))
    ) {
      open.push({ word, at: i });
    } else if (word === 'END' && open.length > 0) {
      const closes = keywordOf(next);
      if (closes !== undefined && CONTROL_CLOSERS.has(closes)) {
        // `END IF` closes its IF when the IF was tracked, and nothing otherwise; either way its
        // word must not open a construct of its own.
        if (closesConstruct(open[open.length - 1].word, closes)) open.pop();
        i++;
        continue;
      }
      open.pop();
    }
  }
  scan.reachedEnd = true;
  if (open.length === 1 && open[0].word === 'DECLARE' && declareEnd >= 0) {
    return { end: declareEnd, open: [] };
  }

  return { end: tokens.length, open: open.map((entry) => entry.at) };
}

/** `END LOOP` also closes a `FOR … LOOP` or `WHILE … LOOP`. */
function closesConstruct(opener: string, closer: string): boolean {
  return opener === closer || (closer === 'LOOP' && (opener === 'FOR' || opener === 'WHILE'));
}

/** `EXCEPTION WHEN …` at the start of a statement: a handler section cut from its block. */
function startsExceptionSection(tokens: readonly Token[], start: number): boolean {
  return isKeyword(tokens[start], 'EXCEPTION') && isKeyword(tokens[start + 1], 'WHEN');
}

/**
 * A handler section's statements run up to the next section or the end of input, since nothing
 * else closes it; this is how snippets of exception handlers are read as one statement each.
 */
function exceptionSectionEnd(tokens: readonly Token[], end: number, scan: Scan): number {
  let stop = end;
  while (stop < tokens.length && isSymbol(tokens[stop], ';')) {
    const next = stop + 1;
    if (next >= tokens.length) scan.reachedEnd = true;
    if (next >= tokens.length || tokens[next].kind === 'client') return stop;
    if (startsExceptionSection(tokens, next) || isKeyword(tokens[next], 'BEGIN', 'DECLARE')) {
      return stop;
    }
    stop = findStatementEnd(tokens, next, true, scan).end;
  }

  return stop;
}

function startsBlockSection(previous: Token | undefined): boolean {
  if (previous === undefined || isSymbol(previous, ';')) return true;

  return BLOCK_LEADERS.has(keywordOf(previous) ?? '');
}

function startsTransaction(next: Token | undefined): boolean {
  if (next === undefined || isSymbol(next, ';')) return true;

  return isKeyword(next, ...TRANSACTION_WORDS);
}
