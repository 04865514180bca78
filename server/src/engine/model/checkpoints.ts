import type { Statement } from '../syntax/ast';
import { Catalog, type SessionState } from './catalog';

/** A place in the migrations: before the statement at `statement` of the file at `file`. */
export interface BuildPosition {
  readonly file: number;
  readonly statement: number;
}

/** The state of a catalog build at a position, after the file's session was set up. */
export interface BuildState {
  readonly catalog: Catalog;
  readonly session: SessionState;
  readonly previousWasMigration: boolean;
}

interface FileShape {
  readonly path: string;
  /** The file's parse: a file parsed again or edited has a new one. */
  readonly parsed: object;
  readonly statements: readonly Statement[];
  /** Where each statement started: an edit before a statement moves it in place. */
  readonly starts: readonly number[];
}

type BuildFile = {
  readonly path: string;
  readonly parsed: { readonly statements: readonly Statement[] };
};

interface Checkpoint extends BuildState {
  readonly at: BuildPosition;
}

/**
 * Keeps the state of the last catalog build just before the first statement that differed from
 * the build before it, so that the next build, usually after the next keystroke at the same
 * place, starts there instead of at the first migration. Editing the newest migration of a large
 * repository then rebuilds only that file.
 *
 * Statements are known by their objects, which the incremental parse keeps while their text is
 * unchanged, and by where they start. The models of the kept state are shared with the builds
 * that start from it: a build copies a model before it changes it (`Catalog.writableTable` and
 * its siblings), so the kept state never changes.
 */
export class CatalogCheckpoints {
  private shapes: FileShape[] = [];
  /** The state before the first changed statement, and before the first statement of its file. */
  private checkpoints: Checkpoint[] = [];

  /** Forgets the kept states, for changes the statements do not show (config, account). */
  clear(): void {
    this.shapes = [];
    this.checkpoints = [];
  }

  /**
   * The first position whose statement differs from the last build's (undefined when none does),
   * and the latest kept state at or before it to start from (undefined to start from nothing).
   */
  plan(files: readonly BuildFile[]): {
    readonly change?: BuildPosition;
    readonly start?: Checkpoint;
  } {
    const change = firstChange(this.shapes, files);
    this.shapes = files.map((file, index) => shapeOf(file, this.shapes[index]));
    this.checkpoints = this.checkpoints.filter((kept) => !change || !isAfter(kept.at, change));

    return { change, start: this.checkpoints.at(-1) };
  }

  /**
   * Keeps the build's state at `at`, the first changed statement, and the state kept at the
   * start of its file (if any) for edits that go back up the file; the build continues on a
   * copy that shares the kept models.
   */
  keep(at: BuildPosition, state: BuildState): Catalog {
    state.catalog.shareAll();
    state.catalog.flattenSessions();
    const fileStart = this.checkpoints.filter(
      (kept) => kept.at.file === at.file && kept.at.statement === 0,
    );
    this.checkpoints = [...fileStart, { ...state, at }].slice(-2);

    return resume(state.catalog);
  }
}

/** The shape of a file, reusing the last one when the file has the same parse. */
function shapeOf(file: BuildFile, last: FileShape | undefined): FileShape {
  if (last && last.path === file.path && last.parsed === file.parsed) return last;
  const statements = file.parsed.statements;

  return {
    path: file.path,
    parsed: file.parsed,
    statements,
    starts: statements.map((statement) => statement.start),
  };
}

/** A catalog to build on from a kept one: its own collections, the kept models shared. */
export function resume(kept: Catalog): Catalog {
  const catalog = new Catalog();
  kept.copyInto(catalog);

  return catalog;
}

function firstChange(
  before: readonly FileShape[],
  files: readonly BuildFile[],
): BuildPosition | undefined {
  for (const [file, { path, parsed }] of files.entries()) {
    const old = before[file];
    if (!old || old.path !== path) return { file, statement: 0 };
    if (old.parsed === parsed) continue;
    const statements = parsed.statements;
    const count = Math.max(statements.length, old.statements.length);
    for (let statement = 0; statement < count; statement++) {
      const now = statements[statement];
      if (now !== old.statements[statement] || now.start !== old.starts[statement]) {
        return { file, statement };
      }
    }
  }

  return files.length === before.length ? undefined : { file: files.length, statement: 0 };
}

function isAfter(a: BuildPosition, b: BuildPosition): boolean {
  return a.file > b.file || (a.file === b.file && a.statement > b.statement);
}
