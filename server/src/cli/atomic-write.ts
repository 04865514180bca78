import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `text` to `path` so that readers see the old file or the new one, never half of it:
 * the text goes to a temporary file beside the target, which is then renamed over it. The
 * target's permissions are kept. On failure the temporary file is removed and the target is
 * left as it was.
 */
export function writeFileAtomically(path: string, text: string | Uint8Array): void {
  let mode: number | undefined;
  try {
    mode = statSync(path).mode & 0o7777;
  } catch {
    // A new file gets the default permissions.
  }
  const temporary = join(
    dirname(path),
    `.${basename(path)}.snowgov-${process.pid}-${randomBytes(4).toString('hex')}.tmp`,
  );
  try {
    writeFileSync(temporary, text, { flag: 'wx', ...(mode === undefined ? {} : { mode }) });
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/**
 * Creates a file that must not exist yet, with its folders, so that readers see no file or the
 * whole of it: the text goes to a temporary file beside the target, which is then hard-linked to
 * the target's name. Linking fails when the name exists, so a file someone else created in the
 * meantime is never overwritten (the error's `code` is then `EEXIST`).
 */
export function createFileAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = join(
    dirname(path),
    `.${basename(path)}.snowgov-${process.pid}-${randomBytes(4).toString('hex')}.tmp`,
  );
  try {
    writeFileSync(temporary, text, { flag: 'wx' });
    linkSync(temporary, path);
  } finally {
    rmSync(temporary, { force: true });
  }
}
