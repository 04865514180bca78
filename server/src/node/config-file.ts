/**
 * Finds and reads `snowgov.yaml` from disk for the CLI and the language server. The engine's
 * `parseConfig` does the judging; this module only adds the file system, which the engine must
 * never touch.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  type ConfigProblem,
  type ResolvedConfig,
  type Rule,
  defaultConfig,
  parseConfig,
} from '../engine';
import type { ResolvePath } from '../engine/config-paths';

/** Config file names, in the order they are tried within one directory. */
export const CONFIG_FILE_NAMES: readonly string[] = [
  'snowgov.yaml',
  '.snowgov.yaml',
  'snowgov.yml',
  '.snowgov.yml',
];

/**
 * The workspace path of a file as a face names it, from its absolute file system path: the CLI
 * names files relative to the working directory, the language server relative to its workspace
 * folder. Paths in a config file (`format: 'path'` options) are resolved against that file's
 * folder and then named this way, so that rules see the same paths as the files they lint.
 */
export type WorkspacePathOf = (absolutePath: string) => string;

/** Without a face's naming, a path option becomes the absolute path of its file. */
const ABSOLUTE: WorkspacePathOf = (absolutePath) => absolutePath;

export interface LoadedConfig {
  readonly config: ResolvedConfig;
  /** Empty when the settings can be trusted; otherwise the config falls back to defaults. */
  readonly problems: ConfigProblem[];
  /** The file the settings came from; undefined when none was found. */
  readonly path?: string;
}

/**
 * Looks for a config file in `startDir` and then each parent. The search stops after the first
 * directory that holds `.git`, so a repository never picks up settings from a folder above it.
 */
export function findConfigFile(startDir: string): string | undefined {
  let dir = startDir;
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(dir, name);
      if (isFile(candidate)) return candidate;
    }

    // `.git` is a file rather than a folder in worktrees and submodules, so existence is enough.
    const parent = dirname(dir);
    if (existsSync(join(dir, '.git')) || parent === dir) return undefined;
    dir = parent;
  }
}

/** Discovers the config for `startDir`; built-in defaults when there is none. Never throws. */
export function loadConfig(
  startDir: string,
  rules: readonly Rule[],
  workspacePathOf: WorkspacePathOf = ABSOLUTE,
): LoadedConfig {
  const path = findConfigFile(startDir);
  if (!path) return { config: defaultConfig(rules), problems: [] };

  return loadConfigFile(path, rules, workspacePathOf);
}

/** Reads one config file. A file that cannot be read becomes a problem, never a throw. */
export function loadConfigFile(
  path: string,
  rules: readonly Rule[],
  workspacePathOf: WorkspacePathOf = ABSOLUTE,
): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const message =
      `Cannot read the snowgov config file: ${describeFileError(error)}. ` +
      'Check that it exists and is readable.';

    return {
      config: { ...defaultConfig(rules), source: path },
      problems: [{ path, message }],
      path,
    };
  }
  const folder = dirname(path);
  const resolvePath: ResolvePath = (configured) => workspacePathOf(resolve(folder, configured));
  const { config, problems } = parseConfig(text, path, rules, resolvePath);

  return { config, problems, path };
}

/** Turns a Node file-system error into words, e.g. "no such file or directory". */
export function describeFileError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory, not a file';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
