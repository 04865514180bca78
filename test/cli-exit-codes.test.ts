/**
 * Exit statuses and thresholds: 0 when no open finding reaches --fail-on and warnings are within
 * --max-warnings, 1 otherwise, 2 for usage and configuration errors; --quiet and the rule
 * settings given on the command line.
 */
import assert from 'node:assert/strict';
import { removeTempProjects, runCli, tempProject } from './helpers/cli';

/** One error (user grant), two warnings (lower-case grant, truncate) and one info (select *). */
const MIXED = [
  'GRANT SELECT ON TABLE t TO USER alice;',
  'grant select on table t to role analyst;',
  'TRUNCATE TABLE t;',
  'CREATE VIEW v AS SELECT * FROM t;',
  '',
].join('\n');
const WARNINGS_ONLY = 'grant select on table t to role analyst;\nTRUNCATE TABLE t;\n';
const INFO_ONLY = 'CREATE VIEW v AS SELECT * FROM t;\n';

async function status(files: Record<string, string>, ...args: string[]): Promise<number> {
  return (await runCli(tempProject(files), ['lint', ...args])).status;
}

describe('snowgov lint exit status', () => {
  after(removeTempProjects);

  it('is 1 for an error and 0 for warnings and infos by default', async () => {
    assert.equal(await status({ 'V1.sql': MIXED }), 1);
    assert.equal(await status({ 'V1.sql': WARNINGS_ONLY }), 0);
    assert.equal(await status({ 'V1.sql': INFO_ONLY }), 0);
  });

  it('follows --fail-on', async () => {
    assert.equal(await status({ 'V1.sql': WARNINGS_ONLY }, '--fail-on', 'warning'), 1);
    assert.equal(await status({ 'V1.sql': INFO_ONLY }, '--fail-on', 'warning'), 0);
    assert.equal(await status({ 'V1.sql': INFO_ONLY }, '--fail-on', 'info'), 1);
    assert.equal(await status({ 'V1.sql': MIXED }, '--fail-on', 'none'), 0);
  });

  it('is 1 when warnings exceed --max-warnings, and says so on stderr', async () => {
    const root = tempProject({ 'V1.sql': WARNINGS_ONLY });

    const over = await runCli(root, ['lint', '--max-warnings', '1']);
    const within = await runCli(root, ['lint', '--max-warnings', '2']);

    assert.equal(over.status, 1);
    assert.equal(over.stderr, 'snowgov: 2 warnings exceed --max-warnings 1.\n');
    assert.equal(within.status, 0);
    assert.equal(within.stderr, '');
  });

  it('shows and counts only errors with --quiet', async () => {
    const root = tempProject({ 'V1.sql': MIXED, 'V2.sql': WARNINGS_ONLY });

    const result = await runCli(root, ['lint', '--quiet', '--max-warnings', '0']);

    assert.equal(
      result.stdout,
      [
        'V1.sql:1:28  error  fixture-user-grant  Privileges go straight to user ALICE; grant them to a role.',
        '',
        '1 finding (1 error) in 1 of 2 files',
        '',
      ].join('\n'),
    );
    assert.equal(result.status, 1);
    assert.equal(await status({ 'V2.sql': WARNINGS_ONLY }, '--quiet', '--max-warnings', '0'), 0);
  });

  it('takes rule severities from --rule and --disable-rule over the config', async () => {
    const files = {
      'snowgov.yaml': 'rules:\n  fixture-lowercase-grant: error\n',
      'V1.sql': MIXED,
    };

    assert.equal(await status(files, '--rule', 'fixture-user-grant=warning'), 1);
    assert.equal(
      await status(
        files,
        '--rule',
        'fixture-user-grant=warning',
        '--rule',
        'fixture-lowercase-grant=off',
      ),
      0,
    );
    assert.equal(
      await status(files, '--disable-rule', 'fixture-user-grant,fixture-lowercase-grant'),
      0,
    );
    const root = tempProject(files);
    const info = await runCli(root, ['lint', '--rule', 'fixture-select-star:error']);
    assert.match(info.stdout, /V1\.sql:4:18 {2}error {2}fixture-select-star/);
  });

  it('is 2 for an unknown rule or severity on the command line', async () => {
    const root = tempProject({ 'V1.sql': MIXED });

    const rule = await runCli(root, ['lint', '--disable-rule', 'grant-to-everyone']);
    const severity = await runCli(root, ['lint', '--rule', 'fixture-user-grant=fatal']);
    const shape = await runCli(root, ['lint', '--rule', 'fixture-user-grant']);
    const count = await runCli(root, ['lint', '--max-warnings', 'many']);

    assert.deepEqual([rule.status, severity.status, shape.status, count.status], [2, 2, 2, 2]);
    assert.match(
      rule.stderr,
      /^snowgov: --disable-rule names an unknown rule 'grant-to-everyone'\. Known rules: .*fixture-user-grant/,
    );
    assert.match(
      severity.stderr,
      /'fatal' is not a severity; use one of error, warning, info, off/,
    );
    assert.match(shape.stderr, /expected <rule>=<severity>, such as grant-to-user=warning/);
    assert.match(count.stderr, /expected a whole number of warnings, not 'many'/);
    assert.equal(rule.stdout + severity.stdout + shape.stdout + count.stdout, '');
  });

  it('is 2 for an unknown --format or --fail-on, listing the accepted values', async () => {
    const root = tempProject({ 'V1.sql': MIXED });

    const format = await runCli(root, ['lint', '--format', 'xml']);
    const failOn = await runCli(root, ['lint', '--fail-on', 'fatal']);

    assert.equal(format.status, 2);
    assert.match(
      format.stderr,
      /Allowed choices are stylish, text, json, sarif, github, gitlab, junit\./,
    );
    assert.equal(failOn.status, 2);
    assert.match(failOn.stderr, /Allowed choices are error, warning, info, none\./);
  });
});
