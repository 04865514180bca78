/**
 * Which files `snowgov lint` reads (globs, .gitignore, config include and exclude, --stdin),
 * the `rules` and `explain` commands, and the progress bar.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allRules } from '../rules';
import { PROGRESS_MIN_FILES } from '../server/src/cli/progress';
import { removeTempProjects, runCli, tempProject } from './helpers/cli';

const GRANT = 'GRANT SELECT ON TABLE t TO USER alice;\n';

/** The paths of the findings in text output, in order. */
function paths(stdout: string): string[] {
  return stdout
    .split('\n')
    .map((line) => /^(\S+):\d+:\d+ {2}/.exec(line)?.[1])
    .filter((path): path is string => path !== undefined);
}

describe('snowgov lint file selection', () => {
  after(removeTempProjects);

  it('expands globs given as paths, relative to the working directory', async () => {
    const root = tempProject({
      'db/V1__a.sql': GRANT,
      'db/nested/V2__b.sql': GRANT,
      'db/notes.txt': GRANT,
      'other/V3__c.sql': GRANT,
    });

    const result = await runCli(root, ['lint', 'db/**/*.sql']);

    assert.deepEqual(paths(result.stdout), ['db/V1__a.sql', 'db/nested/V2__b.sql']);
  });

  it('exits 2 when a glob matches nothing, saying so rather than "no such file"', async () => {
    const root = tempProject({ 'V1__a.sql': GRANT, 'e/V2__b.sql': GRANT });

    const missing = await runCli(root, ['lint', 'migrations/*.sql']);
    const wrongCase = await runCli(root, ['lint', 'e/*.SQL']);

    for (const [result, pattern] of [
      [missing, 'migrations/*.sql'],
      [wrongCase, 'e/*.SQL'],
    ] as const) {
      assert.equal(result.status, 2);
      assert.ok(result.stderr.includes(`the pattern '${pattern}' matched no file.`), result.stderr);
      assert.doesNotMatch(result.stderr, /no such file/);
    }
  });

  it('skips what .gitignore and .git/info/exclude ignore, unless --no-gitignore', async () => {
    const root = tempProject({
      '.gitignore': 'build/\n*.generated.sql\n!keep.generated.sql\n',
      '.git/info/exclude': 'scratch.sql\n',
      'migrations/.gitignore': 'local/\n',
      'migrations/V1__a.sql': GRANT,
      'migrations/local/V9__mine.sql': GRANT,
      'migrations/V2__views.generated.sql': GRANT,
      'migrations/keep.generated.sql': GRANT,
      'build/V1__a.sql': GRANT,
      'scratch.sql': GRANT,
    });

    const honoured = await runCli(root, ['lint']);
    const ignored = await runCli(root, ['lint', '--no-gitignore']);

    assert.deepEqual(paths(honoured.stdout), [
      'migrations/V1__a.sql',
      'migrations/keep.generated.sql',
    ]);
    assert.equal(paths(ignored.stdout).length, 6);
  });

  it('lints a file named on the command line even when git ignores it', async () => {
    const root = tempProject({ '.gitignore': '*.sql\n', 'V1__a.sql': GRANT });

    const result = await runCli(root, ['lint', 'V1__a.sql']);

    assert.deepEqual(paths(result.stdout), ['V1__a.sql']);
  });

  it("walks only the config's include globs when it has some, minus its excludes", async () => {
    const root = tempProject({
      'snowgov.yaml':
        'include:\n  - "migrations/**/*.sql"\n  - "scripts/*.ddl"\nexclude:\n  - migrations/old\n',
      'migrations/V1__a.sql': GRANT,
      'migrations/old/V0__a.sql': GRANT,
      'scripts/setup.ddl': GRANT,
      'tools/V1__tool.sql': GRANT,
    });

    const result = await runCli(root, ['lint']);

    assert.deepEqual(paths(result.stdout), ['migrations/V1__a.sql', 'scripts/setup.ddl']);
  });

  it('lints --stdin as --stdin-filename with the other files as context', async () => {
    const root = tempProject({
      'migrations/V1__tables.sql': 'CREATE TABLE crm.core.customers (id INT, email VARCHAR);\n',
      'migrations/V2__masking.sql': GRANT,
    });
    const masking = [
      'CREATE MASKING POLICY crm.core.mask_email AS (val VARCHAR) RETURNS VARCHAR ->',
      "  CASE WHEN IS_ROLE_IN_SESSION('PII_READER') THEN val ELSE '***' END;",
      'ALTER TABLE crm.core.customers MODIFY COLUMN email SET MASKING POLICY crm.core.mask_email;',
      'GRANT SELECT ON TABLE crm.core.customers TO USER alice;',
      '',
    ].join('\n');

    const result = await runCli(
      root,
      ['lint', '--stdin', '--stdin-filename', 'migrations/V2__masking.sql', '-f', 'json'],
      { stdin: masking, rules: allRules },
    );

    const report = JSON.parse(result.stdout) as {
      findings: { path: string; line: number; ruleId: string }[];
      summary: { files: number };
    };
    assert.deepEqual(
      report.findings.map((finding) => [finding.path, finding.line, finding.ruleId]),
      [['migrations/V2__masking.sql', 4, 'grant-to-user']],
    );
    assert.equal(report.summary.files, 1);
  });

  it('names --stdin text <stdin> without --stdin-filename, and needs --stdin for it', async () => {
    const root = tempProject({});

    const result = await runCli(root, ['lint', '--stdin'], { stdin: GRANT });
    const orphan = await runCli(root, ['lint', '--stdin-filename', 'a.sql']);

    assert.match(result.stdout, /^<stdin>:1:28 {2}error {2}fixture-user-grant/);
    assert.equal(result.stderr, '');
    assert.equal(orphan.status, 2);
    assert.match(orphan.stderr, /--stdin-filename names the text read with --stdin/);
  });

  it('shows a progress bar on a terminal for many files, and nothing when piped', async () => {
    const files: Record<string, string> = {};
    for (let index = 0; index < PROGRESS_MIN_FILES; index++) files[`V${index}__t.sql`] = GRANT;
    const root = tempProject(files);

    const terminal = await runCli(root, ['lint', '-f', 'json'], { isTTY: true });
    const quiet = await runCli(root, ['lint', '-f', 'json', '--no-progress'], { isTTY: true });
    const piped = await runCli(root, ['lint', '-f', 'json']);

    assert.match(terminal.stderr, /snowgov .* \d+\/50 files \| /);
    assert.equal(quiet.stderr, '');
    assert.equal(piped.stderr, '');
    assert.equal(terminal.stdout, piped.stdout);
  });
});

