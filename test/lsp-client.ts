/**
 * A minimal LSP client for tests: it starts the built `out/server.js` over stdio and turns the
 * notifications tests wait for into promises, so that no test sleeps.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type CodeAction,
  CodeActionRequest,
  type Diagnostic,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  type ClientCapabilities,
  ExitNotification,
  type FileChangeType,
  InitializeRequest,
  InitializedNotification,
  LogMessageNotification,
  type ProtocolConnection,
  PublishDiagnosticsNotification,
  type PublishDiagnosticsParams,
  type Range,
  ShowDocumentRequest,
  type ShowDocumentParams,
  ShowMessageNotification,
  type ShowMessageParams,
  ShutdownRequest,
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
  type WorkDoneProgressBegin,
  type WorkDoneProgressEnd,
  type WorkDoneProgressReport,
  StreamMessageReader,
  StreamMessageWriter,
  type TextDocumentContentChangeEvent,
  createProtocolConnection,
} from 'vscode-languageserver-protocol/node';

const SERVER = resolve(__dirname, '..', 'out', 'server.js');

/** What a test may add to the `initialize` request. */
export interface StartOptions {
  readonly initializationOptions?: object;
  /** Merged into the default capabilities at the top level. */
  readonly capabilities?: ClientCapabilities;
  /** Options for the node running the server, such as `--expose-gc`. */
  readonly nodeOptions?: readonly string[];
}

interface Waiter<T> {
  readonly matches: (value: T) => boolean;
  readonly resolve: (value: T) => void;
}

export class TestClient {
  /** Every `window/logMessage` line, printed when a test fails to help explain it. */
  readonly logs: string[] = [];
  private readonly diagnosticWaiters: Waiter<PublishDiagnosticsParams>[] = [];
  /** Every `textDocument/publishDiagnostics`, in order, for tests of what was sent when. */
  readonly published: PublishDiagnosticsParams[] = [];
  private readonly versions = new Map<string, number>();
  /** Every `window/showMessage` notification, in order. */
  readonly messages: ShowMessageParams[] = [];
  /** Tokens of `window/workDoneProgress/create` requests, in order. */
  readonly progressTokens: (string | number)[] = [];
  /** Every work-done `$/progress` value, in order. */
  readonly progress: (WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd)[] = [];
  private readonly progressEndWaiters: (() => void)[] = [];
  /** Answers `window/showDocument`; without it the client reports that it opened nothing. */
  onShowDocument?: (params: ShowDocumentParams) => boolean;
  private stderr = '';

