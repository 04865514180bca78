import type {
  CreateIntegrationStatement,
  CreateObjectStatement,
  CreatePolicyStatement,
  CreateStageStatement,
  CreateTagStatement,
  DropStatement,
  Literal,
  ObjectName,
  PolicyArgument,
  Property,
  TagAssignment,
  UserStatement,
} from './ast';
import type { NodeOf } from './context';
import { type Cursor, isSymbol, keywordOf } from './cursor';
import { type CreateHeader, nameOf } from './parse-create';
import { readObjectType } from './object-types';
import { atTrailingPolicyOption, parseAlterActions } from './parse-alter';

/**
 * CREATE USER … props, or ALTER USER [IF EXISTS] [name] action. Source:
 * https://docs.snowflake.com/en/sql-reference/sql/alter-user
 */
export function parseUser(cursor: Cursor, header?: CreateHeader): NodeOf<UserStatement> {
  if (header) {
    const name = cursor.parseName(nameOf(header));
    const { properties } = readOptions(cursor);

    return {
      kind: 'create-user',
      name,
      orReplace: header.orReplace,
      properties,
      unset: [],
      actions: [],
    };
  }
  cursor.expect('ALTER', 'USER');
  cursor.accept('IF', 'EXISTS');
  // ALTER USER SET … without a name changes the current user.
  const name: ObjectName =
    cursor.is('SET') || cursor.is('UNSET')
      ? { start: cursor.last.end, end: cursor.last.end, parts: [], dynamic: true }
      : cursor.parseName('the user to alter');
  const actions = parseAlterActions(cursor);
  const properties = actions.flatMap((action) => (action.type === 'set' ? action.properties : []));
  const unset = actions.flatMap((action) =>
    action.type === 'unset' ? action.keys.map((key) => key.value) : [],
  );

  return { kind: 'alter-user', name, orReplace: false, properties, unset, actions };
}

/**
 * CREATE <kind> POLICY name: either `AS (args) RETURNS type -> body [options]` (masking, row
 * access, projection, aggregation, join) or `KEY = value …` properties (authentication,
 * password, session, network, packages, privacy).
 */
export function parseCreatePolicy(
  cursor: Cursor,
  header: CreateHeader,
): NodeOf<CreatePolicyStatement> {
  const policyType = header.objectType.slice(0, -' POLICY'.length);
  const name = cursor.parseName(nameOf(header));
  const args: PolicyArgument[] = [];
  let returnType: string | undefined;

  if (cursor.accept('AS')) {
    cursor.expectSymbol('(');
    while (!cursor.atEnd && !cursor.isSymbol(')')) {
      const argName = cursor.parseNamePart();
      const typeStart = cursor.position;
      cursor.skipUntil((token) => isSymbol(token, ',') || isSymbol(token, ')'));
      const dataType = cursor.typeSince(typeStart);
      args.push({ start: argName.start, end: cursor.last.end, name: argName, dataType });
      if (!cursor.acceptSymbol(',')) break;
    }
    cursor.expectSymbol(')');
    cursor.expect('RETURNS');
    const typeStart = cursor.position;
    cursor.skipUntil((token) => isSymbol(token, '->'));
    returnType = cursor.typeSince(typeStart);
  }
  let body;
  if (cursor.acceptSymbol('->')) {
    body = cursor.bodyUntil(atTrailingPolicyOption);
    if (!body) throw cursor.error('expected the policy body after ->');
  }
  const { properties, tags } = readOptions(cursor);

  return {
    kind: 'create-policy',
    policyType,
    orReplace: header.orReplace,
    orAlter: header.orAlter,
    ifNotExists: header.ifNotExists,
    name,
    arguments: args,
    returnType,
    body,
    properties,
    tags,
  };
}

/**
 * CREATE TAG name [ALLOWED_VALUES 'a', …] [MULTI_VALUE = TRUE] [PROPAGATE = … [ON_CONFLICT = …]]
 * [COMMENT = '…']. Source: https://docs.snowflake.com/en/sql-reference/sql/create-tag
 */
export function parseCreateTag(cursor: Cursor, header: CreateHeader): NodeOf<CreateTagStatement> {
  const name = cursor.parseName(nameOf(header));
  let allowedValues: Literal[] = [];
  const properties: Property[] = [];
  while (!cursor.atEnd) {
    if (cursor.accept('ALLOWED_VALUES')) {
      allowedValues = cursor.parseLiteralList();
      if (allowedValues.length === 0) throw cursor.error('expected the allowed values');
    } else if (cursor.atProperty()) properties.push(cursor.parseProperty());
    else throw cursor.error('expected ALLOWED_VALUES or a tag option such as PROPAGATE = …');
  }
  const option = (key: string): Literal | undefined =>
    properties.find((property) => property.key === key)?.value;

  return {
    kind: 'create-tag',
    orReplace: header.orReplace,
    orAlter: header.orAlter,
    ifNotExists: header.ifNotExists,
    name,
    allowedValues,
    multiValue: option('MULTI_VALUE')?.value.toUpperCase() === 'TRUE',
    propagate: option('PROPAGATE'),
    onConflict: option('ON_CONFLICT'),
    comment: option('COMMENT'),
  };
}

