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
}

/** Globs of the files whose changes the server needs to hear about. */
export const WATCHED_FILE_GLOBS: readonly string[] = [
  '**/*.sql',
  '**/{snowgov,.snowgov}.{yaml,yml}',
];
