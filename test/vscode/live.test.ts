// Runs inside a real VS Code extension host (see .vscode-test.mjs), with ./examples as the
// workspace folder: "snowgov: Validate against Snowflake account" against an emulated account on
// 127.0.0.1, through the connection picker, with the unmodified snowflake-sdk in the server.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SNAPSHOT_QUERIES } from '../../server/src/live/snapshot';
import { emulatedAccount } from '../lsp-live-account';
import { type Emulator, startEmulator } from '../support/sf-emulator';

const POLL_MS = 100;
const TIMEOUT_MS = 30_000;
const PASSWORD = 'vscode-live-secret';

function migration(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test run must open ./examples as a workspace folder');

  return vscode.Uri.file(path.join(folder.uri.fsPath, 'migrations', name));
}

function ruleOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;

  return typeof code === 'object' ? String(code.value) : String(code);
}

/** Polls until the file's snowgov diagnostics satisfy `done`, or fails after the timeout. */
async function diagnosticsUntil(
  uri: vscode.Uri,
  done: (diagnostics: vscode.Diagnostic[]) => boolean,
): Promise<vscode.Diagnostic[]> {
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    const diagnostics = vscode.languages
      .getDiagnostics(uri)
      .filter((diagnostic) => diagnostic.source === 'snowgov');
    if (done(diagnostics)) return diagnostics;
    if (Date.now() > deadline) {
      assert.fail(`diagnostics never matched: ${JSON.stringify(diagnostics.map(ruleOf))}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

const mentions = (pattern: RegExp) => (diagnostics: vscode.Diagnostic[]) =>
  diagnostics.some((d) => ruleOf(d) === 'unresolved-reference' && pattern.test(d.message));

describe('Validate against Snowflake account', () => {
  const grants = migration('V1.4.0__grants.sql');
  let emulator: Emulator;
  let home: string;
  const saved = { ...process.env };

  /**
   * The language server inherits the extension host's environment, so the connection is set up
   * there and the server restarted to see it.
   */
  before(async () => {
    emulator = await startEmulator({
      user: 'AUDITOR',
      password: PASSWORD,
      ...emulatedAccount(false),
    });
    home = mkdtempSync(path.join(tmpdir(), 'snowgov-vscode-live-'));
    mkdirSync(path.join(home, 'snowflake'));
    writeFileSync(
      path.join(home, 'snowflake', 'connections.toml'),
      `[emu]\naccount = "TESTACCT"\nuser = "AUDITOR"\npassword = "${PASSWORD}"\n` +
        `access_url = "${emulator.url}"\n`,
      { mode: 0o600 },
    );
    process.env.SNOWFLAKE_HOME = path.join(home, 'snowflake');
    process.env.XDG_CACHE_HOME = path.join(home, 'cache');
    await vscode.commands.executeCommand('snowgov.restartServer');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(grants));
    await diagnosticsUntil(grants, (all) => all.some((d) => ruleOf(d) === 'grant-to-user'));
  });

  after(async () => {
    // Whatever happened, the other extension-host tests see the workspace without the account.
    await vscode.commands.executeCommand('snowgov.clearAccountFindings');
    for (const key of ['SNOWFLAKE_HOME', 'XDG_CACHE_HOME']) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
    await emulator.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('merges the account findings into the diagnostics, and clears them', async () => {
    assert.ok(vscode.workspace.isTrusted);
    assert.equal(emulator.logins.length, 0, 'nothing connects before the command');
    assert.ok(!mentions(/JOHN_SMITH/)(vscode.languages.getDiagnostics(grants)));

    const run = vscode.commands.executeCommand('snowgov.validateAccount');
    let finished = false;
    void run.then(() => (finished = true));
    // The command shows the connection picker; accept its first item, the only connection.
    const deadline = Date.now() + TIMEOUT_MS;
    while (!finished && emulator.logins.length === 0 && Date.now() < deadline) {
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    await run;

    const merged = await diagnosticsUntil(grants, mentions(/User JOHN_SMITH is defined neither/));
    const text = (await vscode.workspace.openTextDocument(grants)).getText();
    const grantLine = text.slice(0, text.indexOf('TO USER john_smith')).split('\n').length - 1;
    const john = merged.find((d) => /JOHN_SMITH/.test(d.message));
    assert.equal(john?.range.start.line, grantLine);
    assert.deepEqual(emulator.received, Object.values(SNAPSHOT_QUERIES));

    await vscode.commands.executeCommand('snowgov.clearAccountFindings');
    await diagnosticsUntil(grants, (all) => !mentions(/JOHN_SMITH/)(all) && all.length > 0);
  });
});
