/**
 * The findings only `snowgov check` raises (unresolved-reference, account-posture,
 * account-unmasked-pii, account-user-grant) behave like every other rule: configured on the
 * command line and in snowgov.yaml, excused by snowgov-ignore where they sit in a migration,
 * documented, and listed in SARIF. Runs the unmodified snowflake-sdk against the emulator.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { allRules } from '../rules';
import { run } from '../server/src/cli/run';
import {
  type JsonReport,
  PASSWORD,
  accountViews,
  check,
  removeProjects,
  setup,
} from './support/live-account';
import { type Emulator, startEmulator } from './support/sf-emulator';

const LIVE_RULES = [
  'account-posture',
  'account-unmasked-pii',
  'account-user-grant',
  'unresolved-reference',
];

interface Summary {
  findings: number;
  suppressed: number;
  filesWithFindings: number;
  account?: boolean;
}

type Report = Omit<JsonReport, 'findings'> & {
  findings: (JsonReport['findings'][number] & { severity: string })[];
  summary: Summary;
};

/** Any command line, in process, with `--stdin` text when given. */
async function cli(
  cwd: string,
  env: Record<string, string>,
  argv: string[],
  stdin?: string,
): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const status = await run(argv, {
    cwd,
    env,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    rules: allRules,
    ...(stdin === undefined ? {} : { readStdin: () => Promise.resolve(stdin) }),
  });

  return { status, stdout, stderr };
}

