import type {
  AlterPolicyStatement,
  AlterTagStatement,
  CopyIntoStatement,
  CopyLocation,
  CreateIntegrationStatement,
  CreateObjectStatement,
  CreatePolicyStatement,
  CreateStageStatement,
  CreateTagStatement,
  DropStatement,
  InsertStatement,
  Literal,
  NamePart,
  ObjectName,
  PolicyArgument,
  Property,
  UseStatement,
  UserStatement,
} from './ast';
import { type Cursor, isKeyword, isSymbol, keywordOf, unquoteString } from './cursor';
import { normaliseType } from './parse-columns';
import type { CreateHeader } from './parse-create';
import { readObjectType } from './object-types';
import type { Token } from './tokens';

type Node<T> = Omit<T, 'start' | 'end'>;

export function parseUse(cursor: Cursor): Node<UseStatement> {
  cursor.expect('USE');
  if (cursor.accept('SECONDARY', 'ROLES')) {
    const name = cursor.tryName();

    return { kind: 'use', target: 'SECONDARY ROLES', name };
  }
  const target = (cursor.acceptOneOf('ROLE', 'DATABASE', 'SCHEMA', 'WAREHOUSE') ??
    'DATABASE') as UseStatement['target'];

  return { kind: 'use', target, name: cursor.parseName() };
}

/** CREATE USER … props, or ALTER USER [IF EXISTS] [name] SET … | UNSET … | other. */
export function parseUser(cursor: Cursor, header?: CreateHeader): Node<UserStatement> {
  if (header) {
    const name = cursor.parseName();
    const properties = cursor.parseProperties();

    return {
      kind: 'create-user',
      name,
      orReplace: header.orReplace,
      properties,
      unset: [],
    };
  }
  cursor.expect('ALTER', 'USER');
  cursor.accept('IF', 'EXISTS');
  // ALTER USER SET … without a name changes the current user.
  const name: ObjectName =
    cursor.is('SET') || cursor.is('UNSET')
      ? { start: cursor.last.end, end: cursor.last.end, parts: [], dynamic: true }
      : cursor.parseName();
  let properties: Property[] = [];
  const unset: string[] = [];
  if (cursor.accept('SET')) {
    properties = cursor.parseProperties();
  } else if (cursor.accept('UNSET')) {
    while (!cursor.atEnd) {
      const word = keywordOf(cursor.next());
      if (word) unset.push(word);
      cursor.acceptSymbol(',');
    }
  } else {
    // RENAME TO, RESET PASSWORD, ABORT ALL QUERIES, ADD DELEGATED AUTHORIZATION, MFA actions…
    cursor.rest();
  }

  return { kind: 'alter-user', name, orReplace: false, properties, unset };
}

/** CREATE <kind> POLICY name AS (args) RETURNS type -> body [options]. */
export function parseCreatePolicy(
  cursor: Cursor,
  header: CreateHeader,
): Node<CreatePolicyStatement> {
  const policyType = header.objectType.replace(/ POLICY$/, '');
  const name = cursor.parseName();
  const args: PolicyArgument[] = [];
  let returnType: string | undefined;

  if (cursor.accept('AS')) {
    cursor.expectSymbol('(');
    while (!cursor.atEnd && !cursor.isSymbol(')')) {
      const argName = cursor.parseNamePart();
      const typeStart = cursor.peek()?.start ?? argName.end;
      cursor.skipUntil((token) => isSymbol(token, ',') || isSymbol(token, ')'));
      const dataType = normaliseType(cursor.text.slice(typeStart, cursor.last.end));
      args.push({ start: argName.start, end: cursor.last.end, name: argName, dataType });
      if (!cursor.acceptSymbol(',')) break;
    }
    cursor.expectSymbol(')');
  }
  if (cursor.accept('RETURNS')) {
    const typeStart = cursor.peek()?.start ?? cursor.last.end;
    cursor.skipUntil((token) => isSymbol(token, '->'));
    returnType = normaliseType(cursor.text.slice(typeStart, cursor.last.end));
  }
  let body;
  if (cursor.acceptSymbol('->')) body = cursor.bodyUntil(atTrailingPolicyOption);
  cursor.parseProperties();

  return {
    kind: 'create-policy',
    policyType,
    orReplace: header.orReplace,
    ifNotExists: header.ifNotExists,
    name,
    arguments: args,
    returnType,
    body,
  };
}

