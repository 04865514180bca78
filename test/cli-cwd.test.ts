/**
 * Baselines and `--changed-since` judge the linted paths, wherever snowgov is run from: the
 * project root (the git root of the linted paths) and the stable paths in fingerprints do not
 * depend on the working directory.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeTempProjects, runCli, tempProject } from './helpers/cli';

const GRANTS = 'GRANT SELECT ON TABLE t TO USER alice;\n\nGRANT SELECT ON TABLE t TO USER bob;\n';

describe('snowgov lint from another working directory', () => {
  let elsewhere: string;
  before(() => {
    elsewhere = mkdtempSync(join(tmpdir(), 'snowgov-elsewhere-'));
  });
  after(() => {
    rmSync(elsewhere, { recursive: true, force: true });
    removeTempProjects();
  });

  it('matches a baseline recorded inside the repository', async () => {
    const root = tempProject({ 'db/V1__grants.sql': GRANTS }, { git: true });
    const recorded = await runCli(root, ['baseline', 'db']);
    assert.equal(recorded.status, 0, recorded.stderr);
    const baseline = join(root, '.snowgov-baseline.json');

    const result = await runCli(elsewhere, ['lint', '--baseline', baseline, join(root, 'db')]);

    assert.equal(result.status, 0, result.stdout);
    assert.match(result.stdout, /No findings in 1 file; 2 in the baseline\./);
  });

  it('records the same baseline from outside as from inside', async () => {
    const root = tempProject({ 'db/V1__grants.sql': GRANTS }, { git: true });
    await runCli(root, ['baseline', 'db', '--output', 'inside.json']);

    await runCli(elsewhere, ['baseline', join(root, 'db'), '--output', join(root, 'out.json')]);

    const read = (name: string): string =>
      JSON.stringify(JSON.parse(readFileSync(join(root, name), 'utf8')));
    assert.equal(read('out.json'), read('inside.json'));
  });

  it('reads --changed-since from the repository of the linted paths', async () => {
    const root = tempProject({ 'db/V1__grants.sql': GRANTS }, { git: true });
    writeFileSync(join(root, 'db/V1__grants.sql'), GRANTS.replace('bob', 'robert'));

    const result = await runCli(elsewhere, ['lint', '--changed-since', 'main', join(root, 'db')]);

    assert.equal(result.status, 1, result.stderr);
    const located = result.stdout.split('\n').filter((line) => /:\d+:\d+ {2}error/.test(line));
    assert.equal(located.length, 1, result.stdout);
    assert.match(located[0], /V1__grants\.sql:3:/);
  });

  it('says which folder is not in a git repository', async () => {
    const root = mkdtempSync(join(tmpdir(), 'snowgov-nogit-'));
    try {
      writeFileSync(join(root, 'V1__grants.sql'), GRANTS);

      const result = await runCli(elsewhere, ['lint', '--changed-since', 'main', root]);

      assert.equal(result.status, 2);
      assert.ok(result.stderr.includes(`failed in '${root}'`), result.stderr);
      assert.match(result.stderr, /--changed-since works inside a git repository only/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
