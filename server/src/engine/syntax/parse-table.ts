import type {
  AlterColumnAction,
  AlterTableAction,
  AlterTableStatement,
  ColumnDefinition,
  CreateTableStatement,
  CreateViewStatement,
  NamePart,
  ObjectName,
  PolicyReference,
  Property,
  QueryBody,
  TagAssignment,
} from './ast';
import { type Cursor, isKeyword, isNameToken, isSymbol } from './cursor';
import {
  parseColumnDefinition,
  parseColumnDefinitions,
  parsePolicyReference,
} from './parse-columns';
import { type CreateHeader, nameOf } from './parse-create';
import type { Token } from './tokens';

type Node<T> = Omit<T, 'start' | 'end'>;

/** True when a query starts here: `SELECT`, `WITH`, `(` … or a `$$` string is not one. */
function atQuery(cursor: Cursor): boolean {
  return cursor.is('SELECT') || cursor.is('WITH') || cursor.isSymbol('(');
}

/** Table and view clauses shared by CREATE TABLE and CREATE VIEW. */
interface TableClauses {
  rowAccessPolicy?: PolicyReference;
  aggregationPolicy?: PolicyReference;
  joinPolicy?: PolicyReference;
  tags: TagAssignment[];
  properties: Property[];
  copyGrants: boolean;
}

/**
 * Reads one policy, tag, `COPY GRANTS` or `KEY = value` clause; false when none starts here.
 * Sources: https://docs.snowflake.com/en/sql-reference/sql/create-table and …/create-view
 */
function readTableClause(cursor: Cursor, clauses: TableClauses): boolean {
  const clauseStart = cursor.peek() as Token;
  const withWord = cursor.is('WITH') ? 1 : 0;
  if (cursor.is('WITH', 'ROW') || cursor.is('ROW', 'ACCESS', 'POLICY')) {
    cursor.accept('WITH');
    cursor.expect('ROW', 'ACCESS', 'POLICY');
    clauses.rowAccessPolicy = parsePolicyReference(cursor, clauseStart, 'ON');
  } else if (isKeyword(cursor.peek(withWord), 'AGGREGATION') && isPolicyAt(cursor, withWord + 1)) {
    cursor.accept('WITH');
    cursor.expect('AGGREGATION', 'POLICY');
    clauses.aggregationPolicy = parsePolicyReference(cursor, clauseStart, 'ENTITY KEY');
  } else if (isKeyword(cursor.peek(withWord), 'JOIN') && isPolicyAt(cursor, withWord + 1)) {
    cursor.accept('WITH');
    cursor.expect('JOIN', 'POLICY');
    clauses.joinPolicy = parsePolicyReference(cursor, clauseStart, 'ALLOWED JOIN KEYS');
  } else if (cursor.accept('WITH', 'TAG') || (cursor.is('TAG', '(') && cursor.accept('TAG'))) {
    clauses.tags.push(...cursor.parseTagAssignments());
  } else if (cursor.accept('COPY', 'GRANTS')) {
    clauses.copyGrants = true;
  } else if (cursor.atProperty()) {
    clauses.properties.push(cursor.parseProperty());
  } else {
    return false;
  }

  return true;
}

function isPolicyAt(cursor: Cursor, ahead: number): boolean {
  return isKeyword(cursor.peek(ahead), 'POLICY');
}

