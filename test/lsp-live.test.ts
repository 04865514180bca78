/**
 * Live validation through the built language server (`out/server.js`, so run `npm run build`
 * first): `snowgov/listConnections`, `snowgov/validateAccount` and `snowgov/clearAccountFindings`
 * with the unmodified snowflake-sdk against an emulated account on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CancellationTokenSource,
  type Diagnostic,
  LSPErrorCodes,
  type ProtocolConnection,
  ResponseError,
  WorkDoneProgress,
} from 'vscode-languageserver-protocol/node';
import type {
  ListConnectionsResult,
  ValidateAccountErrorData,
  ValidateAccountResult,
} from '../server/src/lsp/protocol';
import { describeConnection } from '../server/src/live/connections';
import { SNAPSHOT_QUERIES } from '../server/src/live/snapshot';
import {
  connectionWithSecrets,
  listConnections,
  missingSecret,
} from '../server/src/lsp/live-connections';
import { TestClient } from './lsp-client';
import { emulatedAccount } from './lsp-live-account';
import { type Emulator, startBlackhole, startEmulator } from './support/sf-emulator';

const PASSWORD = 'lsp-live-secret-1';
const OPEN_FILE = 'V1__customers.sql';
const OPEN_TEXT =
  'CREATE TABLE DB.S.CUSTOMERS (ID INT, EMAIL VARCHAR);\nGRANT ROLE ANALYST TO ROLE GHOST_ROLE;\n';
const CLOSED_FILE = 'V2__grants.sql';
const CLOSED_TEXT = 'GRANT ROLE ANALYST TO ROLE PHANTOM_ROLE;\n';

const codes = (diagnostics: readonly Diagnostic[]): string[] =>
  diagnostics.map((diagnostic) => String(diagnostic.code)).sort();
const messageOf = ({ message }: Diagnostic): string =>
  typeof message === 'string' ? message : message.value;

/** The request's error, which the test expects; fails when the request succeeds. */
async function rejection(request: Promise<unknown>): Promise<ResponseError<unknown>> {
  try {
    await request;
  } catch (error) {
    assert.ok(error instanceof ResponseError, String(error));

    return error;
  }
  assert.fail('the request succeeded');
}

