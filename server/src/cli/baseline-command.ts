import { resolve } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_BASELINE_FILE, baselineDocument, writeBaseline } from './baseline';
import type { CliEnvironment } from './environment';
import { judge } from './judge';
import { type SelectionFlags, addSelectionOptions, checkSelectionFlags } from './lint-options';
import { openProject } from './project';
import { plural } from './report';

interface BaselineFlags extends SelectionFlags {
  readonly output: string;
}

const HELP = `
Records every finding snowgov lint reports today, so that a legacy repository can adopt
snowgov and fail only on new findings: snowgov lint --baseline ${DEFAULT_BASELINE_FILE}.

Entries are matched by fingerprint: the rule, the file (relative to the git root) and the
statement's text with comments, spacing and the case of unquoted words normalised, never line
numbers, so adding lines above a finding or reformatting it keeps it matched. Outside a git
checkout, files are relative to the folder of snowgov.yml, else to the folder of the baseline
file, never to the working directory. Editing the statement, renaming the file or fixing the
finding ends the match; snowgov lint --baseline lists entries that no longer occur, and running
snowgov baseline again prunes them. Suppressed findings are not recorded.

Exit status:
  0  the baseline was written
  2  usage error, configuration problem, unreadable path, or an internal error`;

/** Registers `snowgov baseline`; `done` receives its exit status. */
export function addBaselineCommand(
  program: Command,
  environment: CliEnvironment,
  done: (status: number) => void,
): void {
  const command = program
    .command('baseline')
    .description(`Record today's findings in ${DEFAULT_BASELINE_FILE}, for lint --baseline.`)
    .argument('[paths...]', 'files, directories and globs to lint', ['.'])
    .option('-o, --output <file>', 'where to write the baseline', DEFAULT_BASELINE_FILE);
  addSelectionOptions(command)
    .showHelpAfterError("Run 'snowgov baseline --help' to see its options.")
    .addHelpText('after', HELP)
    .action(async (paths: string[], flags: BaselineFlags) => {
      done(await writeBaselineFile(paths, flags, environment));
    });
}

async function writeBaselineFile(
  paths: readonly string[],
  flags: BaselineFlags,
  environment: CliEnvironment,
): Promise<number> {
  checkSelectionFlags(flags);
  const project = await openProject(paths, flags, environment, flags.output);
  if (typeof project === 'number') return project;

  project.progress.stage('checking rules');
  const analysis = project.workspace.analyze();
  project.progress.stop();
  const open = judge(project, analysis, { errorsOnly: false }).findings.filter(
    (entry) => entry.state === 'open',
  );
  writeBaseline(resolve(environment.cwd, flags.output), baselineDocument(open));
  const files = new Set(open.map((entry) => entry.stablePath)).size;
  environment.stderr.write(
    `snowgov: recorded ${plural(open.length, 'finding')} from ${plural(files, 'file')} in ` +
      `${flags.output}. Lint with --baseline ${flags.output} to report only new ones.\n`,
  );

  return 0;
}