/** CREATE [OR REPLACE | OR ALTER] [kind] TABLE, after the header has been read. */
export function parseCreateTable(cursor: Cursor, header: CreateHeader): Node<CreateTableStatement> {
  const name = cursor.parseName(nameOf(header));
  let columns: ColumnDefinition[] = [];
  let columnListEnd: number | undefined;
  const clauses: TableClauses = { tags: [], properties: [], copyGrants: false };
  let asQuery: QueryBody | undefined;
  let cloneOf: ObjectName | undefined;
  let likeOf: ObjectName | undefined;

  if (cursor.isSymbol('(')) {
    const list = parseColumnDefinitions(cursor, true);
    columns = list.columns;
    columnListEnd = list.end;
  }
  while (!cursor.atEnd) {
    if (readTableClause(cursor, clauses)) {
      continue;
    } else if (cursor.accept('CLONE')) {
      cloneOf = cursor.parseName();
    } else if (cursor.accept('LIKE')) {
      likeOf = cursor.parseName();
    } else if (cursor.is('AS') && !cursor.isSymbol('=', 1)) {
      cursor.next();
      asQuery = cursor.rest();
    } else if (atQuery(cursor) && columns.length === 0 && !cursor.isSymbol('(')) {
      asQuery = cursor.rest();
    } else {
      cursor.skip();
    }
  }

  return {
    kind: 'create-table',
    orReplace: header.orReplace,
    orAlter: header.orAlter,
    ifNotExists: header.ifNotExists,
    tableKind: header.modifiers.find((word) => TABLE_KINDS.has(word)),
    name,
    columns,
    columnListEnd,
    ...clauses,
    asQuery,
    cloneOf,
    likeOf,
  };
}

const TABLE_KINDS = new Set([
  'TRANSIENT',
  'TEMPORARY',
  'TEMP',
  'VOLATILE',
  'DYNAMIC',
  'EXTERNAL',
  'ICEBERG',
  'HYBRID',
  'EVENT',
]);

/** CREATE [SECURE] [RECURSIVE] [MATERIALIZED] VIEW, after the header has been read. */
export function parseCreateView(cursor: Cursor, header: CreateHeader): Node<CreateViewStatement> {
  const name = cursor.parseName(nameOf(header));
  let columns: ColumnDefinition[] = [];
  const clauses: TableClauses = { tags: [], properties: [], copyGrants: false };
  let query: QueryBody | undefined;

  while (!cursor.atEnd) {
    if (cursor.isSymbol('(') && columns.length === 0) {
      columns = parseColumnDefinitions(cursor, false).columns;
    } else if (readTableClause(cursor, clauses)) {
      continue;
    } else if (cursor.is('AS') && !cursor.isSymbol('=', 1)) {
      cursor.next();
      query = cursor.rest();
    } else {
      cursor.skip();
    }
  }

  return {
    kind: 'create-view',
    orReplace: header.orReplace,
    secure: header.modifiers.includes('SECURE'),
    materialized: header.objectType === 'MATERIALIZED VIEW',
    recursive: header.modifiers.includes('RECURSIVE'),
    ifNotExists: header.ifNotExists,
    name,
    columns,
    ...clauses,
    query,
  };
}

/** Words that begin an action on a column inside `ALTER TABLE … ALTER|MODIFY [COLUMN] c …`. */
const COLUMN_ACTION_STARTS = new Set(['SET', 'UNSET', 'DROP', 'TYPE', 'COMMENT', 'DATA']);

