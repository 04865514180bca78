/**
 * What users install: the bundles in out/ run with no node_modules anywhere (the Snowflake
 * driver included, loaded only when `snowgov check` asks for it), and the .vsix holds exactly
 * the extension's files. Needs `npm run build` first (`npm test` does it).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, parse, resolve } from 'node:path';
import { promisify } from 'node:util';
import { assertReadOnly } from '../server/src/live/read-only';
import { type Emulator, startEmulator } from './support/sf-emulator';

const run = promisify(execFile);
const REPO = resolve(__dirname, '..');
const PASSWORD = 'bundle-test-secret';
const BUNDLES = ['cli.js', 'server.js', 'extension.js', 'snowflake-driver.js'];

interface Outcome {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to its end, resolving with its exit status instead of rejecting on one. */
async function outcome(
  command: string,
  args: string[],
  cwd: string,
  env: object,
): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(command, args, { cwd, env: env as NodeJS.ProcessEnv });

    return { status: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;

    return { status: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** True when some folder from `start` up to the root has node_modules/<name>. */
function reachable(start: string, name: string): boolean {
  for (let directory = start; ; directory = dirname(directory)) {
    if (existsSync(join(directory, 'node_modules', name))) return true;
    if (directory === parse(directory).root) return false;
  }
}

describe('the bundles, copied where no node_modules can be found', () => {
  let root: string;
  let emulator: Emulator;

  before(async () => {
    for (const bundle of BUNDLES) {
      assert.ok(existsSync(join(REPO, 'out', bundle)), `out/${bundle} is missing: npm run build`);
    }
    root = mkdtempSync(join(tmpdir(), 'snowgov-bundle-'));
    mkdirSync(join(root, 'snowgov', 'out'), { recursive: true });
    for (const bundle of BUNDLES) {
      copyFileSync(join(REPO, 'out', bundle), join(root, 'snowgov', 'out', bundle));
    }
    for (const name of ['snowflake-sdk', 'vscode-languageserver', 'node-sql-parser']) {
      assert.ok(!reachable(join(root, 'snowgov', 'out'), name), `${name} is reachable`);
    }
    // A project whose migration the account judges: ANALYST exists there, GHOST_ROLE does not.
    const project = join(root, 'project');
    mkdirSync(join(project, '.git'), { recursive: true });
    writeFileSync(
      join(project, 'V1__roles.sql'),
      'CREATE TABLE DB.S.CUSTOMERS (ID INT, EMAIL VARCHAR);\n' +
        'GRANT ROLE ANALYST TO ROLE GHOST_ROLE;\n',
    );
    emulator = await startEmulator({
      user: 'AUDITOR',
      password: PASSWORD,
      tables: new Map([['SHOW ROLES', { columns: ['name'], rows: [['ANALYST']] }]]),
    });
    mkdirSync(join(root, 'home'));
    writeFileSync(
      join(root, 'home', 'connections.toml'),
      `[emu]\naccount = "TESTACCT"\nuser = "AUDITOR"\npassword = "${PASSWORD}"\n` +
        `access_url = "${emulator.url}"\n`,
      { mode: 0o600 },
    );
    // Reports, as the process exits, whether the driver's bundle was ever required.
    writeFileSync(
      join(root, 'driver-probe.js'),
      "process.on('exit', () => require('fs').writeFileSync(process.env.DRIVER_PROBE, String(" +
        "Object.keys(require.cache).some((file) => file.endsWith('snowflake-driver.js')))));",
    );
  });

  after(async () => {
    await emulator?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  /** `node out/cli.js <args>` from the copy, in the project, noting whether the driver loaded. */
  async function snowgov(...args: string[]): Promise<Outcome & { driverLoaded: boolean }> {
    const probe = join(root, `probe-${args[0]}`);
    const env = {
      PATH: process.env.PATH,
      HOME: join(root, 'home'),
      SNOWFLAKE_HOME: join(root, 'home'),
      XDG_CACHE_HOME: join(root, 'cache'),
      NO_COLOR: '1',
      DRIVER_PROBE: probe,
    };
    const cli = join(root, 'snowgov', 'out', 'cli.js');
    const result = await outcome(
      process.execPath,
      ['--require', join(root, 'driver-probe.js'), cli, ...args],
      join(root, 'project'),
      env,
    );

    return { ...result, driverLoaded: readFileSync(probe, 'utf8') === 'true' };
  }

  it('lints without loading the Snowflake driver', async () => {
    const result = await snowgov('lint', '.', '--format', 'json');
    assert.equal(result.status, 1, result.stderr);
    const report = JSON.parse(result.stdout) as { findings: { ruleId: string }[] };
    assert.ok(report.findings.some((finding) => finding.ruleId === 'unmasked-pii-column'));
    assert.equal(result.driverLoaded, false);
  });

  it('checks against an account through the bundled driver, keeping stdout clean', async () => {
    const result = await snowgov('check', '.', '--connection', 'emu', '--format', 'json');
    assert.equal(result.driverLoaded, true);
    assert.equal(result.status, 1, result.stderr);
    // JSON.parse fails if the driver logged anything to stdout.
    const report = JSON.parse(result.stdout) as { findings: { ruleId: string; message: string }[] };
    const unresolved = report.findings.filter((f) => f.ruleId === 'unresolved-reference');
    assert.ok(
      unresolved.some((finding) => /GHOST_ROLE/.test(finding.message)),
      result.stdout,
    );
    assert.ok(!unresolved.some((finding) => /\bANALYST\b/.test(finding.message)), result.stdout);
    assert.ok(emulator.received.includes('SHOW ROLES'));
    for (const sql of emulator.received) assert.equal(assertReadOnly(sql), sql);
    assert.ok(!`${result.stdout}${result.stderr}`.includes(PASSWORD));
  });
});

describe('npm run package', () => {
  let folder: string;

  before(() => {
    folder = mkdtempSync(join(tmpdir(), 'snowgov-vsix-'));
  });

  after(() => rmSync(folder, { recursive: true, force: true }));

  it('packs snowgov-<version>.vsix: bundles, grammars, schema, README, LICENSE', async function () {
    // vsce reads and zips about 5 MB; on a busy machine that takes a while.
    this.timeout(60_000);
    const packing = await outcome(
      process.execPath,
      ['scripts/package.mjs', '--no-build', '--out', folder],
      REPO,
      process.env,
    );
    assert.equal(packing.status, 0, packing.stderr);
    const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
      version: string;
    };
    const vsix = join(folder, `snowgov-${version}.vsix`);
    assert.ok(statSync(vsix).size < 25 * 1024 * 1024);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- vsce ships no types for it
    const { readZip } = require('@vscode/vsce/out/zip') as {
      readZip(path: string, filter: (name: string) => boolean): Promise<Map<string, Buffer>>;
    };
    // readZip lower-cases the names.
    const entries = [...(await readZip(vsix, () => true)).keys()].sort();
    assert.deepEqual(entries, [
      '[content_types].xml',
      'extension.vsixmanifest',
      'extension/license.txt',
      'extension/out/extension.js',
      'extension/out/server.js',
      'extension/out/snowflake-driver.js',
      'extension/package.json',
      'extension/readme.md',
      'extension/schemas/snowgov.schema.json',
      'extension/syntaxes/snowflake-sql.injection.tmlanguage.json',
      'extension/syntaxes/snowflake-sql.tmlanguage.json',
    ]);
  });
});
