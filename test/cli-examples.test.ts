import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

/** The README's first command: `snowgov lint examples/` finds every rule's problem, no more. */
const root = path.resolve(__dirname, '..');
const cli = path.join(root, 'out', 'cli.js');

function lintExamples(...extra: string[]): {
  status: number | null;
  stdout: string;
  stderr: string;
} {
  const result = spawnSync(process.execPath, [cli, 'lint', 'examples', ...extra], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });

  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const EXPECTED = [
  'V1.0.0__platform_roles.sql:3 accountadmin-use',
  'V1.0.0__platform_roles.sql:15 accountadmin-use',
  'V1.1.0__crm_tables.sql:18 unmasked-pii-column',
  'V1.1.0__crm_tables.sql:21 unmasked-pii-column',
  'V1.1.0__crm_tables.sql:22 unmasked-pii-column',
  'V1.1.0__crm_tables.sql:23 unmasked-pii-column',
  'V1.2.0__masking.sql:23 unmasked-pii-column',
  'V1.3.0__analytics_views.sql:6 forbidden-projection',
  'V1.4.0__grants.sql:10 grant-to-user',
  'V1.4.0__grants.sql:13 grant-to-user',
  'V1.5.0__stages.sql:14 unsafe-stage',
  'V1.5.0__stages.sql:17 unsafe-stage',
  'V1.5.0__stages.sql:22 unsafe-stage',
];

describe('examples', () => {
  it('reports exactly the planted problems and exits 1', () => {
    const { status, stdout } = lintExamples();
    const found = stdout
      .split('\n')
      .map((line) => /^examples\/migrations\/(\S+):(\d+):\d+\s+\w+\s+(\S+)/.exec(line))
      .filter((match) => match !== null)
      .map((match) => `${match[1]}:${match[2]} ${match[3]}`);
    assert.deepEqual(found, EXPECTED);
    assert.match(stdout, /^13 findings \(10 errors, 3 warnings\) in 6 of 6 files$/m);
    assert.equal(status, 1);
  });

  it('covers all five rules in the JSON report', () => {
    const { stdout } = lintExamples('--format', 'json');
    const report = JSON.parse(stdout) as { findings: { ruleId: string }[] };
    const rules = new Set(report.findings.map((finding) => finding.ruleId));
    assert.deepEqual([...rules].sort(), [
      'accountadmin-use',
      'forbidden-projection',
      'grant-to-user',
      'unmasked-pii-column',
      'unsafe-stage',
    ]);
  });

  it('never prints the example access keys', () => {
    const { stdout, stderr } = lintExamples('--format', 'json');
    for (const secret of ['AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI']) {
      assert.ok(!stdout.includes(secret) && !stderr.includes(secret), `${secret} was printed`);
    }
  });
});
