import type { Span } from '../source';
import type { ParsedFile, ProblemCode, Statement, SyntaxProblem } from './ast';
import type { Node, ParseContext } from './context';
import { Cursor, ParseError } from './cursor';
import { lex } from './lexer';
import { parseStatement } from './parse-statement';
import { type StatementSlice, splitStatements } from './splitter';
import { findStatementBoundaries } from './recovery';
import { hasNoEscapes, unescapeString } from './string-literal';
import { type Comment, type Token, leadingWords } from './tokens';

/** How deep `$$` bodies, strings and blocks may nest before the parser stops descending. */
const MAX_NESTING = 16;

/**
 * Parses a whole SQL file. Never throws: a statement that cannot be parsed becomes an `other`
 * statement plus one problem at the token where reading failed, and every other statement is
 * still parsed.
 */
export function parseFile(text: string): ParsedFile {
  const { tokens, comments } = lex(text);
  const problems: SyntaxProblem[] = [];
  reportUnterminated(tokens, comments, problems);
  const statements = parseSlices(splitStatements(tokens), text, problems, 0);
  problems.sort((a, b) => a.start - b.start || a.end - b.end);

  return { statements, comments, problems };
}

function parseSlices(
  slices: readonly StatementSlice[],
  text: string,
  problems: SyntaxProblem[],
  depth: number,
): Statement[] {
  const context: ParseContext = {
    text,
    depth,
    canNest: depth < MAX_NESTING,
    report: (at, message, code) => problems.push({ start: at.start, end: at.end, message, code }),
    parseNested: (inner) => parseSlices(inner, text, problems, depth + 1),
    parseLiteralBody: (token) => parseLiteralBody(token, text, problems, depth + 1),
  };
  const statements: Statement[] = [];
  for (const slice of slices) {
    if (slice.unclosedBlock) {
      context.report(
        slice.span,
        'This scripting block has no matching END; its statements were read one by one.',
        'unclosed-block',
      );
    }
    statements.push(...parseWithRecovery(slice, context));
  }

  return statements;
}

type Attempt = { node: Node } | { error: ParseError };

function attempt(slice: StatementSlice, context: ParseContext): Attempt {
  const cursor = new Cursor(slice.tokens, context.text, slice.span);
  try {
    const node = parseStatement(cursor, context);
    if (!cursor.atEnd) throw cursor.error('expected the end of the statement');

    return { node };
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;

    return { error };
  }
}

/**
 * Parses one slice. When it does not parse, or parses only because a lenient parser took every
 * token, and a line inside it starts another statement (`GRANT`, `CREATE TABLE`, `USE ROLE` …),
 * the semicolon before that line is most likely missing, as it is in a statement still being
 * typed. The slice is then read as several statements, and only the first carries the problem,
 * so the statements after it are analysed as if the semicolon were there.
 */
function parseWithRecovery(slice: StatementSlice, context: ParseContext): Statement[] {
  const result = attempt(slice, context);
  const boundaries = findStatementBoundaries(slice.tokens, context.text);
  const failedAt = 'error' in result ? result.error.at.start : -1;
  const recover =
    boundaries.length > 0 &&
    ('error' in result
      ? boundaries[0] > 0 && slice.tokens[boundaries[0]].start <= failedAt
      : isLenient(result.node));
  if (!recover) return [finish(slice, result, context)];

  const statements: Statement[] = [];
  let from = 0;
  for (const boundary of [...boundaries, slice.tokens.length]) {
    const part = sliceOf(slice.tokens, from, boundary);
    const partResult = attempt(part, context);
    if (boundary < slice.tokens.length && !('error' in partResult)) {
      const next = slice.tokens[boundary];
      context.report(
        part.tokens[part.tokens.length - 1],
        `Expected ';' after this ${labelOf(part.tokens)} statement: the next line starts ` +
          `another statement with '${next.text}'.`,
        'unparsed',
      );
    }
    statements.push(finish(part, partResult, context));
    from = boundary;
  }

  return statements;
}

/** Statements whose parser takes whatever tokens are left, so a missing `;` goes unnoticed. */
function isLenient(node: Node): boolean {
  return node.kind !== 'script';
}

function finish(slice: StatementSlice, result: Attempt, context: ParseContext): Statement {
  const span = { start: slice.span.start, end: slice.span.end };
  if ('node' in result) {
    // The node was built for this slice alone, so its span is set in place rather than copied.
    return Object.assign(result.node, span) as Statement;
  }

  const { error } = result;
  const last = slice.tokens[slice.tokens.length - 1];
  const at = error.at.end > error.at.start ? error.at : { start: last.start, end: last.end };
  context.report(
    at,
    `This ${labelOf(slice.tokens)} statement cannot be read: ${error.message}. ` +
      'The rules skip it; the rest of the file is still checked.',
    'unparsed',
  );

  return { kind: 'other', words: leadingWords(slice.tokens), ...span };
}

