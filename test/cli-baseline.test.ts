/**
 * `snowgov baseline` and `lint --baseline`: today's findings are recorded by fingerprint, lines
 * moving does not make them new, new findings are reported, and entries that no longer occur are
 * listed for pruning.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeTempProjects, runCli, tempProject } from './helpers/cli';

const GRANTS = [
  'GRANT SELECT ON TABLE t TO USER alice;',
  'grant select on table t to role analyst;',
  '',
].join('\n');

interface BaselineFile {
  version: number;
  fingerprintVersion: number;
  findings: { fingerprint: string; ruleId: string; path: string; message: string }[];
}

function readBaselineFile(root: string, name = '.snowgov-baseline.json'): BaselineFile {
  return JSON.parse(readFileSync(join(root, name), 'utf8')) as BaselineFile;
}

describe('snowgov baseline', () => {
  after(removeTempProjects);

  it('records the open findings by fingerprint, sorted and without line numbers', async () => {
    const root = tempProject({ 'migrations/V1__grants.sql': GRANTS });

    const result = await runCli(root, ['baseline']);

    assert.equal(result.status, 0);
    assert.match(result.stderr, /recorded 2 findings from 1 file in \.snowgov-baseline\.json/);
    const baseline = readBaselineFile(root);
    assert.equal(baseline.version, 1);
    assert.deepEqual(
      baseline.findings.map((entry) => [entry.path, entry.ruleId]),
      [
        ['migrations/V1__grants.sql', 'fixture-lowercase-grant'],
        ['migrations/V1__grants.sql', 'fixture-user-grant'],
      ],
    );
    assert.deepEqual(Object.keys(baseline.findings[0]), [
      'fingerprint',
      'ruleId',
      'path',
      'message',
    ]);
  });

  it('hides recorded findings even after lines are inserted above them', async () => {
    const root = tempProject({ 'migrations/V1__grants.sql': GRANTS });
    await runCli(root, ['baseline']);
    writeFileSync(
      join(root, 'migrations/V1__grants.sql'),
      `-- Reviewed in SEC-7.\nCREATE TABLE t (id INT);\n\n  ${GRANTS.replace(' TO USER', '\n    TO USER')}`,
    );

    const result = await runCli(root, ['lint', '--baseline', '.snowgov-baseline.json']);

    assert.equal(result.stdout, 'No findings in 1 file; 2 in the baseline.\n');
    assert.equal(result.status, 0);
  });

  it('reports a new finding and lists the entry that no longer occurs', async () => {
    const root = tempProject({ 'migrations/V1__grants.sql': GRANTS });
    await runCli(root, ['baseline']);
    writeFileSync(join(root, 'migrations/V1__grants.sql'), GRANTS.replace('alice', 'bob'));

    const result = await runCli(root, ['lint', '--baseline', '.snowgov-baseline.json']);

    assert.equal(result.status, 1);
    const lines = result.stdout.split('\n');
    assert.match(
      lines[0],
      /^migrations\/V1__grants\.sql:1:28 {2}error {2}fixture-user-grant {2}.*BOB/,
    );
    assert.equal(lines[2], '1 finding (1 error) in 1 of 1 file; 1 in the baseline');
    assert.equal(
      lines[4],
      '1 entry in .snowgov-baseline.json no longer occurs; running snowgov baseline again prunes them:',
    );
    assert.match(
      lines[5],
      /^ {2}migrations\/V1__grants\.sql {2}fixture-user-grant {2}[0-9a-f]{32} {2}.*ALICE/,
    );
  });

  it('puts the baseline outcome in the JSON report', async () => {
    const root = tempProject({ 'V1__grants.sql': GRANTS });
    await runCli(root, ['baseline', '--output', 'legacy.json']);
    writeFileSync(join(root, 'V1__grants.sql'), 'grant select on table t to role analyst;\n');

    const result = await runCli(root, ['lint', '-f', 'json', '--baseline', 'legacy.json']);

    const report = JSON.parse(result.stdout) as {
      summary: { findings: number; baselined: number };
      baseline: { file: string; matched: number; prunable: { ruleId: string }[] };
    };
    assert.equal(report.summary.findings, 0);
    assert.equal(report.summary.baselined, 1);
    assert.deepEqual(
      { ...report.baseline, prunable: report.baseline.prunable.map((entry) => entry.ruleId) },
      { file: 'legacy.json', matched: 1, prunable: ['fixture-user-grant'] },
    );
    assert.equal(result.status, 0);
  });

  it('matches from any working directory, since paths are relative to the git root', async () => {
    const root = tempProject({ 'db/migrations/V1__grants.sql': GRANTS });
    await runCli(root, ['baseline']);
    mkdirSync(join(root, 'db', 'tools'));

    const result = await runCli(join(root, 'db'), [
      'lint',
      'migrations',
      '--baseline',
      '../.snowgov-baseline.json',
    ]);

    assert.equal(result.stdout, 'No findings in 1 file; 2 in the baseline.\n');
  });

  it('without git, anchors paths at the baseline file, not the working directory', async () => {
    // A Docker build context: the project has no .git anywhere above it.
    const outer = tempProject({ 'proj/m/V1__a.sql': GRANTS });
    rmSync(join(outer, '.git'), { recursive: true });
    const proj = join(outer, 'proj');
    await runCli(proj, ['baseline', 'm']);
    assert.deepEqual(
      readBaselineFile(proj).findings.map((entry) => entry.path),
      ['m/V1__a.sql', 'm/V1__a.sql'],
    );

    const fromAbove = await runCli(outer, [
      'lint',
      'proj/m',
      '--baseline',
      'proj/.snowgov-baseline.json',
    ]);
    const fromInside = await runCli(join(proj, 'm'), [
      'lint',
      '.',
      '--baseline',
      '../.snowgov-baseline.json',
    ]);

    for (const result of [fromAbove, fromInside]) {
      assert.equal(result.stdout, 'No findings in 1 file; 2 in the baseline.\n');
      assert.equal(result.status, 0);
    }
  });

  it('without git, anchors paths at the folder of snowgov.yml when there is one', async () => {
    const outer = tempProject({ 'proj/snowgov.yml': 'rules: {}\n', 'proj/m/V1__a.sql': GRANTS });
    rmSync(join(outer, '.git'), { recursive: true });
    await runCli(outer, ['baseline', 'proj/m', '--output', 'proj/m/base.json']);

    const baseline = readBaselineFile(join(outer, 'proj/m'), 'base.json');
    const result = await runCli(join(outer, 'proj/m'), ['lint', '.', '--baseline', 'base.json']);

    assert.equal(baseline.findings[0]?.path, 'm/V1__a.sql');
    assert.equal(result.stdout, 'No findings in 1 file; 2 in the baseline.\n');
  });

  it('leaves entries of files outside the linted paths alone, and prunes those of deleted files', async () => {
    const root = tempProject({ 'a/V1__grants.sql': GRANTS, 'b/V2__grants.sql': GRANTS });
    await runCli(root, ['baseline']);

    const partial = await runCli(root, ['lint', 'a', '--baseline', '.snowgov-baseline.json']);
    rmSync(join(root, 'b/V2__grants.sql'));
    const deleted = await runCli(root, ['lint', 'a', '--baseline', '.snowgov-baseline.json']);

    assert.equal(partial.stdout, 'No findings in 1 file; 2 in the baseline.\n');
    assert.match(deleted.stdout, /\n2 entries in \.snowgov-baseline\.json no longer occur;/);
    assert.equal((deleted.stdout.match(/ {2}b\/V2__grants\.sql {2}/g) ?? []).length, 2);
  });

  it('exits 2 when the baseline file is missing or not a baseline', async () => {
    const root = tempProject({ 'V1__grants.sql': GRANTS, 'other.json': '{"version": 3}' });

    const missing = await runCli(root, ['lint', '--baseline', 'nope.json']);
    const wrong = await runCli(root, ['lint', '--baseline', 'other.json']);

    assert.equal(missing.status, 2);
    assert.match(
      missing.stderr,
      /cannot read the baseline '.*nope\.json'.*Create it with snowgov baseline/,
    );
    assert.equal(wrong.status, 2);
    assert.match(wrong.stderr, /is not a snowgov baseline/);
  });
});
