/**
 * `lint --changed-since <ref>` in temporary git repositories: findings are reported only in
 * files and statements changed since the ref, while the model still reads every file.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { allRules } from '../rules';
import { parseUnifiedDiff } from '../server/src/cli/git';
import { git, removeTempProjects, runCli, tempProject } from './helpers/cli';

const V1 = [
  'GRANT SELECT ON TABLE t TO USER alice;',
  '',
  'GRANT SELECT ON TABLE t TO USER bob;',
  '',
  'GRANT SELECT ON TABLE t TO USER carol;',
  '',
].join('\n');
const V2 = 'GRANT SELECT ON TABLE u TO USER dave;\n';

/** The `path:line` of each finding line of text output. */
function locations(stdout: string): string[] {
  return stdout
    .split('\n')
    .map((line) => /^(\S+:\d+):\d+ {2}/.exec(line)?.[1])
    .filter((location): location is string => location !== undefined);
}

describe('snowgov lint --changed-since', () => {
  after(removeTempProjects);

  it('reports only the statements changed since the ref', async () => {
    const root = tempProject(
      { 'migrations/V1__grants.sql': V1, 'migrations/V2__more.sql': V2 },
      { git: true },
    );
    writeFileSync(join(root, 'migrations/V1__grants.sql'), V1.replace('bob', 'robert'));

    const result = await runCli(root, ['lint', '--changed-since', 'HEAD']);

    assert.deepEqual(locations(result.stdout), ['migrations/V1__grants.sql:3']);
    assert.match(result.stdout, /in 1 of 1 file\n$/);
    assert.equal(result.status, 1);
  });

  it('reports a finding a change causes in an unchanged statement, and no old ones', async () => {
    const root = tempProject(
      {
        'migrations/V1__tables.sql': [
          'CREATE TABLE crm.core.a (email VARCHAR WITH MASKING POLICY crm.core.mask_email);',
          'CREATE TABLE crm.core.b (phone VARCHAR);',
          '',
        ].join('\n'),
      },
      { git: true },
    );
    writeFileSync(
      join(root, 'migrations/V2__unmask.sql'),
      'ALTER TABLE crm.core.a MODIFY COLUMN email UNSET MASKING POLICY;\n',
    );

    const result = await runCli(root, ['lint', '--changed-since', 'HEAD'], { rules: allRules });

    // The unmasked email of V1:1 is new; the phone of V1:2 was already unmasked at HEAD.
    assert.deepEqual(locations(result.stdout), ['migrations/V1__tables.sql:1']);
    assert.equal(result.status, 1);
  });

  it('counts staged changes and untracked files as changed', async () => {
    const root = tempProject({ 'migrations/V1__grants.sql': V1 }, { git: true });
    writeFileSync(
      join(root, 'migrations/V1__grants.sql'),
      V1.replace(
        'GRANT SELECT ON TABLE t TO USER bob;\n',
        'GRANT SELECT ON TABLE t\n  TO USER bob;\n',
      ),
    );
    git(root, 'add', 'migrations/V1__grants.sql');
    writeFileSync(join(root, 'migrations/V3__new.sql'), V2);

    const result = await runCli(root, ['lint', '--changed-since', 'HEAD']);

    assert.deepEqual(locations(result.stdout), [
      'migrations/V1__grants.sql:4',
      'migrations/V3__new.sql:1',
    ]);
  });

  it('compares with an older commit and reports nothing when nothing changed', async () => {
    const root = tempProject({ 'migrations/V1__grants.sql': V1 }, { git: true });
    writeFileSync(join(root, 'migrations/V2__more.sql'), V2);
    git(root, 'add', '--all');
    git(root, 'commit', '--quiet', '--message', 'More grants');

    const sinceFirst = await runCli(root, ['lint', '--changed-since', 'HEAD~1']);
    const sinceLast = await runCli(root, ['lint', '--changed-since', 'HEAD']);

    assert.deepEqual(locations(sinceFirst.stdout), ['migrations/V2__more.sql:1']);
    assert.equal(sinceLast.stdout, 'No findings in 0 files.\n');
    assert.equal(sinceLast.status, 0);
  });

  it('judges a changed file against the unchanged ones', async () => {
    // The masking policy lives in an unchanged later migration; the changed table is clean
    // only because the model reads every file.
    const root = tempProject(
      {
        'migrations/V1__tables.sql': 'CREATE TABLE crm.core.customers (id INT, email VARCHAR);\n',
        'migrations/V2__masking.sql': [
          'CREATE MASKING POLICY crm.core.mask_email AS (val VARCHAR) RETURNS VARCHAR ->',
          "  CASE WHEN IS_ROLE_IN_SESSION('PII_READER') THEN val ELSE '***' END;",
          'ALTER TABLE crm.core.customers MODIFY COLUMN email SET MASKING POLICY crm.core.mask_email;',
          '',
        ].join('\n'),
      },
      { git: true },
    );
    writeFileSync(
      join(root, 'migrations/V1__tables.sql'),
      'CREATE TABLE crm.core.customers (id INT, email VARCHAR, phone_number VARCHAR);\n',
    );

    const result = await runCli(root, ['lint', '--changed-since', 'HEAD', '--format', 'json'], {
      rules: allRules,
    });

    const report = JSON.parse(result.stdout) as { findings: { ruleId: string; message: string }[] };
    assert.deepEqual(
      report.findings.map((finding) => finding.ruleId),
      ['unmasked-pii-column'],
    );
    assert.match(report.findings[0].message, /PHONE_NUMBER/);
  });

  it('treats the lines on both sides of a deletion as changed, and a new file as all changed', () => {
    const diff = [
      'diff --git a/V1.sql b/V1.sql',
      '--- a/V1.sql',
      '+++ b/V1.sql',
      '@@ -5,2 +4,0 @@',
      '-GRANT SELECT ON TABLE t TO USER bob;',
      '-',
      '@@ -9 +8,2 @@',
      'diff --git a/V2.sql b/V2.sql',
      'new file mode 100644',
      '--- /dev/null',
      '+++ b/V2.sql',
      '@@ -0,0 +1,3 @@',
    ].join('\n');

    assert.deepEqual(
      [...parseUnifiedDiff(diff)],
      [
        [
          'V1.sql',
          [
            [4, 5],
            [8, 9],
          ],
        ],
        ['V2.sql', 'all'],
      ],
    );
  });

  it('exits 2 naming the ref when git does not know it, or outside a repository', async () => {
    const repository = tempProject({ 'V1__grants.sql': V1 }, { git: true });
    const plain = tempProject({ 'V1__grants.sql': V1 });

    const unknown = await runCli(repository, ['lint', '--changed-since', 'no-such-branch']);
    const outside = await runCli(plain, ['lint', '--changed-since', 'HEAD']);

    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /^snowgov: 'no-such-branch' is not a commit git knows here\./);
    assert.equal(outside.status, 2);
    assert.match(outside.stderr, /^snowgov: .*--changed-since works inside a git repository only/);
    assert.equal(unknown.stdout + outside.stdout, '');
  });
});
