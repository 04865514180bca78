/**
 * Browser single sign-on from the language server: the sign-on page is opened by the editor
 * (`window/showDocument` with `external: true`), never by the server process, whose machine may
 * have no browser the user can see. Runs the built server (`npm run build` first) and the
 * unmodified snowflake-sdk against an emulated account that plays the identity provider.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ShowDocumentParams } from 'vscode-languageserver-protocol/node';
import type { ValidateAccountResult } from '../server/src/lsp/protocol';
import { TestClient } from './lsp-client';
import { emulatedAccount } from './lsp-live-account';
import { type Emulator, startEmulator } from './support/sf-emulator';

describe('live validation with browser sign-on in the language server', function () {
  this.timeout(30_000);
  let emulator: Emulator;
  let root: string;
  let client: TestClient | undefined;
  const savedEnv = { ...process.env };

  before(async () => {
    emulator = await startEmulator({
      users: [{ name: 'JANE', sso: true }],
      ...emulatedAccount(false),
    });
    root = mkdtempSync(join(tmpdir(), 'snowgov-lsp-sso-'));
    mkdirSync(join(root, 'migrations'));
    mkdirSync(join(root, 'home'));
    writeFileSync(join(root, 'migrations', 'V1__roles.sql'), 'CREATE ROLE REPORTING;\n');
    writeFileSync(
      join(root, 'home', 'connections.toml'),
      '[sso]\naccount = "TESTACCT"\nuser = "jane"\nauthenticator = "externalbrowser"\n' +
        `disable_console_login = false\naccess_url = "${emulator.url}"\n`,
      { mode: 0o600 },
    );
    // The server inherits this environment, which is how it finds the connection.
    process.env.SNOWFLAKE_HOME = join(root, 'home');
    process.env.XDG_CACHE_HOME = join(root, 'cache');
  });

  after(async () => {
    await client?.shutdown().catch(() => client?.kill());
    for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
    Object.assign(process.env, savedEnv);
    await emulator.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('asks the editor to open the sign-on page and completes the validation', async () => {
    client = await TestClient.start(join(root, 'migrations'), {
      initializationOptions: { workspaceTrusted: true },
    });
    const shown: ShowDocumentParams[] = [];
    client.onShowDocument = (params) => {
      shown.push(params);
      // The user signs in at the identity provider, which redirects to the driver's port.
      void emulator.completeBrowserLogin(params.uri);

      return true;
    };

    const result = await client.request<ValidateAccountResult>('snowgov/validateAccount', {
      connection: 'sso',
    });

    assert.equal(shown.length, 1, client.transcript());
    assert.equal(shown[0].external, true);
    assert.match(shown[0].uri, /[?&]proof_key=[^&]+/);
    assert.equal(emulator.logins.at(-1)?.AUTHENTICATOR, 'EXTERNALBROWSER');
    assert.equal(result.connection, 'sso');
    assert.deepEqual(result.gaps, [], JSON.stringify(result));
  });
});
