import type {
  CallStatement,
  LetStatement,
  QueryBody,
  ReturnStatement,
  ScriptStatement,
  Statement,
} from './ast';
import type { NodeOf, ParseContext } from './context';
import { type Cursor, isKeyword, isSymbol, keywordOf } from './cursor';
import { type CreateHeader, nameOf } from './parse-create';
import { splitStatements } from './splitter';
import type { Token } from './tokens';

type ScriptNode = NodeOf<ScriptStatement>;

/**
 * CREATE PROCEDURE, FUNCTION and TASK. SQL bodies, whether a `$$` literal, a string or a bare
 * `[DECLARE] BEGIN … END` block, are parsed in place so that rules see their statements; a SQL
 * function's body is a query only when it starts with SELECT or WITH, else an expression.
 * Source: https://docs.snowflake.com/en/sql-reference/sql/create-procedure
 */
export function parseRoutine(
  cursor: Cursor,
  header: CreateHeader,
  context: ParseContext,
): ScriptNode {
  const container = header.objectType as 'PROCEDURE' | 'FUNCTION' | 'TASK';
  const name = cursor.parseName(nameOf(header));
  let language = 'SQL';
  let executeAs: ScriptStatement['executeAs'];
  let body: QueryBody | undefined;
  let nested: Statement[] | undefined;
  while (!cursor.atEnd) {
    if (cursor.accept('LANGUAGE')) {
      language = keywordOf(cursor.next()) ?? language;
    } else if (cursor.accept('EXECUTE', 'AS')) {
      // `EXECUTE AS OWNER | CALLER | RESTRICTED CALLER`, or `EXECUTE AS USER u` for a task:
      // its AS does not start the body.
      const restricted = cursor.accept('RESTRICTED');
      const who = cursor.acceptOneOf('OWNER', 'CALLER', 'USER');
      if (!who) throw cursor.error('expected OWNER, CALLER or RESTRICTED CALLER after EXECUTE AS');
      if (who === 'USER') cursor.parseName();
      executeAs = restricted ? 'RESTRICTED CALLER' : (who as 'OWNER' | 'CALLER' | 'USER');
    } else if (cursor.is('AS') && !cursor.isSymbol('=', 1)) {
      cursor.next();
      const token = cursor.peek();
      if (!token) throw cursor.error(`expected the body of the ${container.toLowerCase()}`);
      body = cursor.rest() as QueryBody;
      if (language === 'SQL') nested = parseRoutineBody(token, container, cursor, context);
    } else {
      cursor.skip();
    }
  }

  return {
    kind: 'script',
    container,
    name,
    orReplace: header.orReplace,
    language,
    executeAs,
    body,
    nested,
  };
}

function parseRoutineBody(
  token: Token,
  container: 'PROCEDURE' | 'FUNCTION' | 'TASK',
  cursor: Cursor,
  context: ParseContext,
): Statement[] | undefined {
  if (!context.canNest) return undefined;
  if (token.kind === 'dollar' || token.kind === 'string') {
    if (container === 'FUNCTION' && !startsQuery(literalText(token))) return undefined;

    return context.parseLiteralBody(token);
  }
  const rest = cursor.tokens.slice(cursor.tokens.indexOf(token));
  if (container === 'FUNCTION' && !isKeyword(token, 'SELECT', 'WITH')) return undefined;

  return context.parseNested([{ tokens: rest, span: spanOf(rest) }]);
}

function literalText(token: Token): string {
  return token.kind === 'dollar' ? token.text.slice(2, -2) : token.text.slice(1, -1);
}

