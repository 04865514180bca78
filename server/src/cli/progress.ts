import { SingleBar } from 'cli-progress';
import type { Output } from './environment';

/**
 * Below this many files a run ends before a bar could be read, and the bar would only flicker.
 */
export const PROGRESS_MIN_FILES = 50;

export interface Progress {
  /** One more file read and parsed. */
  tick(): void;
  /** Names what is happening now, such as "checking rules". */
  stage(name: string): void;
  /** Removes the bar; the report follows on a clean line. */
  stop(): void;
}

const silent: Progress = { tick: () => {}, stage: () => {}, stop: () => {} };

/**
 * A progress bar on stderr, only when stderr is a terminal and the run is long enough; a pipe
 * or a CI log gets nothing extra. Parsing advances the bar file by file; the rules run over the
 * whole workspace at once, shown as the final stage.
 */
export function startProgress(stream: Output, total: number, wanted: boolean): Progress {
  if (!wanted || stream.isTTY !== true || total < PROGRESS_MIN_FILES) return silent;

  const bar = new SingleBar({
    stream: stream as NodeJS.WritableStream,
    format: 'snowgov {bar} {value}/{total} files | {stage}',
    barsize: 30,
    hideCursor: true,
    clearOnComplete: true,
    etaBuffer: 50,
  });
  bar.start(total, 0, { stage: 'parsing' });

  return {
    tick: () => bar.increment(),
    stage: (name) => {
      bar.update({ stage: name });
      // The stage that follows runs without yielding, so draw it now rather than on a timer.
      bar.render();
    },
    stop: () => bar.stop(),
  };
}
