/**
 * The connections an editor may pick for live validation, and the secrets a picked one still
 * lacks. Names come from the same files the Snowflake CLI reads; every name is then resolved by
 * `resolveConnection`, so the picker shows what `snowgov check --connection NAME` would use.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ConnectionError,
  type ConnectionSettings,
  type ResolvedConnection,
  authenticatorOf,
  configDirectory,
  describeConnection,
  resolveConnection,
} from '../live/connections';
import type { ConnectionSummary, ListConnectionsResult, SecretKind } from './protocol';

type Env = Readonly<Record<string, string | undefined>>;

/** The files the Snowflake CLI reads connections from, in its configuration directory. */
const CONNECTION_FILES = ['connections.toml', 'config.toml'] as const;

/** Where each kind of secret goes in a connection's settings (connections.toml key names). */
const SECRET_SETTING: Readonly<Record<SecretKind, string>> = {
  password: 'password',
  privateKeyPassphrase: 'private_key_file_pwd',
  token: 'token',
};

/** Every connection named in connections.toml or config.toml, the default one first. */
export function listConnections(env: Env): ListConnectionsResult {
  const directory = configDirectory(env);
  const names = connectionNames(directory);
  const defaultName = env.SNOWFLAKE_DEFAULT_CONNECTION_NAME ?? defaultNameIn(directory);
  if (!names.includes(defaultName) && hasEnvironmentConnection(env, defaultName)) {
    names.push(defaultName);
  }
  const connections = names.map((name) => summarize(name, name === defaultName, env));
  connections.sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
  if (connections.length > 0) return { connections, configDirectory: directory };
  // With neither file there is nothing wrong to report, only nothing to use: the CLI's advice
  // (its own options, environment variables) would mislead an editor, which says where it
  // looked and offers to create connections.toml instead.
  const files = CONNECTION_FILES.map((file) => join(directory, file));
  if (!files.some((file) => existsSync(file))) return { connections, configDirectory: directory };

  return {
    connections,
    configDirectory: directory,
    problem: summarize(defaultName, true, env).problem,
  };
}

/**
 * The connection with the secrets the user gave laid over its own settings. Secrets never reach
 * a log: `describeConnection` leaves out every key they go to.
 */
export function connectionWithSecrets(
  name: string | undefined,
  secrets: Readonly<Partial<Record<SecretKind, string>>> | undefined,
  env: Env,
): ResolvedConnection {
  const connection = resolveConnection({ name, env });
  const settings: Record<string, string> = { ...connection.settings };
  for (const kind of Object.keys(SECRET_SETTING) as SecretKind[]) {
    const value = secrets?.[kind];
    if (value) settings[SECRET_SETTING[kind]] = value;
  }

  return { ...connection, settings };
}

/**
 * The secret a connection needs to sign in and has neither in its file nor in the environment:
 * a password for password sign-in, a passphrase for an encrypted private key, a token for OAuth
 * and programmatic access tokens. External browser sign-in needs none.
 */
export function missingSecret(settings: ConnectionSettings): SecretKind | undefined {
  switch (authenticatorOf(settings)) {
    case 'SNOWFLAKE':
    case 'USERNAME_PASSWORD_MFA':
      return settings.password === undefined ? 'password' : undefined;
    case 'SNOWFLAKE_JWT': {
      const passphrase =
        settings.private_key_file_pwd ??
        settings.private_key_passphrase ??
        settings.private_key_pwd;

      return passphrase === undefined && isEncryptedKey(settings)
        ? 'privateKeyPassphrase'
        : undefined;
    }
    case 'OAUTH':
    case 'PROGRAMMATIC_ACCESS_TOKEN':
      return settings.token === undefined && settings.token_file_path === undefined
        ? 'token'
        : undefined;
    default:
      return undefined;
  }
}

function summarize(name: string, isDefault: boolean, env: Env): ConnectionSummary {
  try {
    const connection = resolveConnection({ name, env });
    const secret = missingSecret(connection.settings);

    return {
      name,
      isDefault,
      description: describeConnection(connection),
      ...(secret ? { missingSecret: secret } : {}),
    };
  } catch (error) {
    if (!(error instanceof ConnectionError)) throw error;

    return { name, isDefault, description: '', problem: error.message };
  }
}

/** Section names of connections.toml, else of config.toml's `[connections]`, as the CLI reads. */
function connectionNames(directory: string): string[] {
  const fromConnectionsFile = readTomlQuietly(join(directory, 'connections.toml'));
  const tables =
    fromConnectionsFile ?? asTable(readTomlQuietly(join(directory, 'config.toml'))?.connections);

  return Object.entries(tables ?? {})
    .filter(([, value]) => asTable(value) !== undefined)
    .map(([name]) => name);
}

function defaultNameIn(directory: string): string {
  const configured = readTomlQuietly(join(directory, 'config.toml'))?.default_connection_name;

  return typeof configured === 'string' && configured !== '' ? configured : 'default';
}

/** Whether `SNOWFLAKE_CONNECTIONS_<NAME>_*` variables define the connection on their own. */
function hasEnvironmentConnection(env: Env, name: string): boolean {
  const prefix = `SNOWFLAKE_CONNECTIONS_${name.toUpperCase()}_`;

  return Object.keys(env).some((key) => key.startsWith(prefix));
}

/** Whether the key file (or raw key) is a PKCS#8 key encrypted with a passphrase. */
function isEncryptedKey(settings: ConnectionSettings): boolean {
  if (settings.private_key_raw) return settings.private_key_raw.includes('ENCRYPTED');
  const file = settings.private_key_file ?? settings.private_key_path;
  if (!file) return false;
  try {
    return readFileSync(file, 'utf8').includes('-----BEGIN ENCRYPTED PRIVATE KEY-----');
  } catch {
    // Signing in reports a missing key file in its own words.
    return false;
  }
}

type Table = Record<string, unknown>;

/**
 * Reads a TOML file for its section names only; a missing or broken file gives nothing here,
 * and `resolveConnection` reports it (and refuses files others can write) when a name is used.
 */
function readTomlQuietly(path: string): Table | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- as in live/connections.ts
    const toml = require('smol-toml') as { parse(text: string): Table };

    return toml.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

function asTable(value: unknown): Table | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Table)
    : undefined;
}
