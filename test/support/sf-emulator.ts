/**
 * A small Snowflake endpoint on 127.0.0.1 that speaks the HTTP protocol snowflake-sdk uses
 * (login, query, logout, telemetry). It signs users in the way Snowflake does for each
 * authenticator the driver offers (password, key-pair JWT, OAuth, programmatic access token,
 * external browser SSO), answers SELECTs from seeded views by evaluating their column list and
 * WHERE clause, and answers other statements (SHOW …) from fixed tables. It records every SQL
 * text it receives, so tests can prove what reached the "account".
 */
import { createHash, createPublicKey, randomUUID, verify } from 'node:crypto';
import {
  type IncomingMessage,
  type Server,
  type ServerResponse,
  createServer,
  get,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface Table {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | null)[])[];
}

/** A table from records keyed by column; columns a record leaves out are NULL. */
export function tableOf(
  columns: readonly string[],
  records: readonly Readonly<Record<string, string | null>>[] = [],
): Table {
  return {
    columns,
    rows: records.map((record) => columns.map((column) => record[column] ?? null)),
  };
}

/** A user of the emulated account and the credentials it signs in with. */
export interface EmulatedUser {
  readonly name: string;
  readonly password?: string;
  /** PEM public key (SPKI), as `ALTER USER … SET RSA_PUBLIC_KEY` would hold it. */
  readonly publicKey?: string;
  readonly oauthTokens?: readonly string[];
  /** OAuth tokens that were valid once: sign-in fails with Snowflake's "expired" code. */
  readonly expiredOauthTokens?: readonly string[];
  readonly programmaticAccessTokens?: readonly string[];
  /** Whether the identity provider lets this user through the browser flow. */
  readonly sso?: boolean;
}

export interface EmulatorOptions {
  /** Shorthand for one password user. */
  readonly user?: string;
  readonly password?: string;
  readonly users?: readonly EmulatedUser[];
  /** The account identifier the JWT issuer must name. */
  readonly account?: string;
  /** Answers by exact SQL text (SHOW …). */
  readonly tables?: ReadonlyMap<string, Table>;
  /**
   * Views by upper-case qualified name (`SNOWFLAKE.ACCOUNT_USAGE.USERS`), queried with
   * `SELECT [DISTINCT] cols FROM view [WHERE c IS [NOT] NULL | c = 'v' | c IN (…) AND …]`. A view
   * left out behaves as one the role may not read.
   */
  readonly views?: ReadonlyMap<string, Table>;
  /** Each query after this many is answered by closing the socket: a server that hangs up. */
  readonly dieAfterQueries?: number;
  /** After answering this many queries the server stops listening: a process that was killed. */
  readonly stopListeningAfterQueries?: number;
  /** Each query is answered this many milliseconds late: a slow or overloaded account. */
  readonly delayMs?: number;
  /** Called with each SQL text as it arrives, for a live request log. */
  readonly onQuery?: (sql: string) => void;
  /** The loopback port to listen on; any free one when absent. */
  readonly port?: number;
}

export interface Emulator {
  readonly url: string;
  /** SQL texts received, in order. */
  readonly received: string[];
  /** Login request bodies received (secrets included, for assertions only). */
  readonly logins: Record<string, unknown>[];
  /**
   * Plays the browser and identity provider for EXTERNALBROWSER: reads the login URL the driver
   * opened, signs the user in when it is an SSO user, and redirects to the driver's local port
   * with a token bound to the URL's proof key.
   */
  completeBrowserLogin(loginUrl: string): Promise<void>;
  close(): Promise<void>;
}

/** A Snowflake error reply: `code` and `sqlState` as the service sends them. */
class SnowflakeError extends Error {
  constructor(
    readonly code: string,
    readonly sqlState: string,
    message: string,
  ) {
    super(message);
  }
}

