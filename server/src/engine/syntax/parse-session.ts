import type {
  ClientCommandStatement,
  DescribeStatement,
  Literal,
  ObjectName,
  ShowStatement,
  UseStatement,
} from './ast';
import type { NodeOf } from './context';
import type { Cursor } from './cursor';
import { readObjectType } from './object-types';
import type { Token } from './tokens';

/**
 * USE [ROLE | DATABASE | SCHEMA | WAREHOUSE] name, and USE SECONDARY ROLES { ALL | NONE | r, … }.
 * Source: https://docs.snowflake.com/en/sql-reference/sql/use-secondary-roles
 */
export function parseUse(cursor: Cursor): NodeOf<UseStatement> {
  cursor.expect('USE');
  if (cursor.accept('SECONDARY', 'ROLES')) {
    const mode = cursor.acceptOneOf('ALL', 'NONE') as 'ALL' | 'NONE' | undefined;
    const roles: ObjectName[] = [];
    if (!mode) {
      do roles.push(cursor.parseName('ALL, NONE or the secondary roles to use'));
      while (cursor.acceptSymbol(','));
    }

    return {
      kind: 'use',
      target: 'SECONDARY ROLES',
      name: roles[0],
      secondaryRoles: { mode: mode ?? 'LIST', roles },
    };
  }
  const target = (cursor.acceptOneOf('ROLE', 'DATABASE', 'SCHEMA', 'WAREHOUSE') ??
    'DATABASE') as UseStatement['target'];

  return { kind: 'use', target, name: cursor.parseName(`the ${target.toLowerCase()} to use`) };
}

/** Words that end the list of object kinds in a SHOW statement. */
const SHOW_CLAUSES = new Set(['LIKE', 'IN', 'ON', 'TO', 'OF', 'STARTS', 'LIMIT', 'HISTORY']);

/**
 * SHOW [TERSE] <kinds> [LIKE '…'] [IN | ON | TO | OF [<kind>] [name]] [STARTS WITH …] [LIMIT …].
 * Source: https://docs.snowflake.com/en/sql-reference/sql/show
 */
export function parseShow(cursor: Cursor): NodeOf<ShowStatement> {
  cursor.expect('SHOW');
  const terse = cursor.accept('TERSE');
  const words: string[] = [];
  while (cursor.peek()?.kind === 'word' && !SHOW_CLAUSES.has(cursor.peek()?.keyword ?? '')) {
    words.push((cursor.next() as Token).keyword as string);
  }
  if (words.length === 0) throw cursor.error('expected the kind of objects to show');
  let like: Literal | undefined;
  if (cursor.accept('LIKE')) like = cursor.parseLiteral();
  let scope: ShowStatement['scope'];
  const preposition = cursor.acceptOneOf('IN', 'ON', 'TO', 'OF');
  if (preposition) {
    scope = { preposition: preposition as 'IN' | 'ON' | 'TO' | 'OF', ...readScope(cursor) };
  }
  // STARTS WITH, LIMIT … FROM and HISTORY only narrow the listing.
  while (!cursor.atEnd) cursor.skip();

  return { kind: 'show', objectType: words.join(' '), terse, like, scope };
}

/** `ACCOUNT`, `DATABASE`, `SCHEMA db.s`, `ROLE r`, or a bare name such as `db.s`. */
function readScope(cursor: Cursor): { objectType?: string; name?: ObjectName } {
  const start = cursor.position;
  if (cursor.peek()?.kind === 'word' && !cursor.isSymbol('.', 1) && !cursor.isSymbol('(', 1)) {
    const objectType = readObjectType(cursor);
    const name = atNameEnd(cursor) ? undefined : cursor.tryName();

    return { objectType, name };
  }
  cursor.position = start;

  return { name: cursor.tryName() };
}

function atNameEnd(cursor: Cursor): boolean {
  return cursor.atEnd || cursor.is('STARTS') || cursor.is('LIMIT') || cursor.is('HISTORY');
}

/**
 * DESC[RIBE] <kind> name [(argument types)] [TYPE = …], or DESCRIBE RESULT '<query id>'.
 * Source: https://docs.snowflake.com/en/sql-reference/sql/desc
 */
export function parseDescribe(cursor: Cursor): NodeOf<DescribeStatement> {
  cursor.acceptOneOf('DESCRIBE', 'DESC');
  const objectType = readObjectType(cursor);
  if (objectType === undefined) throw cursor.error('expected the kind of object to describe');
  if (objectType === 'RESULT') {
    cursor.rest();

    return { kind: 'describe', objectType };
  }
  const name = cursor.parseName(`the ${objectType.toLowerCase()} to describe`);
  if (cursor.isSymbol('(')) cursor.skip();
  cursor.parseProperties();

  return { kind: 'describe', objectType, name };
}

/** A SnowSQL command line, kept whole: snowgov neither runs nor checks it. */
export function parseClientCommand(cursor: Cursor): NodeOf<ClientCommandStatement> {
  const token = cursor.next() as Token;
  let end = 1;
  while (end < token.text.length && isLetter(token.text.charCodeAt(end))) end++;

  return {
    kind: 'client-command',
    command: token.text.slice(1, end).toUpperCase(),
    text: token.text,
  };
}

function isLetter(code: number): boolean {
  const lower = code | 0x20;

  return (lower >= 97 && lower <= 122) || code === 95;
}
