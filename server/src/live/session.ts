/**
 * A read-only session on a live account through snowflake-sdk. The driver is required lazily
 * (it is large and probes the platform as it loads), every statement passes assertReadOnly, and
 * snowgov enforces its own deadline because the driver's retry loops can run for minutes and
 * ignore `destroy()` (see the emulation notes in shared/reference).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Connection, ConnectionOptions } from 'snowflake-sdk';
import { type ResolvedConnection, authenticatorOf } from './connections';
import { type Endpoint, endpointOf, watchEndpoint, watchHangUps } from './endpoint-watch';
import { adviceFor } from './errors';
import { assertReadOnly } from './read-only';

export const QUERY_TAG = 'snowgov check (read-only)';

/** A failure of the live session, with a one-line message that names no secret. */
export class LiveError extends Error {
  constructor(
    message: string,
    readonly reason: 'deadline' | 'connect' | 'query' | 'driver',
    /** The driver's or Snowflake's error code, when it gave one. */
    readonly code?: string,
  ) {
    super(message);
  }
}

export interface SessionOptions {
  /** Wall-clock budget for the whole session, connect included, in milliseconds. */
  readonly deadlineMs: number;
  /** Snowflake's STATEMENT_TIMEOUT_IN_SECONDS for each statement. */
  readonly statementTimeoutSeconds?: number;
  /**
   * Opens the single sign-on page for `authenticator = "externalbrowser"`; the driver opens the
   * system browser when absent.
   */
  readonly openBrowser?: (url: string) => void;
}

export type Row = Readonly<Record<string, unknown>>;

export interface LiveSession {
  /** Runs one read-only statement; refused locally, before sending, when it is not. */
  query(sql: string): Promise<Row[]>;
  close(): Promise<void>;
}

/** Opens a session within the deadline. */
export async function openSession(
  connection: ResolvedConnection,
  options: SessionOptions,
): Promise<LiveSession> {
  const deadline = Date.now() + options.deadlineMs;
  const remaining = (): number => Math.max(1, deadline - Date.now());
  const driver = loadDriver();
  const driverOptions = connectionOptions(connection, remaining());
  if (options.openBrowser) driverOptions.openExternalBrowserCallback = options.openBrowser;
  const endpoint = endpointOf(driverOptions.accessUrl, driverOptions.account);
  let stopSigningIn = (): void => undefined;
  // The callback form: connectAsync resolves even when signing in fails.
  const client = withDeadline(
    remaining(),
    () =>
      new Promise<Connection>((resolve, reject) => {
        if (endpoint) {
          stopSigningIn = watchHangUps(endpoint, (code) => {
            reject(hungUpError(connection.name, endpoint, code, 'signing in'));
          });
        }
        driver.createConnection(driverOptions).connect((error, connected) => {
          if (error) reject(error);
          else resolve(connected);
        });
      }),
    'connect',
    connection.name,
    options.deadlineMs,
  );
  const connected: Connection = await client
    .catch((error: unknown) => {
      throw toLiveError(error, 'connect', connection.name);
    })
    .finally(() => stopSigningIn());
  const timeout = options.statementTimeoutSeconds ?? 60;

  return {
    query: async (sql) => {
      const checked = assertReadOnly(sql);
      const stops: (() => void)[] = [];

      return withDeadline(
        remaining(),
        () =>
          new Promise<Row[]>((resolve, reject) => {
            if (endpoint) {
              stops.push(
                watchEndpoint(endpoint, (code) => {
                  reject(goneError(connection.name, endpoint, code));
                }),
                watchHangUps(endpoint, (code) => {
                  reject(hungUpError(connection.name, endpoint, code, 'reading account state'));
                }),
              );
            }
            connected.execute({
              sqlText: checked,
              parameters: { QUERY_TAG, STATEMENT_TIMEOUT_IN_SECONDS: timeout },
              complete: (error, _statement, rows) => {
                if (error) reject(toLiveError(error, 'query', connection.name));
                else resolve((rows ?? []) as Row[]);
              },
            });
          }),
        'query',
        connection.name,
        options.deadlineMs,
      ).finally(() => {
        for (const stop of stops) stop();
      });
    },
    close: () =>
      withDeadline(
        Math.min(remaining(), 2000),
        () =>
          new Promise<void>((resolve) => {
            connected.destroy(() => resolve());
          }),
        'connect',
        connection.name,
        options.deadlineMs,
      ).catch(() => undefined),
  };
}

type Driver = typeof import('snowflake-sdk');
let driver: Driver | undefined;

/**
 * The build ships the driver as its own bundle next to out/cli.js, out/server.js and
 * out/extension.js (scripts/build.mjs), so that nothing needs installing and the driver's
 * megabytes load only when live validation is asked for. Run from source (tests, tsx), there is
 * no such file and the driver comes from node_modules.
 */
const DRIVER_BUNDLE = join(__dirname, 'snowflake-driver.js');

/**
 * Requires the driver on first use. Platform detection (cloud metadata probes and an AWS STS
 * call) and the optional native telemetry module are switched off before it loads, and its logs,
 * which go to stdout by default, are off.
 */
function loadDriver(): Driver {
  if (driver) return driver;
  process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION ??= 'true';
  process.env.SNOWFLAKE_DISABLE_MINICORE ??= 'true';
  process.env.SF_TELEMETRY_DISABLE_CONNECTION_SHAPE ??= '1';
  const source = existsSync(DRIVER_BUNDLE) ? DRIVER_BUNDLE : 'snowflake-sdk';
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily on purpose
    driver = require(source) as Driver;
  } catch {
    throw new LiveError(
      `The Snowflake driver could not be loaded from ${source}; reinstall snowgov.`,
      'driver',
    );
  }
  driver.configure({ logLevel: 'OFF', useEnvProxy: false } as Parameters<Driver['configure']>[0]);

  return driver;
}

