import type {
  GrantObject,
  GrantPrivilegesStatement,
  GrantRoleStatement,
  Grantee,
  GranteeType,
  Privilege,
} from './ast';
import { type Cursor, isKeyword, isSymbol, keywordOf } from './cursor';
import { readObjectType } from './object-types';
import { normaliseTypeTokens } from './cursor';
import type { Token } from './tokens';

type GrantNode =
  Omit<GrantPrivilegesStatement, 'start' | 'end'> | Omit<GrantRoleStatement, 'start' | 'end'>;

/** GRANT and REVOKE of privileges, ownership, roles, database roles and application roles. */
export function parseGrant(cursor: Cursor): GrantNode {
  const action = cursor.acceptOneOf('GRANT', 'REVOKE') as 'GRANT' | 'REVOKE';
  const grantOptionFor = action === 'REVOKE' && cursor.accept('GRANT', 'OPTION', 'FOR');

  const roleType = readGrantedRoleType(cursor);
  if (roleType) {
    const role = cursor.parseName(`the ${roleType.toLowerCase()} to ${action.toLowerCase()}`);
    const grantee = parseGrantee(cursor, action);
    const withGrantOption = cursor.accept('WITH', 'GRANT', 'OPTION');
    const cascade = readCascade(cursor);

    return {
      kind: 'grant-role',
      action,
      roleType,
      role,
      grantee,
      withGrantOption,
      grantOptionFor,
      cascade,
    };
  }

  const privileges = parsePrivileges(cursor);
  cursor.expect('ON');
  const onStart = cursor.peek()?.start ?? cursor.last.end;
  const on = parseGrantObject(cursor);
  const onSpan = { start: onStart, end: cursor.last.end };
  const grantee = parseGrantee(cursor, action);
  const withGrantOption = cursor.accept('WITH', 'GRANT', 'OPTION');
  let currentGrants: 'COPY' | 'REVOKE' | undefined;
  const mode = cursor.acceptOneOf('COPY', 'REVOKE');
  if (mode) {
    cursor.expect('CURRENT', 'GRANTS');
    currentGrants = mode as 'COPY' | 'REVOKE';
  }
  const cascade = readCascade(cursor);

  return {
    kind: 'grant-privileges',
    action,
    grantOptionFor,
    cascade,
    privileges,
    on,
    onSpan,
    grantee,
    withGrantOption,
    currentGrants,
  };
}

function readCascade(cursor: Cursor): 'CASCADE' | 'RESTRICT' | undefined {
  return cursor.acceptOneOf('CASCADE', 'RESTRICT') as 'CASCADE' | 'RESTRICT' | undefined;
}

function readGrantedRoleType(cursor: Cursor): GrantRoleStatement['roleType'] | undefined {
  // `GRANT ROLE r TO …` grants a role; `GRANT CREATE ROLE ON ACCOUNT …` is a privilege.
  if (cursor.is('ROLE') && !isKeyword(cursor.peek(2), 'ON')) {
    cursor.next();

    return 'ROLE';
  }
  if (cursor.accept('DATABASE', 'ROLE')) return 'DATABASE ROLE';
  if (cursor.accept('APPLICATION', 'ROLE')) return 'APPLICATION ROLE';

  return undefined;
}

function parsePrivileges(cursor: Cursor): Privilege[] {
  const privileges: Privilege[] = [];
  let words: string[] = [];
  let start = -1;
  let end = -1;

  const flush = (): void => {
    if (words.length > 0) privileges.push({ start, end, name: words.join(' ') });
    words = [];
    start = -1;
  };
  while (!cursor.atEnd && !cursor.is('ON')) {
    const token = cursor.peek();
    if (isSymbol(token, ',')) {
      flush();
      cursor.next();
      continue;
    }
    if (token?.kind !== 'word') throw cursor.error('expected a privilege');
    if (start < 0) start = token.start;
    end = token.end;
    words.push(token.text.toUpperCase());
    cursor.next();
  }
  flush();
  if (privileges.length === 0) throw cursor.error('expected a privilege');

  return privileges;
}

