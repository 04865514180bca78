/**
 * Finds and reads `snowgov.yaml` from disk for the CLI and the language server. The engine's
 * `parseConfig` does the judging; this module only adds the file system, which the engine must
 * never touch.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  type ConfigProblem,
  type ResolvedConfig,
  type Rule,
  defaultConfig,
  parseConfig,
} from '../engine';

/** Config file names, in the order they are tried within one directory. */
export const CONFIG_FILE_NAMES: readonly string[] = [
  'snowgov.yaml',
  '.snowgov.yaml',
  'snowgov.yml',
  '.snowgov.yml',
];

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
export function loadConfig(startDir: string, rules: readonly Rule[]): LoadedConfig {
  const path = findConfigFile(startDir);
  if (!path) return { config: defaultConfig(rules), problems: [] };

  return loadConfigFile(path, rules);
}

/** Reads one config file. A file that cannot be read becomes a problem, never a throw. */
export function loadConfigFile(path: string, rules: readonly Rule[]): LoadedConfig {
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
  const { config, problems } = parseConfig(text, path, rules);

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
