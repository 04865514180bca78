/**
 * The commands of live validation: "Validate against Snowflake account", "Forget stored
 * Snowflake secrets" and "Clear account findings". The server does the work (protocol.ts);
 * this file picks the connection, asks for a missing secret, keeps secrets in SecretStorage and
 * shows progress and results. Secrets never go to settings or logs.
 */
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import {
  type LanguageClient,
  LSPErrorCodes,
  ResponseError,
  Trace,
  WorkDoneProgress,
} from 'vscode-languageclient/node';
import {
  CLEAR_ACCOUNT_FINDINGS_METHOD,
  type ConnectionSummary,
  LIST_CONNECTIONS_METHOD,
  type ListConnectionsResult,
  type SecretKind,
  VALIDATE_ACCOUNT_METHOD,
  type ValidateAccountErrorData,
  type ValidateAccountParams,
  type ValidateAccountResult,
} from '../../server/src/lsp/protocol';
import { reportNoConnections } from './no-connections';

export const VALIDATE_COMMAND = 'snowgov.validateAccount';
export const FORGET_SECRETS_COMMAND = 'snowgov.forgetSecrets';
export const CLEAR_FINDINGS_COMMAND = 'snowgov.clearAccountFindings';

/** globalState key listing the SecretStorage keys written, since SecretStorage cannot list. */
const STORED_KEYS = 'snowgov.storedSecretKeys';

const SECRET_PROMPTS: Readonly<Record<SecretKind, string>> = {
  password: 'password',
  privateKeyPassphrase: 'private key passphrase',
  token: 'token',
};

export function registerLiveCommands(
  context: vscode.ExtensionContext,
  output: vscode.LogOutputChannel,
  currentClient: () => LanguageClient | undefined,
): vscode.Disposable[] {
  const secrets = new StoredSecrets(context);
  /**
   * The server whose diagnostics hold account findings, so that "Clear account findings" can
   * say whether there was anything to clear; a restarted server starts without any.
   */
  let validatedBy: LanguageClient | undefined;
  const running = (): LanguageClient | undefined => {
    const client = currentClient();
    if (!client) {
      void vscode.window.showWarningMessage(
        'The snowgov language server is not running; enable it with the snowgov.enable setting.',
      );
    }

    return client;
  };

  return [
    vscode.commands.registerCommand(VALIDATE_COMMAND, async () => {
      // The command is disabled in untrusted workspaces; a keybinding or API call may still
      // reach it, and the server refuses too.
      if (!vscode.workspace.isTrusted) {
        void vscode.window.showWarningMessage(
          'snowgov connects to Snowflake only from a trusted workspace.',
        );

        return;
      }
      const client = running();
      if (client && (await validate(client, secrets, output, context.extensionUri))) {
        validatedBy = client;
      }
    }),
    vscode.commands.registerCommand(FORGET_SECRETS_COMMAND, async () => {
      const count = await secrets.forgetAll();
      void vscode.window.showInformationMessage(
        `snowgov forgot ${count} stored Snowflake secret${count === 1 ? '' : 's'}.`,
      );
    }),
    vscode.commands.registerCommand(CLEAR_FINDINGS_COMMAND, async () => {
      const client = running();
      if (!client) return;
      await client.sendRequest(CLEAR_ACCOUNT_FINDINGS_METHOD, {});
      const hadFindings = validatedBy === client;
      validatedBy = undefined;
      const message = hadFindings
        ? 'snowgov: cleared the account findings; migrations are judged without the account.'
        : 'snowgov: no account findings to clear.';
      output.info(message);
      void vscode.window.showInformationMessage(message);
    }),
  ];
}

/** Runs a validation; resolves to whether its findings are now in the diagnostics. */
async function validate(
  client: LanguageClient,
  secrets: StoredSecrets,
  output: vscode.LogOutputChannel,
  extensionUri: vscode.Uri,
): Promise<boolean> {
  const connection = await pickConnection(client, output, extensionUri);
  if (!connection) return false;

  const kind = connection.missingSecret;
  let secret = kind && (await secrets.get(connection.name, kind));
  const typed = kind !== undefined && secret === undefined;
  if (kind && typed) {
    secret = await vscode.window.showInputBox({
      title: `Snowflake connection ${connection.name}`,
      prompt: `The ${SECRET_PROMPTS[kind]} of connection ${connection.name}; snowgov keeps it in VS Code's secret storage.`,
      password: true,
      ignoreFocusOut: true,
    });
    if (!secret) return false;
  }

  const params: ValidateAccountParams = {
    connection: connection.name,
    ...(kind && secret ? { secrets: { [kind]: secret } } : {}),
  };
  try {
    const result = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `snowgov: validating against ${connection.name}`,
        cancellable: true,
      },
      (progress, token) => sendValidate(client, params, progress, token),
    );
    if (kind && secret && typed) await secrets.store(connection.name, kind, secret);
    showResult(result, output);

    return true;
  } catch (error) {
    if (error instanceof ResponseError && error.code === LSPErrorCodes.RequestCancelled) {
      return false;
    }
    const reason = (error as ResponseError<ValidateAccountErrorData>).data?.reason;
    // A stored secret that no longer works is dropped, so that the next run asks again.
    if (reason === 'credentials' && kind) await secrets.forget(connection.name, kind);
    const message = error instanceof Error ? error.message : String(error);
    output.error(`Validation against ${connection.name} failed: ${message}`);
    void vscode.window.showErrorMessage(`snowgov: ${message}`);

    return false;
  }
}

