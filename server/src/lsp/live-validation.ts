/**
 * The language server's live validation: `snowgov/listConnections`, `snowgov/validateAccount`
 * and `snowgov/clearAccountFindings` (see protocol.ts). Nothing here runs unless the client asks,
 * and nothing runs in an untrusted workspace: a workspace could otherwise point snowgov at a
 * server of its choosing through the environment the editor was started with.
 */
import {
  type CancellationToken,
  type Connection,
  type Diagnostic,
  ErrorCodes,
  LSPErrorCodes,
  ResponseError,
  type WorkDoneProgressReporter,
} from 'vscode-languageserver';
import type { Logger } from '../engine';
import { ConnectionError, type ResolvedConnection, describeConnection } from '../live/connections';
import { DEFAULT_CACHE_TTL_SECONDS } from '../live/cache';
import { judgeWithAccount, readAccountSnapshot } from '../node/live-validation';
import { shownFindings, toDiagnostic } from './diagnostics';
import { describeError } from './logger';
import { connectionWithSecrets, listConnections } from './live-connections';
import type { LiveDiagnostics } from './live-diagnostics';
import type { Project } from './project';
import {
  CLEAR_ACCOUNT_FINDINGS_METHOD,
  LIST_CONNECTIONS_METHOD,
  type ListConnectionsResult,
  VALIDATE_ACCOUNT_METHOD,
  type ValidateAccountErrorData,
  type ValidateAccountParams,
  type ValidateAccountResult,
} from './protocol';

const DEFAULT_TIMEOUT_SECONDS = 60;

/**
 * Sign-in refusals that a different secret may cure: wrong user or password (390100), a
 * rejected key pair JWT (390144), an invalid or expired OAuth token (390303, 390318).
 */
const CREDENTIAL_CODES = /\((390100|390144|390303|390318)\)/;

export interface LiveValidationHost {
  readonly project: Project;
  readonly diagnostics: LiveDiagnostics;
  readonly logger: Logger;
  /** Whether the editor trusts the workspace, as `initialize` said. */
  isTrusted(): boolean;
  /**
   * The request's work-done progress: the client's own when the params carry a `workDoneToken`
   * (cancelled with the request), else one the server creates, with a cancel button of its own.
   */
  progress(params: ValidateAccountParams): Promise<CancellableProgress>;
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * Opens a sign-on page in the user's browser. The editor does it rather than the server: with
   * a remote workspace the server's machine has no browser the user can see.
   */
  openExternal(url: string): void;
}

export type CancellableProgress = WorkDoneProgressReporter & { readonly token?: CancellationToken };

export class LiveValidation {
  /** Bumped by each run and each clear, so that a run overtaken by either applies nothing. */
  private generation = 0;

  constructor(private readonly host: LiveValidationHost) {}

  listConnections(): ListConnectionsResult {
    this.refuseUntrusted();

    return listConnections(this.host.env);
  }

