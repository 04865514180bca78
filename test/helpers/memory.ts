import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** How many large texts `retainedBytes` feeds through, and how large each is. */
export const VERSIONS = 40;
export const VERSION_BYTES = 256 * 1024;

/**
 * How much the heap holds, after full collections, once `read` has been given VERSIONS
 * distinct texts of VERSION_BYTES each, every one made by `textOf(version)` and dropped after
 * its call. A cache that keeps views into the texts it was given retains about
 * VERSIONS × VERSION_BYTES; one that keeps only its own small copies, next to nothing.
 */
export function retainedBytes(
  textOf: (version: number) => string,
  read: (text: string) => void,
): number {
  setFlagsFromString('--expose-gc');
  const collect = runInNewContext('gc') as () => void;
  collect();
  const before = process.memoryUsage().heapUsed;
  for (let version = 0; version < VERSIONS; version++) read(textOf(version));
  collect();

  return process.memoryUsage().heapUsed - before;
}
