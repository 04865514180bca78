import { createTwoFilesPatch } from 'diff';
import { redactSecrets } from '../engine/redact';

/**
 * What `--fix-dry-run` prints for one file: a patch that `git apply` accepts, or nothing but a
 * notice. A hunk whose lines hold a secret can neither be shown (CI logs are read by many) nor
 * be starred out (a starred context line no longer matches the file, so the patch would not
 * apply), so the file's diff is withheld as a whole and the rest of the output still applies.
 */
export type DryRunDiff = { readonly patch: string } | { readonly withheld: string };

/**
 * The dry-run diff of one file, with paths from the project root as `git apply` and `patch -p1`
 * read them; `before` is undefined for a file the fixes create.
 */
export function dryRunDiff(path: string, before: string | undefined, after: string): DryRunDiff {
  const patch = before === undefined ? newFileDiff(path, after) : unifiedDiff(path, before, after);
  const redacted =
    before === undefined
      ? newFileDiff(path, redactSecrets(after))
      : unifiedDiff(path, redactSecrets(before), redactSecrets(after));
  if (patch === redacted) return { patch };

  return {
    withheld:
      `snowgov: the diff for '${path}' is withheld because it would show a secret. ` +
      'To see the change, run snowgov lint --fix in a scratch copy of the project and ' +
      'compare (git diff there).',
  };
}

/** A unified diff that creates the file, as `git diff` shows a new file. */
function newFileDiff(path: string, text: string): string {
  const patch = createTwoFilesPatch('/dev/null', `b/${path}`, '', text, undefined, undefined, {
    context: 3,
  });

  return `diff --git a/${path} b/${path}\nnew file mode 100644\n${patch.replace(/^=+\n/, '')}`;
}

function unifiedDiff(path: string, before: string, after: string): string {
  const patch = createTwoFilesPatch(`a/${path}`, `b/${path}`, before, after, undefined, undefined, {
    context: 3,
  });

  // jsdiff starts with a row of '=' that neither git nor patch needs.
  return `diff --git a/${path} b/${path}\n${patch.replace(/^=+\n/, '')}`;
}