describe('snowgov rules and explain', () => {
  after(removeTempProjects);

  it('lists every rule with its default severity, fix safety and summary', async () => {
    const result = await runCli(tempProject({}), ['rules'], { rules: allRules });

    const lines = result.stdout.trimEnd().split('\n');
    assert.match(lines[0], /^RULE +SEVERITY +FIX +CIS +DESCRIPTION$/);
    for (const rule of allRules) {
      const line = lines.find((candidate) => candidate.startsWith(`${rule.name} `));
      const fix =
        rule.fix.availability === 'never' ? '-' : `${rule.fix.safety} (${rule.fix.availability})`;
      assert.ok(line?.endsWith(rule.description), `${rule.name} is listed with its summary`);
      assert.match(
        line ?? '',
        new RegExp(` ${rule.defaultSeverity} +${fix.replace(/[()]/g, '\\$&')} +[-\\d.,\\s]+ +\\S`),
      );
    }
    assert.ok(lines.some((line) => /^parse-error +warning +- +- +\S/.test(line)));
    const admin = lines.find((line) => line.startsWith('accountadmin-use '));
    assert.match(admin ?? '', / 1\.12, 1\.13, 1\.14, 1\.15, 1\.16, 1\.17 /);
  });

  it('prints the README of a rule with explain', async () => {
    const result = await runCli(tempProject({}), ['explain', 'grant-to-user'], { rules: allRules });

    assert.equal(
      result.stdout,
      readFileSync(join(__dirname, '..', 'rules', 'grant-to-user', 'README.md'), 'utf8'),
    );
    assert.equal(result.status, 0);
  });

  it('explains the built-in checks and exits 2 for an unknown rule', async () => {
    const builtIn = await runCli(tempProject({}), ['explain', 'invalid-suppression']);
    const unknown = await runCli(tempProject({}), ['explain', 'grant-to-everyone']);

    assert.match(builtIn.stdout, /^# invalid-suppression\n/);
    assert.equal(unknown.status, 2);
    assert.match(
      unknown.stderr,
      /^snowgov: there is no rule 'grant-to-everyone'\. Known rules: .*fixture-user-grant/,
    );
  });
});
