/**
 * `snowgov validate` end to end with the unmodified snowflake-sdk, against an emulated account
 * on 127.0.0.1 (test/support/sf-emulator.ts).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allRules } from '../rules';
import { run } from '../server/src/cli/run';
import { resolveConnection } from '../server/src/live/connections';
import { ReadOnlyViolation, assertReadOnly } from '../server/src/live/read-only';
import { LiveError, openSession } from '../server/src/live/session';
import { SNAPSHOT_QUERIES } from '../server/src/live/snapshot';
import { type Emulator, type Table, startBlackhole, startEmulator } from './support/sf-emulator';

const PASSWORD = 'pa55-very-secret';
const MIGRATION =
  'CREATE TABLE DB.S.CUSTOMERS (ID INT, EMAIL VARCHAR);\n' +
  'GRANT ROLE ANALYST TO ROLE GHOST_ROLE;\n';

const empty = (columns: string[]): Table => ({ columns, rows: [] });

function accountTables(masked: boolean): Map<string, Table> {
  return new Map<string, Table>([
    [
      SNAPSHOT_QUERIES.policyReferences,
      {
        columns: [
          'POLICY_DB',
          'POLICY_SCHEMA',
          'POLICY_NAME',
          'POLICY_KIND',
          'REF_DATABASE_NAME',
          'REF_SCHEMA_NAME',
          'REF_ENTITY_NAME',
          'REF_COLUMN_NAME',
        ],
        rows: masked
          ? [['GOV', 'POLICIES', 'MASK_EMAIL', 'MASKING_POLICY', 'DB', 'S', 'CUSTOMERS', 'EMAIL']]
          : [],
      },
    ],
    [SNAPSHOT_QUERIES.tagReferences, empty(['TAG_NAME'])],
    [SNAPSHOT_QUERIES.policies, empty(['POLICY_NAME'])],
    [SNAPSHOT_QUERIES.tags, empty(['TAG_NAME'])],
    [
      SNAPSHOT_QUERIES.users,
      {
        columns: ['NAME', 'DEFAULT_ROLE', 'HAS_PASSWORD', 'HAS_MFA', 'DISABLED'],
        rows: [['ALICE', 'ACCOUNTADMIN', 'true', 'false', 'false']],
      },
    ],
    [SNAPSHOT_QUERIES.accountAdmins, { columns: ['GRANTEE_NAME'], rows: [['ALICE']] }],
    [SNAPSHOT_QUERIES.stages, empty(['STAGE_NAME'])],
    [SNAPSHOT_QUERIES.roles, { columns: ['name'], rows: [['ANALYST']] }],
    [SNAPSHOT_QUERIES.integrations, empty(['name'])],
    [
      SNAPSHOT_QUERIES.parameters,
      { columns: ['key', 'value'], rows: [['PREVENT_UNLOAD_TO_INLINE_URL', 'false']] },
    ],
  ]);
}

const roots: string[] = [];

/** A project holding one migration, and a SNOWFLAKE_HOME whose connection `emu` points at url. */
function setup(url: string, password = PASSWORD): { cwd: string; env: Record<string, string> } {
  const root = mkdtempSync(join(tmpdir(), 'snowgov-live-'));
  roots.push(root);
  mkdirSync(join(root, '.git'));
  mkdirSync(join(root, 'home'));
  writeFileSync(join(root, 'V1__customers.sql'), MIGRATION);
  writeFileSync(
    join(root, 'home', 'connections.toml'),
    `[emu]\naccount = "TESTACCT"\nuser = "AUDITOR"\npassword = "${password}"\naccess_url = "${url}"\n`,
    { mode: 0o600 },
  );

  return { cwd: root, env: { SNOWFLAKE_HOME: join(root, 'home'), NO_COLOR: '1' } };
}

async function validate(
  cwd: string,
  env: Record<string, string>,
  ...args: string[]
): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const status = await run(['validate', '.', '--connection', 'emu', ...args], {
    cwd,
    env,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    rules: allRules,
  });

  return { status, stdout, stderr };
}

