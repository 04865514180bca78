/**
 * Live validation as both faces run it: read an account snapshot (from the cache when allowed
 * and fresh, else through a read-only session), then judge the workspace with it. `snowgov
 * check` and the language server's `snowgov/validateAccount` differ only in how they show the
 * result; this module is where they agree on what the result is.
 */
import type { Analysis, Finding, RuleSettings } from '../engine';
import { type AccountFinding, type AccountState, accountPosture } from '../engine/account-state';
import type { Classifier } from '../engine/model/classify';
import { cacheFile, cacheFolder, readCachedSnapshot, writeCachedSnapshot } from '../live/cache';
import type { ResolvedConnection } from '../live/connections';
import { ReadOnlyViolation } from '../live/read-only';
import { LiveError, type LiveSession, openSession } from '../live/session';
import { SNAPSHOT_QUERIES, type Snapshot, readSnapshot } from '../live/snapshot';

/**
 * The pseudo-path of findings about the account itself, which have no place in a migration.
 * Every format shows them as if at line 1, column 1 of this path; no file has this name, since
 * `<` and `>` are not allowed in Windows file names and never found by the *.sql search.
 */
export const ACCOUNT_PATH = '<account>';

/** How many statements a snapshot read sends, for progress reports. */
export const SNAPSHOT_QUERY_COUNT = Object.keys(SNAPSHOT_QUERIES).length;

export interface SnapshotOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Use a cached snapshot younger than `cacheTtlSeconds` instead of querying. */
  readonly useCache: boolean;
  readonly cacheTtlSeconds: number;
  /** Overall deadline for the account, connect included. */
  readonly deadlineMs: number;
  /** Stops the read; the result is then `{ cancelled: true }`. */
  readonly signal?: AbortSignal;
  /** Lines for a verbose log: where the snapshot came from, a cache that was not written. */
  readonly log?: (message: string) => void;
  /**
   * Lines always worth showing: a cached snapshot used instead of signing in (or wrong
   * credentials would pass unnoticed), a cache not trusted. `log` gets them when absent.
   */
  readonly warn?: (message: string) => void;
  /**
   * Opens the single sign-on page of `authenticator = "externalbrowser"` connections; the driver
   * opens the system browser when absent.
   */
  readonly openBrowser?: (url: string) => void;
  /** Called when signing in is done and before each statement, for progress reports. */
  readonly onStep?: (step: SnapshotStep) => void;
}

export type SnapshotStep =
  | { readonly kind: 'signing-in' }
  | { readonly kind: 'query'; readonly done: number; readonly total: number };

export type SnapshotRead =
  | (Snapshot & { readonly cachedAgeSeconds?: number })
  | { readonly error: string; readonly cancelled?: false }
  | { readonly error: string; readonly cancelled: true };

/** The cached snapshot when one is fresh enough and allowed, else one read now (and cached). */
export async function readAccountSnapshot(
  connection: ResolvedConnection,
  options: SnapshotOptions,
): Promise<SnapshotRead> {
  const file = cacheFile(cacheFolder(options.env), connection);
  if (options.useCache) {
    const warn = options.warn ?? options.log;
    const cached = readCachedSnapshot(file, options.cacheTtlSeconds, Date.now(), warn);
    if (cached) {
      warn?.(
        `Using the account snapshot cached ${Math.round(cached.ageSeconds)} s ago, without ` +
          'signing in (--no-cache reads the account again).',
      );

      return { ...cached.snapshot, cachedAgeSeconds: cached.ageSeconds };
    }
  }
  const read = await readAccount(connection, options);
  // A snapshot with gaps is not cached: the next run may have the privilege it lacked.
  if (!('error' in read) && read.gaps.length === 0 && !writeCachedSnapshot(file, read)) {
    options.log?.(`Could not write the account snapshot cache ${file}`);
  }

  return read;
}

