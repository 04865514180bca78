import assert from 'node:assert/strict';
import type { Span } from '../../server/src/engine/source';
import type { ObjectName, Statement, StatementKind } from '../../server/src/engine/syntax/ast';
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
