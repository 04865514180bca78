/**
 * Applies fixes to a workspace and keeps only those that provably work: every batch of edits is
 * applied to the texts held in memory, the workspace is parsed and linted again, and the batch
 * is kept only when it adds no parse problem and no error, and the findings it fixed are gone.
 * Nothing here touches the disk; the caller writes the texts that changed.
 */
import { applyEdits, createsFile, insertedStatements } from './fixes';
import type { Finding, Fix, FixSafety } from './findings';
import type { Analysis, Workspace } from './workspace';

/** Passes stop here even if fixes keep appearing, so a rule that fights itself cannot loop. */
const MAX_PASSES = 10;

export interface AutofixOptions {
  /** Which fixes may be applied: `safe` alone, or `safe` and `unsafe`. Never `suggestion`. */
  readonly safeties: readonly Exclude<FixSafety, 'suggestion'>[];
  /** Whether a finding of `analysis` is one the user asked to fix (reported, not excused). */
  readonly isWanted: (finding: Finding, analysis: Analysis) => boolean;
  /**
   * Whether a fix may create a file the workspace does not hold (`createsFile`), such as a
   * policies file named in the config. The caller must then write new files as well; without
   * it such fixes are rejected as `unknown-file`, and the result's texts name only known files.
   */
  readonly createFiles?: boolean;
}

export type RejectionReason = 'parse' | 'remains' | 'adds-error' | 'unknown-file';

export interface AppliedFix {
  readonly finding: Finding;
  readonly fix: Fix;
}

export interface RejectedFix extends AppliedFix {
  readonly reason: RejectionReason;
}

export interface AutofixResult {
  /** Final texts of the files that changed, by workspace path. */
  readonly texts: ReadonlyMap<string, string>;
  readonly applied: readonly AppliedFix[];
  readonly rejected: readonly RejectedFix[];
  /** The analysis of the workspace as it stands after the fixes. */
  readonly analysis: Analysis;
}

/**
 * Fixes what it can, pass after pass, until no wanted finding offers an allowed fix that has not
 * been tried. The workspace is left holding the fixed texts. Applying the result a second time
 * changes nothing, because each pass only stops once nothing more can be applied.
 */
export function autofix(
  workspace: Workspace,
  initial: Analysis,
  options: AutofixOptions,
): AutofixResult {
  const original = new Map(initial.files.map((file) => [file.path, file.text]));
  const current = new Map(original);
  const applied: AppliedFix[] = [];
  const rejected: RejectedFix[] = [];
  const tried = new Set<string>();
  let analysis = initial;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const batch = chooseBatch(analysis, options, tried, current, rejected);
    if (batch.length === 0) break;

    const outcome = tryBatch(workspace, analysis, batch, current, options);
    if (outcome.ok) {
      applied.push(...batch);
      analysis = outcome.analysis;
      continue;
    }

    // The batch failed as a whole: try its fixes one by one, keeping each that works alone.
    analysis = restore(workspace, current, outcome.touched);
    for (const candidate of batch) {
      const single = tryBatch(workspace, analysis, [candidate], current, options);
      if (single.ok) {
        applied.push(candidate);
        analysis = single.analysis;
      } else {
        rejected.push({ ...candidate, reason: single.reason });
        analysis = restore(workspace, current, single.touched);
      }
    }
  }

  const texts = new Map<string, string>();
  for (const [path, text] of current) {
    if (original.get(path) !== text) texts.set(path, text);
  }

  return { texts, applied, rejected, analysis };
}

/**
 * One fix per wanted finding, the first whose safety is allowed, skipping fixes already tried
 * and fixes whose edits overlap one already chosen (they are tried in the next pass, against
 * the text the earlier fix produced). Identical fixes offered by several findings are applied once.
 */
function chooseBatch(
  analysis: Analysis,
  options: AutofixOptions,
  tried: Set<string>,
  texts: ReadonlyMap<string, string>,
  rejected: RejectedFix[],
): AppliedFix[] {
  const batch: AppliedFix[] = [];
  const claimed = new Map<string, { start: number; end: number }[]>();
  const inserted = new Set<string>();
  const chosenKeys = new Set<string>();
  const findings = [...analysis.findings.values()].flat();
  for (const finding of findings) {
    if (!options.isWanted(finding, analysis)) continue;
    const fix = finding.fixes.find((candidate) =>
      (options.safeties as readonly FixSafety[]).includes(candidate.safety),
    );
    if (!fix || fix.edits.length === 0) continue;

    const key = fixKey(finding, fix);
    if (chosenKeys.has(key)) continue;
    if (tried.has(key)) continue;
    const isUnknown = (edit: Fix['edits'][number]): boolean =>
      !texts.has(edit.path) && !(options.createFiles === true && createsFile(edit));
    if (fix.edits.some(isUnknown)) {
      tried.add(key);
      rejected.push({ finding, fix, reason: 'unknown-file' });
      continue;
    }
    if (fix.edits.some((edit) => overlapsClaimed(claimed.get(edit.path) ?? [], edit.span))) {
      continue;
    }
    // The same statements inserted twice (a policy two columns need) would be created twice;
    // the next pass lints the text with the first copy, and the rule then offers to reuse it.
    if (fix.edits.some((edit) => inserted.has(insertionKey(edit) ?? ''))) continue;
    for (const edit of fix.edits) {
      const spans = claimed.get(edit.path) ?? [];
      spans.push(edit.span);
      claimed.set(edit.path, spans);
      const key = insertionKey(edit);
      if (key !== undefined) inserted.add(key);
    }
    tried.add(key);
    chosenKeys.add(key);
    batch.push({ finding, fix });
  }

  return batch;
}

