import type { Location } from '../../server/src/engine/model/catalog';
import { compareMigrationPaths, isMigrationScript } from '../../server/src/engine/model/order';
import type { AnalyzedFile, EditDraft } from '../../server/src/engine/rules/define';

/**
 * Where a statement can use an object the migrations create: Snowflake refuses a policy or tag
 * that does not exist yet, so an object created later in migration order (`order.ts`) can only be
 * used after its CREATE, in the file that creates it.
 */
export interface Placement {
  readonly path: string;
  /** Offset just after the statement (and its semicolon) that made the object usable. */
  readonly after: number;
}

/**
 * Undefined when the object already exists at `offset` of `path` (or is defined outside the
 * workspace, `at` undefined); else where a statement using it can go at the earliest.
 */
export function laterPlacement(
  at: Location | undefined,
  path: string,
  offset: number,
  files: readonly AnalyzedFile[],
): Placement | undefined {
  if (!at || runsBefore(at, path, offset)) return undefined;
  const file = files.find((candidate) => candidate.path === at.path);
  if (!file) return undefined;

  return { path: at.path, after: afterTopLevelStatement(file, at.span.start) };
}

/** Whether the statement at `at` runs before offset `offset` of file `path`. */
export function runsBefore(at: Location, path: string, offset: number): boolean {
  if (at.path === path) return at.span.start < offset;

  return compareMigrationPaths(at.path, path) < 0;
}

/** The later of two placements in migration order. */
export function laterOf(a: Placement | undefined, b: Placement | undefined): Placement | undefined {
  if (!a || !b) return a ?? b;
  const order = a.path === b.path ? a.after - b.after : compareMigrationPaths(a.path, b.path);

  return order >= 0 ? a : b;
}

/**
 * A statement inserted at the placement, on a line of its own. A repeatable or always script runs
 * again whenever it changes, and setting a masking policy on a column that already has one
 * fails, so there `forceable` statements end with FORCE, which replaces the column's policy.
 */
export function insertAt(placement: Placement, statement: string, forceable: boolean): EditDraft {
  const base = placement.path.slice(placement.path.lastIndexOf('/') + 1);
  const rerun = isMigrationScript(placement.path) && !/^V/i.test(base);
  const force = forceable && rerun ? ' FORCE' : '';

  return {
    path: placement.path,
    span: { start: placement.after, end: placement.after },
    newText: `\n${statement}${force};`,
  };
}

/** Just after the top-level statement that holds `offset`, past its semicolon. */
function afterTopLevelStatement(file: AnalyzedFile, offset: number): number {
  const statement = file.parsed.statements.find(
    (candidate) => candidate.start <= offset && offset <= candidate.end,
  );
  const end = statement?.end ?? offset;

  return file.text[end] === ';' ? end + 1 : end;
}

/** The file name as a fix title shows it. */
export function fileName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