export function parseCreateStage(
  cursor: Cursor,
  header: CreateHeader,
): NodeOf<CreateStageStatement> {
  const name = cursor.parseName(nameOf(header));

  return {
    kind: 'create-stage',
    orReplace: header.orReplace,
    temporary: header.modifiers.some((word) => word === 'TEMPORARY' || word === 'TEMP'),
    name,
    properties: readOptions(cursor).properties,
  };
}

export function parseCreateIntegration(
  cursor: Cursor,
  header: CreateHeader,
): NodeOf<CreateIntegrationStatement> {
  const integrationType = header.objectType.replace(/ ?INTEGRATION$/, '');
  const name = cursor.parseName(nameOf(header));

  return {
    kind: 'create-integration',
    integrationType,
    name,
    properties: readOptions(cursor).properties,
  };
}

/**
 * Any other CREATE: the name, `KEY = value` properties, tags, CLONE and WITH MANAGED ACCESS.
 * Kinds with bodies or clauses of their own (`CREATE STREAM s ON TABLE t`, `CREATE PIPE … AS
 * COPY …`) keep only what fits this shape; the rest is skipped.
 */
export function parseCreateObject(
  cursor: Cursor,
  header: CreateHeader,
): NodeOf<CreateObjectStatement> {
  let objectType = header.objectType;
  // An instance of a class: `CREATE SNOWFLAKE.ML.FORECAST my_model (…)`.
  while (cursor.isSymbol('.') && cursor.peek(1)?.kind === 'word') {
    cursor.next();
    objectType += `.${keywordOf(cursor.next())}`;
  }
  const name = cursor.parseName(nameOf(header));
  let cloneOf: ObjectName | undefined;
  if (cursor.accept('CLONE')) cloneOf = cursor.parseName();
  const { properties, tags, managedAccess } = readOptions(cursor);

  return {
    kind: 'create-object',
    objectType,
    orReplace: header.orReplace,
    orAlter: header.orAlter,
    ifNotExists: header.ifNotExists,
    modifiers: header.modifiers,
    name,
    properties,
    tags,
    cloneOf,
    managedAccess,
  };
}

interface Options {
  readonly properties: Property[];
  readonly tags: TagAssignment[];
  readonly managedAccess: boolean;
}

/**
 * Object options up to the end: `KEY = value`, `[WITH] TAG (…)`, `WITH MANAGED ACCESS`, and a
 * `COMMENT 'x'` written without `=`. Other words are skipped, since Snowflake has hundreds of
 * options and the rules need only some of them.
 */
function readOptions(cursor: Cursor): Options {
  const properties: Property[] = [];
  const tags: TagAssignment[] = [];
  let managedAccess = false;
  while (!cursor.atEnd) {
    if (cursor.atProperty()) properties.push(cursor.parseProperty());
    else if (cursor.accept('WITH', 'TAG') || (cursor.is('TAG', '(') && cursor.accept('TAG'))) {
      tags.push(...cursor.parseTagAssignments());
    } else if (cursor.accept('WITH', 'MANAGED', 'ACCESS')) managedAccess = true;
    else cursor.skip();
  }

  return { properties, tags, managedAccess };
}

/**
 * DROP <kind> [IF EXISTS] name [(argument types)] [CASCADE | RESTRICT]. A kind snowgov does not
 * know may take several words (`DROP MCP SERVER x`): then every word before the name is the kind.
 */
export function parseDrop(cursor: Cursor): NodeOf<DropStatement> {
  cursor.expect('DROP');
  const start = cursor.position;
  let objectType = readObjectType(cursor) ?? '';
  while (cursor.isSymbol('.') && cursor.peek(1)?.kind === 'word') {
    cursor.next();
    objectType += `.${keywordOf(cursor.next())}`;
  }
  const known = cursor.position;
  if (!cursor.is('IF', 'EXISTS') && !endsWithName(cursor)) {
    cursor.position = start;
    const words: string[] = [];
    while (cursor.peek()?.kind === 'word' && !cursor.is('IF', 'EXISTS') && !endsWithName(cursor)) {
      words.push(keywordOf(cursor.next()) as string);
    }
    if (words.length > 1) objectType = words.join(' ');
    else cursor.position = known;
  }
  cursor.accept('IF', 'EXISTS');
  const name = cursor.parseName(`the ${objectType.toLowerCase() || 'object'} to drop`);
  readDropTail(cursor);
  if (!cursor.atEnd) throw cursor.error('expected the end of the DROP statement');

  return { kind: 'drop', objectType, name };
}

/** True when a name, its optional argument types and CASCADE or RESTRICT end the statement. */
function endsWithName(cursor: Cursor): boolean {
  const start = cursor.position;
  const name = cursor.tryName();
  readDropTail(cursor);
  const ends = name !== undefined && cursor.atEnd;
  cursor.position = start;

  return ends;
}

function readDropTail(cursor: Cursor): void {
  // Argument types of a function or procedure, then CASCADE | RESTRICT.
  if (cursor.isSymbol('(')) cursor.skip();
  cursor.acceptOneOf('CASCADE', 'RESTRICT');
}