function startsQuery(body: string): boolean {
  const word = /^\s*(?:(?:--|\/\/)[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*|\(\s*)*([A-Za-z]+)/.exec(body);

  return word !== null && ['SELECT', 'WITH'].includes(word[1].toUpperCase());
}

/**
 * EXECUTE IMMEDIATE { $$ … $$ | '…' | variable | expression | block } [USING (…)], and EXECUTE
 * IMMEDIATE FROM '<file>'. A literal's statements are parsed; anything else is `dynamic`, since
 * its statement is known only at run time.
 * Sources: https://docs.snowflake.com/en/sql-reference/sql/execute-immediate and
 * https://docs.snowflake.com/en/sql-reference/sql/execute-immediate-from
 */
export function parseExecuteImmediate(cursor: Cursor, context: ParseContext): ScriptNode {
  cursor.expect('EXECUTE', 'IMMEDIATE');
  const token = cursor.peek();
  if (!token) throw cursor.error('expected a $$ block, a string or a variable to execute');
  const container = 'EXECUTE IMMEDIATE';
  if (cursor.accept('FROM')) {
    const fromFile = cursor.parseLiteral();
    readUsing(cursor);

    return { kind: 'script', container, dynamic: true, fromFile };
  }
  const isLiteral = token.kind === 'dollar' || token.kind === 'string';
  if (isLiteral && (cursor.peek(1) === undefined || isKeyword(cursor.peek(1), 'USING'))) {
    cursor.next();
    const nested = context.canNest ? context.parseLiteralBody(token) : undefined;
    readUsing(cursor);

    return { kind: 'script', container, nested, body: queryOf(token, context.text) };
  }
  if (token.kind === 'word' && isKeyword(token, 'BEGIN', 'DECLARE')) {
    const rest = cursor.tokens.slice(cursor.position);
    cursor.rest();
    const nested = context.parseNested([{ tokens: rest, span: spanOf(rest) }]);

    return { kind: 'script', container, nested };
  }
  // A variable, or an expression such as `'DROP TABLE ' || :name`, up to USING.
  const body = cursor.bodyUntil((next) => isKeyword(next, 'USING'));
  readUsing(cursor);

  return { kind: 'script', container, dynamic: true, body };
}

function readUsing(cursor: Cursor): void {
  if (!cursor.accept('USING')) return;
  if (!cursor.isSymbol('(')) throw cursor.error("expected '(' and the bind variables after USING");
  cursor.skip();
}

/**
 * `[DECLARE …] BEGIN … [EXCEPTION …] END`: the statements between BEGIN and its END. A block
 * whose END is missing (one being typed) yields the statements after BEGIN.
 */
export function parseBlock(cursor: Cursor, context: ParseContext): ScriptNode {
  const tokens = cursor.tokens;
  cursor.rest();
  const begin = tokens.findIndex((token) => isKeyword(token, 'BEGIN'));
  if (begin < 0) {
    const first = tokens[0];
    context.report(
      { start: first.start, end: first.end },
      'This DECLARE section has no BEGIN … END block after it; Snowflake runs declarations ' +
        'only as part of a block.',
      'invalid',
    );

    return { kind: 'script', container: 'BLOCK' };
  }
  const last = tokens.length - 1;
  const end = isKeyword(tokens[last], 'END') ? last : tokens.length;
  const nested = context.canNest
    ? context.parseNested(splitStatements(tokens.slice(begin + 1, end)))
    : undefined;

  return { kind: 'script', container: 'BLOCK', nested };
}

/**
 * IF, CASE, FOR, WHILE, LOOP and REPEAT statements: the statements of every branch or body, with
 * the branch headers (`ELSEIF … THEN`, `ELSE`, `WHEN … THEN`) and the closing `END …` left out.
 * Source: https://docs.snowflake.com/en/developer-guide/snowflake-scripting/branch
 */
export function parseControl(cursor: Cursor, context: ParseContext): ScriptNode {
  const tokens = cursor.tokens;
  const container = keywordOf(tokens[0]) as 'IF' | 'CASE' | 'FOR' | 'WHILE' | 'LOOP' | 'REPEAT';
  cursor.rest();
  const bodyStart = controlBodyStart(tokens, container);
  if (bodyStart < 0) {
    const expected = container === 'IF' ? 'THEN' : container === 'CASE' ? 'WHEN' : 'DO or LOOP';
    throw cursor.error(`expected ${expected} to start the body of this ${container}`);
  }

  return { kind: 'script', container, nested: parseBranches(tokens, bodyStart, context) };
}

/** An `EXCEPTION WHEN … THEN …` section: the statements of its handlers. */
export function parseExceptionSection(cursor: Cursor, context: ParseContext): ScriptNode {
  const tokens = cursor.tokens;
  cursor.rest();

  return { kind: 'script', container: 'EXCEPTION', nested: parseBranches(tokens, 1, context) };
}

function parseBranches(
  tokens: readonly Token[],
  bodyStart: number,
  context: ParseContext,
): Statement[] | undefined {
  if (!context.canNest) return undefined;
  const body = tokens.slice(bodyStart, closingEnd(tokens, bodyStart));

  return context.parseNested(splitStatements(body, skipBranchHeader));
}

/** Index of the first body token: after THEN, DO or LOOP, or at the first WHEN of a CASE. */
function controlBodyStart(tokens: readonly Token[], container: string): number {
  if (container === 'LOOP' || container === 'REPEAT') return 1;
  const starts = container === 'IF' ? ['THEN'] : container === 'CASE' ? ['WHEN'] : ['DO', 'LOOP'];
  const index = indexAtDepthZero(tokens, 1, (token) => isKeyword(token, ...starts));
  if (index < 0) return -1;

  return container === 'CASE' ? index : index + 1;
}

/** Where the body ends: before `END IF`, `END FOR`, … or the bare `END` of a CASE. */
function closingEnd(tokens: readonly Token[], bodyStart: number): number {
  const last = tokens.length - 1;
  if (last - 1 >= bodyStart && isKeyword(tokens[last - 1], 'END')) return last - 1;
  if (last >= bodyStart && isKeyword(tokens[last], 'END')) return last;

  return tokens.length;
}

/** Steps over `ELSEIF … THEN`, `ELSE`, `WHEN … THEN` and a REPEAT's closing `UNTIL (…)`. */
function skipBranchHeader(tokens: readonly Token[], start: number): number {
  let at = start;
  for (;;) {
    const word = keywordOf(tokens[at]);
    if (word === 'ELSE') {
      at++;
    } else if (word === 'ELSEIF' || word === 'WHEN') {
      const then = indexAtDepthZero(tokens, at + 1, (token) => isKeyword(token, 'THEN'));
      if (then < 0) return at;
      at = then + 1;
    } else if (word === 'UNTIL') {
      return tokens.length;
    } else {
      return at;
    }
  }
}

function indexAtDepthZero(
  tokens: readonly Token[],
  from: number,
  test: (token: Token) => boolean,
): number {
  let depth = 0;
  for (let i = from; i < tokens.length; i++) {
    const token = tokens[i];
    if (isSymbol(token, '(')) depth++;
    else if (isSymbol(token, ')')) depth--;
    else if (depth === 0 && test(token)) return i;
  }

  return -1;
}

/**
 * `LET name [type] { := | DEFAULT } expr`, `LET name CURSOR FOR query`, `LET name RESULTSET :=
 * (query)`, or `name := expr` without LET.
 * Source: https://docs.snowflake.com/en/developer-guide/snowflake-scripting/let
 */
export function parseLet(cursor: Cursor): NodeOf<LetStatement> {
  const declared = cursor.accept('LET');
  const name = cursor.parseNamePart();
  if (cursor.accept('CURSOR')) {
    cursor.expect('FOR');
    const value = cursor.rest();
    if (!value) throw cursor.error('expected the query or result set of the cursor');

    return { kind: 'let', name, declared, value, cursor: true };
  }
  const typeStart = cursor.position;
  while (!cursor.atEnd && !cursor.isSymbol(':=') && !cursor.is('DEFAULT')) cursor.skip();
  const dataType = cursor.position > typeStart ? cursor.typeSince(typeStart) : undefined;
  if (!cursor.acceptSymbol(':=') && !cursor.accept('DEFAULT')) {
    throw cursor.error("expected ':=' or DEFAULT and the value to assign");
  }
  const value = cursor.rest();
  if (!value) throw cursor.error('expected the value to assign');

  return { kind: 'let', name, declared, dataType, value, cursor: false };
}

export function parseReturn(cursor: Cursor): NodeOf<ReturnStatement> {
  cursor.expect('RETURN');

  return { kind: 'return', value: cursor.rest() };
}

/**
 * CALL name(args) [INTO :var], or a method of a class instance: CALL model!METHOD(args).
 * Source: https://docs.snowflake.com/en/sql-reference/sql/call
 */
export function parseCall(cursor: Cursor): NodeOf<CallStatement> {
  cursor.expect('CALL');
  const procedure = cursor.parseName();
  let method: string | undefined;
  if (cursor.acceptSymbol('!')) method = keywordOf(cursor.next());
  let args: QueryBody | undefined;
  if (cursor.acceptSymbol('(')) {
    args = cursor.bodyUntil((token) => isSymbol(token, ')'));
    cursor.expectSymbol(')');
  } else if (!procedure.dynamic) {
    throw cursor.error("expected '(' and the procedure's arguments");
  }
  if (cursor.accept('INTO')) cursor.next();

  return { kind: 'call', procedure, method, arguments: args };
}

function queryOf(token: Token, text: string): QueryBody {
  return { start: token.start, end: token.end, text: text.slice(token.start, token.end) };
}

function spanOf(tokens: readonly Token[]): { start: number; end: number } {
  return { start: tokens[0].start, end: tokens[tokens.length - 1].end };
}
