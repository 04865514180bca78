import type { Colors } from 'picocolors/types';
import type { Logger } from '../engine';
import type { Output } from './environment';

/**
 * The engine's logger backed by stderr, so that stdout carries results only. Errors and warnings
 * are always shown; info and debug lines only with `--verbose`.
 */
export function stderrLogger(stderr: Output, colors: Colors, verbose: boolean): Logger {
  const write = (line: string): void => {
    stderr.write(`${line}\n`);
  };

  return {
    error: (message) => write(colors.red(message)),
    warn: (message) => write(colors.yellow(message)),
    info: (message) => {
      if (verbose) write(message);
    },
    debug: (message) => {
      if (verbose) write(colors.dim(message));
    },
  };
}
