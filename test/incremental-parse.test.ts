/**
 * The parse after an edit reuses every statement whose text did not change, and must equal a
 * fresh parse of the new text whatever the edit: property tests with random edits on migrations,
 * real scripts and token soup. `SNOWGOV_FUZZ_RUNS` raises the number of runs.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { generateMigration } from '../scripts/bench/generate';
import { EditableParse } from '../server/src/engine/syntax/incremental';
import { parseFile } from '../server/src/engine/syntax/parser';

const RUNS = Number(process.env.SNOWGOV_FUZZ_RUNS ?? 150);
const CORPUS = resolve(__dirname, '..', '..', 'shared', 'corpus', 'real');

/** What an edit inserts: mostly the pieces that change how text lexes, splits and nests. */
const INSERTS = [
  '',
  'x',
  ' ',
  '\n',
  '\r\n',
  ';',
  ';\n',
  "'",
  '"',
  '$$',
  '/*',
  '*/',
  '-- note\n',
  '--',
  '(',
  ')',
  'BEGIN ',
  'BEGIN\n  SELECT 1;\n',
  'END;',
  'END IF;',
  'IF (x) THEN ',
  'DECLARE v INT;\n',
  'EXCEPTION WHEN OTHER THEN ',
  'CASE WHEN 1 THEN 2 END',
  '!set variable_substitution=true\n',
  '&{env}',
  '{{ env }}',
  '{{',
  '}}',
  '${db}',
  '{% if x %}',
  '<% ctx.env.db %>',
  '<db_name>',
  '@stage/path ',
  'CREATE TABLE t (email VARCHAR, ssn VARCHAR);\n',
  'GRANT SELECT ON TABLE t TO USER u;\n',
  'USE ROLE ACCOUNTADMIN;\n',
  "EXECUTE IMMEDIATE 'GRANT ALL ON DATABASE d TO ROLE PUBLIC';\n",
  'CREATE PROCEDURE p() RETURNS INT LANGUAGE SQL AS $$ BEGIN GRANT ROLE r TO USER u; END $$;\n',
  'ALTER TABLE t MODIFY COLUMN email SET MASKING POLICY m;\n',
  'GRANT SELECT ON TABLE t TO USER u\n',
];

function corpusTexts(limit: number): string[] {
  if (!existsSync(CORPUS)) return [];
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.sql') && out.length < limit) {
        out.push(readFileSync(path, 'utf8'));
      }
    }
  };
  walk(CORPUS);

  return out;
}

const seeds = [
  generateMigration(1),
  generateMigration(2),
  readFileSync(
    resolve(__dirname, '..', 'examples', 'migrations', 'V1.1.0__crm_tables.sql'),
    'utf8',
  ),
  'CREATE TABLE t (a INT);\nBEGIN\n  GRANT SELECT ON TABLE t TO USER u;\nEND;\nSELECT 1;\n',
  "!set x=1\nGRANT ROLE r TO USER u;\nEXCEPTION WHEN OTHER THEN RETURN 'x';\nSELECT 2;",
  ...corpusTexts(40),
];

const seedText = fc.oneof(
  fc.constantFrom(...seeds),
  fc.array(fc.constantFrom(...INSERTS), { maxLength: 40 }).map((parts) => parts.join(' ')),
);

/** An edit: where (a share of the text's length), how much to delete, and what to insert. */
const edit = fc.tuple(
  fc.double({ min: 0, max: 1, noNaN: true }),
  fc.oneof(fc.constant(0), fc.nat({ max: 3 }), fc.nat({ max: 200 })),
  fc.constantFrom(...INSERTS),
);

function applyEdit(text: string, [share, length, insert]: [number, number, string]): string {
  const start = Math.floor(share * text.length);

  return text.slice(0, start) + insert + text.slice(start + length);
}

describe('incremental parsing', () => {
  it('parses a text like parseFile does', () => {
    for (const text of seeds) assert.deepEqual(EditableParse.parse(text).parsed, parseFile(text));
  });

  it('gives the fresh parse of the new text after any series of edits', () => {
    fc.assert(
      fc.property(seedText, fc.array(edit, { minLength: 1, maxLength: 6 }), (seed, edits) => {
        let text = seed;
        let parse = EditableParse.parse(text);
        for (const change of edits) {
          text = applyEdit(text, change);
          parse = parse.edit(text);
          assert.deepEqual(parse.parsed, parseFile(text));
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('parses only the edited statement and keeps the others as they were', () => {
    const text = generateMigration(3);
    const before = EditableParse.parse(text);
    const statements = before.parsed.statements;
    const middle = statements[Math.floor(statements.length / 2)];
    const at = middle.start + 1;
    const after = before.edit(text.slice(0, at) + 'x' + text.slice(at));

    assert.equal(after.fresh.size, 1);
    assert.equal(after.parsed.statements.length, statements.length);
    assert.ok(after.fresh.has(after.parsed.statements[statements.indexOf(middle)]));
    // Statements on either side are the same objects; those after the edit moved by one.
    assert.equal(after.parsed.statements[0], statements[0]);
    const last = after.parsed.statements[statements.length - 1];
    assert.equal(last, statements[statements.length - 1]);
    assert.equal(last.start, parseFile(after.text).statements[statements.length - 1].start);
  });

  it('parses afresh when edited a second time from the same parse', () => {
    const text = 'GRANT ROLE a TO USER u;\nGRANT ROLE b TO USER v;\n';
    const before = EditableParse.parse(text);
    before.edit(`${text}SELECT 1;`);
    const again = before.edit(`-- c\n${text}`);

    assert.equal(again.fresh.size, again.parsed.statements.length);
    assert.deepEqual(again.parsed, parseFile(`-- c\n${text}`));
  });
});
