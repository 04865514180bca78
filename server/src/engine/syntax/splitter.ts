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

/** `END` followed by one of these closes a construct that the splitter does not track. */
const UNTRACKED_CLOSERS = new Set(['IF', 'FOR', 'LOOP', 'WHILE', 'REPEAT']);

/**
 * Splits a token stream into statements at top-level semicolons.
 *
 * Strings, comments and `$$` bodies are single tokens already, so only Snowflake Scripting
 * blocks need tracking: a semicolon inside `[DECLARE …] BEGIN … END` does not end the statement.
 * A block left open at the end of input is re-split without block tracking, so one missing `END`
 * cannot swallow the rest of the file; its statement is marked `unclosedBlock`.
 */
export function splitStatements(tokens: readonly Token[]): StatementSlice[] {
  const slices: StatementSlice[] = [];
  let start = 0;

  while (start < tokens.length) {
    const stop = findStatementEnd(tokens, start, true);
    if (stop.unclosed) {
      const flat = findStatementEnd(tokens, start, false);
      pushSlice(slices, tokens, start, flat.end, true);
      start = flat.end + 1;
    } else {
      pushSlice(slices, tokens, start, stop.end, false);
      start = stop.end + 1;
    }
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

/** Index of the terminating `;` (or tokens.length) for the statement starting at `start`. */
function findStatementEnd(
  tokens: readonly Token[],
  start: number,
  trackBlocks: boolean,
): { end: number; unclosed: boolean } {
  const open: string[] = [];

  for (let i = start; i < tokens.length; i++) {
    const token = tokens[i];
    if (isSymbol(token, ';')) {
      if (open.length === 0) return { end: i, unclosed: false };
      continue;
    }
    if (!trackBlocks || token.kind !== 'word') continue;

    const word = keywordOf(token);
    const previous = i > start ? tokens[i - 1] : undefined;
    const next = tokens[i + 1];
    if (word === 'DECLARE' && startsBlockSection(previous)) {
      open.push('DECLARE');
    } else if (word === 'BEGIN' && !startsTransaction(next)) {
      if (open[open.length - 1] === 'DECLARE') open[open.length - 1] = 'BEGIN';
      else open.push('BEGIN');
    } else if (word === 'CASE' && open.length > 0) {
      open.push('CASE');
    } else if (word === 'END' && open.length > 0) {
      if (UNTRACKED_CLOSERS.has(keywordOf(next) ?? '')) continue;
      open.pop();
      // `END CASE` closes a CASE statement; its CASE must not open another one.
      if (isKeyword(next, 'CASE')) i++;
    }
  }

  return { end: tokens.length, unclosed: open.length > 0 };
}

function startsBlockSection(previous: Token | undefined): boolean {
  if (previous === undefined || isSymbol(previous, ';')) return true;

  return BLOCK_LEADERS.has(keywordOf(previous) ?? '');
}

function startsTransaction(next: Token | undefined): boolean {
  if (next === undefined || isSymbol(next, ';')) return true;

  return isKeyword(next, ...TRANSACTION_WORDS);
}
