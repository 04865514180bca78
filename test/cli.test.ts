/**
 * End-to-end tests of the `snowgov` command: each runs the bundled `out/cli.js` in a child
 * process, inside a temporary project holding a `.git` folder so that config discovery never
 * wanders into the machine's own folders. Build first: `npm run build`.
 */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { allRules } from '../rules';
import { run } from '../server/src/cli/run';
import { version } from '../package.json';
import {
  CLI_PATH as CLI,
  removeTempProjects,
  runCli,
  spawnCli as snowgov,
  tempProject as project,
} from './helpers/cli';

const GRANT_TO_USER = 'GRANT SELECT ON TABLE t TO USER alice;\n';
const CLEAN = 'CREATE TABLE t (id INT);\n';

/** The `path:line:col  severity  rule-id  message` shape of one text-format line. */
const FINDING_LINE =
  /^(\S+):(\d+):(\d+) {2}(error|warning|info) {2}([a-z]+(?:-[a-z]+)*) {2}(\S.*)$/;

describe('snowgov CLI', () => {
  before(() => {
    assert.ok(existsSync(CLI), `${CLI} is missing: run \`npm run build\` before these tests`);
  });

  after(removeTempProjects);

  describe('lint', () => {
    it('exits 0 with a "No findings" summary on clean SQL', () => {
      const root = project({ 'migrations/V1__create.sql': CLEAN });

      const result = snowgov(root, 'lint');

      assert.equal(result.stderr, '');
      assert.equal(result.stdout, 'No findings in 1 file.\n');
      assert.equal(result.status, 0);
    });

    it('exits 1 and prints one line per finding, then the summary, for a grant to a user', () => {
      const root = project({
        'migrations/V1__create.sql': CLEAN,
        'migrations/V2__grant.sql': `-- reviewers' access\n${GRANT_TO_USER}`,
      });

      const result = snowgov(root, 'lint', 'migrations');

      assert.equal(result.status, 1, result.stderr);
      const lines = result.stdout.split('\n');
      assert.deepEqual(lines.slice(1), ['', '1 finding (1 error) in 1 of 2 files', '']);
      const match = FINDING_LINE.exec(lines[0]);
      assert.ok(match, `not a finding line: ${lines[0]}`);
      const [, path, line, column, severity, ruleId, message] = match;
      assert.deepEqual(
        { path, line, severity, ruleId },
        { path: 'migrations/V2__grant.sql', line: '2', severity: 'error', ruleId: 'grant-to-user' },
      );
      assert.ok(Number(column) >= 1, `column ${column} is 1-based`);
      assert.match(message, /ALICE/i);
    });

    it('groups findings by file with a blank line between files', () => {
      const root = project({ 'a.sql': GRANT_TO_USER.repeat(2), 'b.sql': GRANT_TO_USER });

      const result = snowgov(root, 'lint');

      const paths = result.stdout.split('\n').map((line) => FINDING_LINE.exec(line)?.[1] ?? line);
      assert.deepEqual(paths, [
        'a.sql',
        'a.sql',
        '',
        'b.sql',
        '',
        '3 findings (3 errors) in 2 of 2 files',
        '',
      ]);
    });

    it('shows paths relative to the working directory, with forward slashes', () => {
      const root = project({ 'db/migrations/V1__grant.sql': GRANT_TO_USER, 'db/tools/.keep': '' });

      const result = snowgov(join(root, 'db', 'tools'), 'lint', '../migrations');

      assert.match(
        result.stdout,
        /^\.\.\/migrations\/V1__grant\.sql:1:\d+ {2}error {2}grant-to-user /,
      );
    });

    it('prints the documented JSON document with --format json', () => {
      const root = project({ 'V1__create.sql': CLEAN, 'V2__grant.sql': GRANT_TO_USER });

      const result = snowgov(root, 'lint', '--format', 'json');

      assert.equal(result.status, 1, result.stderr);
      const report = JSON.parse(result.stdout) as Record<string, unknown>;
      assert.deepEqual(Object.keys(report), ['version', 'findings', 'summary']);
      assert.equal(report.version, 1);
      assert.deepEqual(report.summary, {
        files: 2,
        filesWithFindings: 1,
        findings: 1,
        errors: 1,
        warnings: 0,
        infos: 0,
        suppressed: 0,
      });
      const [finding] = report.findings as Record<string, unknown>[];
      assert.deepEqual(Object.keys(finding), [
        'path',
        'line',
        'column',
        'endLine',
        'endColumn',
        'severity',
        'ruleId',
        'message',
        'fixes',
        'fingerprint',
      ]);
      assert.equal(finding.path, 'V2__grant.sql');
      assert.equal(finding.line, 1);
      assert.equal(finding.severity, 'error');
      assert.equal(finding.ruleId, 'grant-to-user');
      assert.ok((finding.column as number) >= 1 && finding.endLine === 1);
      assert.ok((finding.endColumn as number) > (finding.column as number));
      for (const fix of finding.fixes as Record<string, unknown>[]) {
        assert.deepEqual(Object.keys(fix), ['title', 'safety']);
        assert.ok(['safe', 'unsafe', 'suggestion'].includes(fix.safety as string));
      }
    });

    it('places the text and JSON findings at the same line and column', () => {
      const root = project({ 'V1__grant.sql': `\n  ${GRANT_TO_USER}` });

      const text = FINDING_LINE.exec(snowgov(root, 'lint').stdout.split('\n')[0]);
      const json = JSON.parse(snowgov(root, 'lint', '-f', 'json').stdout) as {
        findings: { line: number; column: number }[];
      };

      assert.ok(text);
      assert.deepEqual(
        [Number(text[2]), Number(text[3])],
        [json.findings[0].line, json.findings[0].column],
      );
    });

    it('reports unreadable SQL as a parse-error warning', () => {
      const root = project({ 'V1__broken.sql': 'CREATE TABLE (;\n' });

      const result = snowgov(root, 'lint');

      assert.equal(result.status, 0);
      assert.match(result.stdout, /^V1__broken\.sql:1:14 {2}warning {2}parse-error {2}\S/);
    });

    it('fails on parse errors when the config makes them errors', () => {
      const root = project({
        'V1__broken.sql': 'CREATE TABLE (;\n',
        'snowgov.yaml': 'rules:\n  parse-error: error\n',
      });

      const result = snowgov(root, 'lint');

      assert.equal(result.status, 1);
      assert.match(result.stdout, /^V1__broken\.sql:1:14 {2}error {2}parse-error {2}\S/);
    });

    it('exits 0 when every finding is a warning', () => {
      const root = project({
        'snowgov.yaml': 'rules:\n  grant-to-user: warning\n',
        'V1__grant.sql': GRANT_TO_USER,
      });

      const result = snowgov(root, 'lint');

      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, / {2}warning {2}grant-to-user {2}/);
      assert.match(result.stdout, /\n1 finding \(1 warning\) in 1 of 1 file\n$/);
    });

    it('finds the config in a parent directory and reads --config when given', () => {
      const root = project({
        'snowgov.yaml': 'rules:\n  grant-to-user: off\n',
        'strict.yaml': 'rules:\n  grant-to-user: error\n',
        'db/V1__grant.sql': GRANT_TO_USER,
      });
      const db = join(root, 'db');

      assert.equal(snowgov(db, 'lint').stdout, 'No findings in 1 file.\n');
      assert.equal(snowgov(db, 'lint', '--config', '../strict.yaml').status, 1);
    });

    it('walks directories for .sql files only, skipping node_modules, .git and excludes', () => {
      const root = project({
        'snowgov.yaml': 'exclude:\n  - legacy\n  - "**/*.generated.sql"\n',
        'migrations/V1__create.sql': CLEAN,
        'migrations/notes.txt': GRANT_TO_USER,
        'migrations/V2__views.generated.sql': GRANT_TO_USER,
        'legacy/V0__old.sql': GRANT_TO_USER,
        'node_modules/some-package/grant.sql': GRANT_TO_USER,
        '.git/hooks/grant.sql': GRANT_TO_USER,
      });

      const result = snowgov(join(root, 'migrations'), 'lint', '..');

      assert.equal(result.stdout, 'No findings in 1 file.\n');
      assert.equal(result.status, 0);
    });

    it('lints a folder reached through a symbolic link once', () => {
      // Found by a helper trying the product: `current -> migrations` doubled every finding.
      const root = project({ 'migrations/V1__grant.sql': GRANT_TO_USER });
      symlinkSync('migrations', join(root, 'current'));
      symlinkSync('.', join(root, 'self'));

      const result = snowgov(root, 'lint');

      assert.equal(result.status, 1);
      assert.match(result.stdout, /^migrations\/V1__grant\.sql:1:\d+ {2}error {2}grant-to-user /);
      assert.match(result.stdout, /1 finding \(1 error\) in 1 of 1 file/);
    });

    it('fails on a folder it cannot read instead of skipping its migrations', function () {
      // Permissions do not stop root, which CI machines often run as.
      if (process.getuid?.() === 0) this.skip();
      const root = project({ 'V1__create.sql': CLEAN, 'locked/V2__grant.sql': GRANT_TO_USER });
      chmodSync(join(root, 'locked'), 0o000);
      try {
        const result = snowgov(root, 'lint');

        assert.equal(result.status, 2);
        assert.match(result.stderr, /cannot read 'locked': permission denied/);
      } finally {
        chmodSync(join(root, 'locked'), 0o755);
      }
    });

    it('lints a file named on the command line whatever its extension', () => {
      const root = project({ 'grants.txt': GRANT_TO_USER });

      const result = snowgov(root, 'lint', 'grants.txt');

      assert.equal(result.status, 1);
      assert.match(result.stdout, /^grants\.txt:1:\d+ {2}error {2}grant-to-user /);
    });
  });

  describe('usage, configuration and path errors', () => {
    it('exits 2 and names a missing path and what to check', () => {
      const root = project({ 'V1__create.sql': CLEAN });

      const result = snowgov(root, 'lint', 'V1__create.sql', 'migrations/V9__gone.sql');

      assert.equal(result.status, 2);
      assert.equal(result.stdout, '');
      assert.match(
        result.stderr,
        /^snowgov: cannot read 'migrations\/V9__gone\.sql': no such file or directory\. Check the spelling/,
      );
    });

    it('exits 2 on an unknown option and points to the help', () => {
      const root = project({});

      const result = snowgov(root, 'lint', '--frobnicate');

      assert.equal(result.status, 2);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, /^snowgov: unknown option '--frobnicate'\n/);
      assert.match(result.stderr, /snowgov lint --help/);
    });

    it('exits 2 on an unknown --format and lists the accepted ones', () => {
      const root = project({ 'V1__create.sql': CLEAN });

      const result = snowgov(root, 'lint', '--format', 'xml');

      assert.equal(result.status, 2);
      assert.equal(result.stdout, '');
      assert.match(
        result.stderr,
        /'xml' is invalid\. Allowed choices are stylish, text, json, sarif, github, gitlab, junit\./,
      );
    });

    it('exits 2 on an unknown rule in the config, naming the file and line', () => {
      const root = project({
        'snowgov.yaml': 'rules:\n  grant-to-user: warning\n  grant-to-everyone: error\n',
        'V1__grant.sql': GRANT_TO_USER,
      });

      const result = snowgov(root, 'lint');

      assert.equal(result.status, 2);
      assert.equal(result.stdout, '');
      const [first, last] = result.stderr.trimEnd().split('\n');
      assert.match(
        first,
        /^snowgov\.yaml:3: Unknown rule 'grant-to-everyone'\. Run 'snowgov rules' to list every rule\.$/,
      );
      assert.equal(
        last,
        'snowgov: 1 problem in snowgov.yaml; nothing was linted. Fix it and run again.',
      );
    });

    it('exits 2 when the --config file does not exist, naming it', () => {
      const root = project({ 'V1__create.sql': CLEAN });

      const result = snowgov(root, 'lint', '--config', 'conf/snowgov.yaml');

      assert.equal(result.status, 2);
      assert.match(
        result.stderr,
        /^conf\/snowgov\.yaml: Cannot read the snowgov config file: no such file/,
      );
    });

    it('exits 2 with the help on stderr when no command is given', () => {
      const result = snowgov(project({}));

      assert.equal(result.status, 2);
      assert.match(result.stderr, /Usage: snowgov /);
    });
  });

  describe('version and rules', () => {
    it('prints the package version with --version', () => {
      const result = snowgov(project({}), '--version');

      assert.equal(result.status, 0);
      assert.equal(result.stdout, `${version}\n`);
    });

    it('lists every rule and built-in check with its default severity and description', () => {
      const result = snowgov(project({}), 'rules');

      assert.equal(result.status, 0);
      const lines = result.stdout.trimEnd().split('\n');
      assert.match(lines[0], /^RULE +SEVERITY +FIX +CIS +DESCRIPTION$/);
      // The rules, then parse-error, invalid-suppression and unused-suppression.
      assert.equal(lines.length, allRules.length + 4);
      for (const rule of allRules) {
        const line = lines.find((candidate) => candidate.startsWith(`${rule.name} `));
        assert.ok(line, `rule ${rule.name} is not listed`);
        assert.match(line, new RegExp(` ${rule.defaultSeverity} +\\S`));
        assert.ok(line.endsWith(rule.description), `${rule.name} lacks its description`);
      }
    });
  });

  describe('internal errors', () => {
    it('reports a crash with the version and the issue tracker, and exits 2', async () => {
      const root = project({ 'V1__create.sql': CLEAN });
      let stderr = '';
      const failingStdout = {
        write: (): never => {
          throw new Error('stdout went away');
        },
      };

      const status = await run(['lint'], {
        cwd: root,
        env: { NO_COLOR: '1' },
        stdout: failingStdout,
        stderr: { write: (text: string) => (stderr += text) },
        rules: allRules,
      });

      assert.equal(status, 2);
      assert.match(
        stderr,
        new RegExp(`^snowgov ${version.replace(/\./g, '\\.')} crashed: stdout went away\n`),
      );
      assert.match(stderr, /\n {4}at /);
      assert.match(stderr, /https:\/\/github\.com\/snowgov\/snowgov\/issues/);
    });

    it('reports the findings of the other rules but exits 2 when a rule fails', async () => {
      const root = project({ 'V1__create.sql': CLEAN });
      const failing = {
        ...allRules[0],
        name: 'failing-rule',
        check(): void {
          throw new Error('the rule broke');
        },
      };

      const result = await runCli(root, ['lint'], { rules: [...allRules, failing] });

      assert.equal(result.status, 2);
      assert.match(result.stderr, /Rule failing-rule failed on V1__create\.sql.*the rule broke/);
      assert.match(result.stderr, /a rule failed once, so findings may be missing/);
      assert.match(result.stdout, /No findings in 1 file/);
    });
  });
});