describe('live validation in the language server', function () {
  this.timeout(30_000);
  let emulator: Emulator;
  let maskedEmulator: Emulator;
  let root: string;
  let folder: string;
  const savedEnv = { ...process.env };
  const clients: TestClient[] = [];

  /**
   * The server inherits the test process's environment, which is how it finds connections: a
   * SNOWFLAKE_HOME with `emu` (password in the file), `masked`, and `asks` (no password).
   */
  before(async () => {
    emulator = await startEmulator({
      user: 'AUDITOR',
      password: PASSWORD,
      ...emulatedAccount(false),
    });
    maskedEmulator = await startEmulator({
      user: 'AUDITOR',
      password: PASSWORD,
      ...emulatedAccount(true),
    });
    root = mkdtempSync(join(tmpdir(), 'snowgov-lsp-live-'));
    folder = join(root, 'migrations');
    mkdirSync(folder);
    mkdirSync(join(root, 'home'));
    writeFileSync(join(folder, OPEN_FILE), OPEN_TEXT);
    writeFileSync(join(folder, CLOSED_FILE), CLOSED_TEXT);
    const connection = (name: string, url: string, password?: string): string =>
      `[${name}]\naccount = "TESTACCT"\nuser = "AUDITOR"\naccess_url = "${url}"\n` +
      (password ? `password = "${password}"\n` : '');
    writeFileSync(
      join(root, 'home', 'connections.toml'),
      connection('emu', emulator.url, PASSWORD) +
        connection('masked', maskedEmulator.url, PASSWORD) +
        connection('asks', emulator.url),
      { mode: 0o600 },
    );
    process.env.SNOWFLAKE_HOME = join(root, 'home');
    process.env.XDG_CACHE_HOME = join(root, 'cache');
    process.env.SNOWFLAKE_DEFAULT_CONNECTION_NAME = 'emu';
  });

  after(async () => {
    for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
    Object.assign(process.env, savedEnv);
    await emulator.close();
    await maskedEmulator.close();
    rmSync(root, { recursive: true, force: true });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      for (const client of clients) console.log(client.transcript());
    }
    for (const client of clients.splice(0)) {
      await client.shutdown().catch(() => client.kill());
    }
  });

  async function start(trusted: boolean): Promise<TestClient> {
    const client = await TestClient.start(folder, {
      initializationOptions: { workspaceTrusted: trusted },
      capabilities: { window: { workDoneProgress: true } },
    });
    clients.push(client);

    return client;
  }

  it('connects to nothing until asked, and lists connections without their secrets', async () => {
    const sentBefore = emulator.received.length;
    const loginsBefore = emulator.logins.length;
    const client = await start(true);
    assert.deepEqual(codes(await client.open(OPEN_FILE, OPEN_TEXT)), ['unmasked-pii-column']);

    const listed = await client.request<ListConnectionsResult>('snowgov/listConnections', {});
    assert.deepEqual(
      listed.connections.map(({ name, isDefault, missingSecret }) => [
        name,
        isDefault,
        missingSecret,
      ]),
      [
        ['emu', true, undefined],
        ['masked', false, undefined],
        ['asks', false, 'password'],
      ],
    );
    assert.match(listed.connections[0].description, /account=TESTACCT user=AUDITOR/);
    assert.doesNotMatch(JSON.stringify(listed), new RegExp(PASSWORD));

    assert.equal(emulator.received.length, sentBefore);
    assert.equal(emulator.logins.length, loginsBefore);
  });

  it('merges findings into diagnostics, returns account findings, and clears them', async () => {
    const client = await start(true);
    await client.open(OPEN_FILE, OPEN_TEXT);
    const sentBefore = emulator.received.length;

    const openDiagnostics = client.nextDiagnostics(OPEN_FILE);
    const closedDiagnostics = client.nextDiagnostics(CLOSED_FILE);
    const result = await client.request<ValidateAccountResult>('snowgov/validateAccount', {
      connection: 'emu',
    });
    const open = await openDiagnostics;
    assert.deepEqual(codes(open), ['unmasked-pii-column', 'unresolved-reference']);
    const unresolved = open.find((diagnostic) => diagnostic.code === 'unresolved-reference');
    assert.equal(unresolved?.range.start.line, 1);
    assert.match(JSON.stringify(unresolved?.message), /Role GHOST_ROLE is defined neither/);
    const closed = await closedDiagnostics;
    assert.deepEqual(codes(closed), ['unresolved-reference']);
    assert.match(JSON.stringify(closed[0].message), /PHANTOM_ROLE/);

    assert.equal(result.connection, 'emu');
    assert.equal(result.fileFindingCount, 3);
    assert.equal(result.filesWithFindings, 2);
    const account = result.accountFindings.map((finding) => finding.message).join('\n');
    assert.match(account, /PREVENT_UNLOAD_TO_INLINE_URL is not TRUE/);
    assert.match(account, /User ALICE has ACCOUNTADMIN as default role/);
    assert.match(account, /User BOB holds SELECT on table DB.S.CUSTOMERS directly/);
    assert.ok(client.logs.some((line) => /Account finding \(account-user-grant/.test(line)));
    assert.deepEqual(emulator.received.slice(sentBefore), Object.values(SNAPSHOT_QUERIES));

    const messages = client.progress.map((value) => ('message' in value ? value.message : ''));
    assert.ok(messages.includes('Signing in to emu'), messages.join(' | '));
    const total = Object.keys(SNAPSHOT_QUERIES).length;
    assert.ok(messages.includes(`Reading account state (${total}/${total})`), messages.join(' | '));
    await client.progressEnded();

    // Edits keep the account in view: the unresolved role moves with its line.
    const edited = await client.change(OPEN_FILE, [
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '\n' },
    ]);
    assert.deepEqual(
      edited.filter((d) => d.code === 'unresolved-reference').map((d) => d.range.start.line),
      [2],
    );

    const clearedOpen = client.nextDiagnostics(OPEN_FILE);
    const clearedClosed = client.nextDiagnostics(CLOSED_FILE);
    await client.request('snowgov/clearAccountFindings', {});
    assert.deepEqual(codes(await clearedOpen), ['unmasked-pii-column']);
    assert.deepEqual(await clearedClosed, []);
    assert.doesNotMatch(client.transcript(), new RegExp(PASSWORD));
  });

  it('counts a column the account masks as masked, replacing the previous run', async () => {
    const client = await start(true);
    await client.open(OPEN_FILE, OPEN_TEXT);
    let next = client.nextDiagnostics(OPEN_FILE);
    await client.request('snowgov/validateAccount', { connection: 'emu' });
    assert.deepEqual(codes(await next), ['unmasked-pii-column', 'unresolved-reference']);

    next = client.nextDiagnostics(OPEN_FILE);
    const result = await client.request<ValidateAccountResult>('snowgov/validateAccount', {
      connection: 'masked',
    });
    assert.deepEqual(codes(await next), ['unresolved-reference']);
    assert.ok(!result.accountFindings.some((finding) => finding.ruleId === 'account-unmasked-pii'));
  });

  it('knows a warehouse that a closed file without findings creates, as snowgov check does', async () => {
    const workspace = join(root, 'warehouses');
    mkdirSync(workspace, { recursive: true });
    const created = 'CREATE WAREHOUSE etl_wh WITH WAREHOUSE_SIZE = XSMALL AUTO_SUSPEND = 60;\n';
    const used = 'USE WAREHOUSE etl_wh;\nUSE WAREHOUSE ghost_wh;\n';
    writeFileSync(join(workspace, 'V1__warehouse.sql'), created);
    writeFileSync(join(workspace, 'V2__load.sql'), used);
    const client = await TestClient.start(workspace, {
      initializationOptions: { workspaceTrusted: true },
    });
    clients.push(client);
    assert.deepEqual(await client.open('V2__load.sql', used), []);

    const next = client.nextDiagnostics('V2__load.sql');
    const result = await client.request<ValidateAccountResult>('snowgov/validateAccount', {
      connection: 'emu',
    });
    const messages = (await next).map(messageOf);
    assert.equal(messages.length, 1, messages.join('\n'));
    assert.match(messages[0], /^Warehouse GHOST_WH is defined neither/);
    assert.equal(result.fileFindingCount, 1);

    // Edits judge the open document again; the warehouse is still known.
    const edited = await client.change('V2__load.sql', [{ text: `-- Load.\n${used}` }]);
    assert.deepEqual(
      edited.map((diagnostic) => [diagnostic.range.start.line, messageOf(diagnostic).slice(0, 19)]),
      [[2, 'Warehouse GHOST_WH ']],
    );
  });

  it('uses a secret the client passes, and rejects a wrong one in one line', async () => {
    const client = await start(true);
    const loginsBefore = emulator.logins.length;
    const error = await rejection(
      client.request('snowgov/validateAccount', {
        connection: 'asks',
        secrets: { password: 'wrong-secret-value' },
      }),
    );
    assert.equal(error.code, LSPErrorCodes.RequestFailed);
    assert.match(error.message, /^Connection 'asks' failed \(390100\): .*credentials/);
    assert.doesNotMatch(error.message, /\n/);
    assert.deepEqual(error.data, { reason: 'credentials' } satisfies ValidateAccountErrorData);
    assert.equal(emulator.logins.at(-1)?.PASSWORD, 'wrong-secret-value');
    assert.doesNotMatch(client.transcript(), /wrong-secret-value/);

    const result = await client.request<ValidateAccountResult>('snowgov/validateAccount', {
      connection: 'asks',
      secrets: { password: PASSWORD },
    });
    assert.equal(result.connection, 'asks');
    assert.equal(emulator.logins.length, loginsBefore + 2);
    assert.doesNotMatch(client.transcript(), new RegExp(PASSWORD));
  });

  it('refuses in an untrusted workspace before reading any connection', async () => {
    const client = await start(false);
    const loginsBefore = emulator.logins.length;
    for (const method of ['snowgov/validateAccount', 'snowgov/listConnections']) {
      const error = await rejection(client.request(method, { connection: 'emu' }));
      assert.match(error.message, /untrusted workspace/);
      assert.deepEqual(error.data, { reason: 'untrusted' });
    }
    assert.equal(emulator.logins.length, loginsBefore);
  });

  it('names an unknown connection and the known ones', async () => {
    const client = await start(true);
    const error = await rejection(
      client.request('snowgov/validateAccount', { connection: 'nope' }),
    );
    assert.match(error.message, /No connection named 'nope'.*known connections: asks, emu, masked/);
    assert.deepEqual(error.data, { reason: 'connection' });
  });

  it('stops at once when cancelled while signing in to an account that does not answer', async () => {
    const blackhole = await startBlackhole();
    process.env.SNOWFLAKE_CONNECTIONS_DEAD_ACCOUNT = 'TESTACCT';
    process.env.SNOWFLAKE_CONNECTIONS_DEAD_USER = 'AUDITOR';
    process.env.SNOWFLAKE_CONNECTIONS_DEAD_PASSWORD = PASSWORD;
    process.env.SNOWFLAKE_CONNECTIONS_DEAD_ACCESS_URL = blackhole.url;
    try {
      const client = await start(true);
      // TestClient has no helper for a cancellable request; its connection is the way in.
      const connection = (client as unknown as { connection: ProtocolConnection }).connection;
      const workDoneToken = 'cancel-while-signing-in';
      const signingIn = new Promise<void>((resolve) => {
        connection.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
          if (value.kind === 'report' && value.message === 'Signing in to dead') resolve();
        });
      });
      const source = new CancellationTokenSource();
      const request = connection.sendRequest(
        'snowgov/validateAccount',
        { connection: 'dead', timeoutSeconds: 30, workDoneToken },
        source.token,
      );
      await signingIn;
      const cancelledAt = Date.now();
      source.cancel();
      const error = await rejection(request);
      assert.equal(error.code, LSPErrorCodes.RequestCancelled);
      assert.ok(Date.now() - cancelledAt < 2000, `took ${Date.now() - cancelledAt} ms`);
    } finally {
      for (const key of Object.keys(process.env)) {
        if (key.startsWith('SNOWFLAKE_CONNECTIONS_DEAD_')) delete process.env[key];
      }
      await blackhole.close();
    }
  });
});

