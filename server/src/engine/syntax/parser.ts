import type { Span } from '../source';
import type { ParsedFile, Statement, SyntaxProblem } from './ast';
import { Cursor, ParseError, isKeyword, isSymbol, keywordOf } from './cursor';
import { parseCreateHeader } from './parse-create';
import {
  parseAlterPolicy,
  parseAlterTag,
  parseCopyInto,
  parseCreateIntegration,
  parseCreateObject,
  parseCreatePolicy,
  parseCreateStage,
  parseCreateTag,
  parseDrop,
  parseInsert,
  parseUse,
  parseUser,
} from './parse-governance';
import { parseGrant } from './parse-grant';
import { parseAlterTable, parseCreateTable, parseCreateView } from './parse-table';
import { lex } from './lexer';
import { type StatementSlice, splitStatements } from './splitter';
import type { Token } from './tokens';

/** How deep `$$` bodies and blocks may nest before the parser stops descending. */
const MAX_NESTING = 16;

/**
 * Parses a whole SQL file. Never throws: a statement that cannot be parsed becomes an `other`
 * statement plus one problem for its span, and every other statement is still parsed.
 */
export function parseFile(text: string): ParsedFile {
  const { tokens, comments } = lex(text);
  const problems: SyntaxProblem[] = [];
  for (const token of tokens) {
    if (token.unterminated) problems.push({ ...span(token), message: unterminatedMessage(token) });
  }
  for (const comment of comments) {
    if (comment.unterminated) {
      problems.push({ ...span(comment), message: 'This block comment is never closed with */.' });
    }
  }
  const statements = parseSlices(splitStatements(tokens), text, problems, 0);

  return { statements, comments, problems };
}

function parseSlices(
  slices: readonly StatementSlice[],
  text: string,
  problems: SyntaxProblem[],
  depth: number,
): Statement[] {
  return slices.map((slice) => {
    if (slice.unclosedBlock) {
      problems.push({
        ...slice.span,
        message: 'This scripting block has no matching END; its statements were read one by one.',
      });
    }

    return parseSlice(slice, text, problems, depth);
  });
}

function parseSlice(
  slice: StatementSlice,
  text: string,
  problems: SyntaxProblem[],
  depth: number,
): Statement {
  const cursor = new Cursor(slice.tokens, text, slice.span);
  try {
    const node = parseStatement(cursor, text, problems, depth);
    if (!cursor.atEnd) throw cursor.error('unexpected text');

    return { ...node, start: slice.span.start, end: slice.span.end } as Statement;
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    const words = leadingWords(slice.tokens);
    problems.push({
      start: slice.span.start,
      end: slice.span.end,
      message:
        `Cannot parse this ${words.slice(0, 2).join(' ')} statement: ${error.message}. ` +
        'It is skipped by the rules; the rest of the file is still checked.',
    });

    return { kind: 'other', words, start: slice.span.start, end: slice.span.end };
  }
}

/** A statement before the splitter's span is attached. */
type Node = Statement extends infer S
  ? S extends Statement
    ? Omit<S, 'start' | 'end'>
    : never
  : never;

function parseStatement(
  cursor: Cursor,
  text: string,
  problems: SyntaxProblem[],
  depth: number,
): Node {
  const first = keywordOf(cursor.peek());
  switch (first) {
    case 'GRANT':
    case 'REVOKE':
      return parseGrant(cursor);
    case 'USE':
      return parseUse(cursor);
    case 'CREATE':
      return parseCreate(cursor, text, problems, depth);
    case 'ALTER':
      return parseAlter(cursor);
    case 'DROP':
      return parseDrop(cursor);
    case 'COPY':
      if (cursor.is('COPY', 'INTO')) return parseCopyInto(cursor);
      break;
    case 'INSERT':
      // Multi-table inserts (`INSERT [OVERWRITE] ALL|FIRST …`) stay `other`.
      if (!isKeyword(cursor.peek(cursor.is('INSERT', 'OVERWRITE') ? 2 : 1), 'ALL', 'FIRST')) {
        return parseInsert(cursor);
      }
      break;
    case 'SELECT':
    case 'WITH':
      return { kind: 'select', query: cursor.rest() as NonNullable<ReturnType<Cursor['rest']>> };
    case 'BEGIN':
    case 'DECLARE':
      return parseBlock(cursor, 'BLOCK', text, problems, depth);
    case 'EXECUTE':
      if (cursor.is('EXECUTE', 'IMMEDIATE'))
        return parseExecuteImmediate(cursor, text, problems, depth);
      break;
  }
  const words = leadingWords(cursor.tokens);
  cursor.rest();

  return { kind: 'other', words };
}

