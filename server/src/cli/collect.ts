import { readdir as readDirectory } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { describeFileError } from '../node/config-file';
import { type SqlEncoding, readSqlFile } from '../node/sql-file';
import { GitIgnore, findGitRoot } from './gitignore';

// Required rather than imported so that esbuild bundles the CommonJS build: the ES module build
// of its dependency fdir calls createRequire(import.meta.url), which is undefined in our bundle.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import tinyglobby = require('tinyglobby');

/** A SQL file chosen for linting, read into memory. */
export interface SourceOnDisk {
  readonly absolutePath: string;
  /** Relative to the working directory, with forward slashes; the workspace path and display. */
  readonly displayPath: string;
  readonly text: string;
  /** The file began with a byte order mark, dropped from `text` and put back when fixing. */
  readonly byteOrderMark: boolean;
  /** UTF-8, or UTF-16 with a byte order mark; fixes are written back the same way. */
  readonly encoding: SqlEncoding;
  /** The first line that is not valid UTF-8, when some is; such a file is never fixed. */
  readonly invalidLine?: number;
}

export interface Collection {
  readonly sources: SourceOnDisk[];
  /** One sentence per argument that could not be read; linting must not go ahead. */
  readonly errors: string[];
  /** Arguments (directories, globs, files) that gave no SQL file to lint, as given. */
  readonly emptyPaths: string[];
  /** Files skipped because they hold binary data, as shown to people. */
  readonly binaryFiles: string[];
}

export interface CollectOptions {
  readonly cwd: string;
  /** Globs from the config's `exclude`, relative to `excludeBase`. */
  readonly exclude: readonly string[];
  /** The config file's directory, or the working directory without a config file. */
  readonly excludeBase: string;
  /** Globs from the config's `include`, relative to `excludeBase`; every `*.sql` when empty. */
  readonly include?: readonly string[];
  /** Skip files git ignores (`.gitignore`, `.git/info/exclude`); true unless turned off. */
  readonly gitignore?: boolean;
}

/**
 * Expands the command-line paths into SQL files. Directories are walked for `*.sql` (or the
 * config's `include` globs), skipping `node_modules`, `.git`, the config's excludes and what git
 * ignores; an argument that names no file but holds glob characters is expanded the same way.
 * A file named explicitly is always linted, whatever its extension, because naming it is a
 * clearer intent than a config-wide glob.
 */
export async function collectSources(
  paths: readonly string[],
  options: CollectOptions,
): Promise<Collection> {
  const errors: string[] = [];
  const binaryFiles: string[] = [];
  const chosen = new Map<string, string>();
  // The files each argument named, to tell which arguments gave nothing to lint.
  const filesOf = new Map<string, string[]>();
  const ignored = gitIgnoreFilter(options);
  // Directories a walk could not read; each is an error, as an unreadable file is.
  const unreadable = new Map<string, unknown>();
  const choose = (file: string, path: string): void => {
    if (!chosen.has(file)) chosen.set(file, path);
    filesOf.get(path)?.push(file);
  };
  for (const path of paths) {
    if (!filesOf.has(path)) filesOf.set(path, []);
    const absolute = resolve(options.cwd, path);
    let isDirectory: boolean;
    try {
      isDirectory = (await stat(absolute)).isDirectory();
    } catch (error) {
      const isPattern = tinyglobby.isDynamicPattern(path);
      const expanded = isPattern ? await expandGlob(path, options, unreadable) : [];
      if (expanded.length === 0) {
        errors.push(
          isPattern ? matchedNothing(path, options.cwd) : cannotRead(path, error, options.cwd),
        );
        filesOf.delete(path);
      }
      for (const file of expanded.filter((candidate) => !ignored(candidate))) choose(file, path);
      continue;
    }
    if (!isDirectory) {
      chosen.set(absolute, path);
      filesOf.get(path)?.push(absolute);
      continue;
    }
    const found = (await walkDirectory(absolute, options, unreadable)).filter(
      (file) => !ignored(file),
    );
    for (const file of await withoutSymlinkedCopies(found)) choose(file, path);
  }
  for (const directory of await withoutSymlinkedCopies([...unreadable.keys()].sort())) {
    errors.push(
      cannotRead(displayPath(directory, options.cwd), unreadable.get(directory), options.cwd),
    );
  }

  const sources: SourceOnDisk[] = [];
  const read = new Set<string>();
  for (const [absolutePath, argument] of chosen) {
    try {
      const decoded = await readSqlFile(absolutePath);
      const shown = displayPath(absolutePath, options.cwd);
      if (decoded.binary) {
        binaryFiles.push(shown);
        continue;
      }
      read.add(absolutePath);
      const { text, byteOrderMark, encoding, invalidLine } = decoded;
      sources.push({
        absolutePath,
        displayPath: shown,
        text,
        byteOrderMark,
        encoding,
        ...(invalidLine === undefined ? {} : { invalidLine }),
      });
    } catch (error) {
      const shown = absolutePath === resolve(options.cwd, argument) ? argument : absolutePath;
      errors.push(cannotRead(shown, error, options.cwd));
    }
  }
  const emptyPaths = [...filesOf]
    .filter(([, files]) => !files.some((file) => read.has(file)))
    .map(([path]) => path);

  return { sources, errors, emptyPaths, binaryFiles };
}

/** The path as shown to people: relative to `cwd`, with forward slashes on every platform. */
export function displayPath(absolutePath: string, cwd: string): string {
  const relativePath = relative(cwd, absolutePath);
  const shown = relativePath === '' || isAbsolute(relativePath) ? absolutePath : relativePath;

  return shown.split(sep).join('/');
}

