import { readFileSync } from 'node:fs';
import { createTwoFilesPatch, structuredPatch } from 'diff';
import type { Analysis, Finding } from '../engine';
import { type RejectedFix, autofix } from '../engine/autofix';
import { writeFileAtomically } from './atomic-write';
import type { CliEnvironment } from './environment';
import type { ChangedFiles, ChangedLines } from './git';
import { type Scope, isFixWanted } from './judge';
import { redactSecrets } from './redact';
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
  });
  for (const rejected of result.rejected) project.logger.warn(rejectionMessage(rejected));

  const fixedFiles = new Set(result.applied.map((applied) => applied.finding.path)).size;
  if (request.dryRun) {
    for (const [path, text] of result.texts) {
      environment.stdout.write(
        unifiedDiff(project.stablePath(path), original.get(path) ?? '', text),
      );
    }
    environment.stderr.write(
      result.applied.length === 0
        ? 'snowgov: no fix to apply.\n'
        : `snowgov: would fix ${plural(result.applied.length, 'finding')} in ` +
            `${plural(fixedFiles, 'file')}; nothing was written.\n`,
    );

    return { analysis: result.analysis, scope: scopeFor(result.analysis) };
  }

  let analysis = result.analysis;
  const unwritten: string[] = [];
  for (const [path, text] of result.texts) {
    if (!writeFixedFile(project, path, original.get(path) ?? '', text)) unwritten.push(path);
  }
  if (unwritten.length > 0) {
    // The report must describe the files as they are on disk.
    for (const path of unwritten) project.workspace.setFile(path, original.get(path) ?? '');
    analysis = project.workspace.analyze();
  }
  const written = result.texts.size - unwritten.length;
  if (result.applied.length > 0 && written > 0) {
    environment.stderr.write(
      `snowgov: fixed ${plural(result.applied.length, 'finding')} in ${plural(written, 'file')}.\n`,
    );
  }

  return { analysis, scope: scopeFor(analysis) };
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
  const mark = source.byteOrderMark ? '\uFEFF' : '';
  try {
    if (readFileSync(source.absolutePath, 'utf8') !== mark + before) {
      project.logger.warn(
        `snowgov: '${path}' changed while snowgov was fixing it; it was left alone. Run again.`,
      );

      return false;
    }
    writeFileAtomically(source.absolutePath, mark + after);

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
 * A unified diff with paths from the project root, as `git apply` and `patch -p1` read it.
 * Secrets are starred out as in code frames, since diffs end up in CI logs; a hunk that touches
 * one shows the change but will not apply, and `--fix` is the way to apply it.
 */
export function unifiedDiff(path: string, before: string, after: string): string {
  const patch = createTwoFilesPatch(
    `a/${path}`,
    `b/${path}`,
    redactSecrets(before),
    redactSecrets(after),
    undefined,
    undefined,
    { context: 3 },
  );

  // jsdiff starts with a row of '=' that neither git nor patch needs.
  return `diff --git a/${path} b/${path}\n${patch.replace(/^=+\n/, '')}`;
}

function rejectionMessage({ finding, fix, reason }: RejectedFix): string {
  const where = `${finding.path}:${finding.start.line + 1}`;
  const why =
    reason === 'parse'
      ? 'the fixed SQL would not parse'
      : reason === 'remains'
        ? 'the finding would remain after it'
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
