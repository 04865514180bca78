/**
 * The editor's way in for someone without Snowflake connections: the language server names no
 * problem when neither connection file exists (the client then says where it looked), and the
 * connections.toml the client creates on request is private, all comments, and a working
 * connection once its key-pair lines are uncommented.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONNECTIONS_TEMPLATE, createConnectionsFile } from '../client/src/connections-file';
import { listConnections } from '../server/src/lsp/live-connections';

describe('an editor without Snowflake connections', () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'snowgov-no-conn-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('lists no connection and no problem when neither file exists', () => {
    const listed = listConnections({ SNOWFLAKE_HOME: root });
    assert.deepEqual(listed, { connections: [], configDirectory: root });
  });

  it('creates connections.toml, and its folder, readable by the user alone', async function () {
    if (process.platform === 'win32') this.skip();
    const file = join(root, 'snowflake', 'connections.toml');

    assert.equal(await createConnectionsFile(file), true);

    assert.equal(readFileSync(file, 'utf8'), CONNECTIONS_TEMPLATE);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(join(root, 'snowflake')).mode & 0o077, 0);
  });

  it('never replaces a file that exists', async () => {
    const file = join(root, 'connections.toml');
    writeFileSync(file, '[mine]\naccount = "acme"\n', { mode: 0o600 });

    assert.equal(await createConnectionsFile(file), false);

    assert.equal(readFileSync(file, 'utf8'), '[mine]\naccount = "acme"\n');
  });

  it('defines no connection until a section is uncommented, and names the file meanwhile', async () => {
    const file = join(root, 'connections.toml');
    await createConnectionsFile(file);

    const listed = listConnections({ SNOWFLAKE_HOME: root });

    assert.deepEqual(listed.connections, []);
    assert.ok(listed.problem?.includes(file), listed.problem);
  });

  it('gives a usable key-pair connection once its lines are uncommented', async () => {
    const file = join(root, 'connections.toml');
    await createConnectionsFile(file);
    const keyPair =
      /^# (\[default\]|account|user|role|warehouse|authenticator = "SNOWFLAKE_JWT"|private_key_file)/;
    const uncommented = CONNECTIONS_TEMPLATE.split('\n')
      .map((line) => (keyPair.test(line) ? line.slice(2) : line))
      .join('\n');
    writeFileSync(file, uncommented);

    const [connection, ...others] = listConnections({ SNOWFLAKE_HOME: root }).connections;

    assert.deepEqual(others, []);
    assert.equal(connection.name, 'default');
    assert.equal(connection.isDefault, true);
    assert.equal(connection.problem, undefined);
    assert.equal(
      connection.description,
      'account=myorg-myaccount user=JANE_DOE role=GOVERNANCE_AUDITOR warehouse=AUDIT_WH ' +
        'authenticator=SNOWFLAKE_JWT private_key_file=/path/to/rsa_key.p8',
    );
  });
});
