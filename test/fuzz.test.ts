/**
 * Property tests: the engine never throws, ends in bounded time, keeps every range inside the
 * document, and every fix parses, removes its finding and leaves nothing more to fix. A few
 * hundred runs here; `npm run fuzz` sets SNOWGOV_FUZZ_RUNS to run them at length.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { allRules } from '../rules';
import { generateMigration } from '../scripts/bench/generate';
import { type Finding, Workspace, applyEdits } from '../server/src/engine';
import { parseFile } from '../server/src/engine/syntax/parser';

const RUNS = Number(process.env.SNOWGOV_FUZZ_RUNS ?? 150);
/** Generous for a 2-core CI machine; a hang or a quadratic blow-up takes far longer. */
const TIME_BOUND_MS = 3000;
const CORPUS = resolve(__dirname, '..', '..', 'shared', 'corpus', 'real');

const VOCABULARY = [
  'CREATE',
  'OR',
  'REPLACE',
  'TABLE',
  'VIEW',
  'SECURE',
  'MASKING',
  'POLICY',
  'ROW',
  'ACCESS',
  'TAG',
  'STAGE',
  'GRANT',
  'REVOKE',
  'SELECT',
  'USAGE',
  'OWNERSHIP',
  'ON',
  'TO',
  'ROLE',
  'USER',
  'PUBLIC',
  'ACCOUNTADMIN',
  'USE',
  'ALTER',
  'MODIFY',
  'COLUMN',
  'SET',
  'UNSET',
  'WITH',
  'AS',
  'FROM',
  'JOIN',
  'WHERE',
  'GROUP',
  'BY',
  'COPY',
  'INTO',
  'INSERT',
  'PROCEDURE',
  'RETURNS',
  'LANGUAGE',
  'SQL',
  'BEGIN',
  'END',
  'IF',
  'THEN',
  'FOR',
  'DECLARE',
  'EXECUTE',
  'IMMEDIATE',
  'URL',
  '=',
  "'s3://bucket/path/'",
  'STORAGE_INTEGRATION',
  'CREDENTIALS',
  '(',
  ')',
  ',',
  ';',
  '.',
  '$$',
  '->',
  'email',
  'ssn',
  'phone_number',
  'first_name',
  'db.sch.customers',
  'val',
  'VARCHAR',
  'DATE',
  'NUMBER(38, 0)',
  'CASE',
  'WHEN',
  'ELSE',
  "'***'",
  '"Quoted ""id"""',
  '@stage/path',
  '&{var}',
  '{{ jinja }}',
  '${flyway}',
  '{{ unclosed',
  '{% endif %}',
  '-- snowgov-ignore grant-to-user: reason',
  '/* c */',
  '\n',
  ' ',
  '\t',
  "'unterminated",
  '"unterminated',
  '$$ unterminated',
  'IDENTIFIER($x)',
];

const tokenSoup = fc
  .array(fc.constantFrom(...VOCABULARY), { maxLength: 120 })
  .map((tokens) => tokens.join(' '));

const deepNesting = fc
  .tuple(fc.integer({ min: 1, max: 3000 }), fc.constantFrom('(', 'BEGIN ', 'CASE WHEN ', '$$'))
  .map(([depth, open]) => `SELECT ${open.repeat(depth)}email FROM t;`);

const hugeIdentifier = fc
  .tuple(fc.integer({ min: 1, max: 200_000 }), fc.constantFrom('"', ''))
  .map(
    ([length, quote]) => `GRANT SELECT ON TABLE ${quote}${'a'.repeat(length)}${quote} TO USER u;`,
  );

const loneSurrogates = fc
  .array(fc.constantFrom('\uD800', '\uDFFF', 'é', '\u0000', '\r', '\r\n', 'x', "'", '"', '$$'), {
    maxLength: 60,
  })
  .map((chars) => `CREATE TABLE t (${chars.join('')} VARCHAR);`);

function corpusTexts(): string[] {
  if (!existsSync(CORPUS)) return [];
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.sql')) out.push(readFileSync(path, 'utf8'));
    }
  };
  walk(CORPUS);

  return out;
}