describe('the secret a connection asks the editor for', () => {
  let folder: string;

  before(() => {
    folder = mkdtempSync(join(tmpdir(), 'snowgov-lsp-secrets-'));
  });

  after(() => rmSync(folder, { recursive: true, force: true }));

  it('asks for what its authenticator needs and neither its file nor the environment holds', () => {
    const encrypted = join(folder, 'encrypted.p8');
    const plain = join(folder, 'plain.p8');
    writeFileSync(encrypted, '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIF\n');
    writeFileSync(plain, '-----BEGIN PRIVATE KEY-----\nMIIE\n');
    const cases: [Record<string, string>, string | undefined][] = [
      [{}, 'password'],
      [{ password: 'x' }, undefined],
      [{ authenticator: 'username_password_mfa' }, 'password'],
      [{ authenticator: 'SNOWFLAKE_JWT', private_key_file: encrypted }, 'privateKeyPassphrase'],
      [
        { authenticator: 'SNOWFLAKE_JWT', private_key_file: encrypted, private_key_file_pwd: 'x' },
        undefined,
      ],
      [{ authenticator: 'SNOWFLAKE_JWT', private_key_path: plain }, undefined],
      [{ authenticator: 'OAUTH' }, 'token'],
      [{ authenticator: 'OAUTH', token_file_path: join(folder, 'token') }, undefined],
      [{ authenticator: 'PROGRAMMATIC_ACCESS_TOKEN' }, 'token'],
      [{ authenticator: 'EXTERNALBROWSER' }, undefined],
    ];
    for (const [settings, expected] of cases) {
      assert.equal(missingSecret(settings), expected, JSON.stringify(settings));
    }
  });

  it('finds a password in SNOWFLAKE_CONNECTIONS_<NAME>_PASSWORD, and lays a typed one over', () => {
    const home = join(folder, 'home');
    mkdirSync(home, { recursive: true });
    writeFileSync(join(home, 'connections.toml'), '[asks]\naccount = "A"\nuser = "U"\n', {
      mode: 0o600,
    });
    const env = { SNOWFLAKE_HOME: home };
    assert.equal(listConnections(env).connections[0].missingSecret, 'password');
    const withVariable = { ...env, SNOWFLAKE_CONNECTIONS_ASKS_PASSWORD: 'from-env' };
    assert.equal(listConnections(withVariable).connections[0].missingSecret, undefined);

    const typed = connectionWithSecrets('asks', { password: 'typed' }, withVariable);
    assert.equal(typed.settings.password, 'typed');
    assert.doesNotMatch(describeConnection(typed), /typed|from-env/);
  });
});
