import { spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { displayPath } from './collect';

/** Changed lines of one file: 1-based inclusive ranges, or `all` for a new file. */
export type ChangedLines = 'all' | readonly (readonly [number, number])[];

/** What changed since a git ref, by display path (relative to the working directory). */
export type ChangedFiles = ReadonlyMap<string, ChangedLines>;

/** A git failure, worded for the person running snowgov. */
export class GitError extends Error {}

/**
 * The files and lines that differ between `ref` and the working tree (staged or not), plus
 * untracked files that git does not ignore. A renamed file counts as new: its place in the
 * migration order changed, so every statement in it deserves a look. Git runs in `repository`
 * (a folder inside the linted repository), so the working directory may be anywhere; paths are
 * returned relative to `cwd`, as the workspace names files.
 */
export function changedSince(ref: string, repository: string, cwd: string): ChangedFiles {
  const top = git(['rev-parse', '--show-toplevel'], repository).trim();
  if (git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], top, true) === undefined) {
    throw new GitError(
      `'${ref}' is not a commit git knows here. Fetch it first (in CI, a shallow clone may ` +
        'lack it: fetch with enough depth), or name a branch, tag or commit.',
    );
  }

  const realCwd = realpathSync(cwd);
  const shown = (fromTop: string): string => displayPath(join(top, fromTop), realCwd);
  const changed = new Map<string, ChangedLines>();
  const diff = git(
    ['-c', 'core.quotePath=false', 'diff', '--no-color', '--no-ext-diff', '--no-renames'].concat([
      '--unified=0',
      ref,
      '--',
    ]),
    top,
  );
  for (const [path, lines] of parseUnifiedDiff(diff)) changed.set(shown(path), lines);
  const untracked = git(['ls-files', '--others', '--exclude-standard', '-z'], top);
  for (const path of untracked.split('\u0000').filter(Boolean)) changed.set(shown(path), 'all');

  return changed;
}

/** A file's text at `ref`, by its absolute path; undefined when it did not exist. */
export function textAtRef(ref: string, absolutePath: string): string | undefined {
  // `./name` is read relative to git's own working directory, the file's folder.
  return git(['show', `${ref}:./${basename(absolutePath)}`], dirname(absolutePath), true);
}

/**
 * The lines each file's hunks touch in the new version. A hunk that only deletes lines marks the
 * lines on both sides of the gap, so the statement the deletion happened in counts as changed.
 */
export function parseUnifiedDiff(diff: string): Map<string, ChangedLines> {
  const result = new Map<string, ChangedLines>();
  let current: [number, number][] | undefined;
  let isNew = false;
  for (const line of diff.split('\n')) {
    if (line.startsWith('diff --git ')) {
      current = undefined;
      isNew = false;
    } else if (line.startsWith('--- ')) {
      isNew = line === '--- /dev/null';
    } else if (line.startsWith('+++ ')) {
      current = undefined;
      if (line === '+++ /dev/null') continue;
      const path = unquote(line.slice(4)).replace(/^b\//, '');
      const ranges: [number, number][] = [];
      result.set(path, isNew ? 'all' : ranges);
      current = ranges;
    } else if (line.startsWith('@@ ') && current) {
      const match = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
      if (!match) continue;
      const start = Number(match[1]);
      const count = match[2] === undefined ? 1 : Number(match[2]);
      current.push(count === 0 ? [Math.max(1, start), start + 1] : [start, start + count - 1]);
    }
  }

  return result;
}

/** Whether any of `lines` falls in the 0-based inclusive range `first`..`last`. */
export function touches(lines: ChangedLines, first: number, last: number): boolean {
  if (lines === 'all') return true;

  return lines.some(([start, end]) => start <= last + 1 && end >= first + 1);
}

function git(args: readonly string[], cwd: string): string;
function git(args: readonly string[], cwd: string, quiet: true): string | undefined;
function git(args: readonly string[], cwd: string, quiet = false): string | undefined {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.error) {
    throw new GitError(
      `--changed-since needs git, which could not be run: ${result.error.message}. ` +
        'Install git, or lint without --changed-since.',
    );
  }
  if (result.status === 0) return result.stdout;
  if (quiet) return undefined;

  const detail = result.stderr.trim().split('\n')[0] ?? '';
  throw new GitError(
    `git ${args.filter((arg) => !arg.startsWith('-')).join(' ')} failed in '${cwd}': ${detail}. ` +
      '--changed-since works inside a git repository only.',
  );
}

/** Git quotes paths with unusual characters in C style; undo the common escapes. */
function unquote(path: string): string {
  if (!path.startsWith('"')) return path;

  return path
    .slice(1, -1)
    .replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)))
    .replace(/\\(.)/g, (_, char: string) => ({ n: '\n', t: '\t' })[char] ?? char);
}