export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const account = (options.account ?? 'TESTACCT').toUpperCase();
  const users = [
    ...(options.users ?? []),
    ...(options.user ? [{ name: options.user, password: options.password }] : []),
  ];
  const received: string[] = [];
  const logins: Record<string, unknown>[] = [];
  const sessions = new Set<string>();
  /** SSO tokens the "identity provider" issued, with the proof key and user they are bound to. */
  const ssoTokens = new Map<string, { proofKey: string; user: string }>();
  let queries = 0;

  const server = createServer((request, response) => {
    void handle(request, response);
  });
  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const body = await readBody(request);
    const path = (request.url ?? '').split('?')[0];
    if (path === '/session/v1/login-request') {
      const data = (body.data ?? {}) as Record<string, unknown>;
      logins.push(data);
      const failure = signInFailure(data);
      if (failure) {
        reply(response, { data: {}, code: failure.code, message: failure.message, success: false });

        return;
      }
      const token = `ST-${randomUUID()}`;
      sessions.add(token);
      reply(response, loginSuccess(token));

      return;
    }
    if (path === '/queries/v1/query-request') {
      queries += 1;
      if (options.dieAfterQueries !== undefined && queries > options.dieAfterQueries) {
        request.socket.destroy();

        return;
      }
      const sql = String(body.sqlText ?? '');
      received.push(sql);
      options.onQuery?.(sql);
      if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      if (queries === options.stopListeningAfterQueries) {
        response.once('finish', () => {
          server.close();
          server.closeAllConnections();
        });
      }
      try {
        reply(response, resultOf(answer(sql, options)));
      } catch (error) {
        const failure =
          error instanceof SnowflakeError
            ? error
            : new SnowflakeError('001003', '42000', 'SQL compilation error: syntax error');
        reply(response, {
          data: {
            errorCode: failure.code,
            sqlState: failure.sqlState,
            queryId: randomUUID(),
            type: 'COMPILATION',
          },
          code: failure.code,
          message: failure.message,
          success: false,
        });
      }

      return;
    }
    // Logout, telemetry, heartbeat: accepted and ignored.
    reply(response, { data: {}, code: null, message: null, success: true });
  };

  /** Why a login request is refused, as Snowflake words it; undefined when it signs in. */
  const signInFailure = (data: Record<string, unknown>): SnowflakeError | undefined => {
    const loginName = String(data.LOGIN_NAME ?? '').toUpperCase();
    const user = users.find((candidate) => candidate.name.toUpperCase() === loginName);
    const authenticator = String(data.AUTHENTICATOR ?? 'SNOWFLAKE').toUpperCase();
    const token = String(data.TOKEN ?? '');
    const incorrect = new SnowflakeError(
      '390100',
      '',
      'Incorrect username or password was specified.',
    );
    if (authenticator === 'OAUTH') {
      // The token names the user; a login name, when sent, must be the same user.
      if (users.some((candidate) => candidate.expiredOauthTokens?.includes(token))) {
        return new SnowflakeError('390318', '08004', 'OAuth access token expired. [1234]');
      }
      const owner = users.find((candidate) => candidate.oauthTokens?.includes(token));
      if (!owner || (loginName !== '' && owner.name.toUpperCase() !== loginName)) {
        return new SnowflakeError('390303', '08004', 'Invalid OAuth access token. [1234]');
      }

      return undefined;
    }
    if (!user) return incorrect;
    switch (authenticator) {
      case 'SNOWFLAKE':
        return user.password !== undefined && data.PASSWORD === user.password
          ? undefined
          : incorrect;
      case 'SNOWFLAKE_JWT':
        return user.publicKey && jwtValid(token, user.publicKey, account, user.name)
          ? undefined
          : new SnowflakeError('390144', '08004', 'JWT token is invalid. [1234]');
      case 'PROGRAMMATIC_ACCESS_TOKEN':
        return user.programmaticAccessTokens?.includes(token) ? undefined : incorrect;
      case 'EXTERNALBROWSER': {
        const issued = ssoTokens.get(token);
        ssoTokens.delete(token);

        return issued?.proofKey === data.PROOF_KEY && issued?.user === user.name
          ? undefined
          : new SnowflakeError('390195', '08004', 'The provided ID token is invalid.');
      }
      default:
        return incorrect;
    }
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    logins,
    completeBrowserLogin: async (loginUrl) => {
      const url = new URL(loginUrl);
      const name = (url.searchParams.get('login_name') ?? '').toUpperCase();
      const proofKey = url.searchParams.get('proof_key') ?? '';
      const port = url.searchParams.get('browser_mode_redirect_port');
      const user = users.find((candidate) => candidate.name.toUpperCase() === name);
      const token = `SSO-${randomUUID()}`;
      if (user?.sso) ssoTokens.set(token, { proofKey, user: user.name });
      // The browser follows the identity provider's redirect to the driver's local listener.
      await new Promise<void>((resolve, reject) => {
        get(`http://127.0.0.1:${port}/?token=${encodeURIComponent(token)}`, (answer) => {
          answer.resume();
          answer.on('end', resolve);
        }).on('error', reject);
      });
    },
    close: () => closeServer(server),
  };
}

/**
 * The rows for one statement: a SELECT on a seeded view is evaluated, anything else must be one
 * of the fixed tables. Unknown objects fail as Snowflake fails them, whether missing or hidden.
 */
function answer(sql: string, options: EmulatorOptions): Table {
  const fixed = options.tables?.get(sql);
  if (fixed) return fixed;
  const select =
    /^\s*SELECT\s+(DISTINCT\s+)?(.+?)\s+FROM\s+([\w$.]+)(?:\s+WHERE\s+(.+?))?\s*;?\s*$/is.exec(sql);
  if (!select) {
    if (/^\s*SELECT\b/i.test(sql)) {
      throw new SnowflakeError('001003', '42000', 'SQL compilation error: unsupported by emulator');
    }
    throw new SnowflakeError('002003', '02000', 'SQL compilation error: Object does not exist.');
  }
  const [, distinct, list, from, where] = select;
  const view = options.views?.get(from.toUpperCase());
  if (!view) {
    throw new SnowflakeError(
      '002003',
      '42S02',
      `SQL compilation error:\nObject '${from.toUpperCase()}' does not exist or not authorized.`,
    );
  }
  const indexOf = (column: string): number => {
    const index = view.columns.indexOf(column.trim().toUpperCase());
    if (index < 0) {
      throw new SnowflakeError(
        '000904',
        '42000',
        `SQL compilation error: error line 1 at position 7\ninvalid identifier '${column.trim()}'`,
      );
    }

    return index;
  };
  const columns = list.split(',').map((column) => column.trim().toUpperCase());
  const picks = columns.map(indexOf);
  const tests = (where ? where.split(/\s+AND\s+/i) : []).map((condition) =>
    conditionOf(condition, indexOf),
  );
  const rows = view.rows
    .filter((row) => tests.every((test) => test(row)))
    .map((row) => picks.map((index) => row[index]));
  const unique = distinct
    ? [...new Map(rows.map((row) => [JSON.stringify(row), row])).values()]
    : rows;

  return { columns, rows: unique };
}