  private constructor(
    readonly folder: string,
    private readonly child: ChildProcess,
    private readonly connection: ProtocolConnection,
    private readonly exited: Promise<number | null>,
  ) {
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.published.push(params);
      settle(this.diagnosticWaiters, params);
    });
    connection.onNotification(ShowMessageNotification.type, (params) => {
      this.messages.push(params);
    });
    connection.onNotification(LogMessageNotification.type, (params) => {
      this.logs.push(params.message);
    });
    connection.onRequest(WorkDoneProgressCreateRequest.type, (params) => {
      this.progressTokens.push(params.token);
      connection.onProgress(WorkDoneProgress.type, params.token, (value) => {
        this.progress.push(value);
        if (value.kind === 'end') for (const waiter of this.progressEndWaiters.splice(0)) waiter();
      });
    });
    connection.onRequest(ShowDocumentRequest.type, (params) => ({
      success: this.onShowDocument?.(params) ?? false,
    }));
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    connection.listen();
  }

  /** Starts the server on `folder` and completes the initialize handshake. */
  static async start(folder: string, options: StartOptions = {}): Promise<TestClient> {
    const args = [...(options.nodeOptions ?? []), SERVER, '--stdio'];
    const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    const connection = createProtocolConnection(
      new StreamMessageReader(child.stdout!),
      new StreamMessageWriter(child.stdin!),
    );
    const client = new TestClient(folder, child, connection, exited);
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: pathToFileURL(folder).href,
      workspaceFolders: [{ uri: pathToFileURL(folder).href, name: 'migrations' }],
      capabilities: {
        textDocument: {
          publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true },
          codeAction: {
            codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source'] } },
            isPreferredSupport: true,
            dataSupport: true,
          },
        },
        workspace: { workspaceFolders: true },
        ...options.capabilities,
      },
      ...(options.initializationOptions
        ? { initializationOptions: options.initializationOptions }
        : {}),
    });
    await connection.sendNotification(InitializedNotification.type, {});

    return client;
  }

  /** Resolves once a work-done progress has ended. */
  progressEnded(): Promise<void> {
    if (this.progress.some((value) => value.kind === 'end')) return Promise.resolve();

    return new Promise((done) => this.progressEndWaiters.push(done));
  }

  /** The URI of a file in the workspace folder; a name that is already a URI stays as it is. */
  uri(fileName: string): string {
    return /^[a-z]+:/.test(fileName) ? fileName : pathToFileURL(join(this.folder, fileName)).href;
  }

  /** Opens a document and resolves with its first diagnostics. */
  async open(fileName: string, text: string, languageId = 'sql'): Promise<Diagnostic[]> {
    const uri = this.uri(fileName);
    this.versions.set(uri, 1);
    const diagnostics = this.nextDiagnostics(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId, version: 1, text },
    });

    return diagnostics;
  }

  /** Closes a document as an editor does; the server goes back to the file's disk text. */
  async close(fileName: string): Promise<void> {
    const uri = this.uri(fileName);
    this.versions.delete(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, {
      textDocument: { uri },
    });
  }

  /** Sends incremental changes and resolves with the diagnostics of the new version. */
  async change(fileName: string, changes: TextDocumentContentChangeEvent[]): Promise<Diagnostic[]> {
    const uri = this.uri(fileName);
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    const diagnostics = this.nextDiagnostics(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: changes,
    });

    return diagnostics;
  }

  /** Reports a file change on disk and resolves with the next diagnostics of `openFileName`. */
  async fileChanged(
    fileName: string,
    type: FileChangeType,
    openFileName: string,
  ): Promise<Diagnostic[]> {
    const diagnostics = this.nextDiagnostics(openFileName);
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: this.uri(fileName), type }],
    });

    return diagnostics;
  }

  /** Sends incremental changes without waiting for diagnostics; resolves with the new version. */
  async sendChanges(fileName: string, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const uri = this.uri(fileName);
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: changes,
    });

    return version;
  }

  /** Writes bytes straight to the server's input, bypassing the protocol library. */
  writeRaw(data: string): void {
    this.child.stdin?.write(data);
  }

  codeActions(fileName: string, range: Range, only?: string[]): Promise<CodeAction[]> {
    return this.connection
      .sendRequest(CodeActionRequest.type, {
        textDocument: { uri: this.uri(fileName) },
        range,
        context: { diagnostics: [], ...(only ? { only } : {}) },
      })
      .then((actions) => (actions ?? []) as CodeAction[]);
  }

  /** Sends any request by method name, for features without a helper of their own. */
  request<R>(method: string, params: object): Promise<R> {
    return this.connection.sendRequest(method, params);
  }

  /** Shuts the server down as an editor does and resolves with its exit code. */
  async shutdown(): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
    const code = await this.exited;
    this.connection.dispose();

    return code;
  }

  /** Ends the server without the protocol, for clean-up after a failed test. */
  kill(): void {
    if (this.child.exitCode === null) this.child.kill();
    this.connection.dispose();
  }

  /** Server output for a failed test's report. */
  transcript(): string {
    return [...this.logs, this.stderr].filter(Boolean).join('\n');
  }

  /**
   * The next diagnostics published for a document (of `version`, when given). Call it before
   * sending what triggers them, so that the notification cannot slip past.
   */
  nextDiagnostics(fileName: string, version?: number): Promise<Diagnostic[]> {
    const uri = this.uri(fileName);

    return new Promise((resolveDiagnostics) =>
      this.diagnosticWaiters.push({
        matches: (params) =>
          params.uri === uri && (version === undefined || params.version === version),
        resolve: (params) => resolveDiagnostics(params.diagnostics),
      }),
    );
  }
}

function settle<T>(waiters: Waiter<T>[], value: T): void {
  for (const waiter of [...waiters]) {
    if (!waiter.matches(value)) continue;
    waiters.splice(waiters.indexOf(waiter), 1);
    waiter.resolve(value);
  }
}
