/**
 * Entry point of the `snowgov` command, bundled to `out/cli.js`. Everything that can be tested
 * lives in `run.ts`; this file only connects it to the process.
 */
import { EXIT_TROUBLE, reportCrash, run } from './run';

process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);

// A reader such as `head` may close the pipe early; that ends the output, it is not a crash.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') crash(error);
});

void main();

async function main(): Promise<void> {
  try {
    // Loaded here rather than imported at the top, so that a rule failing as it loads is
    // reported as a crash instead of an anonymous stack trace.
    const { allRules } = await import('../../../rules/index.js');
    process.exitCode = await run(process.argv.slice(2), {
      cwd: process.cwd(),
      env: process.env,
      stdout: process.stdout,
      stderr: process.stderr,
      rules: allRules,
    });
  } catch (error) {
    crash(error);
  }
}

function crash(error: unknown): void {
  reportCrash(error, process.stderr);
  process.exitCode = EXIT_TROUBLE;
}
