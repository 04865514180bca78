/**
 * Account snapshots kept on disk for a while, so that running `snowgov check` again does not
 * query the account again. One file per connection and account, in the user's cache folder,
 * readable by the user alone. A snapshot holds names and parameters, never a credential: the
 * key is a hash, and the connection's settings are not written.
 */
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { AccountState } from '../engine/account-state';
import type { ResolvedConnection } from './connections';
import type { Snapshot } from './snapshot';

/** Bumped whenever the shape of `AccountState` changes, so that old files are ignored. */
const CACHE_VERSION = 3;

export const DEFAULT_CACHE_TTL_SECONDS = 15 * 60;

interface CacheFile {
  readonly version: number;
  readonly savedAt: number;
  readonly state: AccountState;
  readonly gaps: readonly string[];
}

/** `$XDG_CACHE_HOME/snowgov`, else `~/.cache/snowgov`. */
export function cacheFolder(env: Readonly<Record<string, string | undefined>>): string {
  const base = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');

  return join(base, 'snowgov');
}

/** The file for a connection: its name, account, user, role and endpoint decide what it sees. */
export function cacheFile(folder: string, connection: ResolvedConnection): string {
  const { settings } = connection;
  const endpoint = settings.access_url ?? settings.host;
  const identity = [connection.name, settings.account, settings.user, settings.role, endpoint]
    .map((part) => (part ?? '').toUpperCase())
    .join('\n');
  const hash = createHash('sha256').update(identity).digest('hex').slice(0, 32);

  return join(folder, `account-${hash}.json`);
}

/** The cached snapshot with its age in seconds, or undefined when missing, unreadable or stale. */
export function readCachedSnapshot(
  file: string,
  ttlSeconds: number,
  now = Date.now(),
): { snapshot: Snapshot; ageSeconds: number } | undefined {
  let cached: CacheFile;
  try {
    cached = JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
  } catch {
    return undefined;
  }
  const ageSeconds = (now - cached.savedAt) / 1000;
  if (cached.version !== CACHE_VERSION || !(ageSeconds >= 0 && ageSeconds < ttlSeconds)) {
    return undefined;
  }

  return { snapshot: { state: cached.state, gaps: cached.gaps }, ageSeconds };
}

/** Writes atomically with mode 0600 (folder 0700). A cache that cannot be written is skipped. */
export function writeCachedSnapshot(file: string, snapshot: Snapshot, now = Date.now()): boolean {
  const content: CacheFile = {
    version: CACHE_VERSION,
    savedAt: now,
    state: snapshot.state,
    gaps: snapshot.gaps,
  };
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
    writeFileSync(temporary, JSON.stringify(content), { mode: 0o600 });
    chmodSync(temporary, 0o600);
    renameSync(temporary, file);

    return true;
  } catch {
    return false;
  }
}
