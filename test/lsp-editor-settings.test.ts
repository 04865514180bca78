/**
 * The editor's own settings reach the server at initialize: an explicit config file
 * (`snowgov.configPath`), severity overrides (`snowgov.rules`), and work-done progress while a
 * large workspace is indexed.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Diagnostic, DiagnosticSeverity } from 'vscode-languageserver-protocol';
import { PROGRESS_MIN_FILES } from '../server/src/lsp/project';
import { TestClient, type StartOptions } from './lsp-client';

const GRANTS = 'GRANT SELECT ON TABLE crm.core.customers TO USER alice;\n';

function grantToUser(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((diagnostic) => diagnostic.code === 'grant-to-user');
}

describe('language server editor settings', function () {
  let folder: string;
  let client: TestClient | undefined;

  beforeEach(function () {
    folder = mkdtempSync(join(tmpdir(), 'snowgov-lsp-editor-'));
    writeFileSync(join(folder, 'V2__grants.sql'), GRANTS);
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed' && client) {
      console.error(`Server output:\n${client.transcript()}`);
    }
    client?.kill();
    client = undefined;
    rmSync(folder, { recursive: true, force: true });
  });

  async function start(options: StartOptions): Promise<TestClient> {
    client = await TestClient.start(folder, options);

    return client;
  }

  it('reports findings at their configured severity without editor settings', async function () {
    const diagnostics = await (await start({})).open('V2__grants.sql', GRANTS);
    assert.equal(grantToUser(diagnostics)[0]?.severity, DiagnosticSeverity.Error);
  });

  it('uses an explicit config file instead of the discovered one', async function () {
    writeFileSync(join(folder, 'snowgov.yaml'), 'rules:\n  grant-to-user: error\n');
    mkdirSync(join(folder, 'team'));
    writeFileSync(join(folder, 'team', 'governance.yml'), 'rules:\n  grant-to-user: info\n');
    const started = await start({ initializationOptions: { configPath: 'team/governance.yml' } });
    const diagnostics = await started.open('V2__grants.sql', GRANTS);

    assert.equal(grantToUser(diagnostics)[0]?.severity, DiagnosticSeverity.Information);
    assert.ok(started.logs.some((line) => line.includes('governance.yml')));
  });

  it('applies severity overrides on top of the config and logs unknown ones', async function () {
    writeFileSync(join(folder, 'snowgov.yaml'), 'rules:\n  grant-to-user: error\n');
    const started = await start({
      initializationOptions: {
        rules: { 'grant-to-user': 'warning', 'grant-to-usr': 'error', 'grant-option': 'loud' },
      },
    });
    const diagnostics = await started.open('V2__grants.sql', GRANTS);

    assert.equal(grantToUser(diagnostics)[0]?.severity, DiagnosticSeverity.Warning);
    assert.ok(started.logs.some((line) => line.includes("unknown rule 'grant-to-usr'")));
    assert.ok(started.logs.some((line) => line.includes("rule 'grant-option'")));
  });

  it('turns a rule off with the override off', async function () {
    const started = await start({ initializationOptions: { rules: { 'grant-to-user': 'off' } } });
    assert.deepEqual(grantToUser(await started.open('V2__grants.sql', GRANTS)), []);
  });

  describe('in a large workspace', function () {
    beforeEach(function () {
      for (let index = 0; index < PROGRESS_MIN_FILES; index++) {
        writeFileSync(join(folder, `V3_${index}__t.sql`), `CREATE TABLE t${index} (id INT);\n`);
      }
    });

    it('reports work-done progress when the client supports it', async function () {
      const started = await start({ capabilities: { window: { workDoneProgress: true } } });
      await started.progressEnded();

      assert.equal(started.progressTokens.length, 1);
      const kinds = started.progress.map((value) => value.kind);
      assert.equal(kinds[0], 'begin');
      assert.equal(kinds.at(-1), 'end');
      assert.ok(kinds.includes('report'), kinds.join(' '));
      assert.ok(grantToUser(await started.open('V2__grants.sql', GRANTS)).length > 0);
    });

    it('reports no progress to a client without support', async function () {
      const started = await start({});
      await started.open('V2__grants.sql', GRANTS);

      assert.deepEqual(started.progressTokens, []);
    });
  });
});