type TrialOutcome =
  | { readonly ok: true; readonly analysis: Analysis }
  | { readonly ok: false; readonly reason: RejectionReason; readonly touched: string[] };

/**
 * Applies `batch` to `texts` and lints again. On success `texts` holds the new texts; on failure
 * `texts` is unchanged and the caller restores the workspace from it.
 */
function tryBatch(
  workspace: Workspace,
  before: Analysis,
  batch: readonly AppliedFix[],
  texts: Map<string, string>,
  options: AutofixOptions,
): TrialOutcome {
  const editsByPath = new Map<string, Fix['edits'][number][]>();
  for (const { fix } of batch) {
    for (const edit of fix.edits)
      editsByPath.set(edit.path, [...(editsByPath.get(edit.path) ?? []), edit]);
  }
  const touched = [...editsByPath.keys()];
  const next = new Map<string, string>();
  for (const [path, edits] of editsByPath) {
    next.set(path, applyEdits(texts.get(path) ?? '', edits));
  }
  for (const [path, text] of next) workspace.setFile(path, text);
  const after = workspace.analyze();

  if (touched.some((path) => hasNewParseProblems(before, after, path))) {
    return { ok: false, reason: 'parse', touched };
  }
  if (!fixedFindingsAreGone(before, after, batch)) return { ok: false, reason: 'remains', touched };
  if (addsErrors(before, after, options)) return { ok: false, reason: 'adds-error', touched };

  for (const [path, text] of next) texts.set(path, text);

  return { ok: true, analysis: after };
}

/**
 * Puts the accepted texts back into the workspace after a failed trial, and lints again; a file
 * the trial created goes away again.
 */
function restore(
  workspace: Workspace,
  texts: ReadonlyMap<string, string>,
  paths: string[],
): Analysis {
  for (const path of paths) {
    const text = texts.get(path);
    if (text === undefined) workspace.removeFile(path);
    else workspace.setFile(path, text);
  }

  return workspace.analyze();
}

/**
 * Parse problems are compared by their wording, which names no position, as multisets. They are
 * read from the parse itself rather than from findings, so that a disabled `parse-error` rule
 * cannot let a broken fix through.
 */
function hasNewParseProblems(before: Analysis, after: Analysis, path: string): boolean {
  const remaining = new Map<string, number>();
  for (const message of parseProblems(before, path)) {
    remaining.set(message, (remaining.get(message) ?? 0) + 1);
  }
  for (const message of parseProblems(after, path)) {
    const count = remaining.get(message) ?? 0;
    if (count === 0) return true;
    remaining.set(message, count - 1);
  }

  return false;
}

function parseProblems(analysis: Analysis, path: string): string[] {
  const file = analysis.files.find((candidate) => candidate.path === path);

  return (file?.parsed.problems ?? []).map((problem) => problem.message);
}

/**
 * A fixed finding leaves no trace but its absence, since the statement around it changed. So
 * for every (file, rule, message id) the batch fixed, the count of such findings must drop by
 * at least the number fixed.
 */
function fixedFindingsAreGone(
  before: Analysis,
  after: Analysis,
  batch: readonly AppliedFix[],
): boolean {
  const fixed = countByKind(batch.map(({ finding }) => finding));
  const earlier = countByKind(allFindings(before));
  const later = countByKind(allFindings(after));
  for (const [key, number] of fixed) {
    if ((later.get(key) ?? 0) > (earlier.get(key) ?? 0) - number) return false;
  }

  return true;
}

/**
 * Whether some kind of error the user would see is more frequent after the batch: a fix that
 * trades one error for another (a role created while ACCOUNTADMIN is in effect) fixes nothing.
 * Warnings and notes may appear, as when a new masking policy is itself worth a remark.
 */
function addsErrors(before: Analysis, after: Analysis, options: AutofixOptions): boolean {
  const shownErrors = (analysis: Analysis): Map<string, number> =>
    countByKind(
      allFindings(analysis).filter(
        (finding) => finding.severity === 'error' && options.isWanted(finding, analysis),
      ),
    );
  const earlier = shownErrors(before);
  for (const [key, number] of shownErrors(after)) {
    if (number > (earlier.get(key) ?? 0)) return true;
  }

  return false;
}

function allFindings(analysis: Analysis): Finding[] {
  return [...analysis.findings.values()].flat();
}

/** How many findings there are of each (file, rule, message id). */
function countByKind(findings: readonly Finding[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const finding of findings) {
    const key = findingKind(finding);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }

  return counts;
}

function findingKind(finding: Finding): string {
  return JSON.stringify([finding.path, finding.ruleId, finding.messageId ?? '']);
}

function fixKey(finding: Finding, fix: Fix): string {
  return JSON.stringify([
    finding.ruleId,
    fix.title,
    fix.edits.map((edit) => [edit.path, edit.span.start, edit.span.end, edit.newText]),
  ]);
}

/** The file and the statements an edit inserts, when it inserts whole statements. */
function insertionKey(edit: Fix['edits'][number]): string | undefined {
  const statements = insertedStatements(edit);

  return statements === undefined ? undefined : JSON.stringify([edit.path, statements]);
}

/** Two insertions at one offset overlap too: their order would be a guess. */
function overlapsClaimed(
  claimed: readonly { start: number; end: number }[],
  span: { start: number; end: number },
): boolean {
  return claimed.some(
    (other) =>
      (span.start < other.end && other.start < span.end) ||
      (span.start === other.start && (span.start === span.end || other.start === other.end)),
  );
}
