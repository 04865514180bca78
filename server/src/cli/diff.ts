import { createTwoFilesPatch, formatPatch } from 'diff';
import { redactSecrets } from '../engine/redact';

/**
 * What `--fix-dry-run` prints for one file: a patch that `git apply` accepts, or nothing but a
 * notice. A hunk whose lines hold a secret can neither be shown (CI logs are read by many) nor
 * be starred out (a starred context line no longer matches the file, so the patch would not
 * apply), so the file's diff is withheld as a whole and the rest of the output still applies.
 */
export type DryRunDiff =
  { readonly patch: string; readonly notice?: string } | { readonly withheld: string };

/**
 * The dry-run diff of one file, with paths from the project root as `git apply` and `patch -p1`
 * read them; `before` is undefined for a file the fixes create.
 */
export function dryRunDiff(path: string, before: string | undefined, after: string): DryRunDiff {
  const made = before === undefined ? newFileDiff(path, after) : unifiedDiff(path, before, after);
  const redacted =
    before === undefined
      ? newFileDiff(path, redactSecrets(after))
      : unifiedDiff(path, redactSecrets(before), redactSecrets(after));
  if (made.patch !== redacted.patch) {
    return {
      withheld:
        `snowgov: the diff for '${path}' is withheld because it would show a secret. ` +
        'To see the change, run snowgov lint --fix in a scratch copy of the project and ' +
        'compare (git diff there).',
    };
  }
  if (!made.whole) return { patch: made.patch };

  return {
    patch: made.patch,
    notice:
      `snowgov: the diff for '${path}' replaces the file as a whole: more than ` +
      `${MAX_ALIGNED_LINES} of its lines change, too many to pair up line by line.`,
  };
}

/** A patch, and whether it replaces the old text as a whole instead of pairing up lines. */
interface MadePatch {
  readonly patch: string;
  readonly whole: boolean;
}

/** A unified diff that creates the file, as `git diff` shows a new file. */
function newFileDiff(path: string, text: string): MadePatch {
  const patch = createTwoFilesPatch('/dev/null', `b/${path}`, '', text, undefined, undefined, {
    context: 3,
  });

  return {
    patch: `diff --git a/${path} b/${path}\nnew file mode 100644\n${patch.replace(/^=+\n/, '')}`,
    whole: false,
  };
}

/**
 * How many lines may differ before a file's changes are no longer paired up line by line: that
 * costs time in proportion to the file's lines times the lines that differ, which for a file of
 * tens of thousands of lines with thousands of fixes ran to minutes.
 */
const MAX_ALIGNED_LINES = 2000;

function unifiedDiff(path: string, before: string, after: string): MadePatch {
  const [from, to] = [`a/${path}`, `b/${path}`];
  const aligned = createTwoFilesPatch(from, to, before, after, undefined, undefined, {
    context: 3,
    maxEditLength: MAX_ALIGNED_LINES,
  });
  const patch = aligned ?? formatPatch(wholeFilePatch(from, to, before, after));

  // jsdiff starts with a row of '=' that neither git nor patch needs.
  return {
    patch: `diff --git a/${path} b/${path}\n${patch.replace(/^=+\n/, '')}`,
    whole: aligned === undefined,
  };
}

/** A patch of one hunk that takes out every line of `before` and puts in every line of `after`. */
function wholeFilePatch(from: string, to: string, before: string, after: string) {
  const removed = hunkLines(before, '-');
  const added = hunkLines(after, '+');
  const count = (lines: readonly string[]): number =>
    lines.filter((line) => !line.startsWith('\\')).length;
  const [oldLines, newLines] = [count(removed), count(added)];

  return {
    oldFileName: from,
    newFileName: to,
    oldHeader: undefined,
    newHeader: undefined,
    hunks: [
      {
        oldStart: oldLines > 0 ? 1 : 0,
        oldLines,
        newStart: newLines > 0 ? 1 : 0,
        newLines,
        lines: [...removed, ...added],
      },
    ],
  };
}

/** A text's lines marked with `sign`, as a unified diff's hunk holds them. */
function hunkLines(text: string, sign: '-' | '+'): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  const endsWithBreak = lines.at(-1) === '';
  if (endsWithBreak) lines.pop();
  const marked = lines.map((line) => `${sign}${line}`);

  return endsWithBreak ? marked : [...marked, '\\ No newline at end of file'];
}
