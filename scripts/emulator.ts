/**
 * `npm run emulator -- --seed FILE`: serves an emulated Snowflake account on 127.0.0.1 from account
 * data of your own, so that `snowgov check` (and the editor's "Validate against Snowflake
 * account") can be tried, and broken, without a real account. It is the endpoint the live tests
 * use (test/support/sf-emulator.ts), with the unmodified snowflake-sdk on the other side.
 *
 * Every SQL text that arrives is printed as it arrives, so the request log shows what snowgov
 * sent. The seed file (YAML, see examples/live/account.yaml) names the users who may sign in,
 * the ACCOUNT_USAGE views, the answers to SHOW statements, and faults to switch on.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import {
  type EmulatedUser,
  type EmulatorOptions,
  type Table,
  startEmulator,
  tableOf,
} from '../test/support/sf-emulator';

interface SeedTable {
  readonly columns: readonly string[];
  readonly rows?: readonly Readonly<Record<string, unknown>>[];
}

interface Seed {
  readonly account?: string;
  readonly users?: readonly EmulatedUser[];
  readonly views?: Readonly<Record<string, SeedTable>>;
  readonly show?: Readonly<Record<string, SeedTable>>;
  readonly faults?: {
    readonly delayMs?: number;
    readonly dieAfterQueries?: number;
    readonly stopListeningAfterQueries?: number;
  };
}

const usage = 'usage: npm run emulator -- --seed FILE [--port N] [--delay-ms N] [--die-after N]';

/** A seeded table; YAML reads `true` and numbers as such, Snowflake answers them as text. */
function tableFrom(where: string, seed: SeedTable): Table {
  if (!Array.isArray(seed?.columns)) throw new Error(`${where} needs a list of columns`);
  const columns = seed.columns.map((column) => String(column));
  const records = (seed.rows ?? []).map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([key, value]) => [
        key,
        value === null || value === undefined ? null : String(value),
      ]),
    ),
  );
  for (const [index, record] of records.entries()) {
    const unknown = Object.keys(record).find((key) => !columns.includes(key));
    if (unknown) throw new Error(`${where}, row ${index + 1}: ${unknown} is not among its columns`);
  }

  return tableOf(columns, records);
}

/** `POLICY_REFERENCES` is short for `SNOWFLAKE.ACCOUNT_USAGE.POLICY_REFERENCES`. */
const viewName = (name: string): string =>
  (name.includes('.') ? name : `SNOWFLAKE.ACCOUNT_USAGE.${name}`).toUpperCase();

function optionsFrom(seed: Seed): EmulatorOptions {
  const entries = (group: 'views' | 'show'): [string, SeedTable][] =>
    Object.entries(seed[group] ?? {});

  return {
    account: seed.account,
    users: seed.users,
    views: new Map(entries('views').map(([name, t]) => [viewName(name), tableFrom(name, t)])),
    tables: new Map(entries('show').map(([sql, t]) => [sql, tableFrom(sql, t)])),
    ...seed.faults,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string' },
      port: { type: 'string' },
      'delay-ms': { type: 'string' },
      'die-after': { type: 'string' },
    },
  });
  if (!values.seed) throw new Error(usage);
  const seed = parse(readFileSync(values.seed, 'utf8')) as Seed;
  const number = (value: string | undefined): number | undefined =>
    value === undefined ? undefined : Number(value);
  const options: EmulatorOptions = {
    ...optionsFrom(seed),
    port: number(values.port),
    ...(values['delay-ms'] ? { delayMs: number(values['delay-ms']) } : {}),
    ...(values['die-after'] ? { dieAfterQueries: number(values['die-after']) } : {}),
    onQuery: (sql) => console.log(`query: ${sql}`),
  };
  const emulator = await startEmulator(options);
  const user = seed.users?.[0];
  console.log(`Emulated account ${seed.account ?? 'TESTACCT'} at ${emulator.url}`);
  console.log('A connection for it (connections.toml, or SNOWFLAKE_CONNECTIONS_EMU_* variables):');
  console.log(`  [emu]\n  account = "${seed.account ?? 'TESTACCT'}"\n  user = "${user?.name}"`);
  console.log(`  access_url = "${emulator.url}"`);
  console.log('Ctrl-C stops it.');
  const stop = (): void => void emulator.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`emulator: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
});
