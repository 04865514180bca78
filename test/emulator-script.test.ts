/**
 * `npm run emulator` serves account data of the user's own (examples/live/account.yaml here) to
 * the built `snowgov check`, with the unmodified snowflake-sdk in between, and logs every
 * statement it receives: the set-up README.md describes for trying live validation.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve(__dirname, '..');

interface JsonReport {
  readonly findings: readonly { path: string; ruleId: string; message: string }[];
}

describe('npm run emulator with a seed file', function () {
  this.timeout(60_000);
  let emulator: ChildProcess;
  let url: string;
  let log = '';
  let home: string;

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'snowgov-emulator-'));
    emulator = spawn(
      process.execPath,
      ['--import', 'tsx', 'scripts/emulator.ts', '--seed', 'examples/live/account.yaml'],
      { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    emulator.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    emulator.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    url = await new Promise<string>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`no URL printed:\n${log}`)), 30_000);
      const poll = setInterval(() => {
        const printed = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(log);
        if (!printed) return;
        clearInterval(poll);
        clearTimeout(timer);
        done(printed[1]);
      }, 50);
    });
  });

  after(() => {
    emulator.kill();
    rmSync(home, { recursive: true, force: true });
  });

  it('answers snowgov check from the seed and logs only read-only statements', async () => {
    const result = await runNode(
      ['out/cli.js', 'check', '--no-cache', '--format', 'json', 'examples/'],
      {
        ...process.env,
        SNOWFLAKE_HOME: home,
        XDG_CACHE_HOME: join(home, 'cache'),
        SNOWFLAKE_DEFAULT_CONNECTION_NAME: 'emu',
        SNOWFLAKE_CONNECTIONS_EMU_ACCOUNT: 'TESTACCT',
        SNOWFLAKE_CONNECTIONS_EMU_USER: 'AUDITOR',
        SNOWFLAKE_CONNECTIONS_EMU_PASSWORD: 'emulator-only',
        SNOWFLAKE_CONNECTIONS_EMU_ACCESS_URL: url,
      },
    );
    assert.equal(result.status, 1, result.stderr);
    const report = JSON.parse(result.stdout) as JsonReport;
    const account = report.findings
      .filter((finding) => finding.path.startsWith('<'))
      .map((finding) => finding.message);
    assert.ok(account.includes('1 user holds ACCOUNTADMIN: ALICE.'), account.join('\n'));
    assert.ok(account.some((message) => /User BOB holds SELECT on table/.test(message)));
    // PHONE has no policy in the seed; EMAIL is masked there.
    assert.ok(account.some((message) => /LEGACY_CONTACTS\.PHONE holds a phone/.test(message)));
    assert.ok(!account.some((message) => /LEGACY_CONTACTS\.EMAIL/.test(message)));
    // Masked through a tag that carries a masking policy.
    assert.ok(!account.some((message) => /LEGACY_CONTACTS\.SSN/.test(message)));

    const queries = [...log.matchAll(/^query: (.*)$/gm)].map((match) => match[1]);
    assert.ok(queries.length >= 10, log);
    for (const sql of queries) assert.match(sql, /^(SELECT|SHOW) /);
  });
});

/** Runs node without blocking the event loop, so the emulator's log keeps flowing meanwhile. */
function runNode(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, args, { cwd: REPO, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

  return new Promise((done) => child.on('close', (status) => done({ status, stdout, stderr })));
}
