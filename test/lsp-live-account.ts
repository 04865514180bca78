/**
 * An emulated account for the live validation tests of the language server and of the VS Code
 * extension (test/lsp-live.test.ts, test/vscode/live.test.ts), which test/support/sf-emulator.ts
 * serves.
 */
import { POLICY_REFERENCES_COLUMNS, TAG_REFERENCES_COLUMNS } from './support/account-usage-columns';
import type { EmulatorOptions, Table } from './support/sf-emulator';

const USAGE = 'SNOWFLAKE.ACCOUNT_USAGE';

const view = (columns: string[], ...rows: (string | null)[][]): Table => ({ columns, rows });

/**
 * An account with role ANALYST, an admin who signs in with a password and no MFA, a direct
 * grant to BOB, and EMAIL masked when `masked`. The ACCOUNT_USAGE views are answered by the
 * emulator from their columns, whatever the snapshot selects from them.
 */
export function emulatedAccount(masked: boolean): Pick<EmulatorOptions, 'views' | 'tables'> {
  const views = new Map<string, Table>([
    [
      `${USAGE}.POLICY_REFERENCES`,
      view(
        POLICY_REFERENCES_COLUMNS,
        ...(masked
          ? [['GOV', 'P', 'MASK_EMAIL', 'MASKING_POLICY', 'DB', 'S', 'CUSTOMERS', 'TABLE', 'EMAIL']]
          : []),
      ),
    ],
    [`${USAGE}.TAG_REFERENCES`, view(TAG_REFERENCES_COLUMNS)],
    [
      `${USAGE}.MASKING_POLICIES`,
      view(['POLICY_CATALOG', 'POLICY_SCHEMA', 'POLICY_NAME', 'POLICY_SIGNATURE', 'DELETED']),
    ],
    [`${USAGE}.TAGS`, view(['TAG_DATABASE', 'TAG_SCHEMA', 'TAG_NAME', 'DELETED'])],
    [
      `${USAGE}.USERS`,
      view(
        ['NAME', 'DEFAULT_ROLE', 'HAS_PASSWORD', 'HAS_MFA', 'DISABLED', 'DELETED_ON'],
        ['ALICE', 'ACCOUNTADMIN', 'true', 'false', 'false', null],
      ),
    ],
    [
      `${USAGE}.GRANTS_TO_USERS`,
      view(['ROLE', 'GRANTEE_NAME', 'DELETED_ON'], ['ACCOUNTADMIN', 'ALICE', null]),
    ],
    [
      `${USAGE}.GRANTS_TO_ROLES`,
      view(
        [
          'PRIVILEGE',
          'GRANTED_ON',
          'TABLE_CATALOG',
          'TABLE_SCHEMA',
          'NAME',
          'GRANTEE_NAME',
          'GRANTED_TO',
          'DELETED_ON',
        ],
        ['SELECT', 'TABLE', 'DB', 'S', 'CUSTOMERS', 'BOB', 'USER', null],
      ),
    ],
    [`${USAGE}.STAGES`, view(['STAGE_CATALOG', 'STAGE_SCHEMA', 'STAGE_NAME', 'DELETED'])],
    [
      `${USAGE}.TABLES`,
      view(
        ['TABLE_CATALOG', 'TABLE_SCHEMA', 'TABLE_NAME', 'DELETED'],
        ['DB', 'S', 'CUSTOMERS', null],
      ),
    ],
    [
      `${USAGE}.COLUMNS`,
      view(
        ['TABLE_CATALOG', 'TABLE_SCHEMA', 'TABLE_NAME', 'COLUMN_NAME', 'DATA_TYPE', 'DELETED'],
        ['DB', 'S', 'CUSTOMERS', 'EMAIL', 'TEXT', null],
      ),
    ],
  ]);
  const tables = new Map<string, Table>([
    ['SHOW ROLES', view(['name'], ['ANALYST'])],
    ['SHOW INTEGRATIONS', view(['name'])],
    [
      'SHOW PARAMETERS IN ACCOUNT',
      view(['key', 'value'], ['PREVENT_UNLOAD_TO_INLINE_URL', 'false']),
    ],
    ['SHOW WAREHOUSES', view(['name'])],
  ]);

  return { views, tables };
}