export interface AccountJudgement {
  /**
   * Findings in the migrations, the account in view, sorted by file and position: the
   * workspace reports `unresolved-reference` with the rules once its account state is set.
   */
  readonly fileFindings: readonly Finding[];
  /**
   * Findings about the account itself (drift and posture), at line 1, column 1 of
   * `ACCOUNT_PATH`, with the severities the settings give their rules; none of a rule set off.
   */
  readonly accountFindings: readonly Finding[];
}

/**
 * What `snowgov check` reports for an analysis made with the account state set on its
 * workspace: the rules' findings (names the account does not define among them) and the
 * account's posture, configured by `settings` (the project's rules) like any rule's findings.
 */
export function judgeWithAccount(
  analysis: Analysis,
  state: AccountState,
  classifier: Classifier,
  settings?: ReadonlyMap<string, RuleSettings>,
): AccountJudgement {
  return {
    fileFindings: [...analysis.findings.values()].flat(),
    accountFindings: accountPosture(state, classifier).flatMap((finding) =>
      configuredAccountFinding(finding, settings?.get(finding.ruleId)),
    ),
  };
}

/**
 * An account finding as a finding at line 1, column 1 of `<account>`, or none when its rule is
 * off. The configured severity replaces the rule's default; a finding less severe by nature
 * (a few ACCOUNTADMIN holders are only an info) keeps its own, as a rule's report does.
 */
function configuredAccountFinding(
  finding: AccountFinding,
  settings: RuleSettings | undefined,
): Finding[] {
  if (settings && !settings.enabled) return [];
  const at = { line: 0, character: 0 };
  const severity =
    settings && finding.severity === DEFAULT_ACCOUNT_SEVERITY
      ? settings.severity
      : finding.severity;

  return [
    {
      ...finding,
      severity,
      path: ACCOUNT_PATH,
      span: { start: 0, end: 0 },
      start: at,
      end: at,
      fixes: [],
    },
  ];
}

/** The default severity of the account rules (rules/account-*), which their findings carry. */
const DEFAULT_ACCOUNT_SEVERITY = 'warning';

/** Thrown inside a read once its signal is aborted; it never leaves this module. */
class Cancelled extends Error {}

async function readAccount(
  connection: ResolvedConnection,
  options: SnapshotOptions,
): Promise<SnapshotRead> {
  const { signal } = options;
  if (signal?.aborted) return cancelled();
  try {
    return await untilAborted(signal, async () => {
      options.onStep?.({ kind: 'signing-in' });
      const session = await openSession(connection, {
        deadlineMs: options.deadlineMs,
        openBrowser: options.openBrowser,
      });
      try {
        if (signal?.aborted) throw new Cancelled();

        return await readSnapshot(steppedSession(session, options), connection.settings.account);
      } finally {
        await session.close();
      }
    });
  } catch (error) {
    if (error instanceof Cancelled) return cancelled();
    if (error instanceof LiveError || error instanceof ReadOnlyViolation) {
      return { error: error.message };
    }
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') {
      return { error: `A file named by connection '${connection.name}' does not exist.` };
    }
    throw error;
  }
}

/**
 * The session with a progress report before each statement, sending nothing more once the
 * signal is aborted: the statement in flight finishes, and the read ends at the next one.
 */
function steppedSession(session: LiveSession, options: SnapshotOptions): LiveSession {
  let done = 0;

  return {
    query: (sql) => {
      if (options.signal?.aborted) return Promise.reject(new Cancelled());
      options.onStep?.({ kind: 'query', done, total: SNAPSHOT_QUERY_COUNT });
      done += 1;

      return session.query(sql);
    },
    close: () => session.close(),
  };
}

/**
 * Settles with `work`, or rejects with Cancelled as soon as the signal is aborted. The driver
 * cannot be interrupted mid-request, so abandoned work finishes (and closes its session) alone.
 */
function untilAborted<T>(signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
  if (!signal) return work();

  return new Promise<T>((resolve, reject) => {
    const abort = (): void => reject(new Cancelled());
    signal.addEventListener('abort', abort, { once: true });
    work()
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', abort));
  });
}

function cancelled(): SnapshotRead {
  return { error: 'Validation was cancelled.', cancelled: true };
}