/** The driver's options for a resolved connection, with short network timeouts. */
export function connectionOptions(
  connection: ResolvedConnection,
  budgetMs: number,
): ConnectionOptions {
  const s = connection.settings;
  const authenticator = authenticatorOf(s);
  const options: Record<string, unknown> = {
    account: s.account ?? s.host?.split('.')[0],
    username: s.user,
    authenticator,
    role: s.role,
    warehouse: s.warehouse,
    database: s.database,
    schema: s.schema,
    queryTag: QUERY_TAG,
    // Per HTTP request; the driver's default of 90 s with 7 login retries takes minutes.
    timeout: Math.max(1000, Math.min(budgetMs, 30_000)),
    sfRetryMaxLoginRetries: 0,
    clientSessionKeepAlive: false,
    application: 'snowgov',
  };
  const accessUrl =
    s.access_url ??
    (s.host ? `${s.protocol ?? 'https'}://${s.host}${s.port ? `:${s.port}` : ''}` : undefined);
  if (accessUrl) options.accessUrl = accessUrl;
  if (s.password !== undefined) options.password = s.password;
  const keyFile = s.private_key_file ?? s.private_key_path;
  if (keyFile) {
    mustExist(
      connection.name,
      s.private_key_file ? 'private_key_file' : 'private_key_path',
      keyFile,
    );
    options.privateKeyPath = keyFile;
  }
  if (s.private_key_raw) options.privateKey = s.private_key_raw;
  const passphrase = s.private_key_file_pwd ?? s.private_key_passphrase ?? s.private_key_pwd;
  if (passphrase) options.privateKeyPass = passphrase;
  // The Python connector's name; false makes the browser flow open Snowflake's console login.
  if (s.disable_console_login) options.disableConsoleLogin = s.disable_console_login !== 'false';
  if (s.token !== undefined) options.token = s.token;
  else if (s.token_file_path) {
    mustExist(connection.name, 'token_file_path', s.token_file_path);
    options.token = readFileSync(s.token_file_path, 'utf8').trim();
  }
  for (const key of Object.keys(options)) if (options[key] === undefined) delete options[key];

  return options as unknown as ConnectionOptions;
}

/** A file a connection names must be there before anything is sent; the message says which. */
function mustExist(name: string, setting: string, path: string): void {
  if (existsSync(path)) return;
  throw new LiveError(
    `Connection '${name}' sets ${setting} to ${path}, which does not exist. ` +
      `Point ${setting} at the right file (an absolute path), or create it and run again.`,
    'connect',
  );
}

/**
 * Rejects with a deadline error when `work` has not settled in `ms` (what is left of the
 * `deadlineMs` the run was given); the timer never lingers.
 */
function withDeadline<T>(
  ms: number,
  work: () => Promise<T>,
  stage: 'connect' | 'query',
  name: string,
  deadlineMs: number,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new LiveError(deadlineMessage(name, stage, deadlineMs), 'deadline'));
    }, ms);
    work().then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/**
 * A deadline says nothing about whether the account answered: a slow one (a cold warehouse, a
 * large account) answers step by step and still runs out of time, so the advice leads with the
 * deadline, then the network.
 */
function deadlineMessage(name: string, stage: 'connect' | 'query', ms: number): string {
  const seconds = Math.round(ms / 100) / 10;
  const work = stage === 'connect' ? 'signing in' : 'reading account state';

  return (
    `Connection '${name}' did not finish ${work} within the ${seconds}-second deadline. ` +
    `A slow account needs more time: raise --timeout (now ${seconds}); if it never answers, ` +
    'check the host and network.'
  );
}

/** The endpoint went away in the middle of the read: no point waiting for the driver's retries. */
function goneError(name: string, endpoint: Endpoint, code: string): LiveError {
  return new LiveError(
    `Connection '${name}' stopped answering while reading account state: ` +
      `${endpoint.host}:${endpoint.port} no longer accepts connections (${code}). ` +
      'Check that the host is up and reachable, then run again.',
    'connect',
  );
}

/** The account keeps closing the connection: waiting for the deadline would not help. */
function hungUpError(name: string, endpoint: Endpoint, code: string, stage: string): LiveError {
  return new LiveError(
    `Connection '${name}' was closed by the account while ${stage}: ` +
      `${endpoint.host}:${endpoint.port} hung up on every retry (${code}). ` +
      'Check the host, port and protocol, and any proxy or firewall on the way, then run again.',
    'connect',
  );
}

/** A one-line message from a driver error; the driver's messages carry no credentials. */
function toLiveError(error: unknown, reason: 'connect' | 'query', name: string): Error {
  if (error instanceof LiveError) return error;
  const { code, message } = error as { code?: string | number; message?: string };
  const text = (message ?? String(error)).split('\n').join(' ').replace(/\.$/, '');
  // Driver and session codes (4xxxxx, 39xxxx) end the session; SQL errors leave it usable.
  const fatal = /^(4\d|39)\d{4}$/.test(String(code));
  const advice = adviceFor(error);
  const hint = advice ? ` ${advice}` : '';

  return new LiveError(
    `Connection '${name}' failed${code ? ` (${code})` : ''}: ${text}.${hint}`,
    fatal ? 'connect' : reason,
    code === undefined ? undefined : String(code),
  );
}
