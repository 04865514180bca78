import { type Cursor, ParseError, keywordOf } from './cursor';
import { readObjectType } from './object-types';

/** What a CREATE statement's name is called in messages: `the name of the masking policy`. */
export function nameOf(header: CreateHeader): string {
  return `the name of the ${header.objectType.toLowerCase() || 'object'}`;
}

/** What precedes the name in a CREATE statement. */
export interface CreateHeader {
  readonly orReplace: boolean;
  readonly orAlter: boolean;
  readonly ifNotExists: boolean;
  /** Words between CREATE and the object kind: SECURE, TRANSIENT, TEMPORARY, RECURSIVE, … */
  readonly modifiers: readonly string[];
  /** Single-spaced upper-case kind: `TABLE`, `MASKING POLICY`, `STORAGE INTEGRATION`, … */
  readonly objectType: string;
  /** A problem Snowflake itself would raise on this header, reported without failing the parse. */
  readonly problem?: ParseError;
}

/** Words between CREATE (and OR REPLACE / OR ALTER) and the object kind. */
export const CREATE_MODIFIERS: ReadonlySet<string> = new Set([
  'SECURE',
  'TRANSIENT',
  'TEMPORARY',
  'TEMP',
  'VOLATILE',
  'LOCAL',
  'GLOBAL',
  'RECURSIVE',
  'DYNAMIC',
  'ICEBERG',
  'HYBRID',
  'EVENT',
  // `CREATE OR ALTER VERSIONED SCHEMA` in native app setup scripts.
  'VERSIONED',
]);

/** Kinds that a leading modifier belongs to, so `DYNAMIC TABLE` reads as a kind of TABLE. */
const KIND_MODIFIERS = new Set(['DYNAMIC', 'ICEBERG', 'HYBRID', 'EVENT', 'EXTERNAL']);

export function parseCreateHeader(cursor: Cursor): CreateHeader {
  const createToken = cursor.peek();
  cursor.expect('CREATE');
  const orReplace = cursor.accept('OR', 'REPLACE');
  const orAlter = !orReplace && cursor.accept('OR', 'ALTER');
  const modifiers: string[] = [];
  for (;;) {
    const word = keywordOf(cursor.peek());
    if (word === undefined || !CREATE_MODIFIERS.has(word)) break;
    // `CREATE EVENT TABLE` and `CREATE DYNAMIC TABLE` keep their kind; others are modifiers only.
    modifiers.push(word);
    cursor.next();
  }
  // `EXTERNAL` is both a modifier (EXTERNAL TABLE) and part of kinds (EXTERNAL ACCESS INTEGRATION).
  if (cursor.is('EXTERNAL', 'TABLE')) {
    modifiers.push('EXTERNAL');
    cursor.next();
  }
  const objectType = readObjectType(cursor) ?? '';
  const ifNotExists = cursor.accept('IF', 'NOT', 'EXISTS');
  const problem =
    orReplace && ifNotExists && createToken
      ? new ParseError(
          'OR REPLACE and IF NOT EXISTS cannot be used together; Snowflake rejects this ' +
            'statement. Keep one of them.',
          { start: createToken.start, end: cursor.last.end },
        )
      : undefined;

  return {
    orReplace,
    orAlter,
    ifNotExists,
    modifiers: modifiers.filter((word) => !KIND_MODIFIERS.has(word) || word !== objectType),
    objectType,
    problem,
  };
}