const seeds = [
  generateMigration(1),
  readFileSync(
    resolve(__dirname, '..', 'examples', 'migrations', 'V1.1.0__crm_tables.sql'),
    'utf8',
  ),
  ...corpusTexts(),
];

/** A seed text cut, spliced and sprinkled with vocabulary: mostly-valid SQL gone wrong. */
const mutated = fc
  .tuple(
    fc.integer({ min: 0, max: seeds.length - 1 }),
    fc.array(fc.tuple(fc.nat(), fc.nat({ max: 200 }), fc.constantFrom('', ...VOCABULARY)), {
      maxLength: 8,
    }),
    fc.option(fc.nat(), { nil: undefined }),
  )
  .map(([index, edits, cut]) => {
    let text = seeds[index];
    for (const [at, length, insert] of edits) {
      const start = at % (text.length + 1);
      text = text.slice(0, start) + insert + text.slice(start + length);
    }

    return cut === undefined ? text : text.slice(0, cut % (text.length + 1));
  });

const anyText = fc.oneof(
  tokenSoup,
  mutated,
  deepNesting,
  hugeIdentifier,
  loneSurrogates,
  fc.string({ unit: 'binary', maxLength: 300 }),
);

function analyze(text: string): Finding[] {
  const workspace = new Workspace(allRules, undefined, undefined, { now: () => new Date(0) });
  workspace.setFile('fuzz.sql', text);

  return [...(workspace.analyze().findings.get('fuzz.sql') ?? [])];
}

function assertInside(text: string, finding: Finding): void {
  const { start, end } = finding.span;
  assert.ok(
    0 <= start && start <= end && end <= text.length,
    `${finding.ruleId} span ${start}-${end} of ${text.length}`,
  );
  const lines = text.split(/\r\n|\r|\n/);
  for (const position of [finding.start, finding.end]) {
    assert.ok(position.line < lines.length, `${finding.ruleId} line ${position.line}`);
    assert.ok(position.character <= lines[position.line].length, `${finding.ruleId} column`);
  }
}

const key = (finding: Finding): string => `${finding.ruleId}\u0000${finding.message}`;

describe('fuzzing the engine', function () {
  this.timeout(Math.max(20_000, RUNS * 200));

  it('never throws, ends in bounded time and keeps every range inside the document', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const started = performance.now();
        const findings = analyze(text);
        const elapsed = performance.now() - started;
        assert.ok(elapsed < TIME_BOUND_MS, `analysis took ${elapsed.toFixed(0)} ms`);
        for (const finding of findings) assertInside(text, finding);
      }),
      {
        numRuns: RUNS,
        seed: process.env.SNOWGOV_FUZZ_SEED ? Number(process.env.SNOWGOV_FUZZ_SEED) : undefined,
      },
    );
  });

  it('applies every fix to SQL that parses, without its finding, with nothing left to redo', () => {
    const migrations = fc
      .integer({ min: 1, max: 1_000_000 })
      .map((seed) => generateMigration(seed));
    fc.assert(
      fc.property(migrations, (text) => {
        const problemsBefore = parseFile(text).problems.length;
        const findings = analyze(text);
        for (const finding of findings) {
          for (const fix of finding.fixes) {
            const own = fix.edits.filter((edit) => edit.path === finding.path);
            const fixed = applyEdits(text, own);
            assert.equal(parseFile(fixed).problems.length, problemsBefore, `${fix.title} parses`);
            const after = analyze(fixed);
            const count = (list: Finding[]) => list.filter((f) => key(f) === key(finding)).length;
            assert.ok(count(after) < count(findings), `${fix.title} removes ${finding.ruleId}`);
            // Idempotent: the fixed text asks for this fix fewer times (other findings may still
            // want a fix of the same title), so applying it again has nothing left to do.
            const titled = (list: Finding[]) =>
              list.flatMap((f) => f.fixes).filter((f) => f.title === fix.title).length;
            assert.ok(titled(after) < titled(findings), `${fix.title} is offered as often after`);
          }
        }
      }),
      { numRuns: Math.max(5, Math.round(RUNS / 10)) },
    );
  });
});
