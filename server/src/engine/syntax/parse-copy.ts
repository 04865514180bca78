import type {
  CopyIntoStatement,
  CopyLocation,
  FileTransferStatement,
  InsertStatement,
  Literal,
  NamePart,
  Property,
  QueryBody,
} from './ast';
import type { NodeOf } from './context';
import { type Cursor, isKeyword, isSymbol, tokenValue } from './cursor';
import type { Token } from './tokens';

/**
 * COPY INTO target [(columns)] FROM source [PARTITION BY expr] options… — loads and unloads
 * alike. Sources: https://docs.snowflake.com/en/sql-reference/sql/copy-into-table and
 * https://docs.snowflake.com/en/sql-reference/sql/copy-into-location
 */
export function parseCopyInto(cursor: Cursor): NodeOf<CopyIntoStatement> {
  cursor.expect('COPY', 'INTO');
  const target = parseCopyLocation(cursor);
  const columns = cursor.isSymbol('(') ? cursor.parseColumnList() : [];
  // Without FROM, a load reads the table's own stage.
  const source: CopyLocation = cursor.accept('FROM')
    ? parseCopyLocation(cursor)
    : { type: 'stage', stage: '@%', start: cursor.last.end, end: cursor.last.end };
  const properties: Property[] = [];
  let partitionBy: QueryBody | undefined;
  while (!cursor.atEnd) {
    if (cursor.accept('PARTITION', 'BY')) {
      partitionBy = cursor.bodyUntil((_token, at) => at.atProperty());
      if (!partitionBy) throw cursor.error('expected the PARTITION BY expression');
    } else if (cursor.atProperty()) {
      properties.push(cursor.parseProperty());
    } else {
      // Copy options without `=` are rare (`VALIDATION_MODE` always has one); skip the word.
      cursor.skip();
    }
  }

  return { kind: 'copy-into', target, columns, source, partitionBy, properties };
}

function parseCopyLocation(cursor: Cursor): CopyLocation {
  const token = cursor.peek();
  if (!token) throw cursor.error('expected a table, stage or location');
  if (token.kind === 'stage') {
    cursor.next();

    return { type: 'stage', stage: token.text, start: token.start, end: token.end };
  }
  if (token.kind === 'string') {
    cursor.next();
    const value = tokenValue(token);
    // A quoted stage path, as needed when the path holds spaces.
    if (value.startsWith('@')) {
      return { type: 'stage', stage: value, start: token.start, end: token.end };
    }
    const url: Literal = { start: token.start, end: token.end, value, kind: 'string' };

    return { type: 'url', url, start: token.start, end: token.end };
  }
  if (cursor.isSymbol('(')) {
    const open = cursor.next() as Token;
    const query = cursor.bodyUntil((next) => isSymbol(next, ')'));
    if (!query) throw cursor.error('expected a query');
    cursor.expectSymbol(')');

    return { type: 'query', query, start: open.start, end: cursor.last.end };
  }
  const name = cursor.parseName();
  if (name.dynamic) return { type: 'dynamic', start: name.start, end: name.end };

  return { type: 'table', name, start: name.start, end: name.end };
}

/**
 * `PUT file://… @stage [options]` and `GET @stage file://… [options]`. The local path is an
 * unquoted `file://` URI or a quoted one (needed when it holds spaces).
 * Sources: https://docs.snowflake.com/en/sql-reference/sql/put and …/sql/get
 */
export function parseFileTransfer(cursor: Cursor): NodeOf<FileTransferStatement> {
  const direction = cursor.acceptOneOf('PUT', 'GET') as 'PUT' | 'GET';
  let localPath: Literal;
  let stage: CopyLocation;
  if (direction === 'PUT') {
    localPath = parseLocalPath(cursor);
    stage = parseCopyLocation(cursor);
  } else {
    stage = parseCopyLocation(cursor);
    localPath = parseLocalPath(cursor);
  }
  if (stage.type !== 'stage' && stage.type !== 'dynamic') {
    throw cursor.error(`expected a stage such as @my_stage for ${direction}`);
  }
  const properties = cursor.parseProperties();

  return { kind: 'file-transfer', direction, localPath, stage, properties };
}

function parseLocalPath(cursor: Cursor): Literal {
  const token = cursor.peek();
  if (token?.kind === 'file') {
    cursor.next();

    return { start: token.start, end: token.end, value: token.text, kind: 'string' };
  }
  const isValue = token?.kind === 'string' || token?.kind === 'variable';
  if (isValue || token?.kind === 'placeholder') return cursor.parseLiteral();
  throw cursor.error("expected a local file URI such as file:///tmp/data.csv or 'file://…'");
}

/** INSERT [OVERWRITE] INTO t [(columns)] query — only the query form matters for lineage. */
export function parseInsert(cursor: Cursor): NodeOf<InsertStatement> {
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
