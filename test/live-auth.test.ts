/**
 * Every authenticator snowgov offers, end to end: the unmodified snowflake-sdk signs in to the
 * emulated account (test/support/sf-emulator.ts), which checks the credential as Snowflake
 * does: the key-pair JWT against the user's public key, OAuth and programmatic access tokens
 * against the ones it issued, and the browser flow's token against the proof key the driver
 * sent to the "identity provider".
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allRules } from '../rules';
import { run } from '../server/src/cli/run';
import { type ResolvedConnection, resolveConnection } from '../server/src/live/connections';
import { LiveError, openSession } from '../server/src/live/session';
import { SNAPSHOT_QUERIES } from '../server/src/live/snapshot';
import { type Emulator, startEmulator, tableOf } from './support/sf-emulator';

const PASSPHRASE = 'key-passphrase-secret';
const OAUTH_TOKEN = 'oauth-token-secret-1';
const EXPIRED_TOKEN = 'oauth-token-secret-expired';
const PAT = 'pat-secret-value-1';

function keyPair(): { publicKey: string; privateKey: string; encryptedKey: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

  return {
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    encryptedKey: privateKey
      .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASSPHRASE })
      .toString(),
  };
}

describe('authenticators against an emulated account', () => {
  const keys = keyPair();
  const stranger = keyPair();
  let emulator: Emulator;
  let root: string;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'snowgov-auth-'));
    mkdirSync(join(root, '.git'));
    writeFileSync(join(root, 'V1__grant.sql'), 'GRANT ROLE ANALYST TO ROLE REPORTING;\n');
    const files = {
      'key.p8': keys.privateKey,
      'encrypted.p8': keys.encryptedKey,
      'stranger.p8': stranger.privateKey,
      'token.txt': `${OAUTH_TOKEN}\n`,
    };
    for (const [name, text] of Object.entries(files)) {
      writeFileSync(join(root, name), text, { mode: 0o600 });
    }
    emulator = await startEmulator({
      users: [
        { name: 'SVC_KEYPAIR', publicKey: keys.publicKey },
        { name: 'APP', oauthTokens: [OAUTH_TOKEN], expiredOauthTokens: [EXPIRED_TOKEN] },
        { name: 'CI', programmaticAccessTokens: [PAT] },
        { name: 'JANE', sso: true },
        { name: 'NO_SSO' },
        { name: 'HUMAN', password: 'hunter2-secret' },
      ],
      tables: new Map([[SNAPSHOT_QUERIES.roles, tableOf(['name'], [{ name: 'REPORTING' }])]]),
    });
  });

  after(async () => {
    await emulator.close();
    rmSync(root, { recursive: true, force: true });
  });

  /** A connection named `emu` with these settings, resolved as `snowgov check` resolves it. */
  function connection(settings: Record<string, string>): {
    resolved: ResolvedConnection;
    env: Record<string, string>;
  } {
    const home = mkdtempSync(join(root, 'home-'));
    const lines = Object.entries({ account: 'TESTACCT', access_url: emulator.url, ...settings })
      .map(([key, value]) => `${key} = ${JSON.stringify(value)}`)
      .join('\n');
    writeFileSync(join(home, 'connections.toml'), `[emu]\n${lines}\n`, { mode: 0o600 });
    const env = { SNOWFLAKE_HOME: home, XDG_CACHE_HOME: join(home, 'cache'), NO_COLOR: '1' };

    return { resolved: resolveConnection({ name: 'emu', env }), env };
  }

  /** Signs in, reads SHOW ROLES and closes; rejects with the session's error. */
  async function signIn(
    settings: Record<string, string>,
    openBrowser?: (url: string) => void,
  ): Promise<unknown[]> {
    const session = await openSession(connection(settings).resolved, {
      deadlineMs: 10_000,
      openBrowser,
    });
    try {
      return await session.query(SNAPSHOT_QUERIES.roles);
    } finally {
      await session.close();
    }
  }

  async function signInError(settings: Record<string, string>): Promise<string> {
    const error = await signIn(settings).then(
      () => assert.fail('signed in'),
      (reason: unknown) => reason,
    );
    assert.ok(error instanceof LiveError, String(error));
    assert.doesNotMatch(error.message, /\n/);

    return error.message;
  }

  const roles = [{ name: 'REPORTING' }];

  it('signs in with a key pair: the JWT is verified against the user public key', async () => {
    assert.deepEqual(
      await signIn({
        user: 'svc_keypair',
        authenticator: 'SNOWFLAKE_JWT',
        private_key_file: join(root, 'key.p8'),
      }),
      roles,
    );
    const login = emulator.logins.at(-1) ?? {};
    assert.equal(login.AUTHENTICATOR, 'SNOWFLAKE_JWT');
    assert.equal(login.PASSWORD, undefined);
  });

  it('signs in with an encrypted private key and its passphrase', async () => {
    assert.deepEqual(
      await signIn({
        user: 'SVC_KEYPAIR',
        authenticator: 'snowflake_jwt',
        private_key_file: join(root, 'encrypted.p8'),
        private_key_file_pwd: PASSPHRASE,
      }),
      roles,
    );
  });

  it('refuses a key that is not the user key, saying what to check', async () => {
    const message = await signInError({
      user: 'SVC_KEYPAIR',
      authenticator: 'SNOWFLAKE_JWT',
      private_key_file: join(root, 'stranger.p8'),
    });
    assert.match(
      message,
      /^Connection 'emu' failed \(390144\): JWT token is invalid.*RSA_PUBLIC_KEY/,
    );
  });

  it('reports a wrong passphrase without echoing it', async () => {
    const message = await signInError({
      user: 'SVC_KEYPAIR',
      authenticator: 'SNOWFLAKE_JWT',
      private_key_file: join(root, 'encrypted.p8'),
      private_key_file_pwd: 'not-the-passphrase',
    });
    assert.match(
      message,
      /^Connection 'emu' failed \(ERR_OSSL_BAD_DECRYPT\): .*\. Check private_key_file_pwd: it does not decrypt private_key_file\.$/,
    );
    assert.doesNotMatch(message, /not-the-passphrase/);
    const missing = await signInError({
      user: 'SVC_KEYPAIR',
      authenticator: 'SNOWFLAKE_JWT',
      private_key_file: join(root, 'encrypted.p8'),
    });
    assert.match(missing, /Set private_key_file_pwd: private_key_file is encrypted\.$/);
  });

  it('signs in with an OAuth token, from the settings or a token file', async () => {
    assert.deepEqual(
      await signIn({ user: 'APP', authenticator: 'OAUTH', token: OAUTH_TOKEN }),
      roles,
    );
    assert.equal(emulator.logins.at(-1)?.TOKEN, OAUTH_TOKEN);
    assert.deepEqual(
      await signIn({
        user: 'APP',
        authenticator: 'oauth',
        token_file_path: join(root, 'token.txt'),
      }),
      roles,
    );
  });

  it('says that an OAuth token expired and how to renew it, in one line', async () => {
    const { env } = connection({ user: 'APP', authenticator: 'OAUTH', token: EXPIRED_TOKEN });
    const result = await check(env);
    assert.equal(result.status, 2);
    assert.match(
      result.stderr.split('\n')[0],
      /^snowgov: Connection 'emu' failed \(390318\): OAuth access token expired.*\. Get a new OAuth access token and put it in the connection \(token or token_file_path\)\.$/,
    );
    assert.doesNotMatch(result.stderr + result.stdout, new RegExp(EXPIRED_TOKEN));
  });

  it('signs in with a programmatic access token, and rejects a wrong one', async () => {
    assert.deepEqual(
      await signIn({ user: 'CI', authenticator: 'PROGRAMMATIC_ACCESS_TOKEN', token: PAT }),
      roles,
    );
    assert.equal(emulator.logins.at(-1)?.AUTHENTICATOR, 'PROGRAMMATIC_ACCESS_TOKEN');
    const message = await signInError({
      user: 'CI',
      authenticator: 'PROGRAMMATIC_ACCESS_TOKEN',
      token: 'pat-guessed',
    });
    assert.match(message, /\(390100\).*Check the user and credentials of this connection\.$/);
    assert.doesNotMatch(message, /pat-guessed/);
  });

  it('signs in through the browser: the emulator plays the identity provider', async () => {
    const opened: string[] = [];
    const settings = {
      user: 'jane',
      authenticator: 'externalbrowser',
      disable_console_login: 'false',
    };
    const rows = await signIn(settings, (url) => {
      opened.push(url);
      void emulator.completeBrowserLogin(url);
    });
    assert.deepEqual(rows, roles);
    assert.equal(opened.length, 1);
    assert.match(opened[0], /[?&]proof_key=[^&]+/);
    const login = emulator.logins.at(-1) ?? {};
    assert.equal(login.AUTHENTICATOR, 'EXTERNALBROWSER');
    assert.equal(typeof login.PROOF_KEY, 'string');

    const refused = await signIn({ ...settings, user: 'NO_SSO' }, (url) => {
      void emulator.completeBrowserLogin(url);
    }).then(
      () => 'signed in',
      (error: Error) => error.message,
    );
    assert.match(refused, /^Connection 'emu' failed \(390195\).*Sign in through the browser again/);
  });

  it('signs in with a password end to end, and calls it a weak choice', async () => {
    const { env } = connection({ user: 'HUMAN', password: 'hunter2-secret' });
    const result = await check(env);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /signs in with a password, a weak choice for automation/);
    assert.doesNotMatch(result.stderr + result.stdout, /hunter2/);
    const { env: keyEnv } = connection({
      user: 'SVC_KEYPAIR',
      authenticator: 'SNOWFLAKE_JWT',
      private_key_file: join(root, 'key.p8'),
    });
    assert.doesNotMatch((await check(keyEnv)).stderr, /weak choice/);
  });

  it('rejects a wrong password in one line that says what to check', async () => {
    const { env } = connection({ user: 'HUMAN', password: 'wrong-password-value' });
    const result = await check(env);
    assert.equal(result.status, 2);
    const line = result.stderr.split('\n').find((text) => /failed/.test(text)) ?? '';
    assert.match(
      line,
      /^snowgov: Connection 'emu' failed \(390100\): Incorrect username or password was specified\. Check the user and credentials of this connection\.$/,
    );
    assert.doesNotMatch(result.stderr, /wrong-password-value/);
  });

  async function check(
    env: Record<string, string>,
  ): Promise<{ status: number; stderr: string; stdout: string }> {
    let stdout = '';
    let stderr = '';
    const status = await run(['check', '.', '--connection', 'emu', '--format', 'json'], {
      cwd: root,
      env,
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      rules: allRules,
    });

    return { status, stdout, stderr };
  }
});
