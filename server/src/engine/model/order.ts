/**
 * Migration order as schemachange and Flyway apply it: versioned scripts (`V1.2__x.sql`) by
 * version, then repeatable (`R__x.sql`) and always (`A__x.sql`) scripts by name, then every other
 * file by path. Ties fall back to the path so that the order is deterministic. Flyway's undo
 * scripts (`U1.2__x.sql`) sort with the other files; see `isUndoScript` for why they never run.
 */
export function compareMigrationPaths(a: string, b: string): number {
  const left = classify(a);
  const right = classify(b);
  if (left.rank !== right.rank) return left.rank - right.rank;
  if (left.rank === 0) {
    const byVersion = compareVersions(left.version, right.version);
    if (byVersion !== 0) return byVersion;
  }
  if (left.rank === 1 || left.rank === 2) {
    const byName = left.name.localeCompare(right.name, 'en');
    if (byName !== 0) return byName;
  }

  return a < b ? -1 : a > b ? 1 : 0;
}

/** True for schemachange/Flyway scripts (`V…__`, `R__`, `A__`), which run as one sequence. */
export function isMigrationScript(path: string): boolean {
  return classify(path).rank < 3;
}

/**
 * True for Flyway undo scripts (`U1.2__x.sql`), which revert the versioned migration of the same
 * version and run only on `flyway undo`, never as part of a migration, so they must not change
 * the model of what the migrations create.
 * https://documentation.red-gate.com/fd/flyway-cli-and-api/configuration/parameters/flyway/undo-sql-migration-prefix
 */
export function isUndoScript(path: string): boolean {
  return UNDO.test(path.slice(path.lastIndexOf('/') + 1));
}

export function sortMigrations<T>(items: readonly T[], pathOf: (item: T) => string): T[] {
  return [...items].sort((x, y) => compareMigrationPaths(pathOf(x), pathOf(y)));
}

interface MigrationKind {
  /** 0 versioned, 1 repeatable, 2 always, 3 anything else. */
  readonly rank: number;
  readonly version: readonly number[];
  readonly name: string;
}

const VERSIONED = /^V(\d+(?:[._]\d+)*)__(.+)$/i;
const REPEATABLE = /^R__(.+)$/i;
const ALWAYS = /^A__(.+)$/i;
const UNDO = /^U\d+(?:[._]\d+)*__.+$/i;

function classify(path: string): MigrationKind {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const versioned = VERSIONED.exec(base);
  if (versioned) {
    const version = versioned[1].split(/[._]/).map((part) => Number.parseInt(part, 10));

    return { rank: 0, version, name: versioned[2] };
  }
  const repeatable = REPEATABLE.exec(base);
  if (repeatable) return { rank: 1, version: [], name: repeatable[1].toLowerCase() };
  const always = ALWAYS.exec(base);
  if (always) return { rank: 2, version: [], name: always[1].toLowerCase() };

  return { rank: 3, version: [], name: path };
}

function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference !== 0) return difference;
  }

  return 0;
}
