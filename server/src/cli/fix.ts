import { resolve } from 'node:path';
import { structuredPatch } from 'diff';
import type { Analysis, Finding } from '../engine';
import { encodeSql, readSqlFileSync } from '../node/sql-file';
import { type AppliedFix, type RejectedFix, autofix } from '../engine/autofix';
import { createFileAtomically, writeFileAtomically } from './atomic-write';
import { dryRunDiff } from './diff';
import type { CliEnvironment } from './environment';
import type { ChangedFiles, ChangedLines } from './git';
import { type Scope, isFixWanted } from './judge';
import type { LintProject } from './project';
import { plural } from './report';

export interface FixRequest {
  /** Unsafe fixes too, not only safe ones. */
  readonly unsafe: boolean;
  /** Print a unified diff instead of writing files. */
  readonly dryRun: boolean;
}

/** What `--fix`, `--fix-dry-run` and `--unsafe-fixes` ask for; undefined when no fixing. */
export function fixRequest(flags: {
  readonly fix?: boolean;
  readonly fixDryRun?: boolean;
  readonly unsafeFixes?: boolean;
}): FixRequest | undefined {
  if (!flags.fix && !flags.fixDryRun) return undefined;

  return { unsafe: flags.unsafeFixes === true, dryRun: flags.fixDryRun === true };
}

export interface FixOutcome {
  /** The analysis after the fixes (for a dry run, as it would be). */
  readonly analysis: Analysis;
  /** The scope, with `--changed-since` lines moved to where the fixes put them. */
  readonly scope: Scope;
  /** Findings whose fixes were written (none for a dry run), for the summary. */
  readonly fixed: number;
}

/**
 * Fixes the findings the run reports. The engine applies each batch of fixes in memory, lints
 * again and keeps only fixes that parse and make their finding go away; this function then
 * writes each changed file atomically, or prints the diff for `--fix-dry-run`.
 */
export function runFixes(
  project: LintProject,
  initial: Analysis,
  scope: Scope,
  request: FixRequest,
  environment: CliEnvironment,
): FixOutcome {
  const original = new Map(initial.files.map((file) => [file.path, file.text]));
  const scopeFor = (analysis: Analysis): Scope => movedScope(scope, original, analysis);
  const wanted = new WeakMap<Analysis, (finding: Finding) => boolean>();
  const result = autofix(project.workspace, initial, {
    safeties: request.unsafe ? ['safe', 'unsafe'] : ['safe'],
    isWanted: (finding, analysis) => {
      let test = wanted.get(analysis);
      if (!test) {
        test = isFixWanted(project, analysis, scopeFor(analysis));
        wanted.set(analysis, test);
      }

      return test(finding);
    },
    // A fix may create a file the config names, such as unmasked-pii-column's policiesFile; it
    // is linted with the rest before it is kept, and written below like any other.
    createFiles: true,
  });
  for (const rejected of result.rejected) project.logger.warn(rejectionMessage(rejected));

  const fixedFiles = new Set(result.applied.map((applied) => applied.finding.path)).size;
  if (request.dryRun) {
    for (const [path, text] of result.texts) {
      // A UTF-8 byte order mark is part of the first line as `git apply` reads the file.
      const source = project.sources.get(path);
      const mark = source?.byteOrderMark && source.encoding === 'utf8' ? '\uFEFF' : '';
      const before = original.get(path);
      const diff = dryRunDiff(
        project.stablePath(path),
        before === undefined ? undefined : `${mark}${before}`,
        `${mark}${text}`,
      );
      if ('patch' in diff) environment.stdout.write(diff.patch);
      else environment.stderr.write(`${diff.withheld}\n`);
      if ('notice' in diff && diff.notice) environment.stderr.write(`${diff.notice}\n`);
    }
    environment.stderr.write(
      result.applied.length === 0
        ? 'snowgov: no fix to apply.\n'
        : `snowgov: would fix ${plural(result.applied.length, 'finding')} in ` +
            `${plural(fixedFiles, 'file')}; nothing was written.\n`,
    );

    return { analysis: result.analysis, scope: scopeFor(result.analysis), fixed: 0 };
  }

  let analysis = result.analysis;
  const unwritten: string[] = [];
  // New files first: a fix that attaches a policy here and creates it there must not leave this
  // file naming a policy whose file could not be created.
  for (const [path, text] of result.texts) {
    if (original.has(path)) continue;
    if (!createFixedFile(project, resolve(environment.cwd, path), path, text)) unwritten.push(path);
  }
  const blocked = pathsOfFixesTouching(result.applied, unwritten);
  for (const [path, text] of result.texts) {
    const before = original.get(path);
    if (before === undefined || unwritten.includes(path)) continue;
    if (blocked.has(path)) {
      project.logger.warn(
        `snowgov: fixes for '${path}' were not written: a file they need could not be created`,
      );
      unwritten.push(path);
    } else if (!writeFixedFile(project, path, before, text)) {
      unwritten.push(path);
    }
  }
  if (unwritten.length > 0) {
    // The report must describe the files as they are on disk.
    for (const path of unwritten) {
      const before = original.get(path);
      if (before === undefined) project.workspace.removeFile(path);
      else project.workspace.setFile(path, before);
    }
    analysis = project.workspace.analyze();
  }
  const written = result.texts.size - unwritten.length;
  if (result.applied.length > 0 && written > 0) {
    environment.stderr.write(
      `snowgov: fixed ${plural(result.applied.length, 'finding')} in ${plural(written, 'file')}.\n`,
    );
  }

  const fixed = result.applied.filter(({ finding }) => !unwritten.includes(finding.path)).length;

  return { analysis, scope: scopeFor(analysis), fixed };
}

