import picocolors from 'picocolors';
import type { Colors } from 'picocolors/types';
import type { Rule } from '../engine';

/** A stream the CLI writes to; `process.stdout` and test doubles both fit. */
export interface Output {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** Everything the CLI takes from its process, passed in so that it can run inside tests. */
export interface CliEnvironment {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: Output;
  readonly stderr: Output;
  readonly rules: readonly Rule[];
  /** The clock suppression dates are judged against; the system clock when absent. */
  readonly now?: () => Date;
  /** Reads all of standard input for `--stdin`; the process's stdin when absent. */
  readonly readStdin?: () => Promise<string>;
  /** A rule's markdown documentation; the README shipped beside the CLI when absent. */
  readonly readRuleDoc?: (name: string) => string | undefined;
}

/**
 * Colour for one stream. `--color` / `--no-color` win, then NO_COLOR (https://no-color.org, any
 * non-empty value), then FORCE_COLOR; otherwise only a terminal that is not `dumb` gets colour.
 * picocolors' own detection is not used because it also colours pipes whenever CI is set.
 */
export function colorsFor(stream: Output, env: CliEnvironment['env'], flag?: boolean): Colors {
  return picocolors.createColors(isColorWanted(stream, env, flag));
}

function isColorWanted(stream: Output, env: CliEnvironment['env'], flag?: boolean): boolean {
  if (flag !== undefined) return flag;
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') {
    return true;
  }

  return stream.isTTY === true && env.TERM !== 'dumb';
}
