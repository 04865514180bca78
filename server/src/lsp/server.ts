import {
  type ClientCapabilities,
  type Connection,
  DidChangeWatchedFilesNotification,
  type InitializeParams,
  type InitializeResult,
  MessageType,
  ShowMessageNotification,
  TextDocumentSyncKind,
  TextDocuments,
  type WorkspaceFolder,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Logger, Rule } from '../engine';
import { CODE_ACTION_KINDS, placeReasonCursor } from './code-actions';
import { LiveDiagnostics } from './live-diagnostics';
import { registerLiveValidation } from './live-validation';
import { describeError } from './logger';
import { Navigation } from './navigation';
import { type Folder, folderFromUri } from './paths';
import { type Progress, Project } from './project';
import {
  type InitializationOptions,
  MEMORY_USAGE_METHOD,
  type MemoryUsage,
  WATCHED_FILE_GLOBS,
} from './protocol';

export interface ServerInfo {
  readonly name: string;
  readonly version: string;
}

/**
 * Wires a connection to a `Project`. Every handler is guarded: a failure is logged with its
 * stack and the request gets an empty answer, because one bad file must not stop the server.
 */
export function startServer(
  connection: Connection,
  logger: Logger,
  rules: readonly Rule[],
  info: ServerInfo,
): void {
  const documents = new TextDocuments(TextDocument);
  // Requests to the client, such as creating a progress, wait until the handshake is over.
  let markInitialized: () => void = () => undefined;
  const initialized = new Promise<void>((done) => (markInitialized = done));
  // Closed files keep the findings of the last live validation (live-diagnostics.ts).
  const liveDiagnostics = new LiveDiagnostics(
    (uri, diagnostics, version) => {
      connection
        .sendDiagnostics({ uri, diagnostics, ...(version === undefined ? {} : { version }) })
        .catch((error: unknown) =>
          logger.warn(`Could not publish diagnostics for ${uri}: ${describeError(error)}`),
        );
    },
    (uri) => documents.get(uri) !== undefined,
    () => project.publishesClosedFiles,
  );
  const project = new Project(
    rules,
    documents,
    {
      publish: (uri, diagnostics, version) => liveDiagnostics.publish(uri, diagnostics, version),
      // A notification rather than the library's showWarningMessage, which sends a request
      // (window/showMessageRequest) that some clients reject; nothing waits for an answer here.
      showWarning: (message) => {
        connection
          .sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message })
          .catch((error: unknown) =>
            logger.warn(`Could not show a warning: ${describeError(error)}`),
          );
      },
      progress: (title) => startProgress(connection, initialized, title, logger),
    },
    logger,
  );
  let capabilities: ClientCapabilities = {};
  let options: InitializationOptions = {};

  connection.onInitialize(
    guard(logger, 'initialize', fallbackInitializeResult(info), (params: InitializeParams) => {
      capabilities = params.capabilities;
      options = (params.initializationOptions as InitializationOptions | null) ?? {};
      logger.info(
        `${info.name} ${info.version} starting (Node ${process.version}, ${rules.length} rules)`,
      );

      project.configure(options, capabilities);
      // Loading starts now rather than at `initialized`, so the disk is read while the
      // client finishes its own start-up; analysis waits for it.
      project.setFolders(initialFolders(params, logger));

      return {
        capabilities: {
          textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
          codeActionProvider: { codeActionKinds: CODE_ACTION_KINDS },
          hoverProvider: true,
          definitionProvider: true,
          referencesProvider: true,
          documentSymbolProvider: true,
          workspaceSymbolProvider: true,
          completionProvider: { triggerCharacters: [' ', '(', '.'] },
          workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
        },
        serverInfo: { name: info.name, version: info.version },
      };
    }),
  );

  connection.onInitialized(
    guard(logger, 'initialized', undefined, () => {
      markInitialized();
      const canWatch = capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
      if (canWatch && !options.watchesFiles) {
        const watchers = WATCHED_FILE_GLOBS.map((globPattern) => ({ globPattern }));
        connection.client
          .register(DidChangeWatchedFilesNotification.type, { watchers })
          .catch((error: unknown) =>
            logger.warn(`Could not watch SQL files: ${describeError(error)}`),
          );
      }
      if (capabilities.workspace?.workspaceFolders) {
        connection.workspace.onDidChangeWorkspaceFolders(
          guard(logger, 'workspace folder change', undefined, (event) => {
            const removed = new Set(event.removed.map((folder) => folder.uri));
            const kept = project.folders.filter((folder) => !removed.has(folder.uri));
            project.setFolders([...kept, ...toFolders(event.added, logger)]);
          }),
        );
      }
    }),
  );

  documents.onDidChangeContent(
    guard(logger, 'document change', undefined, (event) => project.documentChanged(event.document)),
  );
  documents.onDidClose(
    guard(logger, 'document close', undefined, (event) => project.documentClosed(event.document)),
  );
  connection.onDidChangeWatchedFiles(
    guard(logger, 'watched file change', undefined, (params) =>
      project.filesChanged(params.changes),
    ),
  );
  connection.onCodeAction(
    guard(logger, 'code action', [], async (params) =>
      placeReasonCursor(await project.codeActions(params), capabilities),
    ),
  );
  const navigation = new Navigation(() => project.view());
  connection.onHover(guard(logger, 'hover', null, (params) => navigation.hover(params)));
  connection.onDefinition(
    guard(logger, 'definition', [], (params) => navigation.definition(params)),
  );
  connection.onReferences(
    guard(logger, 'references', [], (params) => navigation.references(params)),
  );
  connection.onDocumentSymbol(
    guard(logger, 'document symbols', [], (params) => navigation.documentSymbols(params)),
  );
  connection.onWorkspaceSymbol(
    guard(logger, 'workspace symbols', [], (params) => navigation.workspaceSymbols(params)),
  );
  connection.onCompletion(
    guard(logger, 'completion', [], (params) => navigation.completion(params)),
  );
  connection.onShutdown(guard(logger, 'shutdown', undefined, () => project.dispose()));
  connection.onRequest(MEMORY_USAGE_METHOD, guard(logger, 'memory usage', null, measureMemory));
  // Never on its own: only these requests connect to an account, and only in a trusted workspace.
  registerLiveValidation(connection, {
    project,
    diagnostics: liveDiagnostics,
    logger,
    isTrusted: () => options.workspaceTrusted === true,
    env: process.env,
    openExternal: (url) => {
      connection.window.showDocument({ uri: url, external: true }).then(
        (result) => {
          if (!result.success) logger.warn('The editor could not open the sign-on page.');
        },
        (error: unknown) => logger.warn(`Could not open the sign-on page: ${describeError(error)}`),
      );
    },
    progress: async (params) => {
      if (params.workDoneToken !== undefined) {
        return connection.window.attachWorkDoneProgress(params.workDoneToken);
      }
      await initialized;

      return connection.window
        .createWorkDoneProgress()
        .catch(() => connection.window.attachWorkDoneProgress(undefined));
    },
  });

  documents.listen(connection);
  connection.listen();
}

