/**
 * What "Validate against Snowflake account" says when there is no connection to pick: where
 * snowgov looked, in the editor's words rather than the CLI's (no `--connection` here), with a
 * button that opens connections.toml (creating it from a template first, only then) and one that
 * opens the README's section on live validation. The snowgov log gets the same lines.
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ListConnectionsResult } from '../../server/src/lsp/protocol';
import { createConnectionsFile } from './connections-file';

const OPEN_FILE = 'Open connections.toml';
const LEARN_MORE = 'Learn more';
/** The README heading "Against a live account" as the Markdown preview names its anchor. */
const README_SECTION = 'against-a-live-account';

export function reportNoConnections(
  listed: ListConnectionsResult,
  output: vscode.LogOutputChannel,
  extensionUri: vscode.Uri,
): void {
  const directory = listed.configDirectory;
  // The server names a problem only when a connection file exists but gives nothing usable.
  const message = listed.problem
    ? `snowgov found no Snowflake connection to use. ${listed.problem}`
    : `snowgov found no Snowflake connection: it looked for connections.toml and config.toml ` +
      `in ${directory}, as the Snowflake CLI does, and neither exists.`;
  output.warn(message);
  output.info(
    'The Snowflake CLI reads its connection files from $SNOWFLAKE_HOME, else ~/.snowflake when ' +
      'that folder exists, else the system configuration folder; SNOWFLAKE_CONNECTIONS_<NAME>_' +
      '<KEY> environment variables of the editor define connections too.',
  );
  // Not awaited: the command is over once the message shows, whether or not anyone clicks.
  void vscode.window.showWarningMessage(message, OPEN_FILE, LEARN_MORE).then(async (choice) => {
    if (choice === OPEN_FILE)
      await openConnectionsFile(join(directory, 'connections.toml'), output);
    if (choice === LEARN_MORE) await openReadmeSection(extensionUri);
  });
}

/** Opens connections.toml in the folder the Snowflake CLI reads, creating it when missing. */
export async function openConnectionsFile(
  path: string,
  output: vscode.LogOutputChannel,
): Promise<void> {
  try {
    if (await createConnectionsFile(path)) {
      output.info(`Created ${path} (mode 0600) from a commented template`);
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    output.error(`Could not create ${path}: ${reason}`);
    void vscode.window.showErrorMessage(`snowgov could not create ${path}: ${reason}`);

    return;
  }
  await vscode.window.showTextDocument(vscode.Uri.file(path));
}

/** The README that ships with the extension, in the Markdown preview at the live section. */
function openReadmeSection(extensionUri: vscode.Uri): Thenable<unknown> {
  const readme = vscode.Uri.joinPath(extensionUri, 'README.md').with({ fragment: README_SECTION });

  return vscode.commands.executeCommand('markdown.showPreview', readme);
}
