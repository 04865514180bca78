/**
 * Account snapshots kept on disk for a while, so that running `snowgov check` again does not
 * query the account again. One file per connection and account, in the user's cache folder,
 * readable by the user alone. A snapshot holds names and parameters, never a credential: the
 * key is a hash, and the connection's settings are not written.
 */
import { createHash } from 'node:crypto';
import {
  type Stats,
  chmodSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { AccountState } from '../engine/account-state';
import type { ResolvedConnection } from './connections';
import type { Snapshot } from './snapshot';

/** Bumped whenever the shape of `AccountState` changes, so that old files are ignored. */
const CACHE_VERSION = 4;

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

/**
 * Why the cache folder or file must not be trusted, or undefined when it may be: on POSIX, one
 * that group or others may write, or that another user owns, could hold a snapshot forged to
 * hide findings (the way connections.toml is refused when others may write it). A missing file
 * or folder is no problem; `folderOnly` leaves the file out (a write replaces it).
 */
export function untrustedCache(
  file: string,
  folderOnly = false,
  platform: NodeJS.Platform = process.platform,
  uid: number | undefined = process.getuid?.(),
): string | undefined {
  if (platform === 'win32') return undefined;
  const folder = dirname(file);
  const problem = (path: string, stats: Stats | undefined, mode: string): string | undefined => {
    if (!stats) return undefined;
    const writable = (stats.mode & 0o022) !== 0;
    const foreign = uid !== undefined && stats.uid !== uid;
    if (!writable && !foreign) return undefined;
    const why = foreign ? 'belongs to another user' : 'can be written by other users';

    return (
      `Ignoring the account snapshot cache: ${path} ${why}, so it could hold a forged snapshot. ` +
      (foreign ? 'Remove it, or set XDG_CACHE_HOME.' : `Run: chmod ${mode} ${path}`)
    );
  };

  return (
    problem(
      folder,
      statOrUndefined(() => statSync(folder)),
      '0700',
    ) ??
    (folderOnly
      ? undefined
      : problem(
          file,
          statOrUndefined(() => lstatSync(file)),
          '0600',
        ))
  );
}

function statOrUndefined(read: () => Stats): Stats | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/**
 * The cached snapshot with its age in seconds, or undefined when missing, unreadable, stale or
 * not to be trusted (`warn` then says why, in one line).
 */
export function readCachedSnapshot(
  file: string,
  ttlSeconds: number,
  now = Date.now(),
  warn: (message: string) => void = () => undefined,
): { snapshot: Snapshot; ageSeconds: number } | undefined {
  const untrusted = untrustedCache(file);
  if (untrusted) {
    warn(untrusted);

    return undefined;
  }
  let cached: CacheFile;
  try {
    if (lstatSync(file).isSymbolicLink()) return undefined;
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

/**
 * Writes atomically with mode 0600 (folder 0700). A cache that cannot be written, or whose
 * folder others may write, is skipped.
 */
export function writeCachedSnapshot(file: string, snapshot: Snapshot, now = Date.now()): boolean {
  const content: CacheFile = {
    version: CACHE_VERSION,
    savedAt: now,
    state: snapshot.state,
    gaps: snapshot.gaps,
  };
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    if (untrustedCache(file, true)) return false;
    writeFileSync(temporary, JSON.stringify(content), { mode: 0o600 });
    chmodSync(temporary, 0o600);
    renameSync(temporary, file);

    return true;
  } catch {
    return false;
  }
}