/**
 * Writes one fixed file unless it changed on disk since it was read, which would mean someone
 * else is editing it. Returns whether it was written.
 */
function writeFixedFile(
  project: LintProject,
  path: string,
  before: string,
  after: string,
): boolean {
  const source = project.sources.get(path);
  if (!source) {
    project.logger.warn(`snowgov: fixes for '${path}' were not written: it is not a file on disk`);

    return false;
  }
  if (source.invalidLine !== undefined) {
    project.logger.warn(
      `snowgov: fixes for '${path}' were not written: it is not valid UTF-8 (line ` +
        `${source.invalidLine}), and writing it back would change those bytes. Save it as UTF-8.`,
    );

    return false;
  }
  try {
    // Read and written back in its own encoding (UTF-8, or UTF-16 with its byte order mark).
    if (readSqlFileSync(source.absolutePath).text !== before) {
      project.logger.warn(
        `snowgov: '${path}' changed while snowgov was fixing it; it was left alone. Run again.`,
      );

      return false;
    }
    writeFileAtomically(source.absolutePath, encodeSql(after, source));

    return true;
  } catch (error) {
    project.logger.error(
      `snowgov: could not write the fixes to '${path}': ${(error as Error).message}. ` +
        'The file was left as it was.',
    );

    return false;
  }
}

/**
 * Creates a file a fix asked for (workspace paths are relative to the working directory), unless
 * a file of that name appeared since the run started: that file was not linted with the fix, so
 * it is left alone. Returns whether the file was created.
 */
function createFixedFile(
  project: LintProject,
  absolutePath: string,
  path: string,
  text: string,
): boolean {
  try {
    createFileAtomically(absolutePath, text);

    return true;
  } catch (error) {
    const exists = (error as NodeJS.ErrnoException).code === 'EEXIST';
    project.logger[exists ? 'warn' : 'error'](
      exists
        ? `snowgov: '${path}' appeared while snowgov was fixing; it was left alone. Run again.`
        : `snowgov: could not create '${path}' for a fix: ${(error as Error).message}. ` +
            'Nothing was written to it.',
    );

    return false;
  }
}

/** Every file edited by a fix that also edits one of `paths`. */
function pathsOfFixesTouching(
  applied: readonly AppliedFix[],
  paths: readonly string[],
): Set<string> {
  const result = new Set<string>();
  for (const { fix } of applied) {
    if (fix.edits.some((edit) => paths.includes(edit.path))) {
      for (const edit of fix.edits) result.add(edit.path);
    }
  }

  return result;
}

function rejectionMessage({ finding, fix, reason }: RejectedFix): string {
  const where = `${finding.path}:${finding.start.line + 1}`;
  const why =
    reason === 'parse'
      ? 'the fixed SQL would not parse'
      : reason === 'remains'
        ? 'the finding would remain after it'
        : reason === 'adds-error'
          ? 'it would add an error of its own'
          : 'it edits a file that is not being linted';

  return `snowgov: fix '${fix.title}' (${finding.ruleId} at ${where}) was not applied: ${why}`;
}

/**
 * `--changed-since` lines describe the files before the fixes; a fix moves the lines below it.
 * Each range is shifted by the fixes above it, and the lines a fix wrote count as changed, as
 * they would on a second run.
 */
function movedScope(
  scope: Scope,
  original: ReadonlyMap<string, string>,
  analysis: Analysis,
): Scope {
  if (!scope.changed) return scope;

  const moved = new Map<string, ChangedLines>();
  for (const [path, lines] of scope.changed as ChangedFiles) {
    const now = analysis.files.find((file) => file.path === path)?.text;
    const before = original.get(path);
    if (lines === 'all' || now === undefined || before === undefined || now === before) {
      moved.set(path, lines);
      continue;
    }
    const hunks = structuredPatch('', '', before, now, undefined, undefined, { context: 0 }).hunks;
    const shift = (line: number): number => {
      let offset = 0;
      for (const hunk of hunks) {
        if (hunk.oldStart + hunk.oldLines <= line) offset += hunk.newLines - hunk.oldLines;
      }

      return line + offset;
    };
    const ranges: [number, number][] = lines.map(([start, end]) => [shift(start), shift(end)]);
    for (const hunk of hunks) {
      ranges.push([hunk.newStart, hunk.newStart + Math.max(hunk.newLines, 1) - 1]);
    }
    moved.set(path, ranges);
  }

  return { ...scope, changed: moved };
}
