/**
 * Resolves a Snowflake connection the way the Snowflake CLI does, so that `snowgov check`
 * works with the connections a team already has. Where the files are looked for, their layout,
 * the precedence of environment variables and the permission checks follow
 * https://docs.snowflake.com/en/developer-guide/snowflake-cli/connecting/configure-cli and
 * snowflakedb/snowflake-connector-python `config_manager.py`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** A problem that stops a connection from being used; the message names no secret. */
export class ConnectionError extends Error {}

/** The settings of one connection, snake_case keys as in connections.toml. */
export type ConnectionSettings = Readonly<Record<string, string>>;

export interface ResolvedConnection {
  readonly name: string;
  readonly settings: ConnectionSettings;
  /** The file the connection came from, when one was read. */
  readonly file?: string;
  /** Non-fatal problems: files readable by others, weak authentication. */
  readonly warnings: readonly string[];
  /**
   * Those of `warnings` about how the connection signs in (a password): worth showing only
   * when snowgov does sign in, not when it uses a cached snapshot.
   */
  readonly signInWarnings: readonly string[];
}

export interface ResolveOptions {
  /** `--connection NAME`; the default connection when absent. */
  readonly name?: string;
  /** `--config-file`; replaces the search for config.toml. */
  readonly configFile?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The home directory and platform, injectable for tests. */
  readonly home?: string;
  readonly platform?: NodeJS.Platform;
}

/** Keys whose values are secrets: never logged, never echoed in an error. */
export const SECRET_KEYS: ReadonlySet<string> = new Set([
  'password',
  'token',
  'private_key',
  'private_key_raw',
  'private_key_file_pwd',
  'private_key_passphrase',
  'private_key_pwd',
  'passcode',
  'oauth_client_secret',
]);

/** Settings that generic `SNOWFLAKE_<KEY>` variables may supply (lowest precedence). */
const GENERIC_KEYS = [
  'account',
  'user',
  'password',
  'host',
  'port',
  'protocol',
  'role',
  'warehouse',
  'database',
  'schema',
  'authenticator',
  'private_key_file',
  'private_key_path',
  'private_key_raw',
  'private_key_file_pwd',
  'private_key_passphrase',
  'token',
  'token_file_path',
];

/**
 * The directory that holds config.toml and connections.toml: `$SNOWFLAKE_HOME`, else
 * `~/.snowflake` when it exists, else the operating system's configuration folder.
 */
export function configDirectory(
  env: ResolveOptions['env'],
  home: string = homedir(),
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.SNOWFLAKE_HOME) return env.SNOWFLAKE_HOME;
  const dotSnowflake = join(home, '.snowflake');
  if (existsSync(dotSnowflake)) return dotSnowflake;
  if (platform === 'win32') return join(env.USERPROFILE ?? home, 'AppData', 'Local', 'snowflake');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'snowflake');

  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'snowflake');
}

/**
 * Finds the named (or default) connection. Precedence, highest first:
 * `SNOWFLAKE_CONNECTIONS_<NAME>_<KEY>`, the file, generic `SNOWFLAKE_<KEY>` variables.
 * A sibling connections.toml replaces the whole `[connections]` section of config.toml.
 */
