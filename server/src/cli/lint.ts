import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import picocolors from 'picocolors';
import { severityAtLeast } from '../engine';
import { identifyFindings } from '../engine/fingerprint';
import { describeFileError } from '../node/config-file';
import { readBaseline } from './baseline';
import { type CliEnvironment, colorsFor } from './environment';
import { fixRequest, runFixes } from './fix';
import { type OutputFormat, formatReport, isHumanFormat } from './formats';
import { type ChangedFiles, GitError, changedSince, textAtRef } from './git';
import { type FailOn, type LintFlags, checkLintFlags } from './lint-options';
import { type Scope, judge } from './judge';
import { EXIT_TROUBLE, type LintProject, openProject } from './project';
import { type LintReport, type LintSummary, summarize } from './report';
import { readRuleDoc } from './rule-docs';
import { ISSUES_URL, SNOWGOV_VERSION } from './version';

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;

/**
 * `snowgov lint`: read, analyse, narrow to what was asked (changed lines, baseline, quiet),
 * fix if asked, report, and turn the open findings into an exit status.
 */
/**
 * A rule that failed on a file (logged with its stack by the workspace) may have missed findings
 * there, so the run cannot pass as clean: it exits as a crash does, after the report.
 */
function ruleFailureStatus(project: LintProject, environment: CliEnvironment): number | undefined {
  const failures = project.workspace.ruleFailures;
  if (failures === 0) return undefined;
  environment.stderr.write(
    `snowgov: a rule failed ${failures === 1 ? 'once' : `${failures} times`}, so findings may ` +
      'be missing (see the messages above). This is a bug in snowgov, not in your SQL. ' +
      `Please report it at ${ISSUES_URL} with the snowgov version (${SNOWGOV_VERSION}).\n`,
  );

  return EXIT_TROUBLE;
}

export async function lint(
  paths: readonly string[],
  flags: LintFlags,
  environment: CliEnvironment,
): Promise<number> {
  checkLintFlags(flags);
  const project = await openProject(paths, flags, environment, flags.baseline);
  if (typeof project === 'number') return project;

  const scope = readScope(project, flags, environment);
  if (typeof scope === 'number') {
    project.progress.stop();

    return scope;
  }

  const started = Date.now();
  project.progress.stage('checking rules');
  let analysis = project.workspace.analyze();
  project.progress.stop();
  project.logger.debug(`Analysed ${analysis.files.length} files in ${Date.now() - started} ms`);

  let finalScope = scope;
  let fixedCount = 0;
  const request = fixRequest(flags);
  if (request) {
    const fixed = runFixes(project, analysis, scope, request, environment);
    // A dry run writes nothing, so the files are judged as they are: a CI step that shows the
    // fixes must still fail on the findings they would fix.
    if (!request.dryRun) {
      analysis = fixed.analysis;
      finalScope = fixed.scope;
      fixedCount = fixed.fixed;
    }
  }

  const judgement = judge(project, analysis, finalScope);
  const summary = summarize(
    judgement.findings,
    judgement.paths.length,
    flags.baseline !== undefined,
    fixedCount,
  );
  const status =
    ruleFailureStatus(project, environment) ??
    exitStatus(summary, flags.failOn, flags.maxWarnings, environment);
  // A dry run's stdout is the diff alone, so that it can be piped to `git apply`.
  if (request?.dryRun) return status;

  const format = chooseFormat(flags, environment);
  const human = isHumanFormat(format);
  const report: LintReport = {
    findings: judgement.findings,
    includeSuppressed: flags.includeSuppressed === true,
    summary,
    paths: judgement.paths,
    texts: new Map(analysis.files.map((file) => [file.path, file.text])),
    rules: environment.rules,
    projectRoot: project.projectRoot,
    stablePath: project.stablePath,
    ...(judgement.baseline ? { baseline: judgement.baseline } : {}),
    colors:
      human && !flags.outputFile
        ? colorsFor(environment.stdout, environment.env, flags.color)
        : picocolors.createColors(false),
    ruleDoc: environment.readRuleDoc ?? readRuleDoc,
  };
  const output = formatReport(format, report);
  if (flags.outputFile) {
    try {
      writeFileSync(resolve(environment.cwd, flags.outputFile), output);
    } catch (error) {
      environment.stderr.write(
        `snowgov: cannot write the report to '${flags.outputFile}': ${describeFileError(error)}. ` +
          'Check that its folder exists and is writable.\n',
      );

      return EXIT_TROUBLE;
    }
  } else {
    environment.stdout.write(output);
  }
  // Machine formats keep stdout pure, so prunable baseline entries are mentioned on stderr.
  if (!human && judgement.baseline && judgement.baseline.prunable.length > 0) {
    const count = judgement.baseline.prunable.length;
    environment.stderr.write(
      `snowgov: ${count} baseline ${count === 1 ? 'entry no longer occurs' : 'entries no longer occur'}; ` +
        'run snowgov baseline to prune them.\n',
    );
  }

  return status;
}

