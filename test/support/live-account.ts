/**
 * An emulated account seeded like a small real one, and projects whose connection `emu` points
 * at it, shared by the live-check tests.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allRules } from '../../rules';
import { run } from '../../server/src/cli/run';
import { SNAPSHOT_QUERIES } from '../../server/src/live/snapshot';
import { POLICY_REFERENCES_COLUMNS, TAG_REFERENCES_COLUMNS } from './account-usage-columns';
import { type Table, tableOf } from './sf-emulator';

export const PASSWORD = 'pa55-very-secret';
export const MIGRATION =
  'CREATE TABLE DB.S.CUSTOMERS (ID INT, EMAIL VARCHAR);\n' +
  'GRANT ROLE ANALYST TO ROLE GHOST_ROLE;\n';

export const USAGE = 'SNOWFLAKE.ACCOUNT_USAGE';
export const DROPPED = '2026-11-30 10:00:00.000 +0000';

/**
 * ACCOUNT_USAGE views with the columns Snowflake documents (a subset where snowgov reads none
 * of the rest), answered by the emulator's own SELECT evaluation, so WHERE … IS NULL filters
 * really drop deleted rows; SHOW output comes as fixed tables with lower-case columns.
 */
export function accountViews(
  masked: boolean,
  extra: Partial<Record<string, Table>> = {},
): { views: Map<string, Table>; tables: Map<string, Table> } {
  const views = new Map<string, Table>(
    Object.entries({
      POLICY_REFERENCES: tableOf(
        POLICY_REFERENCES_COLUMNS,
        masked
          ? [
              {
                POLICY_DB: 'GOV',
                POLICY_SCHEMA: 'POLICIES',
                POLICY_NAME: 'MASK_EMAIL',
                POLICY_KIND: 'MASKING_POLICY',
                REF_DATABASE_NAME: 'DB',
                REF_SCHEMA_NAME: 'S',
                REF_ENTITY_NAME: 'CUSTOMERS',
                REF_ENTITY_DOMAIN: 'TABLE',
                REF_COLUMN_NAME: 'EMAIL',
              },
            ]
          : [],
      ),
      TAG_REFERENCES: tableOf(TAG_REFERENCES_COLUMNS),
      MASKING_POLICIES: tableOf(
        ['POLICY_CATALOG', 'POLICY_SCHEMA', 'POLICY_NAME', 'POLICY_SIGNATURE', 'DELETED'],
        [
          {
            POLICY_CATALOG: 'GOV',
            POLICY_SCHEMA: 'POLICIES',
            POLICY_NAME: 'MASK_EMAIL',
            POLICY_SIGNATURE: '(VAL VARCHAR)',
          },
        ],
      ),
      TAGS: tableOf(['TAG_DATABASE', 'TAG_SCHEMA', 'TAG_NAME', 'DELETED']),
      USERS: tableOf(
        ['NAME', 'DEFAULT_ROLE', 'HAS_PASSWORD', 'HAS_MFA', 'DISABLED', 'DELETED_ON'],
        [
          { NAME: 'ALICE', DEFAULT_ROLE: 'ACCOUNTADMIN', HAS_PASSWORD: 'true', HAS_MFA: 'false' },
          { NAME: 'BOB', DEFAULT_ROLE: 'ANALYST', HAS_PASSWORD: 'false', HAS_MFA: 'false' },
          { NAME: 'GONE', DEFAULT_ROLE: 'ACCOUNTADMIN', DELETED_ON: DROPPED },
        ],
      ),
      GRANTS_TO_USERS: tableOf(
        ['ROLE', 'GRANTEE_NAME', 'GRANTED_BY', 'CREATED_ON', 'DELETED_ON'],
        [{ ROLE: 'ACCOUNTADMIN', GRANTEE_NAME: 'ALICE', GRANTED_BY: 'ACCOUNTADMIN' }],
      ),
      GRANTS_TO_ROLES: tableOf(
        [
          'PRIVILEGE',
          'GRANTED_ON',
          'NAME',
          'TABLE_CATALOG',
          'TABLE_SCHEMA',
          'GRANTED_TO',
          'GRANTEE_NAME',
          'DELETED_ON',
        ],
        [
          {
            PRIVILEGE: 'SELECT',
            GRANTED_ON: 'TABLE',
            NAME: 'LEADS',
            TABLE_CATALOG: 'DB',
            TABLE_SCHEMA: 'S',
            GRANTED_TO: 'USER',
            GRANTEE_NAME: 'BOB',
          },
          {
            PRIVILEGE: 'OWNERSHIP',
            GRANTED_ON: 'WAREHOUSE',
            NAME: 'LOADER_WH',
            GRANTED_TO: 'ROLE',
            GRANTEE_NAME: 'SYSADMIN',
          },
        ],
      ),
      STAGES: tableOf(['STAGE_CATALOG', 'STAGE_SCHEMA', 'STAGE_NAME', 'DELETED']),
      TABLES: tableOf(
        ['TABLE_CATALOG', 'TABLE_SCHEMA', 'TABLE_NAME', 'TABLE_TYPE', 'DELETED'],
        [
          { TABLE_CATALOG: 'DB', TABLE_SCHEMA: 'S', TABLE_NAME: 'LEADS', TABLE_TYPE: 'BASE TABLE' },
          {
            TABLE_CATALOG: 'DB',
            TABLE_SCHEMA: 'S',
            TABLE_NAME: 'OLD_LEADS',
            TABLE_TYPE: 'BASE TABLE',
            DELETED: DROPPED,
          },
        ],
      ),
      COLUMNS: tableOf(
        ['TABLE_CATALOG', 'TABLE_SCHEMA', 'TABLE_NAME', 'COLUMN_NAME', 'DATA_TYPE', 'DELETED'],
        [
          ['CUSTOMERS', 'ID', 'NUMBER'],
          ['CUSTOMERS', 'EMAIL', 'TEXT'],
          ['LEADS', 'PHONE_NUMBER', 'TEXT'],
          ['LEADS', 'CREATED_AT', 'TIMESTAMP_NTZ'],
        ].map(([table, column, type]) => ({
          TABLE_CATALOG: 'DB',
          TABLE_SCHEMA: 'S',
          TABLE_NAME: table,
          COLUMN_NAME: column,
          DATA_TYPE: type,
        })),
      ),
      ...extra,
    }).map(([name, table]) => [`${USAGE}.${name}`, table as Table]),
  );
  const tables = new Map<string, Table>([
    [SNAPSHOT_QUERIES.roles, tableOf(['name'], [{ name: 'ANALYST' }])],
    [SNAPSHOT_QUERIES.integrations, tableOf(['name'])],
    [
      SNAPSHOT_QUERIES.parameters,
      tableOf(['key', 'value'], [{ key: 'PREVENT_UNLOAD_TO_INLINE_URL', value: 'false' }]),
    ],
    [SNAPSHOT_QUERIES.warehouses, tableOf(['name'], [{ name: 'ANALYTICS_WH' }])],
  ]);

  return { views, tables };
}

