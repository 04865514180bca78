/**
 * Plain types shared by the VS Code client and the server. Nothing here may import `vscode` or
 * a language server library: the client imports this file for its types only.
 */

/** `initializationOptions` of the `initialize` request. */
export interface InitializationOptions {
  /**
   * The client forwards `.sql` and config file events through its own watchers, so the server
   * must not register watchers of its own (each change would then arrive twice).
   */
  readonly watchesFiles?: boolean;
  /**
   * Whether the editor trusts the workspace (VS Code: `vscode.workspace.isTrusted`). Only `true`
   * allows anything beyond analysing the files shown: the server must never run live validation
   * (connect to a Snowflake account) or honour workspace settings that name executables or
   * credentials unless it is `true`. Absent means untrusted, the safe default for editors that
   * have no notion of trust. The VS Code client restarts the server when trust is granted.
   */
  readonly workspaceTrusted?: boolean;
  /**
   * An explicit snowgov config file (VS Code: `snowgov.configPath`), used instead of looking for
   * one from the first workspace folder; a relative path is resolved against that folder.
   */
  readonly configPath?: string;
  /**
   * Severity overrides by rule name (VS Code: `snowgov.rules`), applied on top of the config file:
   * `error`, `warning`, `info` or `off`. Unknown rules and severities are logged and ignored.
   */
  readonly rules?: Readonly<Record<string, string>>;
  /**
   * Which files get diagnostics (VS Code: `snowgov.diagnostics.scope`): `workspace` (the
   * default) publishes every SQL file of the workspace folders, open or not, and keeps closed
   * files current as edits elsewhere change them; `openFiles` publishes open documents only.
   */
  readonly diagnosticsScope?: DiagnosticsScope;
}

export type DiagnosticsScope = 'workspace' | 'openFiles';

/** Globs of the files whose changes the server needs to hear about. */
export const WATCHED_FILE_GLOBS: readonly string[] = [
  '**/*.sql',
  '**/{snowgov,.snowgov}.{yaml,yml}',
];

/**
 * `snowgov/memoryUsage`: the server's memory, in bytes, after a full garbage collection when the
 * server runs with `--expose-gc` (`collected`). For leak checks and for reports of a server that
 * grows; like `rust-analyzer/memoryUsage`, no editor command depends on it.
 */
export const MEMORY_USAGE_METHOD = 'snowgov/memoryUsage';

export interface MemoryUsage {
  readonly heapUsed: number;
  readonly rss: number;
  readonly collected: boolean;
}

/**
 * `snowgov/listConnections`: the Snowflake CLI connections the server can see (its environment,
 * `SNOWFLAKE_HOME`, connections.toml and config.toml), without any secret.
 */
export const LIST_CONNECTIONS_METHOD = 'snowgov/listConnections';

/** The kinds of secret a connection may need that the client asks for and keeps. */
export type SecretKind = 'password' | 'privateKeyPassphrase' | 'token';

export interface ConnectionSummary {
  readonly name: string;
  readonly isDefault: boolean;
  /** Non-secret settings for the picker: `account=ACME user=CI authenticator=SNOWFLAKE_JWT`. */
  readonly description: string;
  /** The secret it lacks, found neither in its file nor in the environment. */
  readonly missingSecret?: SecretKind;
  /** Why it cannot be used as it stands (a file others can write, no account, …). */
  readonly problem?: string;
}

export interface ListConnectionsResult {
  readonly connections: readonly ConnectionSummary[];
  /** Where the connection files are looked for, for a message when there are none. */
  readonly configDirectory: string;
  /**
   * When there are none although a connection file exists, why: it defines none, cannot be read
   * or may not be used. Absent when neither connections.toml nor config.toml exists.
   */
  readonly problem?: string;
}

/**
 * `snowgov/validateAccount`: lints the whole workspace with the account's state in view, as
 * `snowgov check` does, read-only. Refused unless the workspace is trusted; cancellable, with
 * work-done progress when the params carry a `workDoneToken`. Findings in migrations are
 * published with the files' diagnostics until `snowgov/clearAccountFindings` or the next run.
 */
export const VALIDATE_ACCOUNT_METHOD = 'snowgov/validateAccount';

export interface ValidateAccountParams {
  /** The connection name; the default connection when absent. */
  readonly connection?: string;
  /** Secrets the user typed (or the client stored); they replace the connection's own. */
  readonly secrets?: Readonly<Partial<Record<SecretKind, string>>>;
  /** Use a snapshot cached by an earlier run (`snowgov check` included) when it is fresh. */
  readonly useCache?: boolean;
  /** Overall deadline for the account in seconds, connect included; 60 by default. */
  readonly timeoutSeconds?: number;
  readonly workDoneToken?: string | number;
}

/** A finding about the account itself (drift or posture), which belongs to no file. */
export interface AccountFindingSummary {
  readonly ruleId: string;
  readonly severity: 'error' | 'warning' | 'info';
  readonly message: string;
}

export interface ValidateAccountResult {
  readonly connection: string;
  readonly accountFindings: readonly AccountFindingSummary[];
  /** Open findings in migrations, and in how many files, the account in view. */
  readonly fileFindingCount: number;
  readonly filesWithFindings: number;
  /** Parts of the account the role could not read, one line each. */
  readonly gaps: readonly string[];
  /** Non-fatal connection problems: a file others can read, a password sign-in. */
  readonly warnings: readonly string[];
  /** Set when the snapshot came from the cache, this many seconds old. */
  readonly cachedAgeSeconds?: number;
}

/** Why `snowgov/validateAccount` failed, in the `data` of its error response. */
export interface ValidateAccountErrorData {
  readonly reason: 'untrusted' | 'connection' | 'credentials' | 'account';
}

/** `snowgov/clearAccountFindings`: forgets the account state and its findings; no params. */
export const CLEAR_ACCOUNT_FINDINGS_METHOD = 'snowgov/clearAccountFindings';
