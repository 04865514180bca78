/**
 * Notices that the account's endpoint stopped accepting connections while a statement is in
 * flight. The driver retries refused connections of a query for minutes with growing sleeps,
 * and `destroy()` does not stop it, so without this a server that died in the middle of a read
 * would cost the whole deadline. A TCP connect sends nothing to the account: refused or
 * unresolvable means nobody is there; a connect that succeeds or merely takes long proves
 * nothing, and the deadline still applies. The driver is told to ignore proxy variables
 * (session.ts), so it reaches the endpoint the same direct way.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { connect } from 'node:net';

export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

/** System errors that mean no server is there to answer. */
const GONE: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** The host and port the driver talks to: the access URL's, else the account's own host. */
export function endpointOf(accessUrl?: string, account?: string): Endpoint | undefined {
  try {
    if (accessUrl) {
      const url = new URL(accessUrl);
      const port = Number(url.port) || (url.protocol === 'http:' ? 80 : 443);

      return { host: url.hostname.replace(/^\[|\]$/g, ''), port };
    }
  } catch {
    return undefined;
  }

  return account ? { host: `${account}.snowflakecomputing.com`, port: 443 } : undefined;
}

/**
 * Probes `endpoint` every `everyMs`, starting after `firstAfterMs`, until stopped; calls `onGone`
 * once with the system error when nothing accepts connections there. Returns the stop function.
 * The timers never keep the process alive.
 */
export function watchEndpoint(
  endpoint: Endpoint,
  onGone: (code: string) => void,
  firstAfterMs = 1500,
  everyMs = 1000,
): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const schedule = (ms: number): void => {
    if (stopped) return;
    timer = setTimeout(probe, ms);
    timer.unref();
  };
  const probe = (): void => {
    if (stopped) return;
    const socket = connect({ host: endpoint.host, port: endpoint.port });
    socket.unref();
    socket.setTimeout(everyMs);
    const settle = (code?: string): void => {
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.destroy();
      if (stopped) return;
      if (code && GONE.has(code)) {
        stopped = true;
        onGone(code);
      } else {
        schedule(everyMs);
      }
    };
    socket.once('connect', () => settle());
    socket.once('timeout', () => settle());
    socket.once('error', (error: NodeJS.ErrnoException) => settle(error.code));
  };
  schedule(firstAfterMs);

  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}

/** System errors of a request that the other end ended: reset, or closed before answering. */
const HUNG_UP: ReadonlySet<string> = new Set(['ECONNRESET', 'EPIPE']);

/**
 * Counts requests to `endpoint` that the other end hangs up on (a reset, or a close before any
 * answer: Node's "socket hang up"), through Node's HTTP client diagnostics channel, which sees
 * the driver's requests without changing them. The driver retries those for minutes, and the
 * endpoint still accepts connections, so watchEndpoint cannot tell; `onRepeated` is called once
 * with the error code after `times` hang-ups in a row with no answer between them. Returns the
 * stop function.
 */
export function watchHangUps(
  endpoint: Endpoint,
  onRepeated: (code: string) => void,
  times = 2,
): () => void {
  let stopped = false;
  let inARow = 0;
  const onStart = (message: unknown): void => {
    const { request } = message as { request?: ClientRequest };
    if (stopped || !request || !isTo(request, endpoint)) return;
    request.once('response', () => {
      inARow = 0;
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (stopped || !HUNG_UP.has(error.code ?? '')) return;
      inARow += 1;
      if (inARow < times) return;
      stop();
      onRepeated(error.code ?? 'ECONNRESET');
    });
  };
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    unsubscribe(REQUEST_START, onStart);
  };
  subscribe(REQUEST_START, onStart);

  return stop;
}

const REQUEST_START = 'http.client.request.start';

/** The Host header names the port unless it is the protocol's default. */
function isTo(request: ClientRequest, endpoint: Endpoint): boolean {
  const host = String(request.getHeader('host') ?? request.host);
  const port = /:(\d+)$/.exec(host)?.[1];
  const name = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');

  return (
    name === endpoint.host &&
    (port ? Number(port) === endpoint.port : endpoint.port === 80 || endpoint.port === 443)
  );
}
