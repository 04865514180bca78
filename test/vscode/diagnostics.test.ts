// Runs inside a real VS Code extension host (see .vscode-test.mjs), with ./examples as the
// workspace folder: opens an example migration, waits for the snowgov language server's
// findings and asks VS Code for the quick-fixes the server offers.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';

const POLL_MS = 100;
const DIAGNOSTICS_TIMEOUT_MS = 30_000;

function workspaceFile(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test run must open ./examples as a workspace folder');
  return vscode.Uri.file(path.join(folder.uri.fsPath, relative));
}

/** The rule id of a diagnostic, whether or not the server attached a documentation link. */
function ruleOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  return typeof code === 'object'
    ? String(code.value)
    : code === undefined
      ? undefined
      : String(code);
}

/** Polls until `uri` has snowgov diagnostics satisfying `done`, or fails after the timeout. */
async function snowgovDiagnostics(
  uri: vscode.Uri,
  done: (diagnostics: vscode.Diagnostic[]) => boolean,
): Promise<vscode.Diagnostic[]> {
  const deadline = Date.now() + DIAGNOSTICS_TIMEOUT_MS;
  for (;;) {
    const diagnostics = vscode.languages
      .getDiagnostics(uri)
      .filter((diagnostic) => diagnostic.source === 'snowgov');
    if (done(diagnostics)) return diagnostics;
    if (Date.now() > deadline) {
      assert.fail(
        `no matching snowgov diagnostics on ${uri.fsPath} after ${DIAGNOSTICS_TIMEOUT_MS} ms; ` +
          `have: ${JSON.stringify(diagnostics.map((d) => [ruleOf(d), d.message]))}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

describe('snowgov in VS Code', () => {
  const uri = workspaceFile('migrations/V1.4.0__grants.sql');
  let grantToUser: vscode.Diagnostic[] = [];

  before(async () => {
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    grantToUser = await snowgovDiagnostics(uri, (all) =>
      all.some((diagnostic) => ruleOf(diagnostic) === 'grant-to-user'),
    );
  });

  it('activates the extension in a trusted workspace', () => {
    const extension = vscode.extensions.getExtension('snowgov.snowgov');
    assert.ok(extension?.isActive, 'snowgov.snowgov should be active once a .sql file is open');
    assert.equal(vscode.workspace.isTrusted, true);
  });

  it('reports grant-to-user on the GRANT ... TO USER statement', async () => {
    const document = await vscode.workspace.openTextDocument(uri);
    const finding = grantToUser.find((diagnostic) => ruleOf(diagnostic) === 'grant-to-user');
    assert.ok(finding);
    const line = document.lineAt(finding.range.start.line).text;
    assert.match(line, /TO USER/i, `diagnostic on line ${finding.range.start.line + 1}: ${line}`);
  });

  it('offers a quick-fix for the grant-to-user finding', async () => {
    const finding = grantToUser.find((diagnostic) => ruleOf(diagnostic) === 'grant-to-user');
    assert.ok(finding);
    const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
      'vscode.executeCodeActionProvider',
      uri,
      finding.range,
    );
    const quickFixes = actions.filter(
      (action): action is vscode.CodeAction =>
        'kind' in action && !!action.kind && vscode.CodeActionKind.QuickFix.contains(action.kind),
    );
    assert.ok(
      quickFixes.length > 0,
      `expected a quick-fix, got: ${JSON.stringify(actions.map((action) => action.title))}`,
    );
    // Besides "suppress", a real fix must be offered that edits this file. (The API command
    // drops CodeAction.diagnostics, so the fix is matched by kind and edit, not by diagnostic.)
    const suppress = vscode.CodeActionKind.QuickFix.append('snowgov').append('suppress');
    const fixes = quickFixes.filter((action) => !suppress.contains(action.kind!));
    assert.ok(
      fixes.some((action) => (action.edit?.get(uri).length ?? 0) > 0),
      `no quick-fix edits ${uri.fsPath}: ${JSON.stringify(quickFixes.map((a) => a.title))}`,
    );
  });

  it('registers the restart and show-logs commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const command of ['snowgov.restartServer', 'snowgov.showOutput']) {
      assert.ok(commands.includes(command), `${command} is not registered`);
    }
    await vscode.commands.executeCommand('snowgov.showOutput');
  });

  it('restarts the server, which reports the findings again', async () => {
    await vscode.commands.executeCommand('snowgov.restartServer');
    const again = await snowgovDiagnostics(uri, (all) =>
      all.some((diagnostic) => ruleOf(diagnostic) === 'grant-to-user'),
    );
    assert.ok(again.length > 0);
  });
});