describe('snowgov validate against an emulated account', () => {
  let emulator: Emulator;
  let maskedEmulator: Emulator;

  before(async () => {
    emulator = await startEmulator({
      user: 'AUDITOR',
      password: PASSWORD,
      tables: accountTables(false),
    });
    maskedEmulator = await startEmulator({
      user: 'AUDITOR',
      password: PASSWORD,
      tables: accountTables(true),
    });
  });

  after(async () => {
    await emulator.close();
    await maskedEmulator.close();
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  it('refuses statements that are not one SELECT, SHOW or DESCRIBE', () => {
    for (const sql of [
      'DROP TABLE t',
      'SELECT 1; DROP TABLE t',
      "EXECUTE IMMEDIATE 'DROP TABLE t'",
      'CALL cleanup()',
      'INSERT INTO t SELECT 1',
      'SELECT SYSTEM$CANCEL_ALL_QUERIES(1)',
      'BEGIN SELECT 1; END',
    ]) {
      assert.throws(() => assertReadOnly(sql), ReadOnlyViolation, sql);
    }
    for (const sql of Object.values(SNAPSHOT_QUERIES)) assert.equal(assertReadOnly(sql), sql);
  });

  it('refuses a write locally: it never reaches the account', async () => {
    const { env } = setup(emulator.url);
    const session = await openSession(resolveConnection({ name: 'emu', env }), {
      deadlineMs: 10_000,
    });
    try {
      await assert.rejects(session.query('DROP TABLE DB.S.CUSTOMERS'), ReadOnlyViolation);
      assert.deepEqual(await session.query(SNAPSHOT_QUERIES.roles), [{ name: 'ANALYST' }]);
    } finally {
      await session.close();
    }
    assert.ok(!emulator.received.some((sql) => /DROP/i.test(sql)));
  });

  it('reports an unmasked column and account posture, sending only read-only statements', async () => {
    const { cwd, env } = setup(emulator.url);
    const before = emulator.received.length;
    const result = await validate(cwd, env, '--format', 'json');
    assert.equal(result.status, 1, result.stderr);
    const report = JSON.parse(result.stdout) as {
      findings: { ruleId: string; message: string; line: number }[];
      account: { ruleId: string; message: string }[];
    };
    assert.ok(report.findings.some((finding) => finding.ruleId === 'unmasked-pii-column'));
    const unresolved = report.findings.filter((f) => f.ruleId === 'unresolved-reference');
    assert.deepEqual(
      unresolved.map((f) => [f.line, /GHOST_ROLE/.test(f.message)]),
      [[2, true]],
    );
    const posture = report.account.map((finding) => finding.message).join('\n');
    assert.match(posture, /PREVENT_UNLOAD_TO_INLINE_URL is not TRUE/);
    assert.match(posture, /User ALICE has ACCOUNTADMIN as default role/);
    assert.match(posture, /ALICE signs in with a password and no MFA/);
    const sent = emulator.received.slice(before);
    assert.deepEqual(sent, Object.values(SNAPSHOT_QUERIES));
    for (const sql of sent) assert.equal(assertReadOnly(sql), sql);
  });

  it('counts a column the account already masks as masked', async () => {
    const { cwd, env } = setup(maskedEmulator.url);
    const result = await validate(cwd, env, '--format', 'json');
    const report = JSON.parse(result.stdout) as { findings: { ruleId: string }[] };
    assert.ok(!report.findings.some((finding) => finding.ruleId === 'unmasked-pii-column'));
  });

  it('gives up on a dead server within the deadline, in seconds', async () => {
    const blackhole = await startBlackhole();
    try {
      const { cwd, env } = setup(blackhole.url);
      const started = Date.now();
      const result = await validate(cwd, env, '--timeout', '2');
      assert.ok(Date.now() - started < 6000, `took ${Date.now() - started} ms`);
      assert.equal(result.status, 2);
      assert.match(result.stderr, /did not answer within the deadline|timeout/);
    } finally {
      await blackhole.close();
    }
  });

  it('rejects bad credentials in one line that never echoes a secret', async () => {
    const { cwd, env } = setup(emulator.url, 'wrong-secret-value');
    const result = await validate(cwd, env, '--verbose');
    assert.equal(result.status, 2, result.stderr + JSON.stringify(emulator.logins.at(-1)));
    assert.match(result.stderr, /390100.*credentials/);
    assert.doesNotMatch(result.stderr + result.stdout, /wrong-secret-value/);
    assert.ok(emulator.logins.some((login) => login.PASSWORD === 'wrong-secret-value'));
  });

  it('never echoes the password of a working connection', async () => {
    const { cwd, env } = setup(emulator.url);
    const result = await validate(cwd, env, '--verbose');
    assert.match(result.stderr, /Using connection emu: .*account=TESTACCT/);
    assert.doesNotMatch(result.stderr + result.stdout, new RegExp(PASSWORD));
  });

  it('maps a session failure to a LiveError', async () => {
    const { env } = setup('http://127.0.0.1:1');
    await assert.rejects(
      openSession(resolveConnection({ name: 'emu', env }), { deadlineMs: 3000 }),
      LiveError,
    );
  });
});
