import type { Classification } from '../../server/src/engine/model/classify';
import type { ColumnModel, TableColumns } from '../../server/src/engine/model/catalog';
import { splitKey } from '../../server/src/engine/model/names';
import { compareMigrationPaths, isMigrationScript } from '../../server/src/engine/model/order';
import type { AnalyzedFile, EditDraft, FixDraft } from '../../server/src/engine/rules/define';
import { draftPolicy } from './policy-template';

/** Where a fix that creates a policy in the configured policies file attaches it. */
export interface PoliciesFileTarget {
  /** The policies file the config names, as a workspace path once the config is loaded. */
  readonly configured: string;
  readonly file: AnalyzedFile;
  readonly files: readonly AnalyzedFile[];
  readonly table: TableColumns;
  /** The column's name as its definition spells it. */
  readonly column: string;
  /**
   * The edit that attaches a policy in the file being linted (inline on a CREATE, or an ALTER
   * after it), for when the policies file runs first.
   */
  readonly attachHere: (policy: string) => EditDraft;
}

/**
 * Creates the policy in the configured policies file, creating that file when the workspace has
 * none, and attaches it where it will exist in migration order: in the linted file when the
 * policies file runs before it, else with `ALTER TABLE … SET MASKING POLICY` right after the
 * CREATE in the policies file itself. Undefined when the policies file is the linted file, where
 * the ordinary fixes apply.
 */
export function policiesFileFix(
  target: PoliciesFileTarget,
  column: ColumnModel,
  classification: Classification,
  unmaskedRoles: readonly string[],
): FixDraft | undefined {
  const path = workspacePath(target.configured);
  if (!column.dataType || path === target.file.path) return undefined;
  const namespace = splitKey(target.table.key).slice(0, -1).join('.');
  const draft = draftPolicy(namespace, classification.category, column.dataType, unmaskedRoles);
  const existing = target.files.find((file) => file.path === path);
  const runsFirst = compareMigrationPaths(path, target.file.path) < 0;
  const attach = runsFirst ? '' : attachStatement(target, draft.name, path);
  const append = appendEdit(path, existing?.text, `${draft.sql.trimEnd()}\n${attach}`);

  return {
    title: runsFirst
      ? `Create masking policy ${draft.name} in ${path} and attach it`
      : `Create masking policy ${draft.name} in ${path} and attach it there`,
    edits: runsFirst ? [append, target.attachHere(draft.name)] : [append],
  };
}

/**
 * The workspace path of the policies file. Loading the config resolved the option against the
 * folder of snowgov.yml (`format: 'path'`, see `server/src/engine/config-paths.ts`), so only its
 * spelling is made plain here: forward slashes, no leading `./`. Matching the trailing path
 * instead could pick a same-named file in another folder.
 */
function workspacePath(configured: string): string {
  return configured.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
}

/**
 * Attaches the policy from the policies file. A repeatable or always script runs again whenever it
 * changes, and setting a policy on a column that already has one fails, so there the statement
 * says FORCE, which replaces whatever policy the column has.
 */
function attachStatement(target: PoliciesFileTarget, policy: string, path: string): string {
  const rerun = isMigrationScript(path) && !/^V/i.test(path.slice(path.lastIndexOf('/') + 1));
  const force = rerun ? ' FORCE' : '';

  return (
    `ALTER TABLE ${target.table.key} MODIFY COLUMN ${target.column} ` +
    `SET MASKING POLICY ${policy}${force};\n`
  );
}

/**
 * Appends to the end of the file, a blank line after what is there. An edit to a path the
 * workspace does not hold, inserting at its start, creates that file (see `autofix.ts`).
 */
function appendEdit(path: string, text: string | undefined, sql: string): EditDraft {
  if (text === undefined || text.trim() === '') {
    return { path, span: { start: 0, end: text?.length ?? 0 }, newText: sql };
  }
  const separator = text.endsWith('\n\n') ? '' : text.endsWith('\n') ? '\n' : '\n\n';

  return { path, span: { start: text.length, end: text.length }, newText: `${separator}${sql}` };
}
