import type { Span } from '../source';
import type { ColumnDefinition, Literal, PolicyReference, TagAssignment } from './ast';
import { type Cursor, ParseError, describeToken, isKeyword, isSymbol } from './cursor';
import type { Token } from './tokens';

/** Words that begin a table constraint rather than a column in a column list. */
const CONSTRAINT_STARTS = ['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'FOREIGN', 'CHECK'];

/** Multi-word type names that a column type may be spelled with. */
const TYPE_CONTINUATIONS: Record<string, string[][]> = {
  DOUBLE: [['PRECISION']],
  CHARACTER: [['VARYING']],
  CHAR: [['VARYING']],
  TIMESTAMP: [
    ['WITH', 'LOCAL', 'TIME', 'ZONE'],
    ['WITH', 'TIME', 'ZONE'],
    ['WITHOUT', 'TIME', 'ZONE'],
  ],
};

/**
 * Reads `( column, column, constraint, … )` of CREATE TABLE or CREATE VIEW.
 * `typed` is false for views and CTAS column lists, whose columns carry no data type.
 */
export function parseColumnDefinitions(
  cursor: Cursor,
  typed: boolean,
): { columns: ColumnDefinition[]; end: number } {
  cursor.expectSymbol('(');
  const columns: ColumnDefinition[] = [];
  while (!cursor.atEnd && !cursor.isSymbol(')')) {
    if (CONSTRAINT_STARTS.some((word) => cursor.is(word))) {
      cursor.skipUntil((token) => isSymbol(token, ',') || isSymbol(token, ')'));
    } else {
      columns.push(parseColumnDefinition(cursor, typed));
    }
    if (!cursor.acceptSymbol(',')) break;
  }
  const close = cursor.expectSymbol(')');

  return { columns, end: close.start };
}

/** One column: name, type, and the governance clauses that may follow in any order. */
export function parseColumnDefinition(cursor: Cursor, typed: boolean): ColumnDefinition {
  const name = cursor.parseNamePart('a column name');
  if (typed && name.placeholder && atColumnEnd(cursor)) {
    // `({{ columns }})`: the columns, and whatever personal data they hold, are not known yet.
    const message =
      `${describeToken(cursor.last)} stands for column definitions, ` +
      'which are known only once the template is rendered';
    throw new ParseError(message, cursor.last);
  }
  let dataType: string | undefined;
  let dataTypeSpan: Span | undefined;
  if (typed && !atColumnEnd(cursor) && !atColumnClause(cursor)) {
    const typeStart = cursor.position;
    dataTypeSpan = readDataType(cursor);
    dataType = cursor.typeSince(typeStart);
  }

  let maskingPolicy: PolicyReference | undefined;
  let projectionPolicy: PolicyReference | undefined;
  const tags: TagAssignment[] = [];
  let comment: Literal | undefined;
  let laterClauseStart: number | undefined;
  while (!atColumnEnd(cursor)) {
    const clauseStart = cursor.peek() as Token;
    if (cursor.accept('WITH', 'MASKING', 'POLICY') || cursor.accept('MASKING', 'POLICY')) {
      maskingPolicy = parsePolicyReference(cursor, clauseStart, 'USING');
    } else if (
      cursor.accept('WITH', 'PROJECTION', 'POLICY') ||
      cursor.accept('PROJECTION', 'POLICY')
    ) {
      laterClauseStart ??= clauseStart.start;
      projectionPolicy = parsePolicyReference(cursor, clauseStart, 'USING');
    } else if (cursor.accept('WITH', 'TAG') || cursor.accept('TAG')) {
      laterClauseStart ??= clauseStart.start;
      tags.push(...cursor.parseTagAssignments());
    } else if (cursor.accept('COMMENT')) {
      cursor.acceptSymbol('=');
      comment = cursor.parseLiteral();
    } else {
      cursor.skip();
    }
  }

  return {
    start: name.start,
    end: cursor.last.end,
    name,
    dataType,
    dataTypeSpan,
    maskingPolicy,
    projectionPolicy,
    tags,
    comment,
    policyInsertAt: laterClauseStart ?? cursor.last.end,
  };
}

/** After `… POLICY`: the policy name, then its columns (`USING (…)`, `ON (…)`, …) and `FORCE`. */
export function parsePolicyReference(
  cursor: Cursor,
  clauseStart: Span,
  columnsKeyword: 'USING' | 'ON' | 'ENTITY KEY' | 'ALLOWED JOIN KEYS',
): PolicyReference {
  const policy = cursor.parseName('the policy name');
  const columns = cursor.accept(...columnsKeyword.split(' ')) ? cursor.parseColumnList() : [];
  const force = cursor.accept('FORCE');

  return { start: clauseStart.start, end: cursor.last.end, policy, columns, force };
}

function atColumnEnd(cursor: Cursor): boolean {
  return cursor.atEnd || cursor.isSymbol(',') || cursor.isSymbol(')');
}

function atColumnClause(cursor: Cursor): boolean {
  return cursor.is('WITH') || cursor.is('MASKING', 'POLICY') || cursor.is('TAG', '(');
}

/** Reads a type such as `NUMBER(38, 0)`, `TIMESTAMP WITH TIME ZONE` or `ARRAY(VARCHAR)`. */
function readDataType(cursor: Cursor): Span {
  const first = cursor.next() as Token;
  const continuations = TYPE_CONTINUATIONS[first.text.toUpperCase()] ?? [];
  for (const words of continuations) {
    if (cursor.accept(...words)) break;
  }
  if (cursor.isSymbol('(')) cursor.skip();

  return { start: first.start, end: cursor.last.end };
}

export function isTagClause(token: Token | undefined): boolean {
  return isKeyword(token, 'TAG');
}