/** Policy bodies end where `COMMENT = …` or `EXEMPT_OTHER_POLICIES = …` begins. */
function atTrailingPolicyOption(token: Token, cursor: Cursor): boolean {
  return isKeyword(token, 'COMMENT', 'EXEMPT_OTHER_POLICIES') && cursor.isSymbol('=', 1);
}

export function parseAlterPolicy(cursor: Cursor, policyType: string): Node<AlterPolicyStatement> {
  cursor.accept('IF', 'EXISTS');
  const name = cursor.parseName();
  let body;
  let renameTo: ObjectName | undefined;
  if (cursor.accept('SET', 'BODY')) {
    cursor.expectSymbol('->');
    body = cursor.bodyUntil(atTrailingPolicyOption);
  } else if (cursor.accept('RENAME', 'TO')) {
    renameTo = cursor.parseName();
  }
  cursor.rest();

  return { kind: 'alter-policy', policyType, name, body, renameTo };
}

export function parseCreateTag(cursor: Cursor, header: CreateHeader): Node<CreateTagStatement> {
  const name = cursor.parseName();
  let allowedValues: Literal[] = [];
  while (!cursor.atEnd) {
    if (cursor.accept('ALLOWED_VALUES')) allowedValues = cursor.parseLiteralList();
    else if (cursor.atProperty()) cursor.parseProperty();
    else cursor.skip();
  }

  return {
    kind: 'create-tag',
    orReplace: header.orReplace,
    ifNotExists: header.ifNotExists,
    name,
    allowedValues,
  };
}

/** ALTER TAG t SET MASKING POLICY p [, MASKING POLICY q] [FORCE] | UNSET MASKING POLICY p, … */
export function parseAlterTag(cursor: Cursor): Node<AlterTagStatement> {
  cursor.accept('IF', 'EXISTS');
  const name = cursor.parseName();
  const setMaskingPolicies: ObjectName[] = [];
  const unsetMaskingPolicies: ObjectName[] = [];
  const mode = cursor.acceptOneOf('SET', 'UNSET');
  if (mode && cursor.is('MASKING', 'POLICY')) {
    const target = mode === 'SET' ? setMaskingPolicies : unsetMaskingPolicies;
    while (cursor.accept('MASKING', 'POLICY')) {
      target.push(cursor.parseName());
      if (!cursor.acceptSymbol(',')) break;
    }
    cursor.accept('FORCE');
  }
  cursor.rest();

  return { kind: 'alter-tag', name, setMaskingPolicies, unsetMaskingPolicies };
}

export function parseCreateStage(cursor: Cursor, header: CreateHeader): Node<CreateStageStatement> {
  const name = cursor.parseName();

  return {
    kind: 'create-stage',
    orReplace: header.orReplace,
    temporary: header.modifiers.some((word) => word === 'TEMPORARY' || word === 'TEMP'),
    name,
    properties: cursor.parseProperties(),
  };
}

export function parseCreateIntegration(
  cursor: Cursor,
  header: CreateHeader,
): Node<CreateIntegrationStatement> {
  const integrationType = header.objectType.replace(/ ?INTEGRATION$/, '');
  const name = cursor.parseName();

  return {
    kind: 'create-integration',
    integrationType,
    name,
    properties: cursor.parseProperties(),
  };
}