/** ALTER TABLE | VIEW | MATERIALIZED VIEW | DYNAMIC TABLE | EXTERNAL TABLE name action, … */
export function parseAlterTable(cursor: Cursor, objectType: string): Node<AlterTableStatement> {
  cursor.accept('IF', 'EXISTS');
  const name = cursor.parseName();
  const actions: AlterTableAction[] = [];

  while (!cursor.atEnd) {
    const start = cursor.peek() as Token;
    if (cursor.acceptOneOf('ALTER', 'MODIFY')) {
      actions.push(...parseColumnAlterations(cursor));
    } else if (cursor.accept('ADD', 'ROW', 'ACCESS', 'POLICY')) {
      const policy = parsePolicyReference(cursor, start, 'ON');
      actions.push({ type: 'add-row-access-policy', policy, start: start.start, end: policy.end });
    } else if (cursor.accept('DROP', 'ALL', 'ROW', 'ACCESS', 'POLICIES')) {
      actions.push({ type: 'drop-row-access-policy', start: start.start, end: cursor.last.end });
    } else if (cursor.accept('DROP', 'ROW', 'ACCESS', 'POLICY')) {
      const policy = cursor.parseName();
      actions.push({ type: 'drop-row-access-policy', policy, start: start.start, end: policy.end });
    } else if (cursor.accept('ADD')) {
      cursor.accept('COLUMN');
      cursor.accept('IF', 'NOT', 'EXISTS');
      // One ADD may add several columns: `ADD COLUMN a T, b T` (ALTER TABLE, tableColumnAction;
      // https://docs.snowflake.com/en/sql-reference/sql/alter-table). Each is an action.
      let from = start.start;
      do {
        const column = parseColumnDefinition(cursor, true);
        actions.push({ type: 'add-column', column, start: from, end: column.end });
        from = cursor.peek(1)?.start ?? column.end;
      } while (addsAnotherColumn(cursor) && cursor.acceptSymbol(','));
    } else if (cursor.accept('DROP')) {
      cursor.accept('COLUMN');
      cursor.accept('IF', 'EXISTS');
      const columns: NamePart[] = [cursor.parseNamePart()];
      while (cursor.acceptSymbol(',')) columns.push(cursor.parseNamePart());
      actions.push({ type: 'drop-column', columns, start: start.start, end: cursor.last.end });
    } else if (cursor.accept('RENAME', 'COLUMN')) {
      const from = cursor.parseNamePart();
      cursor.expect('TO');
      const to = cursor.parseNamePart();
      actions.push({ type: 'rename-column', from, to, start: start.start, end: to.end });
    } else if (cursor.accept('RENAME', 'TO')) {
      const newName = cursor.parseName();
      actions.push({ type: 'rename', newName, start: start.start, end: newName.end });
    } else if (cursor.accept('SWAP', 'WITH')) {
      const other = cursor.parseName();
      actions.push({ type: 'swap', other, start: start.start, end: other.end });
    } else if (cursor.accept('SET', 'TAG')) {
      const tags = cursor.parseTagAssignments();
      actions.push({ type: 'set-tags', tags, start: start.start, end: cursor.last.end });
    } else if (cursor.accept('UNSET', 'TAG')) {
      const tags = parseTagNames(cursor);
      actions.push({ type: 'unset-tags', tags, start: start.start, end: cursor.last.end });
    } else if (tablePolicyAhead(cursor)) {
      actions.push(parseTablePolicyAction(cursor, start));
    } else if (cursor.is('SET') && cursor.peek(1)?.kind === 'word' && cursor.isSymbol('=', 2)) {
      cursor.next();
      const properties: Property[] = [];
      while (cursor.atProperty()) {
        properties.push(cursor.parseProperty());
        cursor.acceptSymbol(',');
      }
      actions.push({
        type: 'set-properties',
        properties,
        start: start.start,
        end: cursor.last.end,
      });
    } else if (cursor.is('UNSET') && cursor.peek(1)?.kind === 'word') {
      cursor.next();
      const keys: NamePart[] = [cursor.parseNamePart()];
      while (cursor.isSymbol(',') && !startsTableAction(cursor)) {
        cursor.next();
        keys.push(cursor.parseNamePart());
      }
      actions.push({ type: 'unset-properties', keys, start: start.start, end: cursor.last.end });
    } else {
      cursor.skipUntil((token) => isSymbol(token, ','));
      actions.push({ type: 'other', start: start.start, end: cursor.last.end });
    }
    cursor.acceptSymbol(',');
  }

  return { kind: 'alter-table', objectType, name, actions };
}

/** `[COLUMN] c action [, [COLUMN] c2 action …]` after ALTER or MODIFY. */
function parseColumnAlterations(cursor: Cursor): AlterTableAction[] {
  const actions: AlterTableAction[] = [];
  do {
    const start = cursor.peek();
    cursor.accept('COLUMN');
    const column = cursor.parseNamePart();
    const action = parseColumnAction(cursor);
    actions.push({
      type: 'alter-column',
      column,
      action,
      start: start?.start ?? column.start,
      end: cursor.last.end,
    });
  } while (cursor.isSymbol(',') && startsColumnAlteration(cursor, 1) && cursor.acceptSymbol(','));

  return actions;
}

