// Helpers shared by the extension-host tests: they run inside a real VS Code with ./examples
// as the workspace folder (see .vscode-test.mjs).
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

const POLL_MS = 100;
const DIAGNOSTICS_TIMEOUT_MS = 30_000;

export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test run must open ./examples as a workspace folder');
  return folder.uri.fsPath;
}

/** An example migration, by its file name under examples/migrations. */
export function migration(name: string): vscode.Uri {
  return vscode.Uri.file(path.join(workspaceRoot(), 'migrations', name));
}

/** Opens a migration in an editor, so that the language server analyses it as an open document. */
export async function openMigration(name: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(migration(name));
  return vscode.window.showTextDocument(document);
}

/** The rule id of a diagnostic, whether or not the server attached a documentation link. */
export function ruleOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  return typeof code === 'object'
    ? String(code.value)
    : code === undefined
      ? undefined
      : String(code);
}

/** `rule@line` (1-based) for each snowgov diagnostic of a file: a compact, exact summary. */
export function findingsOf(uri: vscode.Uri): string[] {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((diagnostic) => diagnostic.source === 'snowgov')
    .map((diagnostic) => `${ruleOf(diagnostic)}@${diagnostic.range.start.line + 1}`);
}

/** Polls until the file's findings (as `findingsOf` gives them) equal `expected`. */
export async function waitForFindings(uri: vscode.Uri, expected: string[]): Promise<void> {
  const deadline = Date.now() + DIAGNOSTICS_TIMEOUT_MS;
  for (;;) {
    const actual = findingsOf(uri);
    if (JSON.stringify(actual) === JSON.stringify(expected)) return;
    if (Date.now() > deadline) {
      assert.deepEqual(actual, expected, `findings of ${path.basename(uri.fsPath)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** The snowgov diagnostic of a rule whose message mentions `subject`, once the server sent it. */
export async function diagnosticAbout(
  uri: vscode.Uri,
  rule: string,
  subject: string,
): Promise<vscode.Diagnostic> {
  const deadline = Date.now() + DIAGNOSTICS_TIMEOUT_MS;
  for (;;) {
    const found = vscode.languages
      .getDiagnostics(uri)
      .find(
        (diagnostic) =>
          diagnostic.source === 'snowgov' &&
          ruleOf(diagnostic) === rule &&
          diagnostic.message.includes(subject),
      );
    if (found) return found;
    if (Date.now() > deadline) {
      assert.fail(`no ${rule} diagnostic about ${subject} in ${uri.fsPath}: ${findingsOf(uri)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** The position of `needle` (its first occurrence after `from`) in a document, plus `shift`. */
export function positionOf(
  document: vscode.TextDocument,
  needle: string,
  shift = 0,
  from = 0,
): vscode.Position {
  const offset = document.getText().indexOf(needle, from);
  assert.ok(offset >= 0, `"${needle}" is not in ${document.uri.fsPath}`);
  return document.positionAt(offset + shift);
}

/**
 * Discards every unsaved change, so that the example migrations stay as they are on disk (the
 * tests edit open documents but never save them).
 */
export async function revertAll(): Promise<void> {
  for (const document of vscode.workspace.textDocuments) {
    if (!document.isDirty || document.uri.scheme !== 'file') continue;
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    assert.equal(document.isDirty, false, `could not revert ${document.uri.fsPath}`);
  }
}

/** The text of every file under the workspace folder, to prove at the end that none changed. */
export function snapshotWorkspace(): Map<string, string> {
  const root = workspaceRoot();
  const files = readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
  return new Map(files.map((file) => [file, readFileSync(file, 'utf8')]));
}

/** Fails if a file changed on disk, after putting it back so that the examples stay intact. */
export function assertUnchanged(snapshot: Map<string, string>): void {
  const changed = [...snapshot].filter(([file, text]) => readFileSync(file, 'utf8') !== text);
  for (const [file, text] of changed) writeFileSync(file, text);
  assert.deepEqual(
    changed.map(([file]) => file),
    [],
    'files changed on disk',
  );
}

/**
 * The web workbench (code-server) saves edits after a second by default, unlike desktop VS Code;
 * the tests' edits must stay unsaved. This writes to the test profile's user settings only.
 */
export async function keepEditsUnsaved(): Promise<void> {
  await vscode.workspace
    .getConfiguration('files')
    .update('autoSave', 'off', vscode.ConfigurationTarget.Global);
}
