import type { RemoteConsole } from 'vscode-languageserver';
import type { Logger } from '../engine';

/**
 * The engine's Logger over `window/logMessage`. VS Code files each line under its level in the
 * snowgov output channel, so debug lines cost nothing until someone sets the channel to Debug.
 */
export function createLspLogger(console: RemoteConsole): Logger {
  return {
    error: (message) => console.error(message),
    warn: (message) => console.warn(message),
    info: (message) => console.info(message),
    debug: (message) => console.debug(message),
  };
}

/** Words for a caught value, with the stack when there is one: logs are read after the fact. */
export function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