/** What `snowgov/memoryUsage` answers; collects garbage first when node exposes `gc`. */
function measureMemory(): MemoryUsage {
  const collect = (globalThis as { gc?: () => void }).gc;
  collect?.();
  const { heapUsed, rss } = process.memoryUsage();

  return { heapUsed, rss, collected: collect !== undefined };
}

/**
 * A work-done progress shown once the handshake is over; reports that arrive before the client
 * created it are applied in order once it exists. Without client support it does nothing.
 */
function startProgress(
  connection: Connection,
  initialized: Promise<void>,
  title: string,
  logger: Logger,
): Progress {
  const reporter = initialized
    .then(() => connection.window.createWorkDoneProgress())
    .then((created) => {
      created.begin(title, 0);

      return created;
    })
    .catch((error: unknown) => {
      logger.debug(`Could not report progress: ${describeError(error)}`);

      return undefined;
    });

  return {
    report: (done, total) => {
      const percentage = total > 0 ? Math.floor((done / total) * 100) : 0;
      void reporter.then((created) => created?.report(percentage, `${done}/${total} files`));
    },
    done: () => void reporter.then((created) => created?.done()),
  };
}

function initialFolders(params: InitializeParams, logger: Logger): Folder[] {
  if (params.workspaceFolders) return toFolders(params.workspaceFolders, logger);
  if (params.rootUri) return toFolders([{ uri: params.rootUri, name: '' }], logger);

  return [];
}

function toFolders(folders: readonly WorkspaceFolder[], logger: Logger): Folder[] {
  const result: Folder[] = [];
  for (const folder of folders) {
    const converted = folderFromUri(folder.uri, folder.name || undefined);
    if (converted) result.push(converted);
    else logger.warn(`Workspace folder ${folder.uri} is not on disk, so its files are not read`);
  }

  return result;
}

/** Answers `initialize` even if building the answer failed, so the editor still syncs documents. */
function fallbackInitializeResult(info: ServerInfo): InitializeResult {
  return {
    capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental },
    serverInfo: { name: info.name, version: info.version },
  };
}

function guard<P, R>(
  logger: Logger,
  what: string,
  fallback: R,
  handler: (params: P) => R | Promise<R>,
): (params: P) => Promise<R> {
  return async (params) => {
    try {
      return await handler(params);
    } catch (error) {
      logger.error(`Handling ${what} failed: ${describeError(error)}`);

      return fallback;
    }
  };
}
