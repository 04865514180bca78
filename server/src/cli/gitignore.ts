import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';

/**
 * Answers whether git would ignore a file, from the `.gitignore` files between the repository
 * root and the file and from `.git/info/exclude`. Reading the files ourselves rather than asking
 * git keeps directory walks fast and works where git is not installed; global excludes
 * (`core.excludesFile`) are personal, so a CI run does not depend on them anyway.
 */
export class GitIgnore {
  private readonly rulesByDirectory = new Map<string, Ignore | undefined>();

  /** `root` is the directory holding `.git`. */
  constructor(readonly root: string) {}

  /** Whether `absolutePath`, a file inside the repository, is ignored. */
  ignores(absolutePath: string): boolean {
    const fromRoot = relative(this.root, absolutePath);
    if (fromRoot === '' || fromRoot.startsWith('..')) return false;

    // Git never looks inside an ignored directory, so nothing below one can be re-included.
    const parts = fromRoot.split(sep);
    for (let length = 1; length < parts.length; length++) {
      if (this.matches(parts.slice(0, length), true)) return true;
    }

    return this.matches(parts, false);
  }

  /** Deeper `.gitignore` files override shallower ones: walk from the root down to the path. */
  private matches(parts: readonly string[], isDirectory: boolean): boolean {
    let ignored = false;
    let directory = this.root;
    for (let depth = 0; depth < parts.length; depth++) {
      const rules = this.rulesFor(directory);
      if (rules) {
        const result = rules.test(parts.slice(depth).join('/') + (isDirectory ? '/' : ''));
        if (result.ignored) ignored = true;
        else if (result.unignored) ignored = false;
      }
      directory = join(directory, parts[depth]);
    }

    return ignored;
  }

  private rulesFor(directory: string): Ignore | undefined {
    if (this.rulesByDirectory.has(directory)) return this.rulesByDirectory.get(directory);

    const texts = [readIfPresent(join(directory, '.gitignore'))];
    if (directory === this.root)
      texts.push(readIfPresent(join(directory, '.git', 'info', 'exclude')));
    const present = texts.filter((text): text is string => text !== undefined);
    const rules = present.length > 0 ? ignore().add(present.join('\n')) : undefined;
    this.rulesByDirectory.set(directory, rules);

    return rules;
  }
}

/** The nearest directory at or above `start` that holds `.git`, or undefined outside a repo. */
export function findGitRoot(start: string): string | undefined {
  let directory = start;
  for (;;) {
    if (existsSync(join(directory, '.git'))) return directory;
    const parent = dirname(directory);
    if (parent === directory) return undefined;
    directory = parent;
  }
}

function readIfPresent(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    // No such file is the usual case; an unreadable one is treated the same way, as git does.
    return undefined;
  }
}
