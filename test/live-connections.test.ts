import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConnectionError,
  configDirectory,
  describeConnection,
  resolveConnection,
} from '../server/src/live/connections';

const roots: string[] = [];

function tempDir(): string {
  const root = mkdtempSync(join(tmpdir(), 'snowgov-conn-'));
  roots.push(root);

  return root;
}

function writePrivate(path: string, text: string, mode = 0o600): void {
  writeFileSync(path, text);
  chmodSync(path, mode);
}

describe('connection resolution', () => {
  after(() => {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  it('looks in SNOWFLAKE_HOME, then ~/.snowflake when it exists, then the OS folder', () => {
    const home = tempDir();
    assert.equal(configDirectory({ SNOWFLAKE_HOME: '/x' }, home, 'linux'), '/x');
    assert.equal(configDirectory({}, home, 'linux'), join(home, '.config', 'snowflake'));
    assert.equal(
      configDirectory({}, home, 'darwin'),
      join(home, 'Library', 'Application Support', 'snowflake'),
    );
    mkdirSync(join(home, '.snowflake'));
    assert.equal(configDirectory({}, home, 'linux'), join(home, '.snowflake'));
  });

  it('reads [connections.<name>] from config.toml and its default_connection_name', () => {
    const dir = tempDir();
    writePrivate(
      join(dir, 'config.toml'),
      'default_connection_name = "prod"\n[connections.prod]\naccount = "ACME"\nuser = "CI"\n',
    );
    const resolved = resolveConnection({ env: { SNOWFLAKE_HOME: dir } });
    assert.equal(resolved.name, 'prod');
    assert.deepEqual(resolved.settings, { account: 'ACME', user: 'CI' });
    assert.deepEqual(resolved.warnings, []);
  });

  it('lets a sibling connections.toml replace the [connections] section of config.toml', () => {
    const dir = tempDir();
    writePrivate(join(dir, 'config.toml'), '[connections.old]\naccount = "OLD"\n');
    writePrivate(join(dir, 'connections.toml'), '[default]\naccount = "NEW"\n');
    assert.equal(resolveConnection({ env: { SNOWFLAKE_HOME: dir } }).settings.account, 'NEW');
    assert.throws(
      () => resolveConnection({ name: 'old', env: { SNOWFLAKE_HOME: dir } }),
      /No connection named 'old'.*known connections: default/,
    );
  });

  it('ranks SNOWFLAKE_CONNECTIONS_<NAME>_<KEY> over the file over generic SNOWFLAKE_<KEY>', () => {
    const dir = tempDir();
    writePrivate(join(dir, 'connections.toml'), '[ci]\naccount = "FILE"\nrole = "FILE_ROLE"\n');
    const resolved = resolveConnection({
      env: {
        SNOWFLAKE_HOME: dir,
        SNOWFLAKE_DEFAULT_CONNECTION_NAME: 'ci',
        SNOWFLAKE_CONNECTIONS_CI_ROLE: 'ENV_ROLE',
        SNOWFLAKE_ACCOUNT: 'GENERIC',
        SNOWFLAKE_WAREHOUSE: 'WH',
      },
    });
    assert.deepEqual(resolved.settings, { account: 'FILE', role: 'ENV_ROLE', warehouse: 'WH' });
  });

  it('builds a connection from environment variables alone', () => {
    const dir = tempDir();
    const resolved = resolveConnection({
      name: 'x',
      env: { SNOWFLAKE_HOME: dir, SNOWFLAKE_CONNECTIONS_X_ACCOUNT: 'ACME' },
    });
    assert.equal(resolved.settings.account, 'ACME');
  });

  it('refuses a connections file that others can write to', () => {
    const dir = tempDir();
    writePrivate(join(dir, 'connections.toml'), '[default]\naccount = "A"\n', 0o666);
    assert.throws(
      () => resolveConnection({ env: { SNOWFLAKE_HOME: dir } }),
      (error: Error) =>
        error instanceof ConnectionError && /written by other users/.test(error.message),
    );
  });

  it('warns about a connections file that others can read, unless told not to', () => {
    const dir = tempDir();
    writePrivate(join(dir, 'connections.toml'), '[default]\naccount = "A"\n', 0o644);
    const warned = resolveConnection({ env: { SNOWFLAKE_HOME: dir } });
    assert.match(warned.warnings.join('\n'), /read by other users.*chmod 0600/);
    const quiet = resolveConnection({
      env: { SNOWFLAKE_HOME: dir, SF_SKIP_WARNING_FOR_READ_PERMISSIONS_ON_CONFIG_FILE: 'true' },
    });
    assert.deepEqual(quiet.warnings, []);
  });

  it('reports a password as weak and never shows it in descriptions or errors', () => {
    const dir = tempDir();
    writePrivate(
      join(dir, 'connections.toml'),
      '[default]\naccount = "A"\nuser = "U"\npassword = "hunter2-secret"\n',
    );
    const resolved = resolveConnection({ env: { SNOWFLAKE_HOME: dir } });
    assert.match(resolved.warnings.join('\n'), /password, a weak choice/);
    assert.doesNotMatch(describeConnection(resolved), /hunter2/);
    assert.doesNotMatch(resolved.warnings.join('\n'), /hunter2/);

    writePrivate(join(dir, 'connections.toml'), '[default]\npassword = "hunter2-secret\n');
    assert.throws(
      () => resolveConnection({ env: { SNOWFLAKE_HOME: dir } }),
      (error: Error) => /not valid TOML/.test(error.message) && !/hunter2/.test(error.message),
    );
  });
});
