/**
 * Migrations that change tables they do not create (issue #7, "account state honoured"), judged
 * by `snowgov lint` from what the migrations do to such a table, and by `snowgov check` also
 * from the account's columns, policies and tags, read with the unmodified snowflake-sdk from an
 * emulated account on 127.0.0.1 (test/support/sf-emulator.ts).
 */
import assert from 'node:assert/strict';
import { allRules } from '../rules';
import { run } from '../server/src/cli/run';
import {
  type JsonReport,
  PASSWORD,
  USAGE,
  accountViews,
  check,
  linesOf,
  removeProjects,
  setup,
} from './support/live-account';
import { type Emulator, startEmulator, tableOf } from './support/sf-emulator';

const EMPLOYEES = [
  'EMPLOYEE_ID',
  'EMAIL',
  'PHONE_NUMBER',
  'DATE_OF_BIRTH',
  'POSTAL_CODE',
  'GENDER',
];

const MIGRATIONS = {
  'V1__personal_email.sql': 'ALTER TABLE hr.people.employees ADD COLUMN personal_email VARCHAR;\n',
  'V2__copies.sql':
    'CREATE TABLE hr.people.emp_ctas2 AS SELECT email, phone_number FROM hr.people.employees;\n' +
    'CREATE TABLE hr.people.emp_all AS SELECT * FROM hr.people.employees;\n' +
    'CREATE VIEW hr.people.emp_profile AS SELECT * EXCLUDE (email) FROM hr.people.employees;\n',
};

/** HR.PEOPLE.EMPLOYEES with EMAIL masked by a policy and GENDER, optionally, through a tag. */
function hrAccount(genderMasked: boolean): ReturnType<typeof accountViews> {
  const policy = (name: string, entity: string, column: string | null) => ({
    POLICY_DB: 'HR',
    POLICY_SCHEMA: 'GOVERNANCE',
    POLICY_NAME: name,
    POLICY_KIND: 'MASKING_POLICY',
    REF_DATABASE_NAME: 'HR',
    REF_SCHEMA_NAME: entity === 'EMPLOYEES' ? 'PEOPLE' : 'GOVERNANCE',
    REF_ENTITY_NAME: entity,
    REF_COLUMN_NAME: column,
  });
  const policyColumns = Object.keys(policy('', '', null));
  const tagColumns = [
    ...['TAG_DATABASE', 'TAG_SCHEMA', 'TAG_NAME', 'TAG_VALUE', 'OBJECT_DATABASE'],
    ...['OBJECT_SCHEMA', 'OBJECT_NAME', 'DOMAIN', 'COLUMN_NAME', 'OBJECT_DELETED'],
  ];
  const genderTag = {
    TAG_DATABASE: 'HR',
    TAG_SCHEMA: 'GOVERNANCE',
    TAG_NAME: 'PII_TAG',
    TAG_VALUE: 'gender',
    OBJECT_DATABASE: 'HR',
    OBJECT_SCHEMA: 'PEOPLE',
    OBJECT_NAME: 'EMPLOYEES',
    DOMAIN: 'COLUMN',
    COLUMN_NAME: 'GENDER',
  };

  return accountViews(false, {
    POLICY_REFERENCES: tableOf(policyColumns, [
      policy('MASK_EMAIL', 'EMPLOYEES', 'EMAIL'),
      // A tag-based policy: the row names the tag, with no column.
      policy('MASK_PII', 'PII_TAG', null),
    ]),
    TAG_REFERENCES: tableOf(tagColumns, genderMasked ? [genderTag] : []),
    TABLES: tableOf(
      ['TABLE_CATALOG', 'TABLE_SCHEMA', 'TABLE_NAME', 'DELETED'],
      [{ TABLE_CATALOG: 'HR', TABLE_SCHEMA: 'PEOPLE', TABLE_NAME: 'EMPLOYEES' }],
    ),
    COLUMNS: tableOf(
      ['TABLE_CATALOG', 'TABLE_SCHEMA', 'TABLE_NAME', 'COLUMN_NAME', 'DELETED'],
      EMPLOYEES.map((column) => ({
        TABLE_CATALOG: 'HR',
        TABLE_SCHEMA: 'PEOPLE',
        TABLE_NAME: 'EMPLOYEES',
        COLUMN_NAME: column,
      })),
    ),
  });
}

