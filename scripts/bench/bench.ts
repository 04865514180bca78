/**
 * `npm run bench`: lints generated migration repositories of four sizes (and the shared real
 * corpus when present) with the built CLI and language server, and prints one table. Options:
 * `--sizes 1,7.5,20,50` (MB), `--edits 500`, `--sqlfluff-max-mb 1` (sqlfluff is slow: it only
 * runs on inputs up to this size), `--view-share 1` (the share of feature areas with a view, whose
 * lineage is the costliest step), `--cli-runs 3` (CLI runs per input; the medians are shown),
 * `--keep` (leave the generated repositories in place).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sortMigrations } from '../../server/src/engine/model/order';
import { parseFile } from '../../server/src/engine/syntax/parser';
import { TestClient } from '../../test/lsp-client';
import { generateRepository } from './generate';

const ROOT = resolve(__dirname, '..', '..');
const CLI = join(ROOT, 'out', 'cli.js');
const RSS_HOOK = join(__dirname, 'max-rss.cjs');
const REAL_CORPUS = resolve(ROOT, '..', 'shared', 'corpus', 'real');
const MB = 1_000_000;

interface Options {
  sizes: number[];
  edits: number;
  sqlfluffMaxMb: number;
  viewShare: number;
  cliRuns: number;
  keep: boolean;
}

interface Input {
  readonly name: string;
  readonly root: string;
  readonly files: string[];
  readonly bytes: number;
  readonly lines: number;
  readonly statements: number;
}

interface Row {
  readonly input: Input;
  readonly cliSeconds: number;
  /** CPU time of the CLI process (user and system, all threads), which load on the machine
   * distorts less than wall time. */
  readonly cliCpuSeconds: number;
  readonly cliRss: number;
  readonly indexSeconds: number;
  readonly serverRss: number;
  readonly sqlfluffSeconds?: number;
}

function parseOptions(argv: readonly string[]): Options {
  const options: Options = {
    sizes: [1, 7.5, 20, 50],
    edits: 500,
    sqlfluffMaxMb: 1,
    viewShare: 1,
    cliRuns: 3,
    keep: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    if (argv[i] === '--sizes') options.sizes = value.split(',').map(Number);
    else if (argv[i] === '--edits') options.edits = Number(value);
    else if (argv[i] === '--sqlfluff-max-mb') options.sqlfluffMaxMb = Number(value);
    else if (argv[i] === '--view-share') options.viewShare = Number(value);
    else if (argv[i] === '--cli-runs') options.cliRuns = Math.max(1, Number(value));
    else if (argv[i] === '--keep') options.keep = true;
    else continue;
    if (argv[i] !== '--keep') i++;
  }

  return options;
}

function sqlFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sqlFilesUnder(path));
    else if (entry.name.toLowerCase().endsWith('.sql')) out.push(path);
  }

  return out.sort();
}

function describeInput(name: string, root: string, statements?: number): Input {
  const files = sqlFilesUnder(root);
  let bytes = 0;
  let lines = 0;
  let counted = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    bytes += statSync(file).size;
    lines += text.split('\n').length;
    if (statements === undefined) counted += parseFile(text).statements.length;
  }

  return { name, root, files, bytes, lines, statements: statements ?? counted };
}

interface NodeRun {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly rss: number;
  readonly code: number | null;
}

/** Runs a Node script with the hook and returns its wall time, CPU time and peak RSS. */
async function timeNode(args: string[], cwd: string): Promise<NodeRun> {
  const scratchDir = mkdtempSync(join(tmpdir(), 'snowgov-rss-'));
  const rssFile = join(scratchDir, 'rss');
  const cpuFile = join(scratchDir, 'cpu');
  const started = performance.now();
  const child = spawn(process.execPath, ['--require', RSS_HOOK, ...args], {
    cwd,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, SNOWGOV_BENCH_RSS_FILE: rssFile, SNOWGOV_BENCH_CPU_FILE: cpuFile },
  });
  const code = await new Promise<number | null>((done) => child.once('exit', done));
  const seconds = (performance.now() - started) / 1000;

  return { seconds, cpuSeconds: readLargest(cpuFile), rss: readLargest(rssFile), code };
}

/** The largest number in a file the hook appended to, or NaN when it wrote none. */
function readLargest(file: string): number {
  if (!existsSync(file)) return Number.NaN;
  const values = readFileSync(file, 'utf8').trim().split('\n').map(Number);

  return Math.max(...values);
}

/** The CLI `runs` times on the input: median wall and CPU times, largest peak RSS. */
async function benchCli(
  input: Input,
  runs: number,
): Promise<{ seconds: number; cpuSeconds: number; rss: number }> {
  const results: NodeRun[] = [];
  for (let run = 0; run < runs; run++) {
    const result = await timeNode(
      [CLI, 'lint', '--format', 'json', '--no-progress', '.'],
      input.root,
    );
    if (result.code !== 0 && result.code !== 1) {
      throw new Error(`snowgov lint exited ${result.code}`);
    }
    results.push(result);
  }

  return {
    seconds: median(results.map((result) => result.seconds)),
    cpuSeconds: median(results.map((result) => result.cpuSeconds)),
    rss: Math.max(...results.map((result) => result.rss)),
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);

  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
}