const roots: string[] = [];

/** Removes every project `setup` made. */
export function removeProjects(): void {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
}

/** A project holding one migration, and a SNOWFLAKE_HOME whose connection `emu` points at url. */
export function setup(
  url: string,
  password = PASSWORD,
  migrations: Readonly<Record<string, string>> = { 'V1__customers.sql': MIGRATION },
): { cwd: string; env: Record<string, string> } {
  const root = mkdtempSync(join(tmpdir(), 'snowgov-live-'));
  roots.push(root);
  mkdirSync(join(root, '.git'));
  mkdirSync(join(root, 'home'));
  for (const [name, text] of Object.entries(migrations)) writeFileSync(join(root, name), text);
  writeFileSync(
    join(root, 'home', 'connections.toml'),
    `[emu]\naccount = "TESTACCT"\nuser = "AUDITOR"\npassword = "${password}"\naccess_url = "${url}"\n`,
    { mode: 0o600 },
  );

  return {
    cwd: root,
    env: {
      SNOWFLAKE_HOME: join(root, 'home'),
      XDG_CACHE_HOME: join(root, 'cache'),
      NO_COLOR: '1',
    },
  };
}

export interface JsonReport {
  findings: { path: string; ruleId: string; message: string; line: number; column: number }[];
}

export async function check(
  cwd: string,
  env: Record<string, string>,
  ...args: string[]
): Promise<{ status: number; stdout: string; stderr: string }> {
  return runCommand('check', cwd, env, ...args);
}

export async function runCommand(
  command: string,
  cwd: string,
  env: Record<string, string>,
  ...args: string[]
): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const status = await run([command, '.', '--connection', 'emu', ...args], {
    cwd,
    env,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    rules: allRules,
  });

  return { status, stdout, stderr };
}

/** The findings of one rule, as `line: message`. */
export function linesOf(report: JsonReport, ruleId: string, path?: string): string[] {
  return report.findings
    .filter((finding) => finding.ruleId === ruleId && (path === undefined || finding.path === path))
    .map((finding) => `${finding.line}: ${finding.message}`);
}

/** The line that says why the account could not be read (warnings about the connection precede it). */
export function failureLine(stderr: string): string {
  return (
    stderr
      .split('\n')
      .find((line) =>
        /^snowgov: Connection 'emu' (failed|did not|stopped|was closed|sets)/.test(line),
      ) ?? stderr
  );
}