/**
 * Sends the request with its own progress token, so the server's reports land in this
 * notification. Client tracing would print the request's params, secret included, so it is
 * switched off while a secret is on the wire.
 */
async function sendValidate(
  client: LanguageClient,
  params: ValidateAccountParams,
  progress: vscode.Progress<{ message?: string; increment?: number }>,
  token: vscode.CancellationToken,
): Promise<ValidateAccountResult> {
  const workDoneToken = randomUUID();
  let reported = 0;
  const listener = client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
    if (value.kind === 'end') return;
    const percentage = value.percentage ?? reported;
    progress.report({ message: value.message, increment: Math.max(0, percentage - reported) });
    reported = Math.max(reported, percentage);
  });
  const traced = params.secrets ? configuredTrace() : Trace.Off;
  if (traced !== Trace.Off) await client.setTrace(Trace.Off);
  try {
    return await client.sendRequest<ValidateAccountResult>(
      VALIDATE_ACCOUNT_METHOD,
      { ...params, workDoneToken },
      token,
    );
  } finally {
    listener.dispose();
    if (traced !== Trace.Off) await client.setTrace(traced);
  }
}

function configuredTrace(): Trace {
  return Trace.fromString(
    vscode.workspace.getConfiguration('snowgov').get<string>('trace.server', 'off'),
  );
}

async function pickConnection(
  client: LanguageClient,
  output: vscode.LogOutputChannel,
  extensionUri: vscode.Uri,
): Promise<ConnectionSummary | undefined> {
  const listed = await client.sendRequest<ListConnectionsResult>(LIST_CONNECTIONS_METHOD, {});
  if (listed.connections.length === 0) {
    reportNoConnections(listed, output, extensionUri);

    return undefined;
  }
  type Item = vscode.QuickPickItem & { readonly connection: ConnectionSummary };
  const items: Item[] = listed.connections.map((connection) => ({
    label: connection.name,
    description: [connection.isDefault ? 'default' : '', connection.description]
      .filter(Boolean)
      .join(' · '),
    detail:
      connection.problem ??
      (connection.missingSecret && `asks for its ${SECRET_PROMPTS[connection.missingSecret]}`),
    connection,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Validate against Snowflake account',
    placeHolder: `Connection (from ${listed.configDirectory})`,
  });
  if (picked?.connection.problem) {
    void vscode.window.showErrorMessage(`snowgov: ${picked.connection.problem}`);

    return undefined;
  }

  return picked?.connection;
}

function showResult(result: ValidateAccountResult, output: vscode.LogOutputChannel): void {
  const cached =
    result.cachedAgeSeconds === undefined
      ? ''
      : ` (account state cached ${Math.round(result.cachedAgeSeconds)} s ago)`;
  output.info(
    `Validated against ${result.connection}${cached}: ${result.fileFindingCount} findings in ` +
      `${result.filesWithFindings} files, ${result.accountFindings.length} about the account`,
  );
  for (const finding of result.accountFindings) {
    output.warn(`Account (${finding.ruleId}): ${finding.message}`);
  }
  for (const gap of result.gaps) output.warn(`Could not read ${gap}`);
  const summary =
    `snowgov: ${result.fileFindingCount} findings in migrations, ` +
    `${result.accountFindings.length} about the account${cached}.` +
    (result.gaps.length > 0
      ? ` ${result.gaps.length} parts of the account could not be read.`
      : '');
  const show = 'Show account findings';
  const problems = 'Show problems';
  // Not awaited: the command is done once the findings are in, whether or not anyone clicks.
  void vscode.window.showInformationMessage(summary, show, problems).then((choice) => {
    if (choice === show) output.show(true);
    if (choice === problems) void vscode.commands.executeCommand('workbench.actions.view.problems');
  });
}

/** Secrets in VS Code's SecretStorage, one per connection and kind. */
class StoredSecrets {
  constructor(private readonly context: vscode.ExtensionContext) {}

  get(connection: string, kind: SecretKind): Thenable<string | undefined> {
    return this.context.secrets.get(keyOf(connection, kind));
  }

  async store(connection: string, kind: SecretKind, value: string): Promise<void> {
    const key = keyOf(connection, kind);
    await this.context.secrets.store(key, value);
    const keys = new Set(this.keys());
    keys.add(key);
    await this.context.globalState.update(STORED_KEYS, [...keys]);
  }

  async forget(connection: string, kind: SecretKind): Promise<void> {
    const key = keyOf(connection, kind);
    await this.context.secrets.delete(key);
    await this.context.globalState.update(
      STORED_KEYS,
      this.keys().filter((stored) => stored !== key),
    );
  }

  /** Deletes every secret snowgov stored; returns how many there were. */
  async forgetAll(): Promise<number> {
    const keys = this.keys();
    for (const key of keys) await this.context.secrets.delete(key);
    await this.context.globalState.update(STORED_KEYS, []);

    return keys.length;
  }

  private keys(): string[] {
    return this.context.globalState.get<string[]>(STORED_KEYS, []);
  }
}

function keyOf(connection: string, kind: SecretKind): string {
  return `snowgov.snowflake.${connection}.${kind}`;
}
