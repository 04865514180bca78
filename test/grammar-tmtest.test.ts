/**
 * Runs the grammar's assertion tests and snapshot tests through vscode-tmgrammar-test, the same
 * engine VS Code uses (vscode-textmate with Oniguruma), one mocha test per fixture file, so that
 * a failed assertion or a changed snapshot fails `npm test` with the tool's own report.
 *
 * Assertion files (`test/fixtures/grammar/assertions/*.test.sql`) name their scope in the first
 * line: `source.snowflake-sql` for the full grammar, `source.sql` for the injection, which runs
 * against a stand-in `sql` grammar and, when code-server is installed, VS Code's own.
 * Snapshots (`test/fixtures/grammar/snapshots/<scope>/*.sql.snap`) are regenerated after an
 * intended grammar change with `UPDATE_SNAPSHOTS=1` and reviewed in the diff.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..');
const FIXTURES = join(__dirname, 'fixtures', 'grammar');
const ASSERTIONS = join(FIXTURES, 'assertions');
const SNAPSHOTS = join(FIXTURES, 'snapshots');
const UNIT_CLI = require.resolve('vscode-tmgrammar-test/dist/unit.js');
const SNAP_CLI = require.resolve('vscode-tmgrammar-test/dist/snapshot.js');
/** A stand-in for VS Code's built-in `sql` grammar: `--` comments, strings and a few keywords. */
const STAND_IN_SQL = join(FIXTURES, 'sql.tmLanguage.json');
/** The real built-in `sql` grammar, from the code-server that the VS Code tests install. */
const VSCODE_SQL = join(
  ROOT,
  '.vscode-test/code-server/node_modules/code-server/lib/vscode/extensions/sql/syntaxes/sql.tmLanguage.json',
);
const SQL_GRAMMARS = [
  ['a stand-in sql grammar', STAND_IN_SQL],
  ["VS Code's built-in sql grammar", VSCODE_SQL],
] as const;

interface ToolRun {
  readonly ok: boolean;
  readonly output: string;
}

/**
 * Runs one of the tool's commands from the repository root, where it reads the grammars that
 * package.json contributes (the injection among them). Colours are off so failures read plainly.
 */
function runTool(cli: string, args: readonly string[]): Promise<ToolRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cli, ...args],
      { cwd: ROOT, env: { ...process.env, FORCE_COLOR: '0' }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ ok: !error, output: `${stdout}${stderr}`.trim() }),
    );
  });
}

function assertPassed(run: ToolRun, file: string): void {
  assert.ok(run.ok, `vscode-tmgrammar-test failed on ${file}:\n${run.output}`);
}

/** The scope an assertion file names in its `-- SYNTAX TEST "<scope>"` header. */
function headerScope(file: string): string {
  const header = readFileSync(file, 'utf8').split('\n', 1)[0];
  const scope = /SYNTAX\s+TEST\s+"([^"]+)"/.exec(header)?.[1];
  assert.ok(scope, `${file} starts with -- SYNTAX TEST "<scope>"`);

  return scope;
}

function sqlFiles(folder: string, suffix: string): string[] {
  return readdirSync(folder)
    .filter((name) => name.endsWith(suffix))
    .sort()
    .map((name) => join(folder, name));
}

describe('TextMate grammar assertions (vscode-tmgrammar-test)', function () {
  for (const file of sqlFiles(ASSERTIONS, '.test.sql')) {
    const name = relative(ASSERTIONS, file);
    const scope = headerScope(file);
    if (scope === 'source.sql') {
      for (const [label, sqlGrammar] of SQL_GRAMMARS) {
        it(`${name} holds with the injection into ${label}`, async function () {
          // The built-in grammar comes with code-server (scripts/install-code-server.sh).
          if (!existsSync(sqlGrammar)) this.skip();
          assertPassed(await runTool(UNIT_CLI, ['--grammar', sqlGrammar, file]), name);
        });
      }
    } else {
      it(`${name} holds`, async function () {
        assertPassed(await runTool(UNIT_CLI, [file]), name);
      });
    }
  }

  it('fails on a scope the grammar does not give', async function () {
    const folder = mkdtempSync(join(tmpdir(), 'snowgov-tmtest-'));
    try {
      const file = join(folder, 'wrong.test.sql');
      writeFileSync(
        file,
        '-- SYNTAX TEST "source.snowflake-sql"\nSELECT 1;\n-- <------ comment.line.double-dash.snowflake-sql\n',
      );
      const run = await runTool(UNIT_CLI, [file]);
      assert.ok(!run.ok, run.output);
      assert.match(run.output, /missing required scopes: comment\.line\.double-dash/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('TextMate grammar snapshots (vscode-tmgrammar-snap)', function () {
  const update = process.env.UPDATE_SNAPSHOTS === '1';
  const scopes: [string, string[]][] = [
    ['snowflake-sql', ['--scope', 'source.snowflake-sql']],
    ['sql-injection', ['--scope', 'source.sql', '--grammar', STAND_IN_SQL]],
  ];
  for (const [folder, scopeArgs] of scopes) {
    for (const file of sqlFiles(join(SNAPSHOTS, folder), '.sql')) {
      const name = relative(SNAPSHOTS, file);
      it(`${name} matches its snapshot`, async function () {
        // Without a snapshot the tool writes one and passes; a missing one must fail instead.
        if (!update) assert.ok(existsSync(`${file}.snap`), `${name}.snap is checked in`);
        const args = [...scopeArgs, ...(update ? ['--updateSnapshot'] : []), file];
        assertPassed(await runTool(SNAP_CLI, args), name);
      });
    }
  }
});
