import type { Position, Span } from './source';

export type Severity = 'error' | 'warning' | 'info';

/**
 * How far a fix may be trusted. `safe` keeps the statement's meaning and may be applied in
 * bulk; `unsafe` writes valid SQL that changes access or behaviour, so a person applies it on
 * purpose; `suggestion` is shown but never applied automatically.
 */
export type FixSafety = 'safe' | 'unsafe' | 'suggestion';

/** A replacement of `span` in the file at `path` by `newText`. */
export interface TextEdit {
  readonly path: string;
  readonly span: Span;
  readonly newText: string;
}

export interface Fix {
  /** Imperative, kept apart from the message: "Attach masking policy GOV.POLICIES.MASK_EMAIL". */
  readonly title: string;
  readonly safety: FixSafety;
  readonly edits: readonly TextEdit[];
}

/** The single currency between the engine and its faces (CLI, language server). */
export interface Finding {
  /** A rule name such as `grant-to-user`, or `parse-error` for front-end problems. */
  readonly ruleId: string;
  /** Which of the rule's messages this is; absent for syntax errors. */
  readonly messageId?: string;
  readonly severity: Severity;
  /** A full sentence. Never contains a secret found in the SQL. */
  readonly message: string;
  readonly path: string;
  readonly span: Span;
  readonly start: Position;
  readonly end: Position;
  readonly fixes: readonly Fix[];
  /**
   * Set when a `snowgov-ignore` directive excuses the finding. Suppressed findings are kept, not
   * dropped, so that audit outputs (such as SARIF) can list them with their justification; faces
   * hide them by default.
   */
  readonly suppression?: Suppression;
}

/** The directive that excuses a finding. */
export interface Suppression {
  readonly reason: string;
  /** The last day (YYYY-MM-DD, UTC) the directive holds, when it has one. */
  readonly until?: string;
  /** The file holding the directive. */
  readonly path: string;
  /** 1-based line of the directive, as SARIF and the `exceptions` listing number lines. */
  readonly line: number;
}

/** Rule id used for statements the front end cannot read. */
export const PARSE_ERROR_RULE = 'parse-error';

/** Rule id of a `snowgov-ignore` directive that is malformed, incomplete or expired. */
export const INVALID_SUPPRESSION_RULE = 'invalid-suppression';

/** Rule id of a `snowgov-ignore` directive that excused no finding. */
export const UNUSED_SUPPRESSION_RULE = 'unused-suppression';

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export function severityAtLeast(severity: Severity, threshold: Severity): boolean {
  return SEVERITY_RANK[severity] >= SEVERITY_RANK[threshold];
}

export function compareFindings(a: Finding, b: Finding): number {
  if (a.path !== b.path) return a.path < b.path ? -1 : 1;
  if (a.span.start !== b.span.start) return a.span.start - b.span.start;

  return a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0;
}