async function walkDirectory(
  directory: string,
  options: CollectOptions,
  unreadable: Map<string, unknown>,
): Promise<string[]> {
  const included = await includedFiles(options, unreadable);
  if (included !== undefined) {
    const inside = `${directory}${sep}`;

    return [...included].filter((file) => file.startsWith(inside)).sort();
  }

  // One glob rooted at the exclude base keeps the config's patterns relative to the config
  // file, as documented, even when the directory being linted is elsewhere.
  const prefix = relative(options.excludeBase, directory);
  const root = prefix === '' ? '' : `${tinyglobby.convertPathToPattern(prefix)}/`;
  const ignore = [`${root}**/node_modules/**`, `${root}**/.git/**`, ...excludeGlobs(options)];
  // Upper-case extensions come from Windows tools often enough to be worth matching.
  const files = await tinyglobby.glob(`${root}**/*.[sS][qQ][lL]`, {
    cwd: options.excludeBase,
    absolute: true,
    dot: true,
    ignore,
    fs: noticingUnreadable(unreadable),
  });

  return files.map((file) => resolve(file)).sort();
}

/**
 * The files the config's `include` globs name, or undefined when it has none. They replace the
 * `*.sql` walk of a directory, whatever their extension, since the config asked for them.
 */
async function includedFiles(
  options: CollectOptions,
  unreadable: Map<string, unknown>,
): Promise<Set<string> | undefined> {
  if (!options.include || options.include.length === 0) return undefined;
  const files = await tinyglobby.glob([...options.include], {
    cwd: options.excludeBase,
    absolute: true,
    dot: true,
    ignore: ['**/node_modules/**', '**/.git/**', ...excludeGlobs(options)],
    fs: noticingUnreadable(unreadable),
  });

  return new Set(files.map((file) => resolve(file)));
}

/** A glob given on the command line, relative to the working directory, minus the excludes. */
async function expandGlob(
  pattern: string,
  options: CollectOptions,
  unreadable: Map<string, unknown>,
): Promise<string[]> {
  const files = await tinyglobby.glob(pattern, {
    cwd: options.cwd,
    absolute: true,
    dot: true,
    ignore: ['**/node_modules/**', '**/.git/**'],
    fs: noticingUnreadable(unreadable),
  });
  const excluded = new Set(
    await tinyglobby.glob(
      excludeGlobs(options).map(
        (glob) => `${tinyglobby.convertPathToPattern(options.excludeBase)}/${glob}`,
      ),
      { absolute: true, dot: true },
    ),
  );

  return files
    .map((file) => resolve(file))
    .filter((file) => !excluded.has(file))
    .sort();
}

/**
 * The file system as the glob walks it, noting each directory it cannot read: the walk skips
 * them silently, which would leave their migrations unlinted and the run passing.
 */
function noticingUnreadable(unreadable: Map<string, unknown>): tinyglobby.FileSystemAdapter {
  const readdir = ((path: string, options: unknown, done: (...result: unknown[]) => void) =>
    readDirectory(path, options as { withFileTypes: true }, (error, entries) => {
      if (error && error.code !== 'ENOENT') unreadable.set(resolve(String(path)), error);
      done(error, entries);
    })) as unknown as typeof readDirectory;

  return { readdir };
}

/**
 * The paths of a walk with each one reached through a symbolic link to a directory dropped when
 * the walk also reached it by its own path (or another link first), so that a linked folder
 * (`current -> migrations`) is not linted, nor reported, twice.
 */
async function withoutSymlinkedCopies(paths: readonly string[]): Promise<string[]> {
  const byRealPath = new Map<string, string>();
  for (const path of paths) {
    const real = await realpath(path).catch(() => path);
    const kept = byRealPath.get(real);
    // Its own path wins over a path through a link; otherwise the first in sorted order.
    if (kept === undefined || (path === real && kept !== real)) byRealPath.set(real, path);
  }
  const kept = new Set(byRealPath.values());

  return paths.filter((path) => kept.has(path));
}

function excludeGlobs(options: CollectOptions): string[] {
  // A bare folder name excludes what is inside it, as in .gitignore.
  return options.exclude.flatMap((pattern) => {
    const trimmed = pattern.replace(/\/+$/, '');

    return [trimmed, `${trimmed}/**`];
  });
}

/** A test for files git ignores, one matcher per repository; never true when turned off. */
function gitIgnoreFilter(options: CollectOptions): (file: string) => boolean {
  if (options.gitignore === false) return () => false;
  const matchers = new Map<string, GitIgnore | undefined>();

  return (file) => {
    const directory = dirname(file);
    if (!matchers.has(directory)) {
      const root = findGitRoot(directory);
      matchers.set(directory, root === undefined ? undefined : matcherFor(root));
    }

    return matchers.get(directory)?.ignores(file) ?? false;
  };

  function matcherFor(root: string): GitIgnore {
    for (const matcher of matchers.values()) {
      if (matcher?.root === root) return matcher;
    }

    return new GitIgnore(root);
  }
}

/** A glob that names no file is no unreadable path: saying "no such file" would mislead. */
function matchedNothing(pattern: string, cwd: string): string {
  return (
    `the pattern '${pattern}' matched no file. Check the spelling (matching is case-sensitive); ` +
    `relative patterns start from ${cwd}.`
  );
}

function cannotRead(path: string, error: unknown, cwd: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  const advice =
    code === 'ENOENT' || code === 'ENOTDIR'
      ? `Check the spelling; relative paths start from ${cwd}.`
      : 'Check its permissions, or leave it out of the paths given to snowgov lint.';

  return `cannot read '${path}': ${describeFileError(error)}. ${advice}`;
}

/**
 * Editors hide a leading byte order mark from the text they hand the language server, so the
 * CLI drops it too; otherwise every column on the first line would be off by one between them.
 */
export function stripByteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
