/**
 * How well the front end reads real Snowflake SQL: `npm run conformance -- [dirs…] [--check]`.
 *
 * For each folder (default: every folder of ../shared/corpus that holds .sql files) it prints,
 * per statement family, how many statements were seen, how many became typed nodes, and how
 * many have a parse error, then every failure as `file:line  family  reason`. A folder with a
 * sibling `<folder>-trees` folder of SQLFluff parse trees also gets its top-level statement
 * counts compared with SQLFluff's, file by file. `--check` exits 1 when a folder misses the
 * targets (99% of covered statements typed without error; 99% of files agreeing with SQLFluff).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ProblemCode, Statement, SyntaxProblem } from '../server/src/engine/syntax/ast';
import { COVERED_FAMILIES, type Family, familyOf } from '../server/src/engine/syntax/families';
import { lex } from '../server/src/engine/syntax/lexer';
import { parseFile } from '../server/src/engine/syntax/parser';

const TARGET = 0.99;
/** A file slower than this is reported as a possible hang. */
const SLOW_FILE_MS = 1000;
const TIMED_PASSES = 3;
/** Problems that mean the statement was not read; `invalid` ones were read but are rejected. */
const ERROR_CODES = new Set<ProblemCode>(['unparsed', 'unterminated', 'unclosed-block']);

export interface FamilyCount {
  seen: number;
  typed: number;
  errors: number;
  rejected: number;
  /** Typed and without a parse error. */
  clean: number;
}

export interface Failure {
  readonly location: string;
  readonly family: Family;
  readonly reason: string;
}

export interface FolderReport {
  readonly counts: Map<Family, FamilyCount>;
  readonly failures: Failure[];
  readonly crashes: string[];
  readonly slow: string[];
  readonly topLevel: Map<string, number>;
  files: number;
  bytes: number;
  millis: number;
}

const repoRoot = path.resolve(__dirname, '..');
const corpusRoot = path.resolve(repoRoot, '../shared/corpus');

function main(argv: readonly string[]): number {
  const check = argv.includes('--check');
  const requested = argv.filter((arg) => arg !== '--check');
  const folders = requested.length > 0 ? requested.map((dir) => path.resolve(dir)) : defaults();
  if (folders.length === 0) {
    console.error(`No corpus folders found under ${corpusRoot}; pass folders to check.`);

    return 2;
  }
  let ok = true;
  for (const folder of folders) {
    const report = readFolder(folder);
    ok = printReport(folder, report) && ok;
  }

  return check && !ok ? 1 : 0;
}

function defaults(): string[] {
  if (!existsSync(corpusRoot)) return [];

  return readdirSync(corpusRoot)
    .map((name) => path.join(corpusRoot, name))
    .filter((dir) => statSync(dir).isDirectory() && sqlFiles(dir).length > 0)
    .sort();
}

function sqlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.sql'))
    .map((file) => file.split(path.sep).join('/'))
    .sort();
}

export function readFolder(folder: string): FolderReport {
  const report: FolderReport = {
    counts: new Map(),
    failures: [],
    crashes: [],
    slow: [],
    topLevel: new Map(),
    files: 0,
    bytes: 0,
    millis: 0,
  };
  const texts: string[] = [];
  for (const file of sqlFiles(folder)) {
    const text = readFileSync(path.join(folder, file), 'utf8');
    texts.push(text);
    report.files++;
    report.bytes += Buffer.byteLength(text);
    const started = performance.now();
    let parsed;
    try {
      parsed = parseFile(text);
    } catch (error) {
      report.crashes.push(`${file}: ${error instanceof Error ? error.stack : String(error)}`);
      continue;
    }
    const elapsed = performance.now() - started;
    if (elapsed > SLOW_FILE_MS) report.slow.push(`${file} (${Math.round(elapsed)} ms)`);
    report.topLevel.set(file, parsed.statements.length);
    tally(file, text, parsed.statements, parsed.problems, report);
  }
  // Timed on later passes, once the parser's code is warm, as it is in an editor or a CI run.
  const started = performance.now();
  for (let pass = 0; pass < TIMED_PASSES; pass++) for (const text of texts) parseFile(text);
  report.millis = (performance.now() - started) / TIMED_PASSES;

  return report;
}

/** Counts every statement, nested ones included, and records why each failing one failed. */
function tally(
  file: string,
  text: string,
  statements: readonly Statement[],
  problems: readonly SyntaxProblem[],
  report: FolderReport,
): void {
  const all = flatten(statements);
  const owners = new Map<Statement | undefined, SyntaxProblem[]>();
  for (const problem of problems) {
    const owner = innermost(all, problem);
    owners.set(owner, [...(owners.get(owner) ?? []), problem]);
  }
  const lineOf = lineCounter(text);
  for (const statement of all) {
    const family = familyOf(
      lex(text, statement.start, Math.min(statement.end, statement.start + 400)).tokens,
    );
    const count = countOf(report.counts, family);
    const own = owners.get(statement) ?? [];
    const errors = own.filter((problem) => ERROR_CODES.has(problem.code));
    count.seen++;
    if (statement.kind !== 'other') count.typed++;
    if (errors.length > 0) count.errors++;
    if (statement.kind !== 'other' && errors.length === 0) count.clean++;
    if (own.some((problem) => problem.code === 'invalid')) count.rejected++;
    const location = `${file}:${lineOf(statement.start)}`;
    for (const problem of errors) {
      report.failures.push({ location, family, reason: problem.message });
    }
    if (statement.kind === 'other' && family !== 'other' && errors.length === 0) {
      const words = statement.words.join(' ');
      report.failures.push({ location, family, reason: `not typed: read as other (${words})` });
    }
  }
  for (const problem of owners.get(undefined) ?? []) {
    const location = `${file}:${lineOf(problem.start)}`;
    report.failures.push({ location, family: 'other', reason: problem.message });
  }
}