describe('live-check findings as rules', () => {
  let emulator: Emulator;

  before(async () => {
    emulator = await startEmulator({ user: 'AUDITOR', password: PASSWORD, ...accountViews(false) });
  });

  after(async () => {
    await emulator.close();
    removeProjects();
  });

  const checkJson = async (cwd: string, env: Record<string, string>, ...args: string[]) => {
    const result = await check(cwd, env, '--format', 'json', ...args);
    assert.ok(result.status === 0 || result.status === 1, result.stderr);

    return JSON.parse(result.stdout) as Report;
  };
  const rulesOf = (report: Report): Set<string> =>
    new Set(report.findings.map((finding) => finding.ruleId));

  it('turns them off and changes their severity with --disable-rule and --rule', async () => {
    const { cwd, env } = setup(emulator.url);
    const report = await checkJson(
      cwd,
      env,
      '--disable-rule',
      'account-posture,account-unmasked-pii',
      '--rule',
      'unresolved-reference=error',
      '--rule',
      'account-user-grant=info',
    );
    assert.ok(!rulesOf(report).has('account-posture'));
    assert.ok(!rulesOf(report).has('account-unmasked-pii'));
    const severities = (ruleId: string): string[] =>
      report.findings.filter((f) => f.ruleId === ruleId).map((f) => f.severity);
    assert.deepEqual(severities('unresolved-reference'), ['error']);
    assert.deepEqual(severities('account-user-grant'), ['info']);
  });

  it('takes their settings from snowgov.yaml, which snowgov lint accepts without complaint', async () => {
    const { cwd, env } = setup(emulator.url);
    writeFileSync(
      join(cwd, 'snowgov.yml'),
      'rules:\n  account-posture: off\n  unresolved-reference: error\n' +
        '  account-unmasked-pii: { severity: info }\n',
    );
    const report = await checkJson(cwd, env);
    assert.ok(!rulesOf(report).has('account-posture'));
    const severities = new Set(
      report.findings.filter((f) => f.ruleId === 'account-unmasked-pii').map((f) => f.severity),
    );
    assert.deepEqual([...severities], ['info']);
    assert.ok(
      report.findings.some((f) => f.ruleId === 'unresolved-reference' && f.severity === 'error'),
    );

    const lint = await cli(cwd, env, ['lint', '.', '--format', 'json']);
    assert.doesNotMatch(lint.stderr, /Unknown rule|nothing was linted/);
    assert.notEqual(lint.status, 2, lint.stderr);
  });

  it('lets snowgov-ignore excuse an unresolved reference, and lint keeps quiet about it', async () => {
    const migration =
      'CREATE TABLE DB.S.CUSTOMERS (ID INT, EMAIL VARCHAR);\n' +
      '-- snowgov-ignore unresolved-reference reason="GHOST_ROLE is created by the platform team"\n' +
      'GRANT ROLE ANALYST TO ROLE GHOST_ROLE;\n';
    const { cwd, env } = setup(emulator.url, PASSWORD, { 'V1__customers.sql': migration });
    const report = await checkJson(cwd, env);
    const ids = [...rulesOf(report)];
    assert.ok(!ids.includes('unresolved-reference'), ids.join(', '));
    assert.ok(!ids.includes('invalid-suppression'), ids.join(', '));
    assert.ok(!ids.includes('unused-suppression'), ids.join(', '));
    assert.equal(report.summary.suppressed, 1);

    const lint = JSON.parse(
      (await cli(cwd, env, ['lint', '.', '--format', 'json'])).stdout,
    ) as Report;
    assert.deepEqual(
      lint.findings.filter((f) => /suppression/.test(f.ruleId)).map((f) => f.message),
      [],
    );
  });

  it('refuses snowgov-ignore for account findings and says to configure them instead', async () => {
    const migration =
      '-- snowgov-ignore account-posture reason="accepted"\n' +
      'CREATE TABLE DB.S.CUSTOMERS (ID INT, EMAIL VARCHAR);\n';
    const { cwd, env } = setup(emulator.url, PASSWORD, { 'V1__customers.sql': migration });
    for (const command of ['check', 'lint']) {
      const result =
        command === 'check'
          ? await check(cwd, env, '--format', 'json')
          : await cli(cwd, env, ['lint', '.', '--format', 'json']);
      const report = JSON.parse(result.stdout) as Report;
      const invalid = report.findings.filter((f) => f.ruleId === 'invalid-suppression');
      assert.deepEqual(
        invalid.map((f) => f.message),
        [
          'account-posture findings are about the account, not a statement, so snowgov-ignore ' +
            'cannot excuse them; set its severity or off under rules in snowgov.yml instead.',
        ],
        command,
      );
    }
  });

  it('lists and explains them, and names them among the SARIF rules', async () => {
    const { cwd, env } = setup(emulator.url);
    const rules = await cli(cwd, env, ['rules']);
    for (const name of LIVE_RULES) assert.match(rules.stdout, new RegExp(`^${name}  `, 'm'));

    for (const name of LIVE_RULES) {
      const { status, stdout } = await cli(cwd, env, ['explain', name]);
      assert.equal(status, 0, name);
      assert.match(stdout, new RegExp(`^# ${name}\n[\\s\\S]*## Known limitations`));
    }

    const sarif = JSON.parse((await check(cwd, env, '--format', 'sarif')).stdout) as {
      runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string }[] }[];
    };
    const listed = new Set(sarif.runs[0].tool.driver.rules.map((rule) => rule.id));
    for (const result of sarif.runs[0].results) assert.ok(listed.has(result.ruleId), result.ruleId);
    for (const name of LIVE_RULES) assert.ok(listed.has(name), name);
  });

  it('reports only the --stdin file, as lint does', async () => {
    const { cwd, env } = setup(emulator.url, PASSWORD, {
      'V1__customers.sql': 'GRANT ROLE ANALYST TO ROLE GHOST_ROLE;\n',
      'V2__grants.sql': 'GRANT ROLE ANALYST TO ROLE OTHER_GHOST;\n',
    });
    const argv = ['check', '.', '--connection', 'emu', '--format', 'json', '--stdin'];
    const { status, stdout } = await cli(
      cwd,
      env,
      [...argv, '--stdin-filename', 'V2__grants.sql'],
      'GRANT ROLE ANALYST TO ROLE STDIN_GHOST;\n',
    );
    assert.equal(status, 0);
    const report = JSON.parse(stdout) as Report;
    const filePaths = new Set(
      report.findings.map((f) => f.path).filter((path) => path !== '<account>'),
    );
    assert.deepEqual([...filePaths], ['V2__grants.sql']);
    const unresolved = report.findings.filter((f) => f.ruleId === 'unresolved-reference');
    assert.deepEqual(
      unresolved.map((f) => f.message.split(' ')[1]),
      ['STDIN_GHOST'],
    );
    assert.equal(report.summary.filesWithFindings, 1);
  });

  it('counts the account in the summary line', async () => {
    const clean = { 'V1__roles.sql': 'CREATE ROLE REPORTING;\n' };
    const { cwd, env } = setup(emulator.url, PASSWORD, clean);
    const accountOnly = await check(cwd, env, '--format', 'text');
    assert.match(accountOnly.stdout, /^\d+ findings \(.*\) in the account, none in 1 file$/m);

    const both = setup(emulator.url);
    const text = await check(both.cwd, both.env, '--format', 'text');
    assert.match(text.stdout, /^\d+ findings \(.*\) in 1 of 1 file and the account$/m);
    const json = await checkJson(both.cwd, both.env);
    assert.equal(json.summary.account, true);
    assert.equal(json.summary.filesWithFindings, 1);
  });
});