describe('migrations that change tables they do not create', () => {
  let emulator: Emulator;
  let genderMaskedEmulator: Emulator;

  before(async () => {
    emulator = await startEmulator({ user: 'AUDITOR', password: PASSWORD, ...hrAccount(false) });
    genderMaskedEmulator = await startEmulator({
      user: 'AUDITOR',
      password: PASSWORD,
      ...hrAccount(true),
    });
  });

  after(async () => {
    await emulator.close();
    await genderMaskedEmulator.close();
    removeProjects();
  });

  it('lint judges what the migrations name, and nothing a SELECT * hides', async () => {
    const { cwd, env } = setup(emulator.url, PASSWORD, MIGRATIONS);
    let stdout = '';
    await run(['lint', '.', '--format', 'json'], {
      cwd,
      env,
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: () => true },
      rules: allRules,
    });
    const report = JSON.parse(stdout) as JsonReport;
    assert.deepEqual(linesOf(report, 'unmasked-pii-column', 'V1__personal_email.sql'), [
      '1: Column PERSONAL_EMAIL of HR.PEOPLE.EMPLOYEES holds an email address (judged by its ' +
        'name), and after all migrations no masking policy protects it, directly or through a ' +
        'tag. Every role that can read the table sees clear values.',
    ]);
    assert.deepEqual(linesOf(report, 'unmasked-pii-column', 'V2__copies.sql'), [
      '1: This CREATE TABLE … AS SELECT copies HR.PEOPLE.EMPLOYEES.EMAIL (email address), ' +
        'HR.PEOPLE.EMPLOYEES.PHONE_NUMBER (phone number) into columns EMAIL, PHONE_NUMBER of ' +
        'HR.PEOPLE.EMP_CTAS2, which no masking policy protects, so every role that can read the ' +
        'copy sees clear values. Mask the target column too.',
    ]);
    assert.deepEqual(linesOf(report, 'forbidden-projection'), []);
    assert.equal(emulator.received.length, 0, 'lint never connects');
  });

  it('check expands the account table in SELECT * copies and views', async () => {
    const { cwd, env } = setup(emulator.url, PASSWORD, MIGRATIONS);
    const result = await check(cwd, env, '--format', 'json');
    assert.equal(result.status, 1, result.stderr);
    const report = JSON.parse(result.stdout) as JsonReport;
    const copies = linesOf(report, 'unmasked-pii-column', 'V2__copies.sql');
    assert.equal(copies.length, 2, copies.join('\n'));
    assert.match(copies[0], /^1: .* into columns EMAIL, PHONE_NUMBER of HR\.PEOPLE\.EMP_CTAS2,/);
    // The copy holds the account's columns and the one V1 added, masked or not at the source.
    assert.match(
      copies[1],
      new RegExp(
        '^2: .* copies HR.PEOPLE.EMPLOYEES.EMAIL \\(email address\\), ' +
          'HR.PEOPLE.EMPLOYEES.PHONE_NUMBER \\(phone number\\), ' +
          'HR.PEOPLE.EMPLOYEES.DATE_OF_BIRTH \\(date of birth\\), ' +
          'HR.PEOPLE.EMPLOYEES.POSTAL_CODE \\(postal code\\), ' +
          'HR.PEOPLE.EMPLOYEES.GENDER \\(gender\\), ' +
          'HR.PEOPLE.EMPLOYEES.PERSONAL_EMAIL \\(email address\\) into columns EMAIL, ' +
          'PHONE_NUMBER, DATE_OF_BIRTH, POSTAL_CODE, GENDER, PERSONAL_EMAIL of HR.PEOPLE.EMP_ALL,',
      ),
    );
    assert.equal(linesOf(report, 'unmasked-pii-column', 'V1__personal_email.sql').length, 1);
    const projections = linesOf(report, 'forbidden-projection', 'V2__copies.sql');
    assert.deepEqual(
      projections.map((line) => line.split(' exposes ')[0]),
      ['2: Table HR.PEOPLE.EMP_ALL', '3: View HR.PEOPLE.EMP_PROFILE'],
    );
    assert.match(projections[1], /date of birth, postal code and gender together/);
    assert.deepEqual(linesOf(report, 'unresolved-reference'), []);
  });

  it('check counts a column the account masks through a tag as masked', async () => {
    const { cwd, env } = setup(genderMaskedEmulator.url, PASSWORD, MIGRATIONS);
    const result = await check(cwd, env, '--format', 'json');
    const report = JSON.parse(result.stdout) as JsonReport;
    // GENDER is masked for whoever reads the account table, so neither the copy nor the view
    // puts the whole combination together…
    assert.deepEqual(linesOf(report, 'forbidden-projection', 'V2__copies.sql'), []);
    // …but the role that makes a copy sees clear values, so copies are still reported.
    assert.equal(linesOf(report, 'unmasked-pii-column', 'V2__copies.sql').length, 2);
    const sent = genderMaskedEmulator.received.join('\n');
    assert.ok(!/\b(ALTER|CREATE|INSERT)\b/i.test(sent), 'only read-only statements reach it');
    assert.ok(sent.includes(`${USAGE}.COLUMNS`));
  });
});