/** One `AND` operand of a WHERE clause as a row predicate. */
function conditionOf(
  condition: string,
  indexOf: (column: string) => number,
): (row: readonly (string | null)[]) => boolean {
  const isNull = /^(\w+)\s+IS\s+(NOT\s+)?NULL$/i.exec(condition.trim());
  if (isNull) {
    const index = indexOf(isNull[1]);

    return (row) => (row[index] === null) !== Boolean(isNull[2]);
  }
  const equals = /^(\w+)\s*=\s*'((?:[^']|'')*)'$/i.exec(condition.trim());
  if (equals) {
    const index = indexOf(equals[1]);
    const value = equals[2].replace(/''/g, "'");

    return (row) => row[index] === value;
  }
  const within = /^(\w+)\s+IN\s*\((.+)\)$/i.exec(condition.trim());
  if (within) {
    const index = indexOf(within[1]);
    const values = within[2].split(',').map((value) => value.trim().replace(/^'|'$/g, ''));

    return (row) => row[index] !== null && values.includes(row[index] ?? '');
  }
  throw new SnowflakeError('001003', '42000', 'SQL compilation error: unsupported by emulator');
}

/**
 * Checks a key-pair JWT as Snowflake does: RS256 signed by the user's key, issuer naming the
 * account, the user and the key's fingerprint, not expired. The driver writes `iat` and `exp`
 * in milliseconds.
 */
function jwtValid(token: string, publicKeyPem: string, account: string, user: string): boolean {
  const [header, payload, signature] = token.split('.');
  if (!header || !payload || !signature) return false;
  const key = createPublicKey(publicKeyPem);
  const signed = verify(
    'sha256',
    Buffer.from(`${header}.${payload}`),
    key,
    Buffer.from(signature, 'base64url'),
  );
  if (!signed) return false;
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
    iss?: string;
    sub?: string;
    exp?: number;
  };
  const der = key.export({ format: 'der', type: 'spki' });
  const fingerprint = `SHA256:${createHash('sha256').update(der).digest('base64')}`;
  const subject = `${account}.${user.toUpperCase()}`;

  return (
    claims.sub === subject &&
    claims.iss === `${subject}.${fingerprint}` &&
    typeof claims.exp === 'number' &&
    claims.exp > Date.now()
  );
}

function loginSuccess(token: string): unknown {
  return {
    data: {
      token,
      masterToken: `MT-${randomUUID()}`,
      validityInSeconds: 3600,
      masterValidityInSeconds: 14400,
      sessionId: 1001,
      parameters: [{ name: 'QUERY_CONTEXT_CACHE_SIZE', value: 5 }],
      sessionInfo: {
        databaseName: null,
        schemaName: null,
        warehouseName: null,
        roleName: 'AUDITOR',
      },
    },
    code: null,
    message: null,
    success: true,
  };
}

function resultOf(table: Table): unknown {
  return {
    data: {
      parameters: [{ name: 'TIMEZONE', value: 'UTC' }],
      rowtype: table.columns.map((name) => ({
        name,
        database: '',
        schema: '',
        table: '',
        nullable: true,
        byteLength: null,
        length: null,
        precision: null,
        scale: null,
        type: 'text',
        collation: null,
      })),
      rowset: table.rows,
      total: table.rows.length,
      returned: table.rows.length,
      queryId: randomUUID(),
      queryResultFormat: 'json',
      statementTypeId: 4096,
      version: 1,
    },
    code: null,
    message: null,
    success: true,
  };
}

/** A server that accepts connections and never answers: a dead account behind a firewall. */
export async function startBlackhole(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(() => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => closeServer(server),
  };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();

  return new Promise((resolve) => server.close(() => resolve()));
}

async function readBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  let buffer = Buffer.concat(chunks);
  // The driver sometimes gzips without saying so: sniff the magic bytes.
  if (buffer[0] === 0x1f && buffer[1] === 0x8b) buffer = gunzipSync(buffer);
  if (buffer.length === 0) return {};
  try {
    return JSON.parse(buffer.toString('utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

function reply(response: ServerResponse, body: unknown): void {
  response.writeHead(200, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify(body));
}