function parseGrantObject(cursor: Cursor): GrantObject {
  if (cursor.accept('ACCOUNT')) return { type: 'account' };

  const bulk = cursor.acceptOneOf('ALL', 'FUTURE');
  if (bulk) {
    const words: string[] = [];
    while (!cursor.atEnd && !cursor.is('IN')) words.push(keywordOf(cursor.next()) ?? '?');
    cursor.expect('IN');
    const container = cursor.acceptOneOf('DATABASE', 'SCHEMA');
    if (!container) throw cursor.error('expected DATABASE or SCHEMA');
    const containerName = cursor.parseName(`the name of the ${container.toLowerCase()}`);
    const type = bulk === 'ALL' ? 'all' : 'future';

    return {
      type,
      objectType: words.join(' '),
      container: container as 'DATABASE' | 'SCHEMA',
      containerName,
    };
  }

  const objectType = readGrantObjectType(cursor);
  const name = cursor.parseName(
    `the ${objectType.toLowerCase() || 'object'} the privileges are on`,
  );
  let argumentTypes: string[] | undefined;
  if (cursor.isSymbol('(')) {
    const open = cursor.position;
    cursor.skip();
    const inner = cursor.tokens.slice(open + 1, cursor.position - 1);
    argumentTypes = splitTopLevel(inner).map((group) => normaliseTypeTokens(group));
  }

  return { type: 'object', objectType, name, argumentTypes };
}

/**
 * Reads the object kind before the name: a known kind such as `MASKING POLICY`, else as many
 * words as leave exactly one name before TO/FROM (`MCP SERVER x`), else none at all
 * (`GRANT SELECT ON t TO …`).
 */
function readGrantObjectType(cursor: Cursor): string {
  const start = cursor.position;
  const known = readObjectType(cursor);
  if (known !== undefined && nameEndsGrantObject(cursor)) return known;
  for (let words = 0; words <= 4; words++) {
    cursor.position = start;
    const type: string[] = [];
    for (let i = 0; i < words && cursor.peek()?.kind === 'word'; i++) {
      type.push(keywordOf(cursor.next()) as string);
    }
    if (type.length === words && nameEndsGrantObject(cursor)) return type.join(' ');
  }
  cursor.position = start;

  return readObjectType(cursor) ?? '';
}

/** True when a name (with optional argument types) and then TO/FROM or the end come next. */
function nameEndsGrantObject(cursor: Cursor): boolean {
  const start = cursor.position;
  const name = cursor.tryName();
  if (name && cursor.isSymbol('(')) cursor.skip();
  const ends = name !== undefined && (cursor.is('TO') || cursor.is('FROM') || cursor.atEnd);
  cursor.position = start;

  return ends;
}

const GRANTEE_TYPES: readonly (readonly string[])[] = [
  ['DATABASE', 'ROLE'],
  ['APPLICATION', 'ROLE'],
  ['APPLICATION'],
  ['ROLE'],
  ['USER'],
  ['SHARE'],
];

function parseGrantee(cursor: Cursor, action: 'GRANT' | 'REVOKE'): Grantee {
  const preposition = action === 'GRANT' ? 'TO' : 'FROM';
  if (!cursor.accept(preposition)) throw cursor.error(`expected ${preposition} and a grantee`);

  const start = cursor.peek()?.start ?? cursor.last.end;
  if (cursor.accept('SHARE', 'IN', 'APPLICATION', 'PACKAGE')) {
    // Native app packages receive grants through their share.
    const name = cursor.parseName('the share to grant to');

    return { start, end: name.end, type: 'SHARE', explicitType: true, name };
  }
  for (const words of GRANTEE_TYPES) {
    // `TO ROLE user` must not read `USER` as the kind: the kind is followed by a name.
    const nameToken = cursor.peek(words.length);
    const hasName = nameToken !== undefined && !isSymbol(nameToken, ';');
    if (hasName && cursor.accept(...words)) {
      const name = cursor.parseName(
        `the ${words.join(' ').toLowerCase()} to ${action === 'GRANT' ? 'grant to' : 'revoke from'}`,
      );

      return {
        start,
        end: name.end,
        type: words.join(' ') as GranteeType,
        explicitType: true,
        name,
      };
    }
  }
  const name = cursor.parseName(
    `the role, user or share to ${action === 'GRANT' ? 'grant to' : 'revoke from'}`,
  );

  return { start, end: name.end, type: 'ROLE', explicitType: false, name };
}

/** Groups tokens at commas outside parentheses: `VARCHAR, NUMBER(38, 0)` gives two groups. */
function splitTopLevel(tokens: readonly Token[]): Token[][] {
  const groups: Token[][] = [[]];
  let depth = 0;
  for (const token of tokens) {
    if (isSymbol(token, '(')) depth++;
    else if (isSymbol(token, ')')) depth--;
    if (depth === 0 && isSymbol(token, ',')) groups.push([]);
    else groups[groups.length - 1].push(token);
  }

  return groups.filter((group) => group.length > 0);
}