function parseCreate(cursor: Cursor, text: string, problems: SyntaxProblem[], depth: number): Node {
  const header = parseCreateHeader(cursor);
  if (header.problem) {
    problems.push({ ...header.problem.at, message: header.problem.message });
  }
  switch (header.objectType) {
    case 'TABLE':
    case 'DYNAMIC TABLE':
    case 'EVENT TABLE':
    case 'ICEBERG TABLE':
    case 'HYBRID TABLE':
      return parseCreateTable(cursor, header);
    case 'VIEW':
    case 'MATERIALIZED VIEW':
      return parseCreateView(cursor, header);
    case 'TAG':
      return parseCreateTag(cursor, header);
    case 'STAGE':
      return parseCreateStage(cursor, header);
    case 'USER':
      return parseUser(cursor, header);
    case 'PROCEDURE':
    case 'TASK':
      return parseRoutine(cursor, header.objectType, text, problems, depth);
  }
  if (header.objectType.endsWith(' POLICY') && header.objectType !== 'NETWORK POLICY') {
    return parseCreatePolicy(cursor, header);
  }
  if (header.objectType.endsWith('INTEGRATION')) return parseCreateIntegration(cursor, header);

  return parseCreateObject(cursor, header);
}

function parseAlter(cursor: Cursor): Node {
  if (cursor.is('ALTER', 'USER')) return parseUser(cursor);
  cursor.expect('ALTER');
  const start = cursor.position;
  if (cursor.accept('TAG')) return parseAlterTag(cursor);
  for (const type of ['TABLE', 'VIEW', 'MATERIALIZED VIEW', 'DYNAMIC TABLE', 'EXTERNAL TABLE']) {
    if (cursor.accept(...type.split(' '))) return parseAlterTable(cursor, type);
  }
  const policy = ['MASKING', 'ROW ACCESS', 'PROJECTION', 'AGGREGATION'].find((type) =>
    cursor.accept(...type.split(' '), 'POLICY'),
  );
  if (policy) return parseAlterPolicy(cursor, policy);
  cursor.position = start;
  const words = leadingWords(cursor.tokens);
  cursor.rest();

  return { kind: 'other', words };
}

/**
 * CREATE PROCEDURE and CREATE TASK: SQL bodies, whether a `$$` literal or a bare
 * `[DECLARE] BEGIN … END` block, are parsed in place so that rules see their statements.
 */
function parseRoutine(
  cursor: Cursor,
  objectType: string,
  text: string,
  problems: SyntaxProblem[],
  depth: number,
): Node {
  const name = cursor.parseName();
  let language = 'SQL';
  let nested: Statement[] | undefined;
  while (!cursor.atEnd) {
    if (cursor.accept('LANGUAGE')) {
      language = keywordOf(cursor.next()) ?? language;
    } else if (cursor.accept('EXECUTE', 'AS')) {
      // `EXECUTE AS OWNER | CALLER | RESTRICTED CALLER`: its AS does not start the body.
      cursor.accept('RESTRICTED');
      cursor.next();
    } else if (cursor.is('AS') && !cursor.isSymbol('=', 1)) {
      cursor.next();
      nested = language === 'SQL' ? parseBody(cursor, text, problems, depth) : undefined;
      cursor.rest();
    } else {
      cursor.skip();
    }
  }
  const container = objectType === 'TASK' ? 'TASK' : 'PROCEDURE';

  return { kind: 'script', container, name, nested };
}

function parseExecuteImmediate(
  cursor: Cursor,
  text: string,
  problems: SyntaxProblem[],
  depth: number,
): Node {
  cursor.expect('EXECUTE', 'IMMEDIATE');
  const nested = parseBody(cursor, text, problems, depth);
  cursor.rest();

  return { kind: 'script', container: 'EXECUTE IMMEDIATE', nested };
}

