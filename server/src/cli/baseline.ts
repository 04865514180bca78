import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Finding } from '../engine';
import { FINGERPRINT_VERSION } from '../engine/fingerprint';
import { describeFileError } from '../node/config-file';
import { writeFileAtomically } from './atomic-write';

/** Where `snowgov baseline` writes unless told otherwise. */
export const DEFAULT_BASELINE_FILE = '.snowgov-baseline.json';

/**
 * One accepted finding. Only `fingerprint` is matched; the other fields tell a reviewer of the
 * file what was accepted, and `path` decides whether an entry can be judged in a given run.
 */
export interface BaselineEntry {
  readonly fingerprint: string;
  readonly ruleId: string;
  /** Relative to the project root (the linted paths' git root, see project.ts), with `/`. */
  readonly path: string;
  readonly message: string;
}

/**
 * The baseline file, a public contract like the JSON output: fields may be added, none renamed
 * or removed without raising `version`. Entries are sorted by path, rule and fingerprint, and
 * carry no line numbers, so the file changes only when findings come or go.
 */
export interface BaselineDocument {
  readonly version: 1;
  /** The recipe of the fingerprints; a baseline from another recipe matches nothing. */
  readonly fingerprintVersion: number;
  readonly findings: readonly BaselineEntry[];
}

export type BaselineRead =
  { readonly entries: readonly BaselineEntry[] } | { readonly error: string };

/** The baseline as recorded for some findings, sorted and ready to write. */
export function baselineDocument(
  findings: readonly { readonly finding: Finding; fingerprint: string; stablePath: string }[],
): string {
  const entries: BaselineEntry[] = findings
    .map(({ finding, fingerprint, stablePath }) => ({
      fingerprint,
      ruleId: finding.ruleId,
      path: stablePath,
      message: finding.message,
    }))
    .sort(
      (a, b) =>
        compare(a.path, b.path) ||
        compare(a.ruleId, b.ruleId) ||
        compare(a.fingerprint, b.fingerprint),
    );
  const document: BaselineDocument = {
    version: 1,
    fingerprintVersion: FINGERPRINT_VERSION,
    findings: entries,
  };

  return `${JSON.stringify(document, null, 2)}\n`;
}

export function writeBaseline(file: string, text: string): void {
  writeFileAtomically(file, text);
}

/** Reads a baseline file; a missing, unreadable or malformed file is an error to report. */
export function readBaseline(file: string): BaselineRead {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return {
      error:
        `cannot read the baseline '${file}': ${describeFileError(error)}. ` +
        'Create it with snowgov baseline, or check the path.',
    };
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return { error: `the baseline '${file}' is not JSON: ${(error as Error).message}.` };
  }
  if (!isBaselineDocument(document)) {
    return {
      error:
        `the baseline '${file}' is not a snowgov baseline (version 1 with a findings list). ` +
        'Write it again with snowgov baseline.',
    };
  }
  if (document.fingerprintVersion !== FINGERPRINT_VERSION) {
    return {
      error:
        `the baseline '${file}' was written by a snowgov whose fingerprints differ ` +
        `(recipe ${document.fingerprintVersion}, now ${FINGERPRINT_VERSION}). ` +
        'Write it again with snowgov baseline.',
    };
  }

  return { entries: document.findings };
}

/**
 * Entries that no longer occur: no finding of this run carries their fingerprint. Only entries
 * for files this run judged can be told apart, plus entries whose file is gone from disk;
 * entries for files outside the linted paths are left alone.
 */
export function prunableEntries(
  entries: readonly BaselineEntry[],
  fingerprints: ReadonlySet<string>,
  judgedPaths: ReadonlySet<string>,
  projectRoot: string,
): BaselineEntry[] {
  return entries.filter(
    (entry) =>
      !fingerprints.has(entry.fingerprint) &&
      (judgedPaths.has(entry.path) || !existsSync(resolve(projectRoot, entry.path))),
  );
}

function isBaselineDocument(value: unknown): value is BaselineDocument {
  if (typeof value !== 'object' || value === null) return false;
  const document = value as Record<string, unknown>;

  return (
    document.version === 1 &&
    typeof document.fingerprintVersion === 'number' &&
    Array.isArray(document.findings) &&
    document.findings.every(
      (entry: unknown) =>
        typeof entry === 'object' &&
        entry !== null &&
        typeof (entry as Record<string, unknown>).fingerprint === 'string' &&
        typeof (entry as Record<string, unknown>).path === 'string' &&
        typeof (entry as Record<string, unknown>).ruleId === 'string',
    )
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