  async validate(
    params: ValidateAccountParams,
    token: CancellationToken,
  ): Promise<ValidateAccountResult> {
    this.refuseUntrusted();
    const { logger } = this.host;
    const connection = this.resolve(params);
    for (const warning of connection.warnings) logger.warn(warning);
    logger.info(
      `Validating against connection ${connection.name}: ${describeConnection(connection)}`,
    );

    const generation = ++this.generation;
    const aborter = new AbortController();
    const cancellation = token.onCancellationRequested(() => aborter.abort());
    const progress = await this.host.progress(params);
    const cancelledByClient = progress.token?.onCancellationRequested(() => aborter.abort());
    if (token.isCancellationRequested) aborter.abort();
    progress.begin(
      'snowgov: validating against Snowflake',
      0,
      `Connecting to ${connection.name}`,
      true,
    );
    try {
      const read = await readAccountSnapshot(connection, {
        env: this.host.env,
        useCache: params.useCache === true,
        cacheTtlSeconds: DEFAULT_CACHE_TTL_SECONDS,
        deadlineMs: (params.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
        signal: aborter.signal,
        openBrowser: (url) => this.host.openExternal(url),
        log: (message) => logger.info(message),
        onStep: (step) => {
          if (step.kind === 'signing-in') progress.report(0, `Signing in to ${connection.name}`);
          else {
            progress.report(
              Math.floor((step.done / step.total) * 90),
              `Reading account state (${step.done + 1}/${step.total})`,
            );
          }
        },
      });
      if ('error' in read) {
        if (read.cancelled) throw new ResponseError(LSPErrorCodes.RequestCancelled, read.error);
        logger.warn(`Live validation failed: ${read.error}`);
        throw failure(CREDENTIAL_CODES.test(read.error) ? 'credentials' : 'account', read.error);
      }
      const ensureCurrent = (): void => {
        if (generation === this.generation) return;
        throw new ResponseError(
          LSPErrorCodes.RequestCancelled,
          'A later validation or a clear replaced this one.',
        );
      };
      ensureCurrent();
      for (const gap of read.gaps) logger.warn(`Could not read ${gap}`);

      progress.report(90, 'Judging migrations');
      this.host.project.setAccountState(read.state);
      const view = await this.host.project.viewAll();
      ensureCurrent();
      const judged = judgeWithAccount(view.analysis, read.state, view.classifier, view.rules);
      const byUri = new Map<string, Diagnostic[]>();
      const shown = shownFindings(judged.fileFindings);
      for (const finding of shown) {
        const uri = view.uriOf(finding.path);
        byUri.set(uri, [...(byUri.get(uri) ?? []), toDiagnostic(finding)]);
      }
      this.host.diagnostics.replace(byUri);
      for (const finding of judged.accountFindings) {
        logger.warn(`Account finding (${finding.ruleId}, ${finding.severity}): ${finding.message}`);
      }
      logger.info(
        `Validation against ${connection.name}: ${shown.length} findings in migrations, ` +
          `${judged.accountFindings.length} about the account`,
      );

      return {
        connection: connection.name,
        accountFindings: judged.accountFindings.map(({ ruleId, severity, message }) => ({
          ruleId,
          severity,
          message,
        })),
        fileFindingCount: shown.length,
        filesWithFindings: byUri.size,
        gaps: read.gaps,
        warnings: connection.warnings,
        ...(read.cachedAgeSeconds === undefined ? {} : { cachedAgeSeconds: read.cachedAgeSeconds }),
      };
    } finally {
      cancellation.dispose();
      cancelledByClient?.dispose();
      progress.done();
    }
  }

  /** Forgets the account state: files are judged as without a connection again. */
  clear(): void {
    this.generation += 1;
    this.host.project.setAccountState(undefined);
    this.host.diagnostics.clear();
    this.host.logger.info('Cleared the findings of live validation');
  }

  private refuseUntrusted(): void {
    if (this.host.isTrusted()) return;
    throw failure(
      'untrusted',
      'snowgov does not connect to Snowflake from an untrusted workspace; trust the workspace ' +
        'first (Workspaces: Manage Workspace Trust).',
    );
  }

  private resolve(params: ValidateAccountParams): ResolvedConnection {
    try {
      return connectionWithSecrets(params.connection, params.secrets, this.host.env);
    } catch (error) {
      if (error instanceof ConnectionError) throw failure('connection', error.message);
      throw error;
    }
  }
}

function failure(
  reason: ValidateAccountErrorData['reason'],
  message: string,
): ResponseError<ValidateAccountErrorData> {
  return new ResponseError(LSPErrorCodes.RequestFailed, message, { reason });
}

/** Answers the three requests; failures other than refusals are logged and answered as such. */
export function registerLiveValidation(connection: Connection, host: LiveValidationHost): void {
  const live = new LiveValidation(host);
  const answer =
    <P, R>(what: string, handler: (params: P, token: CancellationToken) => R | Promise<R>) =>
    async (params: P, token: CancellationToken): Promise<R> => {
      try {
        return await handler(params, token);
      } catch (error) {
        if (error instanceof ResponseError) throw error;
        host.logger.error(`Handling ${what} failed: ${describeError(error)}`);
        throw new ResponseError(
          ErrorCodes.InternalError,
          `snowgov could not ${what}; see its log.`,
        );
      }
    };
  connection.onRequest(
    LIST_CONNECTIONS_METHOD,
    answer('list connections', () => live.listConnections()),
  );
  connection.onRequest(
    VALIDATE_ACCOUNT_METHOD,
    answer('validate against the account', (params: ValidateAccountParams, token) =>
      live.validate(params ?? {}, token),
    ),
  );
  connection.onRequest(
    CLEAR_ACCOUNT_FINDINGS_METHOD,
    answer('clear account findings', () => live.clear()),
  );
}
