import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { glob } from 'tinyglobby';
import type { ResolvedConfig } from '../engine';
import { CONFIG_FILE_NAMES } from '../node/config-file';

/** Folders that never hold the project's migrations and can be huge. */
const SKIPPED = ['**/node_modules/**', '**/.git/**'];

/** Every `.sql` file under a folder, as absolute file system paths. */
export async function listSqlFiles(folder: string): Promise<string[]> {
  const found = await glob('**/*.sql', { cwd: folder, absolute: true, dot: true, ignore: SKIPPED });

  return found.map((path) => resolve(path));
}

/**
 * The files a config's `exclude` globs match. The globs are relative to the config file, which
 * may sit above the workspace folder, so they are expanded there rather than matched per folder.
 */
export async function listExcludedFiles(config: ResolvedConfig): Promise<Set<string>> {
  if (config.exclude.length === 0 || !config.source) return new Set();
  const found = await glob([...config.exclude], {
    cwd: dirname(config.source),
    absolute: true,
    dot: true,
  });

  return new Set(found.map((path) => resolve(path)));
}

/**
 * A file's text, or undefined when it no longer exists. A byte order mark is dropped because
 * editors drop it too, and offsets must agree between the disk view and an open document.
 */
export async function readText(fsPath: string): Promise<string | undefined> {
  try {
    const text = await readFile(fsPath, 'utf8');

    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

export function isConfigFile(fsPath: string): boolean {
  const name = fsPath.slice(Math.max(fsPath.lastIndexOf('/'), fsPath.lastIndexOf('\\')) + 1);

  return CONFIG_FILE_NAMES.includes(name);
}

export function isSqlFile(fsPath: string): boolean {
  return fsPath.endsWith('.sql');
}
