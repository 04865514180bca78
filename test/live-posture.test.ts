/**
 * `snowgov check` against emulated accounts: administrators from the role grants, references
 * to warehouses, tables and columns, and each way reading the account can fail.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import fc from 'fast-check';
import { allRules } from '../rules';
import { Workspace } from '../server/src/engine';
import {
  type AccountState,
  accountPosture,
  unresolvedReferences,
} from '../server/src/engine/account-state';
import {
  DROPPED,
  type JsonReport,
  PASSWORD,
  USAGE,
  accountViews,
  check,
  failureLine,
  linesOf,
  removeProjects,
  setup,
} from './support/live-account';
import { type Emulator, type Table, startEmulator, tableOf } from './support/sf-emulator';

describe('snowgov check: role grants, references and failures', () => {
  const started: Emulator[] = [];
  const start = async (
    extra: Partial<Record<string, Table>> = {},
    without: readonly string[] = [],
  ): Promise<Emulator> => {
    const { views, tables } = accountViews(false, extra);
    for (const name of without) views.delete(`${USAGE}.${name}`);
    const emulator = await startEmulator({ user: 'AUDITOR', password: PASSWORD, views, tables });
    started.push(emulator);

    return emulator;
  };

  after(async () => {
    for (const emulator of started) await emulator.close();
    removeProjects();
  });

  it('names ACCOUNTADMIN holders from GRANTS_TO_USERS, through roles too, ignoring deleted grants', async () => {
    const emulator = await start({
      GRANTS_TO_USERS: tableOf(
        ['ROLE', 'GRANTEE_NAME', 'GRANTED_BY', 'CREATED_ON', 'DELETED_ON'],
        [
          { ROLE: 'ACCOUNTADMIN', GRANTEE_NAME: 'ALICE' },
          { ROLE: 'ACCOUNTADMIN', GRANTEE_NAME: 'DAVE', DELETED_ON: DROPPED },
          { ROLE: 'OPS_ADMIN', GRANTEE_NAME: 'ERIN' },
          { ROLE: 'OLD_ADMIN', GRANTEE_NAME: 'GRACE' },
          { ROLE: 'SECURITYADMIN', GRANTEE_NAME: 'FRANK' },
          { ROLE: 'SECURITYADMIN', GRANTEE_NAME: 'HEIDI', DELETED_ON: DROPPED },
          { ROLE: 'ANALYST', GRANTEE_NAME: 'BOB' },
        ],
      ),
      GRANTS_TO_ROLES: tableOf(
        ['PRIVILEGE', 'GRANTED_ON', 'NAME', 'GRANTED_TO', 'GRANTEE_NAME', 'DELETED_ON'],
        [
          // The system hierarchy is no finding; a custom role above ACCOUNTADMIN is.
          {
            PRIVILEGE: 'USAGE',
            GRANTED_ON: 'ROLE',
            NAME: 'SYSADMIN',
            GRANTEE_NAME: 'ACCOUNTADMIN',
          },
          {
            PRIVILEGE: 'USAGE',
            GRANTED_ON: 'ROLE',
            NAME: 'ACCOUNTADMIN',
            GRANTEE_NAME: 'OPS_ADMIN',
          },
          {
            PRIVILEGE: 'USAGE',
            GRANTED_ON: 'ROLE',
            NAME: 'ACCOUNTADMIN',
            GRANTEE_NAME: 'OLD_ADMIN',
            DELETED_ON: DROPPED,
          },
        ],
      ),
    });
    const { cwd, env } = setup(emulator.url);
    const result = await check(cwd, env, '--format', 'json');
    const posture = linesOf(JSON.parse(result.stdout) as JsonReport, 'account-posture').join('\n');
    assert.match(posture, /^1: 2 users hold ACCOUNTADMIN: ALICE, ERIN \(through OPS_ADMIN\)\.$/m);
    assert.match(posture, /^1: 1 user holds SECURITYADMIN directly: FRANK\. /m);
    assert.match(
      posture,
      /^1: Role OPS_ADMIN is granted ACCOUNTADMIN, so whoever holds OPS_ADMIN/m,
    );
    assert.doesNotMatch(posture, /DAVE|GRACE|HEIDI|OLD_ADMIN|GONE|Role ACCOUNTADMIN/);
    const sent = emulator.received.join('\n');
    assert.match(sent, /FROM SNOWFLAKE\.ACCOUNT_USAGE\.GRANTS_TO_USERS WHERE DELETED_ON IS NULL/);
  });

  it('reports warehouses, tables and columns that neither the migrations nor the account define', async () => {
    const emulator = await start();
    const { cwd, env } = setup(emulator.url, PASSWORD, {
      'V1__use.sql': [
        'USE WAREHOUSE ghost_wh;',
        'USE WAREHOUSE analytics_wh;',
        'GRANT USAGE ON WAREHOUSE loader_wh TO ROLE analyst;',
        'USE WAREHOUSE later_wh;',
        "CREATE TASK db.s.nightly WAREHOUSE = missing_wh SCHEDULE = '60 MINUTE' AS SELECT 1;",
        'GRANT SELECT ON TABLE db.s.ghost_table TO ROLE analyst;',
        'GRANT SELECT ON TABLE DB.S.Leads TO ROLE analyst;',
        'GRANT SELECT ON TABLE db.s."leads" TO ROLE analyst;',
        'GRANT SELECT ON VIEW db.s.old_leads TO ROLE analyst;',
        'ALTER TABLE db.s.leads MODIFY COLUMN phone_number SET MASKING POLICY gov.policies.mask_email;',
        'ALTER TABLE db.s.leads MODIFY COLUMN fax_number SET MASKING POLICY gov.policies.mask_email;',
        'ALTER TABLE db.s.leads MODIFY COLUMN "phone_number" SET MASKING POLICY gov.policies.mask_email;',
        'ALTER TABLE IF EXISTS db.s.maybe_table MODIFY COLUMN x SET MASKING POLICY gov.policies.mask_email;',
        'ALTER TABLE db.s.customers MODIFY COLUMN nickname SET MASKING POLICY gov.policies.mask_email;',
        'USE DATABASE db;',
        'USE SCHEMA s;',
        'ALTER TABLE leads MODIFY COLUMN created_at SET TAG gov.policies.t = 1;',
        'INSERT INTO new_table (id, missing_column) SELECT 1, 2;',
        '',
      ].join('\n'),
      'V2__later.sql': [
        'CREATE WAREHOUSE later_wh;',
        'CREATE TABLE db.s.new_table (id INT);',
        'ALTER TABLE db.s.customers ADD COLUMN nickname VARCHAR;',
        '',
      ].join('\n'),
    });
    const result = await check(cwd, env, '--format', 'json');
    const report = JSON.parse(result.stdout) as JsonReport;
    const unresolved = linesOf(report, 'unresolved-reference', 'V1__use.sql').filter(
      (line) => !/^\d+: Tag /.test(line),
    );
    assert.deepEqual(
      unresolved.map((line) => line.replace(/ is defined neither .*; (.*?)\..*$/, ': $1')),
      [
        '1: Warehouse GHOST_WH: the statement will fail there',
        '5: Warehouse MISSING_WH: nothing will run on it',
        '6: Table or view DB.S.GHOST_TABLE: the statement will fail there',
        '8: Table or view DB.S."leads": the statement will fail there',
        '9: Table or view DB.S.OLD_LEADS: the statement will fail there',
        '11: Column FAX_NUMBER: the statement will fail there',
        '12: Column "phone_number": the statement will fail there',
        '18: Column MISSING_COLUMN: the statement will fail there',
      ],
    );
    const column = report.findings.find((finding) => /FAX_NUMBER/.test(finding.message));
    assert.equal(column?.column, 'ALTER TABLE db.s.leads MODIFY COLUMN '.length + 1);
    assert.match(column?.message ?? '', / for DB\.S\.LEADS; /);
  });

  it('finds no missing warehouse, table or column in the example migrations', async () => {
    const emulator = await start();
    const { cwd, env } = setup(emulator.url, PASSWORD, {});
    const examples = join(__dirname, '..', 'examples', 'migrations');
    const result = await check(cwd, env, examples, '--format', 'json');
    const report = JSON.parse(result.stdout) as JsonReport;
    assert.ok(report.findings.length > 0, result.stderr);
    assert.deepEqual(
      linesOf(report, 'unresolved-reference').filter((line) =>
        /: (Warehouse|Table or view|Column) /.test(line),
      ),
      [],
    );
  });

  it('judges what it could read when the role may not read ACCOUNT_USAGE', async () => {
    const emulator = await start({}, ['TABLES', 'COLUMNS', 'GRANTS_TO_ROLES', 'GRANTS_TO_USERS']);
    const { cwd, env } = setup(emulator.url, PASSWORD, {
      'V1__use.sql':
        'USE WAREHOUSE unknown_wh;\nGRANT SELECT ON TABLE db.s.ghost TO ROLE ghost_role;\n',
    });
    const result = await check(cwd, env, '--format', 'json', '--fail-on', 'warning');
    assert.equal(result.status, 1, result.stderr);
    const gaps = result.stderr.split('\n').filter((line) => /could not read/.test(line));
    // One line per Snowflake view, named as Snowflake names it, with the privilege to grant.
    assert.deepEqual(
      gaps.map((line) => /could not read (\S+) /.exec(line)?.[1]),
      ['GRANTS_TO_USERS', 'GRANTS_TO_ROLES', 'COLUMNS', 'TABLES'].map(
        (view) => `SNOWFLAKE.ACCOUNT_USAGE.${view}`,
      ),
      result.stderr,
    );
    for (const line of gaps) {
      assert.match(
        line,
        /^snowgov: could not read SNOWFLAKE\.ACCOUNT_USAGE\.\w+ \(002003\): the connection's role may not read it\. Grant the role IMPORTED PRIVILEGES ON DATABASE SNOWFLAKE, or the SNOWFLAKE database role that covers this view \(OBJECT_VIEWER, GOVERNANCE_VIEWER or SECURITY_VIEWER\)\.$/,
      );
      assert.doesNotMatch(line, /accountAdmins|userRoles|roleGrants|userGrants/);
    }
    const report = JSON.parse(result.stdout) as JsonReport;
    // SHOW ROLES still answers for roles; warehouses and tables it could not see are not guessed.
    assert.deepEqual(
      linesOf(report, 'unresolved-reference').map((line) => line.split(' is ')[0]),
      ['2: Role GHOST_ROLE'],
    );
  });

  it('says in one line that nothing listens at the host, and what to check', async () => {
    const { cwd, env } = setup('http://127.0.0.1:1');
    const result = await check(cwd, env, '--timeout', '5');
    assert.equal(result.status, 2);
    assert.match(
      failureLine(result.stderr),
      /^snowgov: Connection 'emu' failed \(401001\): .*ECONNREFUSED.*\. Nothing accepts connections there; check the host, port and protocol\.$/,
    );
    assert.match(result.stderr, /`snowgov lint` still works offline/);
  });

  it('says in one line that the host name does not resolve', async () => {
    const { cwd, env } = setup('http://snowgov-no-such-host.invalid');
    const started = Date.now();
    const result = await check(cwd, env, '--timeout', '5');
    assert.ok(Date.now() - started < 8000);
    assert.equal(result.status, 2);
    assert.match(
      failureLine(result.stderr),
      /^snowgov: Connection 'emu' (failed \(401001\): .*\. The host name (does not|could not be) resolve|did not finish signing in within the 5-second deadline)/,
    );
  });

  it('stops within seconds, long before the deadline, when the account is killed mid-read', async () => {
    const { views, tables } = accountViews(false);
    const killed = await startEmulator({
      user: 'AUDITOR',
      password: PASSWORD,
      views,
      tables,
      stopListeningAfterQueries: 4,
    });
    started.push(killed);
    const { cwd, env } = setup(killed.url);
    const begun = Date.now();
    const result = await check(cwd, env, '--timeout', '60');
    assert.ok(Date.now() - begun < 10_000, `took ${Date.now() - begun} ms`);
    assert.equal(result.status, 2);
    assert.match(
      failureLine(result.stderr),
      /^snowgov: Connection 'emu' stopped answering while reading account state: 127\.0\.0\.1:\d+ no longer accepts connections \(ECONNREFUSED\)\. Check that the host is up and reachable, then run again\.$/,
    );
    assert.equal(killed.received.length, 4);
  });

  it('fails fast, saying so, when the server keeps hanging up in the middle of the read', async () => {
    const { views, tables } = accountViews(false);
    const dying = await startEmulator({
      user: 'AUDITOR',
      password: PASSWORD,
      views,
      tables,
      dieAfterQueries: 3,
    });
    started.push(dying);
    const { cwd, env } = setup(dying.url);
    const begun = Date.now();
    // A deadline far away: the hang-ups, not the deadline, end the run.
    const result = await check(cwd, env, '--timeout', '120');
    assert.ok(Date.now() - begun < 15_000, `took ${Date.now() - begun} ms`);
    assert.equal(result.status, 2);
    assert.match(
      failureLine(result.stderr),
      /^snowgov: Connection 'emu' was closed by the account while reading account state: 127\.0\.0\.1:\d+ hung up on every retry \(ECONNRESET\)\. Check the host, port and protocol, and any proxy or firewall on the way, then run again\.$/,
    );
    assert.doesNotMatch(result.stderr, /raise --timeout/);
    assert.equal(dying.received.length, 3);
  });
});

describe('account checks on any text', () => {
  const state: AccountState = {
    policies: ['GOV.P.MASK'],
    tags: [],
    policyReferences: [],
    tagReferences: [],
    roles: ['ANALYST'],
    users: [{ name: 'ALICE', defaultRole: 'ACCOUNTADMIN' }],
    stages: [],
    integrations: [],
    accountAdmins: ['ALICE'],
    parameters: {},
    columns: [{ table: 'DB.S.T', column: 'C' }],
    userGrants: [],
    userRoles: [{ role: 'OPS', grantee: 'ALICE' }],
    roleGrants: [
      { role: 'ACCOUNTADMIN', grantee: 'OPS' },
      { role: 'OPS', grantee: 'ACCOUNTADMIN' },
    ],
    warehouses: ['WH'],
    tables: ['DB.S.T', '"db"."s"."t"'],
  };
  const pieces = [
    'USE WAREHOUSE ',
    'GRANT USAGE ON WAREHOUSE ',
    'GRANT SELECT ON TABLE ',
    'ALTER TABLE ',
    'IF EXISTS ',
    ' MODIFY COLUMN ',
    ' SET MASKING POLICY gov.p.mask USING (',
    'CREATE TASK t WAREHOUSE = ',
    ' AS SELECT 1; ',
    'INSERT INTO ',
    ' (',
    ')',
    'db.s.t',
    '"db"."s"."t"',
    'IDENTIFIER($x)',
    '"',
    "'",
    '$$',
    ';',
    ',',
    '.',
    ' ',
    '\n',
  ];
  const text = fc.oneof(
    fc.array(fc.constantFrom(...pieces), { maxLength: 40 }).map((parts) => parts.join('')),
    fc.string({ maxLength: 200 }),
  );

  it('never throws and reports inside the text', () => {
    // A cycle in the role grants must not loop either.
    assert.ok(accountPosture(state).length > 0);
    fc.assert(
      fc.property(text, (sql) => {
        const workspace = new Workspace(allRules);
        workspace.setFile('V1__x.sql', sql);
        const analysis = workspace.analyze();
        for (const finding of unresolvedReferences(analysis.files, analysis.catalog, state)) {
          assert.ok(finding.span.start >= 0 && finding.span.end <= sql.length);
        }
      }),
      { numRuns: 300 },
    );
  });
});
