/**
 * The VS Code face of snowgov: it starts the language server, keeps it in step with the
 * `snowgov.*` settings, shows the finding count in the status bar and offers "Restart server"
 * and the live validation commands (live.ts).
 * Everything else happens in the server, so other editors get the same behaviour. Only this
 * folder imports `vscode`.
 */
import * as vscode from 'vscode';
import {
  LanguageClient,
  type LanguageClientOptions,
  RevealOutputChannelOn,
  type ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';
import {
  type DiagnosticsScope,
  type InitializationOptions,
  WATCHED_FILE_GLOBS,
} from '../../server/src/lsp/protocol';
import { registerLiveCommands } from './live';
import { SHOW_OUTPUT_COMMAND, createStatusItem } from './status';

/** Also the settings prefix, which is how `snowgov.trace.server` reaches the client library. */
const CLIENT_ID = 'snowgov';
const RESTART_COMMAND = 'snowgov.restartServer';
/** Settings the server reads once, at initialize: a change restarts it. */
const RESTART_SETTINGS = [
  `${CLIENT_ID}.configPath`,
  `${CLIENT_ID}.rules`,
  `${CLIENT_ID}.diagnostics.scope`,
];

let client: LanguageClient | undefined;
/** The client library does not dispose watchers it is handed, so they are kept to dispose here. */
let watchers: vscode.FileSystemWatcher[] = [];
/** Start and stop one at a time, so that quick toggles of the setting cannot overlap. */
let transition: Promise<void> = Promise.resolve();

export function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('snowgov', { log: true });
  const apply = (): Promise<void> => (transition = transition.then(() => sync(context, output)));
  const restart = (): Promise<void> => {
    transition = transition.then(stopClient);

    return apply();
  };
  context.subscriptions.push(
    output,
    createStatusItem(),
    vscode.commands.registerCommand(SHOW_OUTPUT_COMMAND, () => output.show(true)),
    ...registerLiveCommands(context, output, () => client),
    vscode.commands.registerCommand(RESTART_COMMAND, async () => {
      output.info('Restarting the snowgov language server');
      await restart();
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (RESTART_SETTINGS.some((setting) => event.affectsConfiguration(setting))) void restart();
      else if (event.affectsConfiguration(`${CLIENT_ID}.enable`)) void apply();
    }),
    // The server learns about trust once, at initialize: restart it so that it sees the grant.
    vscode.workspace.onDidGrantWorkspaceTrust(() => void restart()),
  );

  return apply();
}

export function deactivate(): Promise<void> {
  return (transition = transition.then(stopClient));
}

/** Starts or stops the server to match `snowgov.enable`; a no-op when it already matches. */
async function sync(context: vscode.ExtensionContext, output: vscode.LogOutputChannel) {
  const enabled = vscode.workspace.getConfiguration(CLIENT_ID).get<boolean>('enable', true);
  try {
    if (enabled && !client) await startClient(context, output);
    if (!enabled && client) await stopClient();
  } catch (error) {
    output.error(`Could not ${enabled ? 'start' : 'stop'} the snowgov language server`, error);
  }
}

async function startClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel) {
  const serverModule = context.asAbsolutePath('out/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: {
      module: serverModule,
      transport: TransportKind.ipc,
      options: { execArgv: ['--nolazy', '--inspect=6012'] },
    },
  };
  watchers = WATCHED_FILE_GLOBS.map((glob) => vscode.workspace.createFileSystemWatcher(glob));
  const settings = vscode.workspace.getConfiguration(CLIENT_ID);
  const initializationOptions: InitializationOptions = {
    watchesFiles: true,
    workspaceTrusted: vscode.workspace.isTrusted,
    configPath: settings.get<string>('configPath') || undefined,
    rules: settings.get<Record<string, string>>('rules'),
    diagnosticsScope: settings.get<DiagnosticsScope>('diagnostics.scope'),
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: ['sql', 'snowflake-sql'].flatMap((language) => [
      { scheme: 'file', language },
      { scheme: 'untitled', language },
    ]),
    synchronize: { fileEvents: watchers },
    initializationOptions,
    outputChannel: output,
    // Findings belong in the Problems panel; the log opens only when someone asks for it.
    revealOutputChannelOn: RevealOutputChannelOn.Never,
  };
  client = new LanguageClient(CLIENT_ID, 'snowgov', serverOptions, clientOptions);
  await client.start();
}

async function stopClient(): Promise<void> {
  const stopping = client;
  client = undefined;
  try {
    await stopping?.dispose();
  } finally {
    for (const watcher of watchers) watcher.dispose();
    watchers = [];
  }
}
