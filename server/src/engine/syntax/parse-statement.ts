import type { Node, ParseContext } from './context';
import { type Cursor, ParseError, describeToken, isKeyword, keywordOf } from './cursor';
import { parseAlterObject, parseAlterPolicy, parseAlterTag } from './parse-alter';
import { parseCopyInto, parseFileTransfer, parseInsert } from './parse-copy';
import { parseCreateHeader } from './parse-create';
import {
  parseCreateIntegration,
  parseCreateObject,
  parseCreatePolicy,
  parseCreateStage,
  parseCreateTag,
  parseDrop,
  parseUser,
} from './parse-governance';
import { nearest } from '../names-hint';
import { parseGrant } from './parse-grant';
import {
  parseBlock,
  parseCall,
  parseControl,
  parseExceptionSection,
  parseExecuteImmediate,
  parseLet,
  parseReturn,
  parseRoutine,
} from './parse-script';
import { parseClientCommand, parseDescribe, parseShow, parseUse } from './parse-session';
import { parseAlterTable, parseCreateTable, parseCreateView } from './parse-table';
import { type Token, leadingWords } from './tokens';

const TABLE_KINDS = new Set([
  'TABLE',
  'DYNAMIC TABLE',
  'EVENT TABLE',
  'ICEBERG TABLE',
  'HYBRID TABLE',
  'EXTERNAL TABLE',
]);
const ALTERED_TABLE_KINDS = [...TABLE_KINDS, 'VIEW', 'MATERIALIZED VIEW'];
const CONTROL_WORDS = new Set(['IF', 'CASE', 'FOR', 'WHILE', 'LOOP', 'REPEAT']);

/**
 * First words of the statements Snowflake runs that this parser keeps as `other`: DML,
 * session and transaction commands, Snowflake Scripting statements, and the DEFINE of DCM
 * projects. A statement that starts with any other word is not SQL Snowflake would run.
 */
const OTHER_COMMANDS = new Set([
  ...['COMMENT', 'COMMIT', 'COPY', 'DEFINE', 'DELETE', 'EXECUTE', 'EXPLAIN', 'INSERT', 'LIST'],
  ...['LS', 'MERGE', 'REMOVE', 'RM', 'ROLLBACK', 'SET', 'START', 'TRUNCATE', 'UNDROP', 'UNSET'],
  ...['UPDATE', 'BEGIN', 'END', 'ELSE', 'ELSEIF', 'WHEN', 'BREAK', 'EXIT', 'CONTINUE'],
  ...['ITERATE', 'RAISE', 'OPEN', 'FETCH', 'CLOSE', 'NULL', 'AWAIT', 'CANCEL'],
]);

/** Commands a mistyped first word is compared with, in lower case as `nearest` wants them. */
const COMMANDS = [
  ...['alter', 'begin', 'call', 'comment', 'commit', 'copy', 'create', 'declare', 'delete'],
  ...['describe', 'drop', 'execute', 'explain', 'grant', 'insert', 'list', 'merge', 'remove'],
  ...['revoke', 'rollback', 'select', 'show', 'truncate', 'undrop', 'unset', 'update', 'with'],
];

/** Text that starts with no Snowflake command; its message describes the whole statement. */
export class NotAStatementError extends ParseError {
  constructor(first: Token) {
    const what = describeToken(first);
    const meant = first.kind === 'word' ? nearest(first.text, COMMANDS) : undefined;
    const expected = meant
      ? `did you mean ${meant.toUpperCase()}?`
      : 'expected a command such as CREATE, ALTER, GRANT or SELECT';
    super(
      `${what[0].toUpperCase()}${what.slice(1)} does not start a Snowflake statement: ${expected}`,
      first,
    );
  }
}

