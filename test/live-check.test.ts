/**
 * `snowgov check` (alias `validate`) end to end with the unmodified snowflake-sdk, against an emulated account
 * on 127.0.0.1 (test/support/sf-emulator.ts).
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { resolveConnection } from '../server/src/live/connections';
import { ReadOnlyViolation, assertReadOnly } from '../server/src/live/read-only';
import { LiveError, openSession } from '../server/src/live/session';
import { cacheFile, readCachedSnapshot, writeCachedSnapshot } from '../server/src/live/cache';
import { SNAPSHOT_QUERIES } from '../server/src/live/snapshot';
import {
  type JsonReport,
  PASSWORD,
  accountViews,
  check,
  removeProjects,
  runCommand,
  setup,
} from './support/live-account';
import { type Emulator, startBlackhole, startEmulator } from './support/sf-emulator';

describe('snowgov check against an emulated account', () => {
  let emulator: Emulator;
  let maskedEmulator: Emulator;

  before(async () => {
    emulator = await startEmulator({ user: 'AUDITOR', password: PASSWORD, ...accountViews(false) });
    maskedEmulator = await startEmulator({
      user: 'AUDITOR',
      password: PASSWORD,
      ...accountViews(true),
    });
  });

  after(async () => {
    await emulator.close();
    await maskedEmulator.close();
    removeProjects();
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
    const result = await check(cwd, env, '--format', 'json');
    assert.equal(result.status, 1, result.stderr);
    const report = JSON.parse(result.stdout) as JsonReport;
    assert.ok(report.findings.some((finding) => finding.ruleId === 'unmasked-pii-column'));
    const unresolved = report.findings.filter((f) => f.ruleId === 'unresolved-reference');
    assert.deepEqual(
      unresolved.map((f) => [f.line, /GHOST_ROLE/.test(f.message)]),
      [[2, true]],
    );
    const account = report.findings.filter((finding) => finding.path === '<account>');
    assert.ok(account.every((finding) => finding.line === 1 && finding.column === 1));
    const posture = account.map((finding) => finding.message).join('\n');
    assert.match(posture, /PREVENT_UNLOAD_TO_INLINE_URL is not TRUE/);
    assert.match(posture, /User ALICE has ACCOUNTADMIN as default role/);
    assert.match(posture, /ALICE signs in with a password and no MFA/);
    const sent = emulator.received.slice(before);
    assert.deepEqual(sent, Object.values(SNAPSHOT_QUERIES));
    for (const sql of sent) assert.equal(assertReadOnly(sql), sql);
  });

  it('counts a column the account already masks as masked', async () => {
    const { cwd, env } = setup(maskedEmulator.url);
    const result = await check(cwd, env, '--format', 'json');
    const report = JSON.parse(result.stdout) as JsonReport;
    assert.ok(!report.findings.some((finding) => finding.ruleId === 'unmasked-pii-column'));
    const drift = report.findings.filter((finding) => finding.ruleId === 'account-unmasked-pii');
    assert.deepEqual(
      drift.map((finding) => finding.message.split(' ')[1]),
      ['DB.S.LEADS.PHONE_NUMBER'],
    );
  });

  it('reports PII columns the account leaves unmasked, and privileges granted to users', async () => {
    const { cwd, env } = setup(emulator.url);
    const result = await check(cwd, env, '--format', 'json');
    const report = JSON.parse(result.stdout) as JsonReport;
    const byRule = (ruleId: string): string[] =>
      report.findings
        .filter((finding) => finding.ruleId === ruleId)
        .map((finding) => `${finding.path} ${finding.message}`);
    assert.deepEqual(byRule('account-unmasked-pii'), [
      '<account> Column DB.S.CUSTOMERS.EMAIL holds an email address (judged by its name) and has ' +
        'no masking policy in the account.',
      '<account> Column DB.S.LEADS.PHONE_NUMBER holds a phone number (judged by its name) and ' +
        'has no masking policy in the account.',
    ]);
    assert.deepEqual(byRule('account-user-grant'), [
      '<account> User BOB holds SELECT on table DB.S.LEADS directly; grant it to a role instead.',
    ]);
  });

  it('keeps validate as an alias of check', async () => {
    const { cwd, env } = setup(emulator.url);
    const viaAlias = await runCommand('validate', cwd, env, '--format', 'json', '--no-cache');
    const viaCheck = await check(cwd, env, '--format', 'json', '--no-cache');
    assert.equal(viaAlias.status, 1, viaAlias.stderr);
    assert.equal(viaAlias.stdout, viaCheck.stdout);
  });

  it('places account findings at <account> in every format', async () => {
    const { cwd, env } = setup(emulator.url);
    const output = async (format: string): Promise<string> => {
      const result = await check(cwd, env, '--format', format);
      assert.equal(result.status, 1, `${format}: ${result.stderr}`);

      return result.stdout;
    };
    const userGrant = 'User BOB holds SELECT on table DB.S.LEADS directly';

    const text = await output('text');
    assert.match(
      text,
      new RegExp(`^<account>:1:1  warning  account-user-grant  ${userGrant}`, 'm'),
    );
    assert.match(text, /^V1__customers\.sql:2:\d+ {2}warning {2}unresolved-reference/m);
    assert.match(text, /findings \(.*\) in 1 of 1 file and the account$/m);

    const stylish = await output('stylish');
    assert.ok(stylish.startsWith('<account>\n'), stylish);
    assert.match(stylish, new RegExp(`^  1:1  warning  ${userGrant}.*  account-user-grant$`, 'm'));

    const sarif = JSON.parse(await output('sarif')) as {
      runs: { results: { ruleId: string; locations: unknown[] }[] }[];
    };
    const sarifGrant = sarif.runs[0].results.find((r) => r.ruleId === 'account-user-grant');
    assert.deepEqual(sarifGrant?.locations, [
      {
        physicalLocation: {
          artifactLocation: { uri: '%3Caccount%3E', uriBaseId: '%SRCROOT%', index: 0 },
          region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 },
        },
      },
    ]);

    const github = await output('github');
    assert.match(
      github,
      new RegExp(
        `^::warning file=<account>,line=1,endLine=1,col=1,endColumn=1,title=snowgov account-user-grant::${userGrant}`,
        'm',
      ),
    );

    const gitlab = JSON.parse(await output('gitlab')) as {
      check_name: string;
      location: { path: string; lines: { begin: number } };
    }[];
    const gitlabGrant = gitlab.find((issue) => issue.check_name === 'account-user-grant');
    assert.deepEqual(gitlabGrant?.location, { path: '<account>', lines: { begin: 1, end: 1 } });

    const junit = await output('junit');
    assert.match(junit, /<testsuite name="&lt;account&gt;" tests="\d+" failures="\d+"/);
    assert.match(junit, /<testcase classname="&lt;account&gt;" name="account-user-grant at 1:1"/);
  });

  it('caches the snapshot per connection, 0600 and without secrets, until --no-cache', async () => {
    const { cwd, env } = setup(emulator.url);
    const count = (): number => emulator.received.length;
    const first = count();
    const cold = await check(cwd, env, '--format', 'json');
    const afterCold = count();
    assert.equal(afterCold - first, Object.keys(SNAPSHOT_QUERIES).length);

    const warm = await check(cwd, env, '--format', 'json', '--verbose');
    assert.equal(count(), afterCold, 'a cached run sends nothing');
    assert.equal(warm.stdout, cold.stdout);
    assert.match(warm.stderr, /Using the account snapshot cached \d+ s ago/);
    // The password warning is about signing in, which a cached run does not do.
    assert.match(cold.stderr, /signs in with a password, a weak choice/);
    assert.doesNotMatch(warm.stderr, /weak choice/);

    const files = readdirSync(join(env.XDG_CACHE_HOME, 'snowgov'));
    assert.equal(files.length, 1);
    const file = join(env.XDG_CACHE_HOME, 'snowgov', files[0]);
    if (process.platform !== 'win32') {
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.equal(statSync(join(env.XDG_CACHE_HOME, 'snowgov')).mode & 0o077, 0);
    }
    const content = readFileSync(file, 'utf8');
    assert.doesNotMatch(content, new RegExp(PASSWORD));
    assert.doesNotMatch(content, /AUDITOR|127\.0\.0\.1/);

    await check(cwd, env, '--format', 'json', '--no-cache');
    assert.equal(count() - afterCold, Object.keys(SNAPSHOT_QUERIES).length);
  });

  it('ignores a cached snapshot past its time to live, and keys it by connection', () => {
    const { env } = setup(emulator.url);
    const connection = resolveConnection({ name: 'emu', env });
    const folder = join(env.XDG_CACHE_HOME, 'snowgov');
    const file = cacheFile(folder, connection);
    const other = cacheFile(folder, { ...connection, name: 'prod' });
    assert.notEqual(file, other);
    const snapshot = {
      state: {
        policies: [],
        tags: [],
        policyReferences: [],
        tagReferences: [],
        roles: ['ANALYST'],
        users: [],
        stages: [],
        integrations: [],
        accountAdmins: [],
        parameters: {},
        columns: [],
        userGrants: [],
      },
      gaps: [],
    };
    assert.ok(writeCachedSnapshot(file, snapshot, 1_000_000));
    assert.deepEqual(readCachedSnapshot(file, 60, 1_000_000 + 59_000)?.snapshot, snapshot);
    assert.equal(readCachedSnapshot(file, 60, 1_000_000 + 61_000), undefined);
    assert.equal(readCachedSnapshot(other, 60, 1_000_000), undefined);
  });

  it('gives up on a dead server within the deadline, in seconds', async () => {
    const blackhole = await startBlackhole();
    try {
      const { cwd, env } = setup(blackhole.url);
      const started = Date.now();
      const result = await check(cwd, env, '--timeout', '2');
      assert.ok(Date.now() - started < 6000, `took ${Date.now() - started} ms`);
      assert.equal(result.status, 2);
      assert.match(
        result.stderr,
        /did not finish signing in within the 2-second deadline\. .*raise --timeout \(now 2\)/,
      );
    } finally {
      await blackhole.close();
    }
  });

  it('says a slow account did not finish in time, not that it did not answer', async () => {
    const slow = await startEmulator({ user: 'AUDITOR', password: PASSWORD, delayMs: 300 });
    try {
      const { cwd, env } = setup(slow.url);
      const result = await check(cwd, env, '--timeout', '1', '--no-cache');
      assert.equal(result.status, 2);
      assert.ok(slow.received.length > 0, 'the account answered some queries');
      assert.match(
        result.stderr,
        /did not finish reading account state within the 1-second deadline\. A slow account needs more time: raise --timeout \(now 1\)/,
      );
      assert.doesNotMatch(result.stderr, /did not answer/);
    } finally {
      await slow.close();
    }
  });

  it('rejects bad credentials in one line that never echoes a secret', async () => {
    const { cwd, env } = setup(emulator.url, 'wrong-secret-value');
    const result = await check(cwd, env, '--verbose');
    assert.equal(result.status, 2, result.stderr + JSON.stringify(emulator.logins.at(-1)));
    assert.match(result.stderr, /390100.*credentials/);
    assert.doesNotMatch(result.stderr + result.stdout, /wrong-secret-value/);
    assert.ok(emulator.logins.some((login) => login.PASSWORD === 'wrong-secret-value'));
  });

  it('never echoes the password of a working connection', async () => {
    const { cwd, env } = setup(emulator.url);
    const result = await check(cwd, env, '--verbose');
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
