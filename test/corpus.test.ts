import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Span } from '../server/src/engine/source';
import type { Statement } from '../server/src/engine/syntax/ast';
import { parseFile } from '../server/src/engine/syntax/parser';

/**
 * Parses real and synthetic Snowflake SQL from ../shared/corpus (see its README) and checks only
 * what must hold for any input: no throw, and spans that are inside the text, ordered and nested.
 */
const corpusDir = path.resolve(__dirname, '../../shared/corpus');
const folders = ['real', 'sqlfluff-snowflake'];

describe('parsing the shared corpus', () => {
  if (!folders.some((folder) => existsSync(path.join(corpusDir, folder)))) {
    it('passes with a warning because the shared corpus was not found', () => {
      console.warn(`Shared corpus was not found at ${corpusDir}; its parsing checks did not run.`);
    });

    return;
  }

  for (const folder of folders) {
    const dir = path.join(corpusDir, folder);
    describe(folder, () => {
      if (!existsSync(dir)) {
        it(`passes with a warning because corpus/${folder} was not found`, () => {
          console.warn(`Corpus folder ${dir} was not found; its parsing checks did not run.`);
        });

        return;
      }

      for (const file of sqlFiles(dir)) {
        it(`parses ${file} with every span inside the text, in order and inside its parent`, () => {
          const text = readFileSync(path.join(dir, file), 'utf8');
          const { statements, problems } = parseFile(text);
          const whole = { start: 0, end: text.length };
          const faults = [
            ...statementFaults(statements, whole, 'statement'),
            ...problems
              .filter((p) => !isInside(p, whole))
              .map((p) => `problem ${show(p)} is outside the text`),
          ];

          assert.deepEqual(faults, []);
        });
      }
    });
  }
});

/** `.sql` files under `dir`, as sorted paths relative to it with forward slashes. */
function sqlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.sql'))
    .map((file) => file.split(path.sep).join('/'))
    .sort();
}

/** Spans that leave their parent, run backwards, or overlap the sibling before them. */
function statementFaults(statements: readonly Statement[], parent: Span, label: string): string[] {
  const faults: string[] = [];
  let previousEnd = parent.start;
  for (const [index, statement] of statements.entries()) {
    const name = `${label} ${index} (${statement.kind} ${show(statement)})`;
    if (!isInside(statement, parent)) faults.push(`${name} is outside ${show(parent)}`);
    if (statement.start < previousEnd)
      faults.push(`${name} overlaps or precedes the one before it`);
    previousEnd = Math.max(previousEnd, statement.end);
    faults.push(...statementFaults(statement.nested ?? [], statement, `${name} > nested`));
  }

  return faults;
}

function isInside(span: Span, parent: Span): boolean {
  return parent.start <= span.start && span.start <= span.end && span.end <= parent.end;
}

function show(span: Span): string {
  return `[${span.start}, ${span.end})`;
}
