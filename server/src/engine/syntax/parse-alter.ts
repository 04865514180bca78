import type {
  AlterAction,
  AlterObjectStatement,
  AlterPolicyStatement,
  AlterTagStatement,
  Literal,
  NamePart,
  ObjectName,
  Property,
} from './ast';
import type { NodeOf } from './context';
import { type Cursor, isKeyword, isNameToken, keywordOf } from './cursor';
import { readObjectType } from './object-types';
import type { Token } from './tokens';

/** Kinds whose ALTER may leave the name out and change the current account or session. */
const UNNAMED_KINDS = new Set(['ACCOUNT', 'SESSION']);

/**
 * ALTER of any kind without a parser of its own: ACCOUNT, SESSION, ROLE, DATABASE ROLE,
 * DATABASE, SCHEMA, STAGE, integrations, NETWORK RULE, SHARE, WAREHOUSE, …
 */
export function parseAlterObject(cursor: Cursor): NodeOf<AlterObjectStatement> {
  cursor.expect('ALTER');
  const objectType = readObjectType(cursor);
  if (objectType === undefined) throw cursor.error('expected the kind of object to alter');
  const ifExists = cursor.accept('IF', 'EXISTS');
  // `ALTER ACCOUNT SET …`, `ALTER SESSION SET …` and `ALTER WAREHOUSE SET x = y` change the
  // current account, session or warehouse and name none.
  const unnamed =
    (UNNAMED_KINDS.has(objectType) && (cursor.is('SET') || cursor.is('UNSET'))) ||
    ((cursor.is('SET') || cursor.is('UNSET')) && isPropertyAt(cursor, 1));
  const name = unnamed ? undefined : cursor.parseName(`the ${objectType.toLowerCase()} to alter`);
  // Argument types of a function or procedure: `ALTER FUNCTION f(NUMBER) …`.
  if (cursor.isSymbol('(')) cursor.skip();
  const actions = parseAlterActions(cursor);

  return { kind: 'alter-object', objectType, name, ifExists, actions };
}

/** ALTER <kind> POLICY [IF EXISTS] name action, for every kind of policy. */
export function parseAlterPolicy(cursor: Cursor): NodeOf<AlterPolicyStatement> {
  cursor.expect('ALTER');
  const words: string[] = [];
  while (!cursor.atEnd && !cursor.is('POLICY')) words.push(keywordOf(cursor.next()) ?? '');
  cursor.expect('POLICY');
  cursor.accept('IF', 'EXISTS');
  const name = cursor.parseName();
  const actions = parseAlterActions(cursor);
  const body = actions.find((action) => action.type === 'set-body');
  const rename = actions.find((action) => action.type === 'rename');

  return {
    kind: 'alter-policy',
    policyType: words.join(' '),
    name,
    body: body?.type === 'set-body' ? body.body : undefined,
    renameTo: rename?.type === 'rename' ? rename.newName : undefined,
    actions,
  };
}

/** ALTER TAG t SET MASKING POLICY p [, MASKING POLICY q] [FORCE] | UNSET … | other actions. */
export function parseAlterTag(cursor: Cursor): NodeOf<AlterTagStatement> {
  cursor.accept('IF', 'EXISTS');
  const name = cursor.parseName();
  const actions = parseAlterActions(cursor);
  const policies = (type: 'set-policy' | 'unset-policy'): ObjectName[] =>
    actions.flatMap((action) =>
      action.type === type && action.policyType === 'MASKING' && action.policy
        ? [action.policy]
        : [],
    );

  return {
    kind: 'alter-tag',
    name,
    setMaskingPolicies: policies('set-policy'),
    unsetMaskingPolicies: policies('unset-policy'),
    actions,
  };
}

/** The actions after the name of an ALTER statement, up to its end. */
export function parseAlterActions(cursor: Cursor): AlterAction[] {
  const actions: AlterAction[] = [];
  if (cursor.atEnd) throw cursor.error('expected an action such as SET, UNSET or RENAME TO');
  while (!cursor.atEnd) {
    actions.push(...parseAlterAction(cursor));
    cursor.acceptSymbol(',');
  }

  return actions;
}

