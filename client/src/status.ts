/**
 * The status bar item: the number of snowgov findings in the active editor. Clicking it opens the
 * snowgov log, which is never revealed on its own.
 */
import * as vscode from 'vscode';

/** The `source` of the diagnostics the server publishes. */
const SOURCE = 'snowgov';
const LANGUAGES: ReadonlySet<string> = new Set(['sql', 'snowflake-sql']);
export const SHOW_OUTPUT_COMMAND = 'snowgov.showOutput';

export function createStatusItem(): vscode.Disposable {
  const item = vscode.window.createStatusBarItem(
    'snowgov.findings',
    vscode.StatusBarAlignment.Left,
  );
  item.name = 'snowgov findings';
  item.command = SHOW_OUTPUT_COMMAND;

  const update = (): void => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !LANGUAGES.has(editor.document.languageId)) {
      item.hide();

      return;
    }
    const count = vscode.languages
      .getDiagnostics(editor.document.uri)
      .filter((diagnostic) => diagnostic.source === SOURCE).length;
    item.text = `$(shield) snowgov: ${count}`;
    item.tooltip = `${count} snowgov finding${count === 1 ? '' : 's'} in this file. Click to show the snowgov log.`;
    item.show();
  };
  update();

  return vscode.Disposable.from(
    item,
    vscode.window.onDidChangeActiveTextEditor(update),
    vscode.languages.onDidChangeDiagnostics((event) => {
      const active = vscode.window.activeTextEditor?.document.uri.toString();
      if (active && event.uris.some((uri) => uri.toString() === active)) update();
    }),
    vscode.workspace.onDidOpenTextDocument(update),
  );
}
