import type { Analysis, Finding } from '../engine';
import { identifyFindings } from '../engine/fingerprint';
import { type BaselineEntry, prunableEntries } from './baseline';
import { type ChangedFiles, touches } from './git';
import type { LintProject } from './project';
import { type BaselineOutcome, type ReportedFinding, sortForOutput } from './report';

/** What narrows a run's findings to those it reports. */
export interface Scope {
  /** `--changed-since`: only findings in changed statements of changed files. */
  readonly changed?: ChangedFiles;
  /**
   * `--changed-since`: fingerprints of the findings the workspace had at the ref. A finding
   * absent there is new, and reported wherever it sits: unsetting a masking policy in a new
   * migration surfaces on the unchanged CREATE TABLE that defines the column.
   */
  readonly before?: ReadonlySet<string>;
  /** `--baseline`: the file as given, and its entries. */
  readonly baseline?: { readonly file: string; readonly entries: readonly BaselineEntry[] };
  /** `--quiet`: errors only. */
  readonly errorsOnly: boolean;
}

export interface Judgement {
  /** The findings in scope, sorted, each with its state and fingerprint. */
  readonly findings: ReportedFinding[];
  /** The workspace paths whose findings are reported. */
  readonly paths: string[];
  readonly baseline?: BaselineOutcome;
}

/**
 * Gives every finding of an analysis its identity and state, and keeps those in scope. The
 * fingerprints are computed over the whole analysis, so they do not depend on the scope.
 */
export function judge(project: LintProject, analysis: Analysis, scope: Scope): Judgement {
  const all = sortForOutput([...analysis.findings.values()].flat());
  const identities = identifyFindings(all, analysis.files, project.stablePath);
  const baselined = new Set(scope.baseline?.entries.map((entry) => entry.fingerprint));
  const findingPaths = new Set<string>();

  const findings: ReportedFinding[] = [];
  for (const finding of all) {
    const identity = identities.get(finding);
    if (!identity || !isFindingInScope(project, scope, finding, identity)) continue;
    if (scope.errorsOnly && finding.severity !== 'error') continue;

    findingPaths.add(finding.path);
    findings.push({
      finding,
      fingerprint: identity.fingerprint,
      stablePath: project.stablePath(finding.path),
      state: finding.suppression
        ? 'suppressed'
        : baselined.has(identity.fingerprint)
          ? 'baselined'
          : 'open',
    });
  }

  const paths = analysis.files
    .map((file) => file.path)
    .filter((path) => isPathInScope(project, scope, path) || findingPaths.has(path))
    .sort();
  if (!scope.baseline) return { findings, paths };

  // An entry still occurs when any unsuppressed finding of the run carries its fingerprint,
  // whether or not the scope reports that finding.
  const occurring = new Set(
    all
      .filter((finding) => !finding.suppression)
      .map((finding) => identities.get(finding)?.fingerprint)
      .filter((fingerprint): fingerprint is string => fingerprint !== undefined),
  );
  const judgedPaths = new Set(analysis.files.map((file) => project.stablePath(file.path)));
  const baseline: BaselineOutcome = {
    file: scope.baseline.file,
    matched: findings.filter((entry) => entry.state === 'baselined').length,
    prunable: prunableEntries(scope.baseline.entries, occurring, judgedPaths, project.projectRoot),
  };

  return { findings, paths, baseline };
}

/** Whether a finding of this run may be fixed: reported and open. */
export function isFixWanted(
  project: LintProject,
  analysis: Analysis,
  scope: Scope,
): (finding: Finding) => boolean {
  const open = new Set(
    judge(project, analysis, scope)
      .findings.filter((entry) => entry.state === 'open')
      .map((entry) => entry.finding),
  );

  return (finding) => open.has(finding);
}

function isFindingInScope(
  project: LintProject,
  scope: Scope,
  finding: Finding,
  identity: { readonly fingerprint: string; readonly firstLine: number; readonly lastLine: number },
): boolean {
  if (project.stdinPath !== undefined) return finding.path === project.stdinPath;
  if (scope.changed === undefined) return true;
  const changed = scope.changed.get(finding.path);
  if (changed && touches(changed, identity.firstLine, identity.lastLine)) return true;

  return scope.before !== undefined && !scope.before.has(identity.fingerprint);
}

function isPathInScope(project: LintProject, scope: Scope, path: string): boolean {
  if (project.stdinPath !== undefined) return path === project.stdinPath;

  return scope.changed === undefined || scope.changed.has(path);
}
