/**
 * Suppressions on the command line: `lint` hides excused findings unless asked, and
 * `snowgov exceptions` lists the directives. Tests that judge expiry run the command in-process
 * with a fixed clock; the others run the bundled `out/cli.js`, so build first: `npm run build`.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { allRules } from '../rules';
import { run } from '../server/src/cli/run';
import {
  CLI_PATH as CLI,
  type SpawnResult as Result,
  removeTempProjects,
  spawnCli as snowgov,
  tempProject as project,
} from './helpers/cli';

const NOW = new Date('2026-06-15T09:30:00Z');

const EXCUSED_GRANT = [
  '-- snowgov-ignore grant-to-user reason="Auditor access, ticket SEC-12" until=2026-09-30',
  'GRANT SELECT ON TABLE t TO USER alice;',
  '',
].join('\n');
const EXPIRED_FILE_DIRECTIVE = [
  '/* snowgov-ignore-file unsafe-stage',
  '   reason="Legacy loads until the',
  '   storage integration lands" until=2026-06-01 */',
  '',
].join('\n');
const UNTIMED_DIRECTIVE = [
  '-- snowgov-ignore grant-to-user reason="Service user for the nightly export"',
  'GRANT SELECT ON TABLE t TO USER exporter;',
  '',
].join('\n');

/** Runs the command in this process with the clock fixed at `NOW`. */
async function snowgovAt(cwd: string, ...args: string[]): Promise<Result> {
  let stdout = '';
  let stderr = '';
  const status = await run(args, {
    cwd,
    env: { NO_COLOR: '1' },
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    rules: allRules,
    now: () => NOW,
  });

  return { status, stdout, stderr };
}

