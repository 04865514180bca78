import type { RemoteConsole } from 'vscode-languageserver';
import type { Logger } from '../engine';

/**
 * The engine's Logger over `window/logMessage`. VS Code files each line under its level in the
 * snowgov output channel, so debug lines cost nothing until someone sets the channel to Debug.
 */
export function createLspLogger(remote: RemoteConsole): Logger {
  return {
    error: (message) => remote.error(message),
    warn: (message) => remote.warn(message),
    info: (message) => remote.info(message),
    debug: (message) => remote.debug(message),
  };
}

/** Words for a caught value, with the stack when there is one: logs are read after the fact. */
export function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