/** Reads one statement from its first token; anything unrecognised becomes `other`. */
export function parseStatement(cursor: Cursor, context: ParseContext): Node {
  const first = cursor.peek();
  if (first?.kind === 'client') return parseClientCommand(cursor);
  const word = keywordOf(first);
  switch (word) {
    case 'GRANT':
    case 'REVOKE':
      return parseGrant(cursor);
    case 'USE':
      return parseUse(cursor);
    case 'CREATE':
      return parseCreate(cursor, context);
    case 'ALTER':
      return parseAlter(cursor);
    case 'DROP':
      return parseDrop(cursor);
    case 'COPY':
      if (cursor.is('COPY', 'INTO')) return parseCopyInto(cursor);
      break;
    case 'PUT':
    case 'GET':
      return parseFileTransfer(cursor);
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
      // `BEGIN`, `BEGIN TRANSACTION`, `BEGIN WORK` and `BEGIN NAME t` start a transaction.
      if (cursor.tokens.length === 1 || isKeyword(cursor.peek(1), 'TRANSACTION', 'WORK', 'NAME')) {
        break;
      }

      return parseBlock(cursor, context);
    case 'DECLARE':
      return parseBlock(cursor, context);
    case 'EXCEPTION':
      return parseExceptionSection(cursor, context);
    case 'EXECUTE':
      if (cursor.is('EXECUTE', 'IMMEDIATE')) return parseExecuteImmediate(cursor, context);
      break;
    case 'LET':
      return parseLet(cursor);
    case 'RETURN':
      return parseReturn(cursor);
    case 'CALL':
      return parseCall(cursor);
    case 'SHOW':
      return parseShow(cursor);
    case 'DESCRIBE':
    case 'DESC':
      return parseDescribe(cursor);
    default:
      if (word !== undefined && CONTROL_WORDS.has(word)) return parseControl(cursor, context);
      // `x := expr` inside a block assigns without LET.
      if (cursor.isSymbol(':=', 1)) return parseLet(cursor);
      // `{{ grants_for(role) }}`: what runs is known only once the template is rendered, and a
      // statement the rules cannot see must not pass for a harmless one.
      if (first?.kind === 'placeholder') {
        const message =
          `${describeToken(first)} stands for the whole statement, ` +
          'which is known only once the template is rendered';
        throw new ParseError(message, first);
      }
      if (first !== undefined && !startsKnownStatement(cursor, context)) {
        throw new NotAStatementError(first);
      }
  }
  const words = leadingWords(cursor.tokens);
  cursor.rest();

  return { kind: 'other', words };
}

/**
 * Whether a statement none of the parsers above took still starts as Snowflake SQL, so that
 * keeping it as `other` hides nothing: text that starts with no command (a stray sentence, a
 * half-typed word) is a parse problem, not a harmless statement.
 */
function startsKnownStatement(cursor: Cursor, context: ParseContext): boolean {
  const word = keywordOf(cursor.peek());
  if (word !== undefined && OTHER_COMMANDS.has(word)) return true;
  // `(SELECT …) UNION …` is a query.
  if (cursor.isSymbol('(')) return true;
  // Inside a block a procedure call stands alone: `SYSTEM$LOG('info', msg);`.
  return word !== undefined && context.depth > 0 && cursor.isSymbol('(', 1);
}

function parseCreate(cursor: Cursor, context: ParseContext): Node {
  const header = parseCreateHeader(cursor);
  if (header.problem) context.report(header.problem.at, header.problem.message, 'invalid');
  const type = header.objectType;
  if (TABLE_KINDS.has(type)) return parseCreateTable(cursor, header);
  switch (type) {
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
    case 'FUNCTION':
    case 'TASK':
      return parseRoutine(cursor, header, context);
  }
  if (type.endsWith(' POLICY')) return parseCreatePolicy(cursor, header);
  if (type.endsWith('INTEGRATION')) return parseCreateIntegration(cursor, header);

  return parseCreateObject(cursor, header);
}

function parseAlter(cursor: Cursor): Node {
  if (cursor.is('ALTER', 'USER')) return parseUser(cursor);
  const start = cursor.position;
  cursor.expect('ALTER');
  if (cursor.accept('TAG')) return parseAlterTag(cursor);
  for (const type of ALTERED_TABLE_KINDS) {
    if (cursor.accept(...type.split(' '))) return parseAlterTable(cursor, type);
  }
  cursor.position = start;

  return isPolicyAlter(cursor) ? parseAlterPolicy(cursor) : parseAlterObject(cursor);
}

/** `ALTER <kind> POLICY`, where the kind is one or two words (`ROW ACCESS`). */
function isPolicyAlter(cursor: Cursor): boolean {
  return isKeyword(cursor.peek(2), 'POLICY') || cursor.is('ALTER', 'ROW', 'ACCESS', 'POLICY');
}
