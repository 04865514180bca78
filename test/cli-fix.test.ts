/**
 * `lint --fix`, `--unsafe-fixes` and `--fix-dry-run` with the fixture rules: which fixes each
 * applies, that a fix which would break the SQL or leave its finding leaves the file
 * byte-identical, that writes are atomic, and that fixing twice changes nothing the second time.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { allRules } from '../rules';
import { removeTempProjects, runCli, tempProject } from './helpers/cli';

const MIXED = [
  'grant select on table t to role analyst;',
  'GRANT SELECT ON TABLE t TO USER alice;',
  'CREATE VIEW v AS SELECT * FROM t;',
  '',
].join('\n');

function read(root: string, path: string): string {
  return readFileSync(join(root, path), 'utf8');
}

describe('snowgov lint --fix', () => {
  after(removeTempProjects);

  it('applies only safe fixes with --fix, and reports what remains', async () => {
    const root = tempProject({ 'V1__grants.sql': MIXED });

    const result = await runCli(root, ['lint', '--fix']);

    assert.equal(
      read(root, 'V1__grants.sql'),
      MIXED.replace('grant select on table t to role', 'GRANT select on table t to role'),
    );
    assert.match(result.stderr, /^snowgov: fixed 1 finding in 1 file\.\n$/);
    assert.doesNotMatch(result.stdout, /fixture-lowercase-grant/);
    assert.match(result.stdout, /V1__grants\.sql:2:28 {2}error {2}fixture-user-grant/);
    assert.equal(result.status, 1);
  });

  it('adds unsafe fixes with --unsafe-fixes but never applies a suggestion', async () => {
    const root = tempProject({ 'V1__grants.sql': MIXED });

    const result = await runCli(root, ['lint', '--fix', '--unsafe-fixes']);

    assert.equal(
      read(root, 'V1__grants.sql'),
      [
        'GRANT select on table t to role analyst;',
        'GRANT SELECT ON TABLE t TO ROLE ALICE_ROLE;',
        'CREATE VIEW v AS SELECT * FROM t;',
        '',
      ].join('\n'),
    );
    assert.match(result.stdout, /fixture-select-star/);
    assert.equal(result.status, 0, result.stdout);
  });

  it('changes nothing when run a second time', async () => {
    const root = tempProject({ 'V1__grants.sql': MIXED, 'V2__more.sql': MIXED });
    await runCli(root, ['lint', '--fix', '--unsafe-fixes']);
    const once = [read(root, 'V1__grants.sql'), read(root, 'V2__more.sql')];
    const modified = statSync(join(root, 'V1__grants.sql')).mtimeMs;

    const again = await runCli(root, ['lint', '--fix', '--unsafe-fixes']);

    assert.deepEqual([read(root, 'V1__grants.sql'), read(root, 'V2__more.sql')], once);
    assert.equal(statSync(join(root, 'V1__grants.sql')).mtimeMs, modified, 'not rewritten');
    assert.doesNotMatch(again.stderr, /fixed/);
  });

  it('prints a diff with --fix-dry-run, writes nothing and fails on the errors', async () => {
    const root = tempProject({ 'migrations/V1__grants.sql': MIXED });

    const result = await runCli(root, ['lint', '--fix-dry-run', '--unsafe-fixes']);

    assert.equal(read(root, 'migrations/V1__grants.sql'), MIXED);
    assert.equal(
      result.stdout,
      [
        'diff --git a/migrations/V1__grants.sql b/migrations/V1__grants.sql',
        '--- a/migrations/V1__grants.sql',
        '+++ b/migrations/V1__grants.sql',
        '@@ -1,3 +1,3 @@',
        '-grant select on table t to role analyst;',
        '-GRANT SELECT ON TABLE t TO USER alice;',
        '+GRANT select on table t to role analyst;',
        '+GRANT SELECT ON TABLE t TO ROLE ALICE_ROLE;',
        ' CREATE VIEW v AS SELECT * FROM t;',
        '',
      ].join('\n'),
    );
    assert.match(result.stderr, /would fix 2 findings in 1 file; nothing was written/);
    assert.equal(result.status, 1, 'the files still hold the errors the diff would fix');
  });

  it('prints a diff that git apply accepts', async () => {
    const root = tempProject({ 'V1__grants.sql': MIXED }, { git: true });
    const diff = (await runCli(root, ['lint', '--fix-dry-run', '--unsafe-fixes'])).stdout;
    const fixed = tempProject({ 'V1__grants.sql': MIXED }, { git: true });
    await runCli(fixed, ['lint', '--fix', '--unsafe-fixes']);

    const applied = spawnSync('git', ['apply', '-'], { cwd: root, input: diff, encoding: 'utf8' });

    assert.equal(applied.status, 0, applied.stderr);
    assert.equal(read(root, 'V1__grants.sql'), read(fixed, 'V1__grants.sql'));
  });

  it('prints a diff git apply accepts for a byte order mark or thousands of fixes', async () => {
    const grants = Array.from({ length: 2500 }, (_, i) => `grant select on table t${i} to role r;`);
    const files = {
      'V1__marked.sql': Buffer.from(`\uFEFF${MIXED}`, 'utf8'),
      // Every line changes: too many to pair up, so the diff replaces the file as a whole.
      'V2__many.sql': `${grants.join('\n')}\n`,
    };
    const root = tempProject(files, { git: true });
    const dryRun = await runCli(root, ['lint', '--fix-dry-run', '--unsafe-fixes']);
    const fixed = tempProject(files, { git: true });
    await runCli(fixed, ['lint', '--fix', '--unsafe-fixes']);

    const applied = spawnSync('git', ['apply', '-'], {
      cwd: root,
      input: dryRun.stdout,
      encoding: 'utf8',
    });

    assert.equal(applied.status, 0, applied.stderr);
    for (const path of Object.keys(files)) {
      assert.ok(readFileSync(join(root, path)).equals(readFileSync(join(fixed, path))), path);
    }
    assert.match(dryRun.stderr, /the diff for 'V2__many\.sql' replaces the file as a whole/);
    assert.doesNotMatch(dryRun.stderr, /V1__marked\.sql' replaces/);
  });

  it('leaves a file byte-identical when its fix would not parse', async () => {
    const text = 'CREATE TABLE t (id INT);\r\nDROP TABLE t;\r\n-- é and a tab\there\r\n';
    const root = tempProject({ 'V1__drop.sql': Buffer.from(`\uFEFF${text}`, 'utf8') });
    const before = readFileSync(join(root, 'V1__drop.sql'));

    const result = await runCli(root, ['lint', '--fix']);

    assert.ok(readFileSync(join(root, 'V1__drop.sql')).equals(before));
    assert.match(
      result.stderr,
      /fix 'Keep the table' \(fixture-broken-fix at V1__drop\.sql:2\) was not applied: the fixed SQL would not parse/,
    );
    assert.match(result.stdout, /V1__drop\.sql:2:1 {2}warning {2}fixture-broken-fix/);
  });

  it('leaves a file byte-identical when its fix does not remove the finding', async () => {
    const root = tempProject({ 'V1__truncate.sql': 'TRUNCATE TABLE t;\n' });

    const result = await runCli(root, ['lint', '--fix']);

    assert.equal(read(root, 'V1__truncate.sql'), 'TRUNCATE TABLE t;\n');
    assert.match(result.stderr, /was not applied: the finding would remain after it/);
  });

  it('leaves a file byte-identical when its fix trades the finding for an error', async () => {
    const root = tempProject({ 'V1__undrop.sql': 'UNDROP TABLE t;\n' });

    const result = await runCli(root, ['lint', '--fix']);

    assert.equal(read(root, 'V1__undrop.sql'), 'UNDROP TABLE t;\n');
    assert.match(
      result.stderr,
      new RegExp(
        "fix 'Grant the table to its owner instead' " +
          '\\(fixture-trading-fix at V1__undrop\\.sql:1\\) ' +
          'was not applied: it would add an error of its own',
      ),
    );
  });

  it('keeps the good fixes of a file when another fix in it fails', async () => {
    const root = tempProject({
      'V1__mixed.sql': 'grant select on table t to role r;\nDROP TABLE t;\n',
    });

    await runCli(root, ['lint', '--fix']);

    assert.equal(
      read(root, 'V1__mixed.sql'),
      'GRANT select on table t to role r;\nDROP TABLE t;\n',
    );
  });

  it('writes through a temporary file, keeping permissions and the byte order mark', async () => {
    const root = tempProject({ 'V1__grants.sql': `\uFEFF${MIXED}` });
    chmodSync(join(root, 'V1__grants.sql'), 0o640);
    const inode = statSync(join(root, 'V1__grants.sql')).ino;

    await runCli(root, ['lint', '--fix']);

    // A new inode shows the file was replaced by a rename, not rewritten in place.
    assert.notEqual(statSync(join(root, 'V1__grants.sql')).ino, inode);
    assert.ok(read(root, 'V1__grants.sql').startsWith('\uFEFFGRANT select'));
    assert.equal(statSync(join(root, 'V1__grants.sql')).mode & 0o777, 0o640);
    assert.deepEqual(
      readdirSync(root).filter((name) => name.endsWith('.tmp')),
      [],
      'no temporary file is left behind',
    );
  });

  it('fixes only the findings it reports, not suppressed ones', async () => {
    const text =
      '-- snowgov-ignore fixture-lowercase-grant reason="Legacy style"\ngrant select on table t to role r;\n';
    const root = tempProject({ 'V1__legacy.sql': text });

    await runCli(root, ['lint', '--fix']);

    assert.equal(read(root, 'V1__legacy.sql'), text);
  });

  it('keeps a snowgov-ignore above a statement on it when a fix inserts a statement', async () => {
    const root = tempProject({
      'V1__audit.sql': [
        'CREATE TABLE t (id INT);',
        '',
        '-- Access for the audit.',
        '-- snowgov-ignore broad-privilege reason="The audit reads every privilege"',
        'GRANT ALL ON TABLE t TO USER alice;',
        'BEGIN',
        '  /* snowgov-ignore broad-privilege',
        '     reason="The audit reads every privilege" */',
        '  GRANT ALL ON TABLE t TO USER bob;',
        'END;',
        '',
      ].join('\n'),
    });

    const fixed = await runCli(root, ['lint', '--fix', '--unsafe-fixes'], { rules: allRules });
    const again = await runCli(root, ['lint'], { rules: allRules });

    assert.equal(
      read(root, 'V1__audit.sql'),
      [
        'CREATE TABLE t (id INT);',
        '',
        'CREATE ROLE IF NOT EXISTS ALICE_ACCESS;',
        '-- Access for the audit.',
        '-- snowgov-ignore broad-privilege reason="The audit reads every privilege"',
        'GRANT ALL ON TABLE t TO ROLE ALICE_ACCESS;',
        'BEGIN',
        '  CREATE ROLE IF NOT EXISTS BOB_ACCESS;',
        '  /* snowgov-ignore broad-privilege',
        '     reason="The audit reads every privilege" */',
        '  GRANT ALL ON TABLE t TO ROLE BOB_ACCESS;',
        'END;',
        '',
      ].join('\n'),
    );
    assert.equal(fixed.status, 0, fixed.stdout);
    assert.equal(again.stdout, 'No findings in 1 file; 2 suppressed.\n');
  });

  it('refuses --unsafe-fixes alone, --fix with --fix-dry-run, and --fix with --stdin', async () => {
    const root = tempProject({ 'V1__grants.sql': MIXED });

    const alone = await runCli(root, ['lint', '--unsafe-fixes']);
    const both = await runCli(root, ['lint', '--fix', '--fix-dry-run']);
    const stdin = await runCli(root, ['lint', '--stdin', '--fix'], { stdin: MIXED });

    assert.deepEqual([alone.status, both.status, stdin.status], [2, 2, 2]);
    assert.match(alone.stderr, /--unsafe-fixes only widens --fix or --fix-dry-run/);
    assert.match(stdin.stderr, /use --fix-dry-run to see the diff/);
    assert.equal(read(root, 'V1__grants.sql'), MIXED);
  });

  describe('a fix that creates a file', () => {
    const config = (policiesFile: string) =>
      `rules:\n  unmasked-pii-column:\n    options:\n      policiesFile: ${policiesFile}\n`;
    const TABLE = 'CREATE TABLE crm.core.customers (id NUMBER, ssn VARCHAR(11));\n';
    const POLICY = [
      'CREATE MASKING POLICY IF NOT EXISTS CRM.CORE.MASK_NATIONAL_ID_VARCHAR AS (val VARCHAR) RETURNS VARCHAR ->',
      "  CASE WHEN IS_ROLE_IN_SESSION('PII_READER') THEN val ELSE '*****' END;",
    ];
    const ATTACH =
      'ALTER TABLE CRM.CORE.CUSTOMERS MODIFY COLUMN ssn SET MASKING POLICY CRM.CORE.MASK_NATIONAL_ID_VARCHAR FORCE;';
    const options = { rules: allRules };

    it('creates the policies file the config names, and then has nothing left to fix', async () => {
      const root = tempProject({
        'snowgov.yml': config('migrations/R__masking_policies.sql'),
        'migrations/V1.1__customers.sql': TABLE,
      });

      const result = await runCli(root, ['lint', '--fix', '--unsafe-fixes'], options);

      assert.equal(
        read(root, 'migrations/R__masking_policies.sql'),
        [...POLICY, ATTACH, ''].join('\n'),
      );
      assert.equal(read(root, 'migrations/V1.1__customers.sql'), TABLE);
      assert.match(result.stderr, /snowgov: fixed 1 finding in 1 file\.\n/);
      assert.doesNotMatch(result.stderr, /not being linted/);
      assert.doesNotMatch(result.stdout, /unmasked-pii-column/);
      const again = await runCli(root, ['lint', '--fix', '--unsafe-fixes'], options);
      assert.doesNotMatch(again.stderr, /fixed/);
      assert.deepEqual(
        readdirSync(join(root, 'migrations')).filter((name) => name.endsWith('.tmp')),
        [],
        'no temporary file is left behind',
      );
    });

    it('creates a policies file that runs first and attaches the policy in the linted file', async () => {
      const root = tempProject({
        'snowgov.yml': config('migrations/V1.0__masking_policies.sql'),
        'migrations/V1.1__customers.sql': TABLE,
      });

      const result = await runCli(root, ['lint', '--fix', '--unsafe-fixes'], options);

      assert.equal(read(root, 'migrations/V1.0__masking_policies.sql'), [...POLICY, ''].join('\n'));
      assert.equal(
        read(root, 'migrations/V1.1__customers.sql'),
        TABLE.replace(
          'VARCHAR(11)',
          'VARCHAR(11) WITH MASKING POLICY CRM.CORE.MASK_NATIONAL_ID_VARCHAR',
        ),
      );
      assert.match(result.stderr, /snowgov: fixed 1 finding in 2 files\.\n/);
    });

    it('shows the new file as a diff from /dev/null with --fix-dry-run, which git apply creates', async () => {
      const files = {
        'snowgov.yml': config('migrations/R__masking_policies.sql'),
        'migrations/V1.1__customers.sql': TABLE,
      };
      const root = tempProject(files, { git: true });

      const result = await runCli(root, ['lint', '--fix-dry-run', '--unsafe-fixes'], options);

      assert.equal(existsSync(join(root, 'migrations/R__masking_policies.sql')), false);
      assert.equal(
        result.stdout,
        [
          'diff --git a/migrations/R__masking_policies.sql b/migrations/R__masking_policies.sql',
          'new file mode 100644',
          '--- /dev/null',
          '+++ b/migrations/R__masking_policies.sql',
          '@@ -0,0 +1,3 @@',
          ...[...POLICY, ATTACH].map((line) => `+${line}`),
          '',
        ].join('\n'),
      );
      assert.match(result.stderr, /would fix 1 finding in 1 file; nothing was written/);
      const applied = spawnSync('git', ['apply', '-'], {
        cwd: root,
        input: result.stdout,
        encoding: 'utf8',
      });
      assert.equal(applied.status, 0, applied.stderr);
      assert.equal(
        read(root, 'migrations/R__masking_policies.sql'),
        [...POLICY, ATTACH, ''].join('\n'),
      );
    });

    it('creates the policies file relative to the folder of snowgov.yml, not where lint runs', async () => {
      const root = tempProject({
        'examples/snowgov.yaml': config('migrations/R__policies.sql'),
        'examples/migrations/V1.1__customers.sql': TABLE,
      });

      const result = await runCli(root, ['lint', '--fix', '--unsafe-fixes', 'examples/'], options);

      assert.equal(
        read(root, 'examples/migrations/R__policies.sql'),
        [...POLICY, ATTACH, ''].join('\n'),
      );
      assert.equal(existsSync(join(root, 'migrations')), false);
      assert.match(result.stderr, /snowgov: fixed 1 finding in 1 file\.\n/);
      const again = await runCli(root, ['lint', '--fix', '--unsafe-fixes', 'examples/'], options);
      assert.doesNotMatch(again.stderr, /fixed/);
    });

    it('resolves each nested snowgov.yml against its own folder', async () => {
      const root = tempProject({
        'snowgov.yml': config('policies/R__policies.sql'),
        'migrations/V1.1__customers.sql': TABLE,
        'teams/sales/snowgov.yml': config('R__sales_policies.sql'),
        'teams/sales/V1.2__leads.sql':
          'CREATE TABLE sales.core.leads (id NUMBER, email VARCHAR);\n',
      });

      const result = await runCli(root, ['lint', '--fix', '--unsafe-fixes'], options);

      assert.equal(read(root, 'policies/R__policies.sql'), [...POLICY, ATTACH, ''].join('\n'));
      assert.match(
        read(root, 'teams/sales/R__sales_policies.sql'),
        /^CREATE MASKING POLICY IF NOT EXISTS SALES\.CORE\.MASK_EMAIL_VARCHAR [^]*\nALTER TABLE SALES\.CORE\.LEADS MODIFY COLUMN email SET MASKING POLICY SALES\.CORE\.MASK_EMAIL_VARCHAR FORCE;\n$/,
      );
      assert.deepEqual(readdirSync(join(root, 'teams/sales')).sort(), [
        'R__sales_policies.sql',
        'V1.2__leads.sql',
        'snowgov.yml',
      ]);
      assert.match(result.stderr, /snowgov: fixed 2 findings in 2 files\.\n/);
    });

    it('appends to the configured file, not to a same-named file in another folder', async () => {
      const other = '-- Policies of another project.\n';
      const root = tempProject({
        'snowgov.yml': config('db/R__masking_policies.sql'),
        'db/V1.1__customers.sql': TABLE,
        'legacy/db/R__masking_policies.sql': other,
      });

      await runCli(root, ['lint', '--fix', '--unsafe-fixes'], options);

      assert.equal(read(root, 'legacy/db/R__masking_policies.sql'), other);
      assert.equal(read(root, 'db/R__masking_policies.sql'), [...POLICY, ATTACH, ''].join('\n'));
    });
  });
});