function sliceOf(tokens: readonly Token[], from: number, to: number): StatementSlice {
  const own = tokens.slice(from, to);

  return { tokens: own, span: { start: own[0].start, end: own[own.length - 1].end } };
}

/** The statements inside a `$$` literal or a string literal; undefined when there are none. */
function parseLiteralBody(
  token: Token,
  text: string,
  problems: SyntaxProblem[],
  depth: number,
): Statement[] | undefined {
  if (depth > MAX_NESTING || token.unterminated) return undefined;
  if (token.kind === 'dollar' || (token.kind === 'string' && hasNoEscapes(token.text))) {
    // The body is the literal's text minus its quotes, so it is lexed in place and every offset
    // is a file offset already.
    const quote = token.kind === 'dollar' ? 2 : 1;
    const inner = lex(text, token.start + quote, token.end - quote);
    reportUnterminated(inner.tokens, [], problems);

    return parseSlices(splitStatements(inner.tokens), text, problems, depth);
  }
  if (token.kind !== 'string') return undefined;

  // Escapes (`''`, `\n`, …) make the value shorter than its source, so the value is parsed on
  // its own and every offset in the result is mapped back through the table of where each of
  // its characters came from. Query texts keep the unescaped value, which is what Snowflake runs.
  const { value, offsets } = unescapeString(token.text, token.start);
  const own: SyntaxProblem[] = [];
  const inner = lex(value);
  reportUnterminated(inner.tokens, inner.comments, own);
  const statements = parseSlices(splitStatements(inner.tokens), value, own, depth);
  problems.push(...remapSpans(own, offsets));

  return remapSpans(statements, offsets);
}

/** Offsets that are not `start`/`end` pairs but still point into the text. */
const OFFSET_FIELDS = new Set(['columnListEnd', 'policyInsertAt']);

/** A copy of `value` with every span and offset moved through `offsets` (see unescapeString). */
function remapSpans<T>(value: T, offsets: readonly number[]): T {
  const copies = new Map<object, unknown>();
  const map = (offset: number): number => offsets[Math.min(offset, offsets.length - 1)];
  const visit = (item: unknown): unknown => {
    if (item === null || typeof item !== 'object') return item;
    const seen = copies.get(item);
    if (seen !== undefined) return seen;
    if (Array.isArray(item)) {
      const copy: unknown[] = [];
      copies.set(item, copy);
      for (const element of item) copy.push(visit(element));

      return copy;
    }
    const copy: Record<string, unknown> = {};
    copies.set(item, copy);
    for (const [key, field] of Object.entries(item)) {
      const isOffset = typeof field === 'number' && (key === 'start' || key === 'end');
      copy[key] = isOffset || (OFFSET_FIELDS.has(key) && typeof field === 'number')
        ? map(field)
        : visit(field);
    }

    return copy;
  };

  return visit(value) as T;
}

function reportUnterminated(
  tokens: readonly Token[],
  comments: readonly Comment[],
  problems: SyntaxProblem[],
): void {
  const report = (at: Span, message: string, code: ProblemCode = 'unterminated'): void => {
    problems.push({ start: at.start, end: at.end, message, code });
  };
  for (const token of tokens) {
    if (token.unterminated) report(token, unterminatedMessage(token));
  }
  for (const comment of comments) {
    if (comment.unterminated) report(comment, 'This block comment is never closed with */.');
  }
}

function unterminatedMessage(token: Token): string {
  switch (token.kind) {
    case 'string':
      return "This string is never closed with a quote ('); everything after it was read as text.";
    case 'quoted':
      return 'This quoted identifier is never closed with a double quote (").';
    default:
      return 'This $$ literal is never closed with $$; everything after it was read as its body.';
  }
}

/** A short name for a statement in messages: `GRANT`, `CREATE TABLE`, `ALTER ACCOUNT`, … */
function labelOf(tokens: readonly Token[]): string {
  const words = leadingWords(tokens).filter((word) => word !== 'OR' && word !== 'REPLACE');
  const verb = words[0];
  if (verb === undefined) return 'unnamed';

  return ['CREATE', 'ALTER', 'DROP', 'SHOW', 'DESCRIBE'].includes(verb)
    ? words.slice(0, 2).join(' ')
    : verb;
}
