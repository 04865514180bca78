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
}

/** Globs of the files whose changes the server needs to hear about. */
export const WATCHED_FILE_GLOBS: readonly string[] = [
  '**/*.sql',
  '**/{snowgov,.snowgov}.{yaml,yml}',
];