export function resolveConnection(options: ResolveOptions): ResolvedConnection {
  const { env } = options;
  const platform = options.platform ?? process.platform;
  const directory = configDirectory(env, options.home, platform);
  const configPath = options.configFile ?? join(directory, 'config.toml');
  const connectionsPath = join(directory, 'connections.toml');
  const warnings: string[] = [];

  const config = readToml(configPath, env, platform, warnings);
  const fromConnectionsFile = readToml(connectionsPath, env, platform, warnings);
  const connections = fromConnectionsFile
    ? tablesOf(fromConnectionsFile)
    : tablesOf(asTable(config?.connections));
  const file = fromConnectionsFile ? connectionsPath : config ? configPath : undefined;

  const name =
    options.name ??
    env.SNOWFLAKE_DEFAULT_CONNECTION_NAME ??
    stringOf(config?.default_connection_name) ??
    'default';
  const prefix = `SNOWFLAKE_CONNECTIONS_${name.toUpperCase()}_`;
  const overrides = Object.entries(env).filter(
    (entry): entry is [string, string] => entry[0].startsWith(prefix) && entry[1] !== undefined,
  );
  const fromFile = connections.get(name);
  if (!fromFile && overrides.length === 0) {
    const known = [...connections.keys()].sort();
    if (!file) {
      throw new ConnectionError(
        `No connection named '${name}': neither ${connectionsPath} nor ${configPath} exists ` +
          '(looked in $SNOWFLAKE_HOME, else ~/.snowflake, else the configuration folder). ' +
          `Create ${connectionsPath} (mode 0600) with a [${name}] section holding account, ` +
          `user and authenticator, or set ${prefix}ACCOUNT and the other settings.`,
      );
    }
    throw new ConnectionError(
      `No connection named '${name}' in ${file ?? `${connectionsPath} or ${configPath}`}` +
        (known.length > 0
          ? `; known connections: ${known.join(', ')}. Add it there, or pass --connection ` +
            'with one of the known names.'
          : `, which defines no connection. Add a [${name}] section there.`),
    );
  }

  const settings: Record<string, string> = {};
  for (const key of GENERIC_KEYS) {
    const value = env[`SNOWFLAKE_${key.toUpperCase()}`];
    if (value !== undefined && value !== '') settings[key] = value;
  }
  for (const [key, value] of Object.entries(fromFile ?? {})) {
    const text = scalarText(value);
    if (text !== undefined) settings[key.toLowerCase()] = text;
  }
  for (const [variable, value] of overrides) {
    settings[variable.slice(prefix.length).toLowerCase()] = value;
  }
  if (!settings.account && !settings.host && !settings.access_url) {
    throw new ConnectionError(
      `Connection '${name}' names no account; set account (or host) in its file section or ` +
        `${prefix}ACCOUNT.`,
    );
  }
  const signInWarnings: string[] = [];
  if (authenticatorOf(settings) === 'SNOWFLAKE' && settings.password !== undefined) {
    signInWarnings.push(
      `Connection '${name}' signs in with a password, a weak choice for automation; prefer a ` +
        'key pair (authenticator = "SNOWFLAKE_JWT"), a programmatic access token or OAuth.',
    );
  }

  return { name, settings, file, warnings: [...warnings, ...signInWarnings], signInWarnings };
}

/** The authenticator in upper case, `SNOWFLAKE` (password) when none is set. */
export function authenticatorOf(settings: ConnectionSettings): string {
  return (settings.authenticator ?? 'SNOWFLAKE').toUpperCase();
}

/** The non-secret settings, for logs: `account=ACME user=CI role=AUDITOR`. */
export function describeConnection(connection: ResolvedConnection): string {
  return Object.entries(connection.settings)
    .filter(([key]) => !SECRET_KEYS.has(key))
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
}

type Table = Record<string, unknown>;

/**
 * Reads a TOML file when it exists. On POSIX, a file that group or others may write is refused
 * (anyone could point snowgov at their own server); one that others may read gets a warning,
 * which `SF_SKIP_WARNING_FOR_READ_PERMISSIONS_ON_CONFIG_FILE=true` silences, as in the CLI.
 */
function readToml(
  path: string,
  env: ResolveOptions['env'],
  platform: NodeJS.Platform,
  warnings: string[],
): Table | undefined {
  let mode: number;
  let uid: number;
  try {
    const stats = statSync(path);
    if (!stats.isFile()) return undefined;
    mode = stats.mode;
    uid = stats.uid;
  } catch {
    return undefined;
  }
  if (platform !== 'win32') {
    if ((mode & 0o022) !== 0) {
      throw new ConnectionError(
        `${path} can be written by other users, so snowgov will not read connections from it. ` +
          `Run: chmod 0600 ${path}`,
      );
    }
    const skip = env.SF_SKIP_WARNING_FOR_READ_PERMISSIONS_ON_CONFIG_FILE?.toLowerCase() === 'true';
    const owner = typeof process.getuid === 'function' ? process.getuid() : uid;
    if (!skip && ((mode & 0o044) !== 0 || uid !== owner)) {
      warnings.push(
        `${path} can be read by other users and may hold credentials. Run: chmod 0600 ${path}`,
      );
    }
  }
  try {
    return parseToml(readFileSync(path, 'utf8'));
  } catch (error) {
    // smol-toml's message quotes the offending line, which may hold a secret: keep the position.
    const line = (error as { line?: number }).line;
    throw new ConnectionError(
      `${path}${line ? `:${line}` : ''} is not valid TOML; fix it and run again.`,
    );
  }
}

/** smol-toml ships as an ES module with a CommonJS build; required here so both bundles work. */
function parseToml(text: string): Table {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
  const toml = require('smol-toml') as { parse(text: string): Table };

  return toml.parse(text);
}

function tablesOf(table: Table | undefined): Map<string, Table> {
  const tables = new Map<string, Table>();
  for (const [key, value] of Object.entries(table ?? {})) {
    const nested = asTable(value);
    if (nested) tables.set(key, nested);
  }

  return tables;
}

function asTable(value: unknown): Table | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Table)
    : undefined;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }

  return undefined;
}
