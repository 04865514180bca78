/**
 * A small Snowflake endpoint on 127.0.0.1 that speaks the HTTP protocol snowflake-sdk uses
 * (login, query, logout, telemetry), answering queries from fixed tables. It records every SQL
 * text it receives, so tests can prove what reached the "account".
 */
import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface Table {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | null)[])[];
}

export interface EmulatorOptions {
  readonly user: string;
  readonly password: string;
  /** Answers by exact SQL text; anything else is a SQL compilation error. */
  readonly tables: ReadonlyMap<string, Table>;
}

export interface Emulator {
  readonly url: string;
  /** SQL texts received, in order. */
  readonly received: string[];
  /** Login request bodies received (passwords included, for assertions only). */
  readonly logins: Record<string, unknown>[];
  close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const received: string[] = [];
  const logins: Record<string, unknown>[] = [];
  const sessions = new Set<string>();
  const server = createServer((request, response) => {
    void handle(request, response);
  });
  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const body = await readBody(request);
    const path = (request.url ?? '').split('?')[0];
    if (path === '/session/v1/login-request') {
      const data = (body.data ?? {}) as Record<string, unknown>;
      logins.push(data);
      if (data.LOGIN_NAME !== options.user || data.PASSWORD !== options.password) {
        reply(response, {
          data: {},
          code: '390100',
          message: 'Incorrect username or password was specified.',
          success: false,
        });

        return;
      }
      const token = `ST-${randomUUID()}`;
      sessions.add(token);
      reply(response, {
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
      });

      return;
    }
    if (path === '/queries/v1/query-request') {
      const sql = String(body.sqlText ?? '');
      received.push(sql);
      const table = options.tables.get(sql);
      if (!table) {
        reply(response, {
          data: {
            errorCode: '002003',
            sqlState: '42S02',
            queryId: randomUUID(),
            type: 'COMPILATION',
          },
          code: '002003',
          message: 'SQL compilation error:\nObject does not exist or not authorized.',
          success: false,
        });

        return;
      }
      reply(response, {
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
      });

      return;
    }
    // Logout, telemetry, heartbeat: accepted and ignored.
    reply(response, { data: {}, code: null, message: null, success: true });
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    logins,
    close: () => closeServer(server),
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
