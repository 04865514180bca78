/**
 * What `snowgov lint` reads: UTF-16 files with a byte order mark are decoded and fixed in their
 * own encoding, files that are not UTF-8 are named with their first bad line, and a path that
 * gives no SQL file is an error rather than a clean pass.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeSql, encodeSql } from '../server/src/node/sql-file';
import { removeTempProjects, runCli, tempProject } from './helpers/cli';

const SQL = 'grant select on table t to role analyst;\nGRANT SELECT ON TABLE t TO USER alice;\n';
const FIXED = SQL.replace('grant select', 'GRANT select');

function utf16(text: string, endian: 'le' | 'be'): Buffer {
  const bytes = Buffer.from(`\uFEFF${text}`, 'utf16le');

  return endian === 'be' ? bytes.swap16() : bytes;
}

describe('snowgov lint input', () => {
  after(removeTempProjects);

  for (const endian of ['le', 'be'] as const) {
    it(`lints a UTF-16 ${endian.toUpperCase()} file with a byte order mark`, async () => {
      const root = tempProject({ 'V1__grants.sql': utf16(SQL, endian) });

      const result = await runCli(root, ['lint', 'V1__grants.sql']);

      assert.match(result.stdout, /V1__grants\.sql:2:28 {2}error {2}fixture-user-grant/);
      assert.match(result.stdout, /in 1 of 1 file/);
      assert.doesNotMatch(result.stderr, /binary/);
      assert.equal(result.status, 1);
    });

    it(`writes fixes back in UTF-16 ${endian.toUpperCase()} with the byte order mark`, async () => {
      const root = tempProject({ 'V1__grants.sql': utf16(SQL, endian) });

      const result = await runCli(root, ['lint', '--fix']);

      assert.match(result.stderr, /fixed 1 finding in 1 file/);
      assert.ok(readFileSync(join(root, 'V1__grants.sql')).equals(utf16(FIXED, endian)));
    });
  }

  it('names a file that is not UTF-8 and its first bad line, and never fixes it', async () => {
    const latin1 = Buffer.concat([
      Buffer.from('-- menu\n-- CAF'),
      Buffer.from([0xc9]),
      Buffer.from(`\n${SQL}`),
    ]);
    const root = tempProject({ 'V1__cafe.sql': latin1 });

    const result = await runCli(root, ['lint', '--fix']);

    assert.match(result.stderr, /'V1__cafe\.sql' is not valid UTF-8 \(first at line 2\)/);
    assert.match(
      result.stderr,
      /fixes for 'V1__cafe\.sql' were not written: it is not valid UTF-8/,
    );
    assert.ok(readFileSync(join(root, 'V1__cafe.sql')).equals(latin1));
    assert.match(result.stdout, /V1__cafe\.sql:4:28 {2}error/);
  });

  it('decodes and encodes byte for byte', () => {
    for (const bytes of [
      utf16(SQL, 'le'),
      utf16(SQL, 'be'),
      Buffer.from(`\uFEFF${SQL}`),
      Buffer.from(`${SQL}\uFFFD`),
    ]) {
      const decoded = decodeSql(bytes);
      assert.equal(decoded.text.replace(/\uFFFD$/, ''), SQL);
      assert.equal(decoded.invalidLine, undefined);
      assert.ok(encodeSql(decoded.text, decoded).equals(bytes));
    }
  });

  it('exits 2 for a named folder without SQL files, naming it', async () => {
    const root = tempProject({ 'V1__grants.sql': SQL, 'docs/readme.md': '# docs\n' });

    const result = await runCli(root, ['lint', 'docs']);

    assert.equal(result.status, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^snowgov: no SQL files in 'docs'\. Check the path/);
    assert.equal(result.stderr.trim().split('\n').length, 1);
  });

  it('exits 2 for a named folder whose SQL files are all excluded', async () => {
    const root = tempProject({
      'snowgov.yml': 'exclude:\n  - legacy\n',
      'legacy/V1__grants.sql': SQL,
      'V2__grants.sql': SQL,
    });

    const result = await runCli(root, ['lint', 'legacy', 'V2__grants.sql']);

    assert.equal(result.status, 2);
    assert.match(result.stderr, /no SQL files in 'legacy'/);
  });

  it('only notes that the working directory holds no SQL files', async () => {
    const root = tempProject({ 'docs/readme.md': '# docs\n' });
    mkdirSync(join(root, 'empty'));

    const result = await runCli(root, ['lint']);

    assert.equal(result.status, 0);
    assert.match(result.stderr, /no SQL files in '\.' once excludes are applied; nothing to lint/);
    assert.match(result.stdout, /No findings in 0 files/);
  });
});