/** The statements of a body that starts at the cursor: a `$$` literal, or the tokens left. */
function parseBody(
  cursor: Cursor,
  text: string,
  problems: SyntaxProblem[],
  depth: number,
): Statement[] | undefined {
  if (depth >= MAX_NESTING) return undefined;
  const token = cursor.peek();
  if (token?.kind === 'dollar' && !token.unterminated) {
    const inner = lex(text, token.start + 2, token.end - 2);
    for (const bad of inner.tokens.filter((t) => t.unterminated)) {
      problems.push({ ...span(bad), message: unterminatedMessage(bad) });
    }

    return parseSlices(splitStatements(inner.tokens), text, problems, depth + 1);
  }
  if (token?.kind === 'word') {
    const rest = cursor.tokens.slice(cursor.position);
    const slice = { tokens: rest, span: { start: rest[0].start, end: rest[rest.length - 1].end } };

    return [parseSlice(slice, text, problems, depth + 1)];
  }

  return undefined;
}

/**
 * `[DECLARE …] BEGIN … [EXCEPTION …] END`: the statements between BEGIN and its END, with
 * control flow (`IF … THEN`, `FOR … DO`, `END IF`) peeled off so each statement parses alone.
 */
function parseBlock(
  cursor: Cursor,
  container: 'BLOCK',
  text: string,
  problems: SyntaxProblem[],
  depth: number,
): Node {
  const tokens = cursor.tokens;
  cursor.rest();
  if (depth >= MAX_NESTING) return { kind: 'script', container };
  const begin = tokens.findIndex((token, i) => isKeyword(token, 'BEGIN') && i >= 0);
  let end = tokens.length - 1;
  while (end > begin && !isKeyword(tokens[end], 'END')) end--;
  if (begin < 0 || end <= begin) return { kind: 'script', container };

  const inner = splitStatements(tokens.slice(begin + 1, end));
  const nested: Statement[] = [];
  for (const slice of inner) {
    const body = peelControlFlow(slice.tokens);
    if (body.length === 0) continue;
    const peeled = { tokens: body, span: { start: body[0].start, end: body[body.length - 1].end } };
    nested.push(parseSlice(peeled, text, problems, depth + 1));
  }

  return { kind: 'script', container, nested };
}

const CONTROL_WORDS = new Set([
  'IF',
  'ELSEIF',
  'ELSE',
  'FOR',
  'WHILE',
  'LOOP',
  'REPEAT',
  'CASE',
  'WHEN',
  'EXCEPTION',
]);
const CONTROL_BODY_STARTS = new Set(['THEN', 'DO', 'ELSE', 'LOOP']);

/** Drops `IF cond THEN`, `FOR … DO`, `EXCEPTION WHEN … THEN`, `END IF` and the like. */
function peelControlFlow(tokens: readonly Token[]): readonly Token[] {
  let rest = tokens;
  for (let guard = 0; guard < 32 && rest.length > 0; guard++) {
    const word = keywordOf(rest[0]);
    if (word === 'END') return [];
    if (word === undefined || !CONTROL_WORDS.has(word)) return rest;
    let depth = 0;
    let cut = -1;
    for (let i = 1; i < rest.length; i++) {
      if (isSymbol(rest[i], '(')) depth++;
      else if (isSymbol(rest[i], ')')) depth--;
      else if (depth === 0 && CONTROL_BODY_STARTS.has(keywordOf(rest[i]) ?? '')) {
        cut = i;
        break;
      }
    }
    if (cut < 0)
      return word === 'ELSE' || word === 'LOOP' || word === 'REPEAT' ? rest.slice(1) : [];
    rest = rest.slice(cut + 1);
  }

  return rest;
}

function leadingWords(tokens: readonly Token[]): string[] {
  const words: string[] = [];
  for (const token of tokens) {
    const word = keywordOf(token);
    if (word === undefined || words.length >= 4) break;
    words.push(word);
  }

  return words;
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

function span(value: Span): Span {
  return { start: value.start, end: value.end };
}