function parseAlterAction(cursor: Cursor): AlterAction[] {
  const first = cursor.peek() as Token;
  const span = (): { start: number; end: number } => ({ start: first.start, end: cursor.last.end });
  const policyType = policyKindAfterVerb(cursor);

  if (policyType !== undefined) return parsePolicyActions(cursor, policyType, first);
  if (cursor.accept('SET', 'TAG')) {
    const tags = cursor.parseTagAssignments();

    return [{ type: 'set-tags', tags, ...span() }];
  }
  if (cursor.accept('UNSET', 'TAG')) {
    const tags: ObjectName[] = [];
    do tags.push(cursor.parseName());
    while (cursor.acceptSymbol(','));

    return [{ type: 'unset-tags', tags, ...span() }];
  }
  if (cursor.is('SET', 'BODY')) {
    cursor.next();
    cursor.next();
    cursor.expectSymbol('->');
    const body = cursor.bodyUntil(atTrailingPolicyOption);
    if (!body) throw cursor.error('expected the policy body after ->');

    return [{ type: 'set-body', body, ...span() }];
  }
  if ((cursor.is('SET') || cursor.is('UNSET')) && cursor.peek(1) === undefined) {
    cursor.next();
    throw cursor.error(`expected what to ${keywordOf(first)?.toLowerCase()}, such as KEY = value`);
  }
  if (cursor.is('SET') && isPropertyAt(cursor, 1)) {
    cursor.next();

    return [{ type: 'set', properties: readProperties(cursor), ...span() }];
  }
  if (cursor.is('UNSET') && isNameAt(cursor, 1)) {
    cursor.next();
    const keys: NamePart[] = [];
    do keys.push(cursor.parseNamePart());
    while (cursor.acceptSymbol(','));

    return [{ type: 'unset', keys, ...span() }];
  }
  if (cursor.accept('RENAME', 'TO')) {
    const newName = cursor.parseName();

    return [{ type: 'rename', newName, ...span() }];
  }
  const toggle = cursor.acceptOneOf('ENABLE', 'DISABLE');
  if (toggle && cursor.accept('MANAGED', 'ACCESS')) {
    return [{ type: 'managed-access', enabled: toggle === 'ENABLE', ...span() }];
  }
  if (toggle) cursor.position--;
  const change = cursor.acceptOneOf('ADD', 'REMOVE', 'DROP');
  if (change && (cursor.atProperty() || cursor.is('ALLOWED_VALUES'))) {
    const keyToken = cursor.next() as Token;
    cursor.acceptSymbol('=');
    const values: Literal[] = cursor.parseLiteralList();
    const type = change === 'ADD' ? 'add-values' : 'remove-values';

    return [{ type, key: keyToken.keyword ?? keyToken.text, values, ...span() }];
  }
  if (change) cursor.position--;

  // The long tail: RESUME, SUSPEND, SWAP WITH, REFRESH, ENABLE REPLICATION, … up to the end.
  const words: string[] = [];
  while (!cursor.atEnd) {
    const word = keywordOf(cursor.peek());
    if (word !== undefined && words.length < 4) words.push(word);
    cursor.skip();
  }

  return [{ type: 'other', words, ...span() }];
}

/**
 * `SET <kind> POLICY p [FORCE] [, <kind> POLICY q …]` and `UNSET <kind> POLICY [p, …]`, as on
 * accounts, users and tags. `SET NETWORK_POLICY = p` is a property, not one of these.
 */
function parsePolicyActions(cursor: Cursor, policyType: string, first: Token): AlterAction[] {
  const verb = cursor.next() as Token;
  const actions: AlterAction[] = [];
  let start = first.start;
  do {
    for (let i = 0; i < policyType.split(' ').length + 1; i++) cursor.next();
    const policy = atActionEnd(cursor) ? undefined : cursor.parseName();
    const force = cursor.accept('FORCE');
    const end = cursor.last.end;
    if (isKeyword(verb, 'SET')) {
      if (!policy) throw cursor.error(`expected the ${policyType.toLowerCase()} policy's name`);
      actions.push({ type: 'set-policy', policyType, policy, force, start, end });
    } else {
      actions.push({ type: 'unset-policy', policyType, policy, start, end });
    }
    start = cursor.peek(1)?.start ?? end;
  } while (
    cursor.isSymbol(',') &&
    isPolicyKindAt(cursor, 1, policyType) &&
    cursor.acceptSymbol(',')
  );

  return actions;
}

/** The policy kind when the next tokens are `SET|UNSET <kind> POLICY`. */
function policyKindAfterVerb(cursor: Cursor): string | undefined {
  if (!cursor.is('SET') && !cursor.is('UNSET')) return undefined;
  for (const length of [1, 2]) {
    const words: string[] = [];
    for (let i = 1; i <= length; i++) words.push(keywordOf(cursor.peek(i)) ?? '');
    if (words.every((word) => word !== '') && isKeyword(cursor.peek(length + 1), 'POLICY')) {
      return words.join(' ');
    }
  }

  return undefined;
}

function isPolicyKindAt(cursor: Cursor, ahead: number, policyType: string): boolean {
  const words = policyType.split(' ');

  return (
    words.every((word, i) => keywordOf(cursor.peek(ahead + i)) === word) &&
    isKeyword(cursor.peek(ahead + words.length), 'POLICY')
  );
}

function atActionEnd(cursor: Cursor): boolean {
  return cursor.atEnd || cursor.isSymbol(',') || cursor.is('FORCE');
}

function isPropertyAt(cursor: Cursor, ahead: number): boolean {
  const token = cursor.peek(ahead);

  return token?.kind === 'word' && cursor.isSymbol('=', ahead + 1);
}

function isNameAt(cursor: Cursor, ahead: number): boolean {
  return isNameToken(cursor.peek(ahead));
}

/** `KEY = value [,] KEY = value …` after SET. */
function readProperties(cursor: Cursor): Property[] {
  const properties: Property[] = [];
  while (cursor.atProperty()) {
    properties.push(cursor.parseProperty());
    cursor.acceptSymbol(',');
  }

  return properties;
}

/** Policy bodies end where `COMMENT = …` or `EXEMPT_OTHER_POLICIES = …` begins. */
export function atTrailingPolicyOption(token: Token, cursor: Cursor): boolean {
  return isKeyword(token, 'COMMENT', 'EXEMPT_OTHER_POLICIES') && cursor.isSymbol('=', 1);
}
