import assert from 'node:assert/strict';
import type { Span } from '../../server/src/engine/source';
import type { ObjectName, Statement, StatementKind } from '../../server/src/engine/syntax/ast';
import { lex } from '../../server/src/engine/syntax/lexer';
import { parseFile } from '../../server/src/engine/syntax/parser';

/** The span of the `occurrence`-th (zero-based) appearance of `needle` in `text`. */
export function spanOf(text: string, needle: string, occurrence = 0): Span {
  let start = -1;
  for (let seen = 0; seen <= occurrence; seen++) {
    start = text.indexOf(needle, start + 1);
    assert.ok(
      start >= 0,
      `test setup: ${JSON.stringify(needle)} occurs fewer than ${seen + 1} times`,
    );
  }

  return { start, end: start + needle.length };
}

/** Just the offsets of a node, so that spans compare without the node's other fields. */
export function rangeOf(node: Span): Span {
  return { start: node.start, end: node.end };
}

/** The resolved parts of a name: `db."Sch".t` gives `['DB', 'Sch', 'T']`. */
export function partsOf(name: ObjectName | undefined): string[] {
  return name?.parts.map((part) => part.value) ?? [];
}

/** The statement node of a kind; `create-user` and `alter-user` share one node type. */
export type StatementOf<K extends StatementKind> = Statement extends infer S
  ? S extends { readonly kind: infer Kind }
    ? K extends Kind
      ? S
      : never
    : never
  : never;

/** Asserts the statement kind and narrows the type, so tests read the node's fields directly. */
export function expectKind<K extends StatementKind>(
  statement: Statement | undefined,
  kind: K,
): StatementOf<K> {
  assert.ok(statement, `expected a ${kind} statement, found none`);
  assert.equal(statement.kind, kind, `statement kind for ${JSON.stringify(statement)}`);

  return statement as StatementOf<K>;
}

/** Parses text that must hold exactly one statement and no problems. */
export function parseOne(text: string): Statement {
  const parsed = parseFile(text);
  assert.deepEqual(parsed.problems, [], 'no syntax problems');
  assert.equal(parsed.statements.length, 1, 'exactly one statement');

  return parsed.statements[0];
}

/** Parses text that must have no problems, and returns its top-level statements. */
export function parseMany(text: string): readonly Statement[] {
  const parsed = parseFile(text);
  assert.deepEqual(parsed.problems, [], 'no syntax problems');

  return parsed.statements;
}

/** Every statement with its nested statements after it, depth first, in source order. */
export function flatten(statements: readonly Statement[]): Statement[] {
  return statements.flatMap((statement) => [statement, ...flatten(statement.nested ?? [])]);
}

/** One-based line number of an offset. */
export function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

/**
 * The same SQL with a comment between every two tokens, block and line comments in turn, each
 * holding a semicolon that must not end anything.
 */
export function withCommentsBetweenTokens(sql: string): string {
  const { tokens } = lex(sql);

  return tokens
    .map((token, i) => {
      if (i === tokens.length - 1) return token.text;

      return token.text + (i % 2 === 0 ? ' /* x; */ ' : ' -- x;\n');
    })
    .join('');
}

/** The same SQL with every unquoted word in alternating case: `GrAnT sElEcT`. */
export function withMixedCase(sql: string): string {
  let out = '';
  let at = 0;
  for (const token of lex(sql).tokens) {
    out += sql.slice(at, token.start);
    out +=
      token.kind === 'word'
        ? [...token.text].map((ch, i) => (i % 2 ? ch.toLowerCase() : ch.toUpperCase())).join('')
        : token.text;
    at = token.end;
  }

  return out + sql.slice(at);
}

/**
 * What a statement says, without where it says it: spans and source texts are dropped, and
 * values spelled as bare words are upper-cased, as Snowflake reads them.
 */
export function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shapeOf);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).filter(([key]) => !SPAN_KEYS.has(key));
  const isWord = (value as { kind?: unknown }).kind === 'word';

  return Object.fromEntries(
    entries.map(([key, field]) => [
      key,
      key === 'value' && isWord && typeof field === 'string' ? field.toUpperCase() : shapeOf(field),
    ]),
  );
}

const SPAN_KEYS = new Set([
  'start',
  'end',
  'keySpan',
  'valueSpan',
  'onSpan',
  'dataTypeSpan',
  'text',
  'columnListEnd',
  'policyInsertAt',
]);

/**
 * Parses `sql` as written, with comments between all its tokens and in mixed case, and asserts
 * that all three read alike and without problems. Returns the statement as written.
 */
export function parseInEveryForm(sql: string): Statement {
  const plain = parseOne(sql);
  for (const variant of [withCommentsBetweenTokens(sql), withMixedCase(sql)]) {
    const parsed = parseFile(variant);
    assert.deepEqual(parsed.problems, [], `no problems in ${JSON.stringify(variant)}`);
    assert.equal(parsed.statements.length, 1, `one statement in ${JSON.stringify(variant)}`);
    assert.deepEqual(shapeOf(parsed.statements[0]), shapeOf(plain), `same reading of ${variant}`);
    assert.equal(parsed.statements[0].start, 0);
    assert.equal(parsed.statements[0].end, variant.length);
  }

  return plain;
}
