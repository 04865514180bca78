/**
 * Helpers for in-process CLI tests: temporary projects, a run of `snowgov` with captured output,
 * and fixture rules whose findings and fixes depend on statement text alone, so that the
 * tests of output formats and fixing do not change when a real rule's wording does.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Rule } from '../../server/src/engine';
import { defineRule } from '../../server/src/engine/rules/define';
import type { Span } from '../../server/src/engine/source';
import { run } from '../../server/src/cli/run';

export interface CliResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliRunOptions {
  readonly rules?: readonly Rule[];
  /** Text for `--stdin`. */
  readonly stdin?: string;
  /** Pretend stdout and stderr are terminals. */
  readonly isTTY?: boolean;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly readRuleDoc?: (name: string) => string | undefined;
}

/** The day suppressions are judged against in these tests. */
export const TEST_NOW = new Date('2026-06-15T09:30:00Z');

/** Runs `snowgov <args>` in-process in `cwd`, without colour unless `env` asks for it. */
export async function runCli(
  cwd: string,
  args: readonly string[],
  options: CliRunOptions = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const status = await run(args, {
    cwd,
    env: options.env ?? { NO_COLOR: '1' },
    stdout: { write: (text: string) => (stdout += text), isTTY: options.isTTY },
    stderr: terminalDouble((text) => (stderr += text), options.isTTY === true),
    rules: options.rules ?? FIXTURE_RULES,
    now: () => TEST_NOW,
    ...(options.stdin === undefined ? {} : { readStdin: async () => options.stdin ?? '' }),
    ...(options.readRuleDoc ? { readRuleDoc: options.readRuleDoc } : {}),
  });

  return { status, stdout, stderr };
}

/**
 * A stream double with what a progress bar needs of a terminal: cursor moves and a width.
 * Cursor control is written out as text markers, so a test can see that the bar drew.
 */
function terminalDouble(write: (text: string) => void, isTTY: boolean): NodeJS.WriteStream {
  const stream = {
    isTTY,
    columns: 100,
    write: (text: string) => {
      write(text);

      return true;
    },
    cursorTo: () => true,
    clearLine: () => true,
    clearScreenDown: () => true,
    moveCursor: () => true,
    on: () => stream,
    removeListener: () => stream,
  };

  return stream as unknown as NodeJS.WriteStream;
}

const projects: string[] = [];

/**
 * A temporary project with the given files (relative path → text). It holds a `.git` folder so
 * that config discovery stops there; with `git: true` it is a real repository instead, with
 * everything committed.
 */
export function tempProject(
  files: Readonly<Record<string, string | Buffer>>,
  options: { git?: boolean } = {},
): string {
  const root = mkdtempSync(join(tmpdir(), 'snowgov-cli-'));
  projects.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  if (options.git) {
    git(root, 'init', '--quiet', '--initial-branch=main');
    git(root, 'add', '--all');
    git(root, 'commit', '--quiet', '--message', 'Initial migrations');
  } else {
    mkdirSync(join(root, '.git'), { recursive: true });
  }

  return root;
}

export interface SpawnResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The built CLI; tests that spawn it need `npm run build` first. */
export const CLI_PATH = join(__dirname, '..', '..', 'out', 'cli.js');