/** Any other CREATE: keeps the name and the `KEY = value` properties. */
export function parseCreateObject(
  cursor: Cursor,
  header: CreateHeader,
): Node<CreateObjectStatement> {
  let objectType = header.objectType;
  // An instance of a class: `CREATE SNOWFLAKE.ML.FORECAST my_model (…)`.
  while (cursor.isSymbol('.') && cursor.peek(1)?.kind === 'word') {
    cursor.next();
    objectType += `.${keywordOf(cursor.next())}`;
  }
  const name = cursor.parseName();

  return {
    kind: 'create-object',
    objectType,
    orReplace: header.orReplace,
    name,
    properties: cursor.parseProperties(),
  };
}

export function parseDrop(cursor: Cursor): Node<DropStatement> {
  cursor.expect('DROP');
  let objectType = readObjectType(cursor) ?? '';
  while (cursor.isSymbol('.') && cursor.peek(1)?.kind === 'word') {
    cursor.next();
    objectType += `.${keywordOf(cursor.next())}`;
  }
  cursor.accept('IF', 'EXISTS');
  const name = cursor.parseName();
  cursor.rest();

  return { kind: 'drop', objectType, name };
}

/** COPY INTO target [(columns)] FROM source options… — loads and unloads alike. */
export function parseCopyInto(cursor: Cursor): Node<CopyIntoStatement> {
  cursor.expect('COPY', 'INTO');
  const target = parseCopyLocation(cursor);
  if (cursor.isSymbol('(')) cursor.skip();
  // Without FROM, a load reads the table's own stage.
  const source: CopyLocation = cursor.accept('FROM')
    ? parseCopyLocation(cursor)
    : { type: 'stage', stage: '@%', start: cursor.last.end, end: cursor.last.end };
  const properties = cursor.parseProperties();

  return { kind: 'copy-into', target, source, properties };
}

function parseCopyLocation(cursor: Cursor): CopyLocation {
  const token = cursor.peek();
  if (!token) throw cursor.error('expected a table, stage or location');
  if (token.kind === 'stage') {
    cursor.next();

    return { type: 'stage', stage: token.text, start: token.start, end: token.end };
  }
  if (token.kind === 'string' && unquoteString(token.text).startsWith('@')) {
    // A quoted stage path, as needed when the path holds spaces.
    cursor.next();

    return { type: 'stage', stage: unquoteString(token.text), start: token.start, end: token.end };
  }
  if (token.kind === 'string') {
    cursor.next();
    const url: Literal = {
      start: token.start,
      end: token.end,
      value: unquoteString(token.text),
      kind: 'string',
    };

    return { type: 'url', url, start: token.start, end: token.end };
  }
  if (cursor.isSymbol('(')) {
    const open = cursor.next() as Token;
    const query = cursor.bodyUntil((next) => isSymbol(next, ')'));
    cursor.acceptSymbol(')');
    if (!query) throw cursor.error('expected a query');

    return { type: 'query', query, start: open.start, end: cursor.last.end };
  }
  const name = cursor.parseName();
  if (name.dynamic) return { type: 'dynamic', start: name.start, end: name.end };

  return { type: 'table', name, start: name.start, end: name.end };
}

/** INSERT [OVERWRITE] INTO t [(columns)] query — only the query form matters for lineage. */
export function parseInsert(cursor: Cursor): Node<InsertStatement> {
  cursor.expect('INSERT');
  cursor.accept('OVERWRITE');
  cursor.expect('INTO');
  const table = cursor.parseName();
  let columns: NamePart[] = [];
  if (cursor.isSymbol('(') && !isKeyword(cursor.peek(1), 'SELECT', 'WITH')) {
    columns = cursor.parseColumnList();
  }
  const isQuery = cursor.is('SELECT') || cursor.is('WITH') || cursor.isSymbol('(');
  const query = isQuery ? cursor.rest() : undefined;
  cursor.rest();

  return { kind: 'insert', table, columns, query };
}