/**
 * Cold indexing: from the start of the server process until the first diagnostics of a document
 * opened right after `initialize`, which need every file read, parsed and catalogued.
 */
async function benchIndex(input: Input): Promise<{ seconds: number; rss: number }> {
  const rssFile = join(mkdtempSync(join(tmpdir(), 'snowgov-rss-')), 'rss');
  const restore = withServerEnv(rssFile);
  const started = performance.now();
  const client = await TestClient.start(input.root);
  try {
    const first = input.files[0];
    await client.open(first, readFileSync(first, 'utf8'));
    const seconds = (performance.now() - started) / 1000;
    await client.shutdown();

    return { seconds, rss: readLargest(rssFile) };
  } finally {
    client.kill();
    restore();
  }
}

/** TestClient spawns with this process's environment; the hook rides along in NODE_OPTIONS. */
function withServerEnv(rssFile: string): () => void {
  const saved = { options: process.env.NODE_OPTIONS, rss: process.env.SNOWGOV_BENCH_RSS_FILE };
  process.env.NODE_OPTIONS = `${saved.options ?? ''} --require ${RSS_HOOK}`.trim();
  process.env.SNOWGOV_BENCH_RSS_FILE = rssFile;

  return () => {
    if (saved.options === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = saved.options;
    if (saved.rss === undefined) delete process.env.SNOWGOV_BENCH_RSS_FILE;
    else process.env.SNOWGOV_BENCH_RSS_FILE = saved.rss;
  };
}

/** Single-character edits in a 10,000-line file: type a letter into a word, then delete it. */
async function benchEdits(edits: number): Promise<{ lines: number; latencies: number[] }> {
  const root = mkdtempSync(join(tmpdir(), 'snowgov-edit-'));
  generateRepository(root, 380_000, 7);
  const text = sqlFilesUnder(root)
    .map((file) => readFileSync(file, 'utf8'))
    .join('\n')
    .split('\n')
    .slice(0, 10_000)
    .join('\n');
  rmSync(join(root, 'migrations'), { recursive: true, force: true });
  const fileName = 'V1.0.0__big.sql';
  writeFileSync(join(root, fileName), text);
  const lines = text.split('\n');
  try {
    const latencies = await timeEdits(root, fileName, text, edits, 1);

    return { lines: lines.length, latencies };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * Opens `fileName` in a server started on `root` and times `edits` single-character edits at
 * seeded places (type a letter into the middle of a line, then delete it), each from `didChange`
 * to the `publishDiagnostics` of its version.
 */
async function timeEdits(
  root: string,
  fileName: string,
  text: string,
  edits: number,
  seed: number,
): Promise<number[]> {
  const lines = text.split('\n');
  const client = await TestClient.start(root);
  const latencies: number[] = [];
  try {
    await client.open(fileName, text);
    let state = seed;
    while (latencies.length < edits) {
      state = (state * 48271) % 2147483647;
      const line = state % lines.length;
      const character = Math.floor(lines[line].length / 2);
      const at = { line, character };
      const insert = { range: { start: at, end: at }, text: 'x' };
      const undo = { range: { start: at, end: { line, character: character + 1 } }, text: '' };
      for (const change of [insert, undo]) {
        const started = performance.now();
        await client.change(fileName, [change]);
        latencies.push(performance.now() - started);
      }
    }
    await client.shutdown();
  } finally {
    client.kill();
  }

  return latencies.slice(0, edits);
}

/**
 * Single-character edits in the newest migration of a generated repository, as when writing the
 * next migration: each timed from `didChange` to its `publishDiagnostics`, after the server has
 * indexed the repository. The catalog before that file is kept between edits.
 */
async function benchRepositoryEdits(input: Input, edits: number): Promise<number[]> {
  const newest = sortMigrations(input.files, (file) => file).at(-1);
  if (!newest) return [];
  const fileName = newest.slice(input.root.length + 1);
  const text = readFileSync(newest, 'utf8');

  return timeEdits(input.root, fileName, text, edits, 3);
}

function sqlfluffAvailable(): boolean {
  return spawnSync('sqlfluff', ['--version'], { stdio: 'ignore' }).status === 0;
}

async function benchSqlfluff(input: Input): Promise<number> {
  const started = performance.now();
  const child = spawn('sqlfluff', ['lint', '--dialect', 'snowflake', '--format', 'json', '.'], {
    cwd: input.root,
    stdio: 'ignore',
  });
  await new Promise((done) => child.once('exit', done));

  return (performance.now() - started) / 1000;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const fixed = (n: number, digits = 1): string => (Number.isFinite(n) ? n.toFixed(digits) : '—');
const mib = (bytes: number): string => fixed(bytes / 1024 / 1024, 0);

function printTable(rows: readonly Row[]): void {
  const header = [
    'input',
    'files',
    'MB',
    'lines',
    'stmts',
    'CLI s',
    'CLI CPU s',
    'MB/s',
    'stmts/s',
    'CLI RSS MiB',
    'index s',
    'LSP RSS MiB',
    'sqlfluff s',
    'ratio',
  ];
  const body = rows.map((row) => {
    const mb = row.input.bytes / MB;
    const fluff = row.sqlfluffSeconds;

    return [
      row.input.name,
      String(row.input.files.length),
      fixed(mb, 2),
      String(row.input.lines),
      String(row.input.statements),
      fixed(row.cliSeconds, 2),
      fixed(row.cliCpuSeconds, 2),
      fixed(mb / row.cliSeconds),
      String(Math.round(row.input.statements / row.cliSeconds)),
      mib(row.cliRss),
      fixed(row.indexSeconds, 2),
      mib(row.serverRss),
      fluff === undefined ? '—' : fixed(fluff, 1),
      fluff === undefined ? '—' : `${fixed(fluff / row.cliSeconds, 0)}×`,
    ];
  });
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map(() => '---').join('|')}|`);
  for (const cells of body) console.log(`| ${cells.join(' | ')} |`);
}

/** The exponent k of time ∝ size^k between the smallest and largest generated inputs. */
function growth(rows: readonly Row[], pick: (row: Row) => number): number {
  const generated = rows.filter((row) => row.input.name.startsWith('generated'));
  const [first, last] = [generated[0], generated[generated.length - 1]];
  if (!first || !last || first === last) return Number.NaN;

  return Math.log(pick(last) / pick(first)) / Math.log(last.input.bytes / first.input.bytes);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (!existsSync(CLI)) throw new Error('out/cli.js is missing: run `npm run build` first');
  const scratch = mkdtempSync(join(tmpdir(), 'snowgov-bench-'));
  const withSqlfluff = sqlfluffAvailable();
  const rows: Row[] = [];
  console.error(`Node ${process.version}; sqlfluff ${withSqlfluff ? 'found' : 'not installed'}`);
  try {
    const inputs: Input[] = [];
    for (const size of options.sizes) {
      const root = join(scratch, `${size}mb`);
      const generated = generateRepository(root, size * MB, 42, options.viewShare);
      const views =
        options.viewShare === 1 ? '' : `, views in ${options.viewShare * 100}% of areas`;
      inputs.push(describeInput(`generated ${size} MB${views}`, root, generated.statements));
    }
    if (existsSync(REAL_CORPUS)) inputs.push(describeInput('shared/corpus/real', REAL_CORPUS));

    for (const input of inputs) {
      console.error(`Benchmarking ${input.name} (${input.files.length} files)…`);
      const cli = await benchCli(input, options.cliRuns);
      const index = await benchIndex(input);
      const runFluff = withSqlfluff && input.bytes <= options.sqlfluffMaxMb * MB * 1.05;
      rows.push({
        input,
        cliSeconds: cli.seconds,
        cliCpuSeconds: cli.cpuSeconds,
        cliRss: cli.rss,
        indexSeconds: index.seconds,
        serverRss: index.rss,
        ...(runFluff ? { sqlfluffSeconds: await benchSqlfluff(input) } : {}),
      });
    }
    console.error(`Timing ${options.edits} single-character edits…`);
    const edits = await benchEdits(options.edits);
    const largest = inputs.filter((input) => input.name.startsWith('generated')).at(-1);
    const repositoryEdits = largest && (await benchRepositoryEdits(largest, options.edits));

    printTable(rows);
    const sorted = [...edits.latencies].sort((a, b) => a - b);
    console.log(
      `\nLSP edit latency, didChange → publishDiagnostics, ${edits.latencies.length} edits in a ` +
        `${edits.lines}-line file: p50 ${fixed(percentile(sorted, 50))} ms, ` +
        `p95 ${fixed(percentile(sorted, 95))} ms, p99 ${fixed(percentile(sorted, 99))} ms`,
    );
    if (largest && repositoryEdits?.length) {
      const inRepository = [...repositoryEdits].sort((a, b) => a - b);
      console.log(
        `LSP edit latency in the newest migration of ${largest.name} ` +
          `(${largest.files.length} files), ${inRepository.length} edits: ` +
          `p50 ${fixed(percentile(inRepository, 50))} ms, ` +
          `p95 ${fixed(percentile(inRepository, 95))} ms, ` +
          `p99 ${fixed(percentile(inRepository, 99))} ms`,
      );
    }
    console.log(
      `Growth exponent (time ∝ size^k; 1 is linear): CLI k = ` +
        `${fixed(
          growth(rows, (row) => row.cliSeconds),
          2,
        )}, cold index k = ` +
        `${fixed(
          growth(rows, (row) => row.indexSeconds),
          2,
        )}`,
    );
  } finally {
    if (options.keep) console.error(`Generated repositories kept in ${scratch}`);
    else rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 2;
});