/** Runs the built CLI in `cwd` as a child process, without colour, as CI would. */
export function spawnCli(cwd: string, ...args: string[]): SpawnResult {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  const result = spawnSync(process.execPath, [CLI_PATH, ...args], { cwd, env, encoding: 'utf8' });
  if (result.error) throw result.error;

  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs git in `cwd` with a fixed identity; a failure fails the test. */
export function git(cwd: string, ...args: string[]): string {
  const result = spawnSync(
    'git',
    ['-c', 'user.name=snowgov tests', '-c', 'user.email=tests@snowgov.invalid', ...args],
    { cwd, encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr}`);

  return result.stdout;
}

export function removeTempProjects(): void {
  for (const root of projects.splice(0)) rmSync(root, { recursive: true, force: true });
}

/** The statement's text and a way to turn a match in it into a span of the file. */
function matchIn(
  text: string,
  statement: Span,
  pattern: RegExp,
): { match: RegExpExecArray; span: Span } | undefined {
  const match = pattern.exec(text.slice(statement.start, statement.end));
  if (!match) return undefined;
  const start = statement.start + match.index;

  return { match, span: { start, end: start + match[0].length } };
}

/** `TO USER name`: an error with an unsafe fix that grants to a role instead. */
const userGrant = defineRule<object, 'toUser'>({
  name: 'fixture-user-grant',
  description: 'Privileges granted straight to a user',
  category: 'access-control',
  defaultSeverity: 'error',
  messages: { toUser: 'Privileges go straight to user {{user}}; grant them to a role.' },
  fix: { availability: 'always', safety: 'unsafe' },
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  defaultOptions: {},
  check(statement, context) {
    const found = matchIn(context.file.text, statement, /\bUSER\s+(\w+)/i);
    if (!found) return;
    const user = found.match[1].toUpperCase();
    context.report({
      messageId: 'toUser',
      span: found.span,
      data: { user },
      fixes: [
        {
          title: `Grant to role ${user}_ROLE instead`,
          edits: [{ span: found.span, newText: `ROLE ${user}_ROLE` }],
        },
      ],
    });
  },
});

/** A statement starting with lower-case `grant`: a warning with a safe fix. */
const lowerCaseGrant = defineRule<object, 'lowerCase'>({
  name: 'fixture-lowercase-grant',
  description: 'GRANT written in lower case',
  category: 'access-control',
  defaultSeverity: 'warning',
  messages: { lowerCase: 'Write GRANT in upper case so reviewers spot it.' },
  fix: { availability: 'always', safety: 'safe' },
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  defaultOptions: {},
  check(statement, context) {
    const found = matchIn(context.file.text, statement, /^grant\b/);
    if (!found) return;
    context.report({
      messageId: 'lowerCase',
      span: found.span,
      fixes: [{ title: 'Write GRANT', edits: [{ span: found.span, newText: 'GRANT' }] }],
    });
  },
});

/** `SELECT *`: an info whose only fix is a suggestion, never applied in bulk. */
const selectStar = defineRule<object, 'star'>({
  name: 'fixture-select-star',
  description: 'Views that select every column',
  category: 'data-protection',
  defaultSeverity: 'info',
  messages: { star: 'SELECT * exposes columns added later.' },
  fix: { availability: 'always', safety: 'suggestion' },
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  defaultOptions: {},
  check(statement, context) {
    const found = matchIn(context.file.text, statement, /SELECT\s+\*/i);
    if (!found) return;
    const star = { start: found.span.end - 1, end: found.span.end };
    context.report({
      messageId: 'star',
      span: found.span,
      fixes: [{ title: 'List the columns', edits: [{ span: star, newText: 'id' }] }],
    });
  },
});

/** `DROP TABLE`: a warning whose safe fix would leave an unterminated string. */
const brokenFix = defineRule<object, 'drop'>({
  name: 'fixture-broken-fix',
  description: 'Tables dropped in a migration',
  category: 'data-protection',
  defaultSeverity: 'warning',
  messages: { drop: 'A migration drops a table.' },
  fix: { availability: 'always', safety: 'safe' },
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  defaultOptions: {},
  check(statement, context) {
    const found = matchIn(context.file.text, statement, /DROP\s+TABLE/i);
    if (!found) return;
    context.report({
      messageId: 'drop',
      span: found.span,
      fixes: [{ title: 'Keep the table', edits: [{ span: found.span, newText: "SELECT 'kept" }] }],
    });
  },
});

/** `TRUNCATE`: a warning whose safe fix leaves the finding in place. */
const stubbornFix = defineRule<object, 'truncate'>({
  name: 'fixture-stubborn-fix',
  description: 'Tables truncated in a migration',
  category: 'data-protection',
  defaultSeverity: 'warning',
  messages: { truncate: 'A migration truncates a table.' },
  fix: { availability: 'always', safety: 'safe' },
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  defaultOptions: {},
  check(statement, context) {
    const found = matchIn(context.file.text, statement, /TRUNCATE/i);
    if (!found) return;
    context.report({
      messageId: 'truncate',
      span: found.span,
      fixes: [
        {
          title: 'Explain the truncation',
          edits: [
            { span: { start: found.span.end, end: found.span.end }, newText: ' /* on purpose */' },
          ],
        },
      ],
    });
  },
});

/** `UNDROP`: a warning whose safe fix trades it for an error of `fixture-user-grant`. */
const tradingFix = defineRule<object, 'undrop'>({
  name: 'fixture-trading-fix',
  description: 'Tables brought back in a migration',
  category: 'data-protection',
  defaultSeverity: 'warning',
  messages: { undrop: 'A migration brings back a dropped table.' },
  fix: { availability: 'always', safety: 'safe' },
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  defaultOptions: {},
  check(statement, context) {
    const found = matchIn(context.file.text, statement, /^UNDROP TABLE (\w+)/i);
    if (!found) return;
    context.report({
      messageId: 'undrop',
      span: found.span,
      fixes: [
        {
          title: 'Grant the table to its owner instead',
          edits: [
            { span: found.span, newText: `GRANT SELECT ON TABLE ${found.match[1]} TO USER u` },
          ],
        },
      ],
    });
  },
});

export const FIXTURE_RULES: readonly Rule[] = [
  userGrant,
  lowerCaseGrant,
  selectStar,
  brokenFix,
  stubbornFix,
  tradingFix,
];

/**
 * The project of the golden files: a safe-fixable warning, an unsafe-fixable error, a suppressed
 * error, an info with a suggestion, and a clean file.
 */
export const FORMAT_PROJECT: Readonly<Record<string, string>> = {
  'migrations/V1__roles.sql': [
    '-- Roles for the reporting team.',
    'grant select on table sales.orders to role analyst;',
    'GRANT SELECT ON TABLE sales.orders TO USER alice;',
    '',
  ].join('\n'),
  'migrations/V2__reports.sql': [
    '-- snowgov-ignore fixture-user-grant reason="Auditor access, ticket SEC-12" until=2099-12-31',
    'GRANT SELECT ON TABLE sales.orders TO USER auditor;',
    'CREATE VIEW sales.report AS SELECT * FROM sales.orders;',
    '',
  ].join('\n'),
  'migrations/V3__clean.sql': 'CREATE TABLE sales.orders (id INT);\n',
};

/** Documentation for every rule, short and fixed, for golden files. */
export function fixtureRuleDoc(name: string): string {
  return `# ${name}\n\nFixture documentation for ${name}.\n\n## Why it matters\n\nIt is a test.\n`;
}