describe('suppressions on the command line', () => {
  before(() => {
    assert.ok(existsSync(CLI), `${CLI} is missing: run \`npm run build\` before these tests`);
  });

  after(removeTempProjects);

  describe('lint', () => {
    it('hides an excused finding, counts it as suppressed and exits 0', () => {
      const root = project({ 'V1__grant.sql': UNTIMED_DIRECTIVE });

      const result = snowgov(root, 'lint');

      assert.equal(result.stderr, '');
      assert.equal(result.stdout, 'No findings in 1 file; 1 suppressed.\n');
      assert.equal(result.status, 0);
    });

    it('shows excused findings marked with their reason under --include-suppressed', () => {
      const root = project({ 'V1__grant.sql': UNTIMED_DIRECTIVE });

      const result = snowgov(root, 'lint', '--include-suppressed');

      assert.equal(
        result.stdout,
        'V1__grant.sql:2:28  error  grant-to-user  SELECT on TABLE T is granted directly to ' +
          'user EXPORTER. Grant it to a role and give people the role, so that access is ' +
          'reviewed and revoked in one place.  (suppressed: Service user for the nightly export)\n' +
          '\n' +
          'No findings in 1 file; 1 suppressed.\n',
      );
      assert.equal(result.status, 0, 'a suppressed error never fails the run');
    });

    it('adds the suppression to JSON findings under --include-suppressed', () => {
      const root = project({ 'V1__grant.sql': UNTIMED_DIRECTIVE });

      const hidden = JSON.parse(snowgov(root, 'lint', '-f', 'json').stdout) as {
        findings: unknown[];
        summary: Record<string, number>;
      };
      const shown = JSON.parse(
        snowgov(root, 'lint', '-f', 'json', '--include-suppressed').stdout,
      ) as { findings: Record<string, unknown>[]; summary: Record<string, number> };

      assert.deepEqual(hidden.findings, []);
      assert.equal(hidden.summary.suppressed, 1);
      assert.equal(shown.findings.length, 1);
      assert.equal(shown.findings[0].ruleId, 'grant-to-user');
      assert.deepEqual(shown.findings[0].suppression, {
        reason: 'Service user for the nightly export',
        path: 'V1__grant.sql',
        line: 1,
      });
      assert.deepEqual(shown.summary, hidden.summary);
    });

    it('fails on an expired directive and reports the finding it excused', async () => {
      const root = project({
        'V1__grant.sql': EXCUSED_GRANT.replace('2026-09-30', '2026-06-14'),
      });

      const result = await snowgovAt(root, 'lint');

      assert.deepEqual(
        result.stdout.split('\n').map((line) => line.split('  ').slice(0, 3).join('  ')),
        [
          'V1__grant.sql:1:78  error  invalid-suppression',
          'V1__grant.sql:2:28  error  grant-to-user',
          '',
          '2 findings (2 errors) in 1 of 1 file',
          '',
        ],
      );
      assert.equal(result.status, 1);
    });
  });

  describe('exceptions', () => {
    const files = {
      'migrations/V1__grant.sql': EXCUSED_GRANT,
      'migrations/V2__stage.sql': EXPIRED_FILE_DIRECTIVE,
      'migrations/V3__broken.sql': '-- snowgov-ignore grant-to-usr until=2026-13-01\nSELECT 1;\n',
      'migrations/V4__clean.sql': 'CREATE TABLE t (id INT);\n',
      'migrations/V5__unused.sql':
        '-- snowgov-ignore grant-to-user reason="Grant moved to V1"\nCREATE TABLE u (id INT);\n',
    };

    it('prints a table of every directive with its status, expiry judged against the clock', async () => {
      const root = project(files);

      const result = await snowgovAt(root, 'exceptions', 'migrations');

      assert.equal(result.stderr, '');
      assert.equal(
        result.stdout,
        [
          'LOCATION                     SCOPE      RULES          UNTIL       REASON' +
            '                                            STATUS',
          'migrations/V1__grant.sql:1   statement  grant-to-user  2026-09-30  ' +
            'Auditor access, ticket SEC-12                     valid',
          'migrations/V2__stage.sql:1   file       unsafe-stage   2026-06-01  ' +
            'Legacy loads until the storage integration lands  expired',
          'migrations/V3__broken.sql:1  statement  grant-to-usr   2026-13-01  ' +
            "(none)                                            invalid: Unknown rule 'grant-to-usr' " +
            "in snowgov-ignore. Did you mean 'grant-to-user'? Run 'snowgov rules' to list every " +
            'rule. snowgov-ignore needs a reason: add reason="…" saying why this exception is ' +
            'acceptable. until=2026-13-01 is not a date; write it as YYYY-MM-DD, such as ' +
            'until=2026-03-31.',
          'migrations/V5__unused.sql:1  statement  grant-to-user  -           ' +
            'Grant moved to V1                                 unused',
          '',
          '4 suppressions in 4 of 5 files; 1 invalid, 1 expired, 1 unused.',
          '',
        ].join('\n'),
      );
      assert.equal(result.status, 0);
    });

    it('prints the documented JSON document with --format json', async () => {
      const root = project(files);

      const result = await snowgovAt(root, 'exceptions', '--format', 'json');

      assert.equal(result.status, 0);
      const report = JSON.parse(result.stdout) as Record<string, unknown>;
      assert.deepEqual(Object.keys(report), ['version', 'suppressions', 'summary']);
      assert.equal(report.version, 1);
      assert.deepEqual(report.summary, {
        files: 5,
        suppressions: 4,
        expired: 1,
        invalid: 1,
        unused: 1,
      });
      const suppressions = report.suppressions as Record<string, unknown>[];
      assert.deepEqual(suppressions[0], {
        path: 'migrations/V1__grant.sql',
        line: 1,
        scope: 'statement',
        rules: ['grant-to-user'],
        reason: 'Auditor access, ticket SEC-12',
        until: '2026-09-30',
        expired: false,
        problems: [],
        status: 'valid',
        unusedRules: [],
      });
      assert.deepEqual(
        suppressions.map((entry) => entry.status),
        ['valid', 'expired', 'invalid', 'unused'],
      );
      assert.equal(suppressions[1].expired, true);
      assert.equal(suppressions[1].reason, 'Legacy loads until the\n   storage integration lands');
      assert.deepEqual(suppressions[2].reason, null);
      assert.deepEqual(suppressions[2].problems, [
        "Unknown rule 'grant-to-usr' in snowgov-ignore. Did you mean 'grant-to-user'? Run " +
          "'snowgov rules' to list every rule.",
        'snowgov-ignore needs a reason: add reason="…" saying why this exception is acceptable.',
        'until=2026-13-01 is not a date; write it as YYYY-MM-DD, such as until=2026-03-31.',
      ]);
    });

    it('names the idle rules of a directive, and reads the keyword in any case', async () => {
      const root = project({
        'V1__grants.sql': [
          '-- snowgov-ignore grant-to-user, unsafe-stage reason="Break-glass user"',
          'GRANT ROLE ops TO USER u5;',
          '-- SNOWGOV-IGNORE grant-to-user reason="Service user"',
          'GRANT ROLE ops TO USER u6;',
          '',
        ].join('\n'),
      });

      const table = await snowgovAt(root, 'exceptions');
      const json = await snowgovAt(root, 'exceptions', '--format', 'json');
      const lint = await snowgovAt(root, 'lint');

      assert.deepEqual(
        table.stdout.split('\n').map((line) => line.split(/ {2,}/).at(-1)),
        [
          'STATUS',
          'unused: unsafe-stage',
          'valid',
          '',
          '2 suppressions in 1 of 1 file; 1 unused.',
          '',
        ],
      );
      const report = JSON.parse(json.stdout) as { suppressions: Record<string, unknown>[] };
      assert.deepEqual(
        report.suppressions.map((entry) => [entry.status, entry.unusedRules]),
        [
          ['unused', ['unsafe-stage']],
          ['valid', []],
        ],
      );
      assert.match(
        lint.stdout,
        /unused-suppression +Nothing to excuse: .* no unsafe-stage finding/,
      );
      assert.doesNotMatch(lint.stdout, /grant-to-user/);
    });

    it('runs from the built command and says when there is nothing to list', () => {
      const root = project({ 'V1__grant.sql': UNTIMED_DIRECTIVE, 'V2__clean.sql': 'SELECT 1;\n' });

      const listed = snowgov(root, 'exceptions');
      const empty = snowgov(root, 'exceptions', 'V2__clean.sql');

      assert.equal(
        listed.stdout,
        'LOCATION         SCOPE      RULES          UNTIL  REASON                               STATUS\n' +
          'V1__grant.sql:1  statement  grant-to-user  -      ' +
          'Service user for the nightly export  valid\n' +
          '\n' +
          '1 suppression in 1 of 2 files.\n',
      );
      assert.equal(listed.status, 0);
      assert.equal(empty.stdout, 'No suppressions in 1 file.\n');
    });

    it('exits 2 and names the problem when the config file is wrong', async () => {
      const root = project({ 'V1__grant.sql': UNTIMED_DIRECTIVE, 'snowgov.yaml': 'rulez: {}\n' });

      const result = await snowgovAt(root, 'exceptions');

      assert.equal(result.status, 2);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, /^snowgov\.yaml:1: 'rulez' is not a setting of snowgov\./);
    });
  });
});
