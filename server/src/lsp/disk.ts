import { dirname, resolve } from 'node:path';
import type { ResolvedConfig } from '../engine';
import { CONFIG_FILE_NAMES } from '../node/config-file';
import { readSqlFile } from '../node/sql-file';

// Required rather than imported so that esbuild bundles the CommonJS build: the ES module build
// of its dependency fdir calls createRequire(import.meta.url), which is undefined in our bundle.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import tinyglobby = require('tinyglobby');

/** Folders that never hold the project's migrations and can be huge. */
const SKIPPED = ['**/node_modules/**', '**/.git/**'];

/**
 * Every SQL file under a folder, as absolute file system paths. Upper-case extensions count, as
 * they do for the CLI, so that both judge the same files.
 */
export async function listSqlFiles(folder: string): Promise<string[]> {
  const found = await tinyglobby.glob('**/*.[sS][qQ][lL]', {
    cwd: folder,
    absolute: true,
    dot: true,
    ignore: SKIPPED,
  });

  return found.map((path) => resolve(path));
}

/**
 * The files a config's `exclude` globs match. The globs are relative to the config file, which
 * may sit above the workspace folder, so they are expanded there rather than matched per folder.
 */
export async function listExcludedFiles(config: ResolvedConfig): Promise<Set<string>> {
  if (config.exclude.length === 0 || !config.source) return new Set();
  // A bare folder name excludes what is inside it, as in .gitignore and the CLI.
  const patterns = config.exclude.flatMap((pattern) => {
    const trimmed = pattern.replace(/\/+$/, '');

    return [trimmed, `${trimmed}/**`];
  });
  const found = await tinyglobby.glob(patterns, {
    cwd: dirname(config.source),
    absolute: true,
    dot: true,
  });

  return new Set(found.map((path) => resolve(path)));
}

/**
 * A file's text, or undefined when it no longer exists. It is decoded as the CLI decodes it
 * (UTF-8, or UTF-16 with a byte order mark), and the byte order mark is dropped because editors
 * drop it too, so that offsets agree between the disk view and an open document.
 */
export async function readText(fsPath: string): Promise<string | undefined> {
  try {
    return (await readSqlFile(fsPath)).text;
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
  return /\.sql$/i.test(fsPath);
}