function flatten(statements: readonly Statement[]): Statement[] {
  return statements.flatMap((statement) => [statement, ...flatten(statement.nested ?? [])]);
}

/** The most deeply nested statement around the problem's start, if any. */
function innermost(all: readonly Statement[], problem: SyntaxProblem): Statement | undefined {
  let found: Statement | undefined;
  for (const statement of all) {
    if (statement.start <= problem.start && problem.start <= statement.end) {
      if (!found || statement.end - statement.start <= found.end - found.start) found = statement;
    }
  }

  return found;
}

/** One-based line of an offset, for offsets asked in any order. */
function lineCounter(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);

  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }

    return low + 1;
  };
}

function countOf(counts: Map<Family, FamilyCount>, family: Family): FamilyCount {
  let count = counts.get(family);
  if (!count) {
    count = { seen: 0, typed: 0, errors: 0, rejected: 0, clean: 0 };
    counts.set(family, count);
  }

  return count;
}

/** Prints one folder's report; returns whether it meets the targets. */
function printReport(folder: string, report: FolderReport): boolean {
  const name = path.relative(process.cwd(), folder) || folder;
  const megabytes = report.bytes / 1e6;
  const rate = report.millis > 0 ? megabytes / (report.millis / 1000) : 0;
  console.log(
    `\n${name}: ${report.files} files, ${megabytes.toFixed(2)} MB, ` +
      `parsed at ${rate.toFixed(1)} MB/s (unbundled, under tsx)`,
  );
  console.log(
    `  ${'family'.padEnd(12)}${pad('seen')}${pad('typed')}${pad('errors')}${pad('rejected')}`,
  );
  const covered: FamilyCount = { seen: 0, typed: 0, errors: 0, rejected: 0, clean: 0 };
  for (const family of [...COVERED_FAMILIES, 'other' as const]) {
    const count = report.counts.get(family);
    if (!count) continue;
    console.log(
      `  ${family.padEnd(12)}${pad(count.seen)}${pad(count.typed)}${pad(count.errors)}${pad(count.rejected)}`,
    );
    if (family === 'other') continue;
    covered.seen += count.seen;
    covered.typed += count.typed;
    covered.errors += count.errors;
    covered.rejected += count.rejected;
    covered.clean += count.clean;
  }
  const share = covered.seen > 0 ? covered.clean / covered.seen : 1;
  console.log(
    `  covered families: ${covered.clean} of ${covered.seen} statements typed without a parse error ` +
      `(${percent(share)})`,
  );
  let ok = share >= TARGET && report.crashes.length === 0 && report.slow.length === 0;
  ok = printTreeComparison(folder, report) && ok;
  for (const crash of report.crashes) console.log(`  crash: ${crash}`);
  for (const slow of report.slow) console.log(`  slow: ${slow}`);
  if (report.failures.length > 0) console.log('  failures:');
  for (const failure of report.failures) {
    console.log(`    ${failure.location}  ${failure.family}  ${failure.reason}`);
  }

  return ok;
}

/** Top-level statement counts that differ from SQLFluff's parse trees, when they are there. */
export function compareWithTrees(
  folder: string,
  report: FolderReport,
): { compared: number; mismatches: string[] } | undefined {
  const trees = `${folder.replace(/[\\/]+$/, '')}-trees`;
  if (!existsSync(trees)) return undefined;
  const mismatches: string[] = [];
  let compared = 0;
  for (const [file, ours] of report.topLevel) {
    const tree = path.join(trees, file.replace(/\.sql$/, '.yml'));
    if (!existsSync(tree)) continue;
    compared++;
    const theirs = countTreeStatements(readFileSync(tree, 'utf8'));
    if (theirs !== ours) mismatches.push(`${file}  ours ${ours}  sqlfluff ${theirs}`);
  }

  return { compared, mismatches };
}

function printTreeComparison(folder: string, report: FolderReport): boolean {
  const comparison = compareWithTrees(folder, report);
  if (!comparison) return true;
  const { compared, mismatches } = comparison;
  const share = compared > 0 ? (compared - mismatches.length) / compared : 1;
  console.log(
    `  statement counts equal to SQLFluff's in ${compared - mismatches.length} of ${compared} ` +
      `files (${percent(share)})`,
  );
  for (const mismatch of mismatches) console.log(`    count differs: ${mismatch}`);

  return share >= TARGET;
}

/**
 * Top-level `statement:` entries of a SQLFluff parse tree: list items directly under `file:`, or
 * the single `statement:` key when the file holds one statement and `file:` is a mapping.
 */
export function countTreeStatements(yaml: string): number {
  let count = 0;
  for (const line of yaml.split('\n')) {
    if (line.startsWith('- statement:') || line.startsWith('  statement:')) count++;
  }

  return count;
}

function pad(value: string | number): string {
  return String(value).padStart(9);
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

// Run as a script, not when a test imports the functions above.
if (require.main === module) process.exitCode = main(process.argv.slice(2));
