import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  type QueryReader,
  analyzeQueryRead,
  readQueryWithParser,
} from '../server/src/engine/lineage/lineage';
import { readCommonSelect } from '../server/src/engine/lineage/select-reader';
import { withoutStarRenames } from '../server/src/engine/lineage/star-rename';
import type { ColumnLookup } from '../server/src/engine/lineage/types';
import { parseFile } from '../server/src/engine/syntax/parser';
import { generateMigration } from '../scripts/bench/generate';
import { randomSelect } from './helpers/random-select';

/**
 * The fast SELECT reader must either decline a query body or lead the lineage analysis to exactly
 * what node-sql-parser leads it to. Checked on every query body of the examples, the rule cases,
 * the shared corpus (when present) and generated migrations, under two column lookups: every
 * table unknown, and every table having every name the query mentions (so that `*` expands and
 * unqualified names find owners).
 */
const ROOT = path.resolve(__dirname, '..');
const CORPUS = path.resolve(ROOT, '../shared/corpus');

const onlyFast: QueryReader = (sql) => readCommonSelect(sql);

describe('fast SELECT reader against node-sql-parser', () => {
  const sources: [string, () => string[]][] = [
    ['examples', () => sqlTexts(path.join(ROOT, 'examples'))],
    ['rule cases', ruleCaseTexts],
    [
      'generated migrations',
      () => [1, 2, 3, 4, 5, 6, 7, 8].map((seed) => generateMigration(seed, 3)),
    ],
    ['shared corpus', () => sqlTexts(CORPUS)],
  ];
  for (const [name, texts] of sources) {
    it(`declines or agrees on every query body of the ${name}`, function () {
      if (name === 'shared corpus' && !existsSync(CORPUS)) {
        console.warn(
          `Shared corpus was not found at ${CORPUS}; its differential check was skipped.`,
        );
        this.skip();
      }
      const bodies = [...new Set(texts().flatMap(queryBodies))];
      const { read, mismatches } = compare(bodies);

      assert.deepEqual(mismatches, []);
      assert.ok(bodies.length > 0, `no query bodies found in the ${name}`);
      console.log(
        `      ${name}: ${read} of ${bodies.length} query bodies read without node-sql-parser`,
      );
    });
  }

  it('declines or agrees on random queries around the shapes it reads', () => {
    const runs = Number(process.env.SNOWGOV_FUZZ_RUNS ?? 1500);
    const first = Number(process.env.SNOWGOV_FUZZ_SEED ?? 1);
    const queries = Array.from({ length: runs }, (_, index) => randomSelect(first + index));
    const { read, mismatches } = compare(queries);

    assert.deepEqual(mismatches.slice(0, 5), []);
    assert.ok(read > runs / 20, `only ${read} of ${runs} random queries were read`);
    console.log(`      random: ${read} of ${runs} queries read without node-sql-parser`);
  });

  it('reads every view of the generated benchmark repositories itself', () => {
    const bodies = [...new Set(queryBodies(generateMigration(42, 4)))];
    const views = bodies.filter((body) => /^\s*WITH recent/.test(body));

    assert.ok(views.length > 0);
    assert.deepEqual(
      views.filter((body) => readCommonSelect(body) === undefined),
      [],
    );
  });

  it('declines what it does not model rather than guessing', () => {
    for (const sql of [
      'SELECT a FROM t -- comment',
      'SELECT $1 FROM @stage',
      'SELECT v:a.b FROM t',
      'SELECT SUM(DISTINCT a) FROM t',
      'SELECT a::VARIANT FROM t',
      'SELECT a FROM t NATURAL JOIN u',
      'SELECT a FROM t, LATERAL FLATTEN(input => t.v) f',
      'SELECT (a) FROM t',
      'SELECT COUNT(*) > 1 AND SUM(a) > 0 FROM t',
      'WITH RECURSIVE r AS (SELECT 1 AS n) SELECT n FROM r',
      'SELECT a FROM t; SELECT b FROM u',
    ]) {
      assert.equal(readCommonSelect(sql), undefined, sql);
    }
  });

  it('declines expressions nested thousands deep instead of running out of stack', () => {
    // Found by a helper trying the product: 1,500 parentheses made forbidden-projection fail.
    const deep = (depth: number): string => `${'('.repeat(depth)}a + 1${')'.repeat(depth)}`;
    assert.notEqual(readCommonSelect(`SELECT ${deep(20)} AS d FROM t`), undefined);
    assert.equal(readCommonSelect(`SELECT ${deep(5000)} AS d FROM t`), undefined);
    assert.equal(
      readCommonSelect(`SELECT f(${'g('.repeat(3000)}a${')'.repeat(3001)} FROM t`),
      undefined,
    );
    assert.equal(readCommonSelect(`SELECT ${'NOT '.repeat(50_000)}a AS d FROM t`), undefined);
  });
});

interface Comparison {
  readonly read: number;
  readonly mismatches: string[];
}

function compare(bodies: readonly string[]): Comparison {
  let read = 0;
  const mismatches: string[] = [];
  for (const body of bodies) {
    const renamed = withoutStarRenames(body);
    if (!renamed || readCommonSelect(renamed.sql) === undefined) continue;
    read++;
    for (const [lookupName, lookup] of lookups(body)) {
      const fast = analyzeQueryRead(body, lookup, onlyFast);
      const slow = analyzeQueryRead(body, lookup, readQueryWithParser);
      if (!isDeepEqual(fast, slow)) {
        mismatches.push(`${lookupName}: ${body}\n fast ${show(fast)}\n slow ${show(slow)}`);
      }
    }
  }

  return { read, mismatches };
}

function lookups(body: string): [string, ColumnLookup][] {
  const words = [...new Set(body.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [])].map((word) =>
    word.toUpperCase(),
  );

  return [
    ['unknown tables', () => undefined],
    ['tables with every mentioned name', () => words],
  ];
}

/** Every query text the front end hands to the lineage analysis (views, CTAS, INSERT, …). */
function queryBodies(text: string): string[] {
  const bodies: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);

      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const record = value as Record<string, unknown>;
    const body = record.text;
    if (
      typeof body === 'string' &&
      typeof record.start === 'number' &&
      /^\s*(select|with)\b/i.test(body)
    ) {
      bodies.push(body);
    }
    for (const child of Object.values(record)) visit(child);
  };
  visit(parseFile(text).statements);

  return bodies;
}

function sqlTexts(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => readFileSync(path.join(dir, file), 'utf8'));
}

interface RuleCase {
  readonly sql?: string;
  readonly files?: Record<string, string>;
}

function ruleCaseTexts(): string[] {
  const texts: string[] = [];
  const rulesDir = path.join(ROOT, 'rules');
  for (const rule of readdirSync(rulesDir)) {
    const file = path.join(rulesDir, rule, 'cases.yaml');
    if (!existsSync(file)) continue;
    const { cases } = parse(readFileSync(file, 'utf8')) as { cases?: RuleCase[] };
    for (const ruleCase of cases ?? []) {
      if (ruleCase.sql) texts.push(ruleCase.sql);
      texts.push(...Object.values(ruleCase.files ?? {}));
    }
  }

  return texts;
}

function isDeepEqual(a: unknown, b: unknown): boolean {
  try {
    assert.deepStrictEqual(a, b);

    return true;
  } catch {
    return false;
  }
}

function show(value: unknown): string {
  return JSON.stringify(value);
}