/**
 * The default is for people at a terminal and for pipes alike: stylish with code frames on a
 * TTY, the plain one-line-per-finding text when piped or written to a file.
 */
function chooseFormat(flags: LintFlags, environment: CliEnvironment): OutputFormat {
  if (flags.format) return flags.format;

  return environment.stdout.isTTY === true && !flags.outputFile ? 'stylish' : 'text';
}

function readScope(
  project: LintProject,
  flags: LintFlags,
  environment: CliEnvironment,
): Scope | number {
  let changed: Scope['changed'];
  let before: Scope['before'];
  if (flags.changedSince !== undefined) {
    try {
      changed = changedSince(flags.changedSince, project.lintedFolder, environment.cwd);
    } catch (error) {
      if (!(error instanceof GitError)) throw error;
      environment.stderr.write(`snowgov: ${error.message}\n`);

      return EXIT_TROUBLE;
    }
    project.logger.info(
      `Reporting findings in ${changed.size} files changed since ${flags.changedSince}`,
    );
    before = findingsAtRef(project, changed, flags.changedSince, environment.cwd);
  }
  let baseline: Scope['baseline'];
  if (flags.baseline !== undefined) {
    const read = readBaseline(resolve(environment.cwd, flags.baseline));
    if ('error' in read) {
      environment.stderr.write(`snowgov: ${read.error}\n`);

      return EXIT_TROUBLE;
    }
    baseline = { file: flags.baseline, entries: read.entries };
  }

  return { changed, before, baseline, errorsOnly: flags.quiet === true };
}

/**
 * The fingerprints of the findings the linted files had at `ref`: changed files are read back
 * from git (new ones left out), the rest are as they are now.
 */
function findingsAtRef(
  project: LintProject,
  changed: ChangedFiles,
  ref: string,
  cwd: string,
): Set<string> {
  const texts = new Map<string, string | undefined>();
  for (const [path, lines] of changed) {
    texts.set(path, lines === 'all' ? undefined : textAtRef(ref, resolve(cwd, path)));
  }
  const analysis = project.workspace.variant(texts).analyze();
  const all = [...analysis.findings.values()].flat();
  const identities = identifyFindings(all, analysis.files, project.stablePath);

  return new Set([...identities.values()].map((identity) => identity.fingerprint));
}

/**
 * 1 when an open finding reaches `--fail-on`, or when open warnings exceed `--max-warnings`;
 * otherwise 0. The reason for a 1 caused only by the warning budget goes to stderr.
 */
function exitStatus(
  summary: LintSummary,
  failOn: FailOn,
  maxWarnings: number | undefined,
  environment: CliEnvironment,
): number {
  const counts = { error: summary.errors, warning: summary.warnings, info: summary.infos };
  const failing =
    failOn === 'none'
      ? 0
      : (['error', 'warning', 'info'] as const)
          .filter((severity) => severityAtLeast(severity, failOn))
          .reduce((total, severity) => total + counts[severity], 0);
  if (failing > 0) return EXIT_FINDINGS;
  if (maxWarnings !== undefined && summary.warnings > maxWarnings) {
    environment.stderr.write(
      `snowgov: ${summary.warnings} warnings exceed --max-warnings ${maxWarnings}.\n`,
    );

    return EXIT_FINDINGS;
  }

  return EXIT_CLEAN;
}
