// The Problems panel's workspace-wide picture (`snowgov.diagnostics.scope`, default `workspace`):
// with a single migration open, VS Code holds the snowgov findings of every example migration,
// the closed ones included, exactly as `snowgov lint examples/` reports them.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { findingsOf, migration, openMigration } from './support';

const POLL_MS = 100;
// Closed files are judged after the open document's diagnostics and a quiet spell; on a loaded
// two-core machine the server's start and first analysis take a while too.
const WORKSPACE_DIAGNOSTICS_TIMEOUT_MS = 45_000;

const OPEN = 'V1.4.0__grants.sql';
/**
 * `rule@line` per migration, as `node out/cli.js lint --format json examples/` gives them: the
 * open file and the five closed ones.
 */
const EXPECTED: Record<string, string[]> = {
  'V1.0.0__platform_roles.sql': ['accountadmin-use@3', 'accountadmin-use@15'],
  'V1.1.0__crm_tables.sql': [
    'unmasked-pii-column@18',
    'unmasked-pii-column@21',
    'unmasked-pii-column@22',
    'unmasked-pii-column@23',
  ],
  'V1.2.0__masking.sql': ['unmasked-pii-column@23'],
  'V1.3.0__analytics_views.sql': ['forbidden-projection@6'],
  'V1.4.0__grants.sql': ['grant-to-user@10', 'grant-to-user@13'],
  'V1.5.0__stages.sql': ['unsafe-stage@14', 'unsafe-stage@17', 'unsafe-stage@22'],
};

/** Each migration's findings, sorted so that the server's order does not matter. */
function allFindings(): Record<string, string[]> {
  return Object.fromEntries(
    Object.keys(EXPECTED).map((name) => [name, findingsOf(migration(name)).sort(byLine)]),
  );
}

function byLine(a: string, b: string): number {
  const line = (finding: string) => Number(finding.split('@')[1]);
  return line(a) - line(b) || a.localeCompare(b);
}

describe('snowgov workspace-wide diagnostics in VS Code', () => {
  before(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await openMigration(OPEN);
  });

  it('has only the one migration open in an editor', () => {
    const shown = vscode.window.visibleTextEditors.map((editor) => editor.document.uri.fsPath);
    assert.deepEqual(shown, [migration(OPEN).fsPath]);
  });

  it('holds the findings of the closed migrations too, rule and line as the CLI gives', async () => {
    const expected = Object.fromEntries(
      Object.entries(EXPECTED).map(([name, findings]) => [name, [...findings].sort(byLine)]),
    );
    const deadline = Date.now() + WORKSPACE_DIAGNOSTICS_TIMEOUT_MS;
    let actual = allFindings();
    while (JSON.stringify(actual) !== JSON.stringify(expected) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      actual = allFindings();
    }
    assert.deepEqual(actual, expected);
  });

  it('lists the closed files among the URIs with diagnostics', () => {
    const withSnowgov = vscode.languages
      .getDiagnostics()
      .filter(([, diagnostics]) => diagnostics.some((d) => d.source === 'snowgov'))
      .map(([uri]) => uri.fsPath)
      .sort();
    const expected = Object.keys(EXPECTED)
      .map((name) => migration(name).fsPath)
      .sort();
    assert.deepEqual(withSnowgov, expected);
  });
});