function parseColumnAction(cursor: Cursor): AlterColumnAction {
  const clauseStart = cursor.peek() as Token;
  if (cursor.accept('SET', 'MASKING', 'POLICY')) {
    const policy = parsePolicyReference(cursor, clauseStart, 'USING');

    return { type: 'set-masking-policy', policy };
  }
  if (cursor.accept('UNSET', 'MASKING', 'POLICY')) return { type: 'unset-masking-policy' };
  if (cursor.accept('SET', 'PROJECTION', 'POLICY')) {
    const policy = parsePolicyReference(cursor, clauseStart, 'USING');

    return { type: 'set-projection-policy', policy };
  }
  if (cursor.accept('UNSET', 'PROJECTION', 'POLICY')) return { type: 'unset-projection-policy' };
  if (cursor.accept('SET', 'TAG')) {
    const tags: TagAssignment[] = [];
    do {
      tags.push(cursor.parseTagAssignment());
    } while (
      cursor.isSymbol(',') &&
      !startsColumnAlteration(cursor, 1) &&
      cursor.acceptSymbol(',')
    );

    return { type: 'set-tags', tags };
  }
  if (cursor.accept('UNSET', 'TAG')) return { type: 'unset-tags', tags: parseTagNames(cursor) };

  cursor.skipUntil((token) => isSymbol(token, ','));

  return { type: 'other' };
}

/** `UNSET TAG a, b` — stops before a comma that starts the next column alteration. */
function parseTagNames(cursor: Cursor): ObjectName[] {
  const tags = [cursor.parseName()];
  while (cursor.isSymbol(',') && !startsColumnAlteration(cursor, 1) && !startsTableAction(cursor)) {
    cursor.next();
    tags.push(cursor.parseName());
  }

  return tags;
}

/** After a comma at `ahead`: `COLUMN x …` or `x SET …` starts another column alteration. */
function startsColumnAlteration(cursor: Cursor, ahead: number): boolean {
  if (isKeyword(cursor.peek(ahead), 'COLUMN')) return true;
  let index = ahead;
  // Skip a dotted name, then look at the word that follows it.
  while (isNameToken(cursor.peek(index))) {
    index++;
    if (!isSymbol(cursor.peek(index), '.')) break;
    index++;
  }
  const after = cursor.peek(index);

  return (
    index > ahead && after?.kind === 'word' && COLUMN_ACTION_STARTS.has(after.text.toUpperCase())
  );
}

/** `SET|UNSET AGGREGATION|JOIN POLICY` on the table itself. */
function tablePolicyAhead(cursor: Cursor): boolean {
  return (
    (cursor.is('SET') || cursor.is('UNSET')) &&
    isKeyword(cursor.peek(1), 'AGGREGATION', 'JOIN') &&
    isKeyword(cursor.peek(2), 'POLICY')
  );
}

/**
 * `SET AGGREGATION POLICY p [ENTITY KEY (…)] [FORCE]`, `SET JOIN POLICY p [FORCE]` and their
 * UNSET. Source: https://docs.snowflake.com/en/sql-reference/sql/alter-table
 */
function parseTablePolicyAction(cursor: Cursor, start: Token): AlterTableAction {
  const verb = cursor.next() as Token;
  const policyType = (cursor.next() as Token).keyword as 'AGGREGATION' | 'JOIN';
  cursor.expect('POLICY');
  if (isKeyword(verb, 'UNSET')) {
    return { type: 'unset-policy', policyType, start: start.start, end: cursor.last.end };
  }
  const keys = policyType === 'AGGREGATION' ? 'ENTITY KEY' : 'ALLOWED JOIN KEYS';
  const policy = parsePolicyReference(cursor, start, keys);

  return { type: 'set-policy', policyType, policy, start: start.start, end: policy.end };
}

/** After a column ADD adds: a comma and the next column's name, not another table action. */
function addsAnotherColumn(cursor: Cursor): boolean {
  return cursor.isSymbol(',') && isNameToken(cursor.peek(1)) && !startsTableAction(cursor);
}

function startsTableAction(cursor: Cursor): boolean {
  return isKeyword(cursor.peek(1), 'ADD', 'DROP', 'SET', 'UNSET', 'RENAME', 'ALTER', 'MODIFY');
}
