/**
 * Tables that no linted file creates: the catalog keeps what migrations do to them, and with an
 * account snapshot what the account says of them, without inventing columns.
 */
import assert from 'node:assert/strict';
import { allRules } from '../rules';
import { Workspace } from '../server/src/engine';
import type { AccountState } from '../server/src/engine/account-state';
import type { Catalog } from '../server/src/engine/model/catalog';
import { accountStateOf } from './helpers/account';
import { lintFiles } from './helpers/lint';

function catalogOf(files: Record<string, string>, account?: Partial<AccountState>): Catalog {
  const workspace = new Workspace(allRules);
  for (const [path, text] of Object.entries(files)) workspace.setFile(path, text);
  if (account) workspace.setAccountState(accountStateOf(account));

  return workspace.analyze().catalog;
}

function describeExternal(catalog: Catalog): string[] {
  return [...catalog.externalTables.values()].map((table) => {
    const columns = [...table.columns.values()].map(
      (column) => `${column.name}${column.maskingPolicy ? `[${column.maskingPolicy.policy}]` : ''}`,
    );

    return `${table.key}${table.columnsUnknown ? ' (more unknown)' : ''}: ${columns.join(', ')}`;
  });
}

function ruleLines(findings: Map<string, readonly { ruleId: string; start: { line: number } }[]>) {
  return [...findings].flatMap(([path, list]) =>
    list.map((finding) => `${path}:${finding.start.line + 1} ${finding.ruleId}`),
  );
}

describe('tables no linted file creates', () => {
  it('collects what ALTER TABLE does to them, and nothing else', () => {
    const catalog = catalogOf({
      'V1__alter.sql': [
        'USE SCHEMA hr.people;',
        'ALTER TABLE employees ADD COLUMN personal_email VARCHAR, nickname VARCHAR;',
        'ALTER TABLE employees MODIFY COLUMN phone_number SET MASKING POLICY hr.gov.mask_phone;',
        'ALTER TABLE employees DROP COLUMN nickname;',
        'ALTER TABLE legacy.core.a RENAME TO legacy.core.b;',
        'ALTER TABLE legacy.core.gone ADD COLUMN email VARCHAR;',
        'DROP TABLE legacy.core.gone;',
        'ALTER VIEW legacy.core.v SET SECURE;',
      ].join('\n'),
    });
    assert.deepEqual(describeExternal(catalog), [
      'HR.PEOPLE.EMPLOYEES (more unknown): PERSONAL_EMAIL, PHONE_NUMBER[HR.GOV.MASK_PHONE]',
      'LEGACY.CORE.B (more unknown): ',
    ]);
    // They are not tables the workspace defines.
    assert.equal(catalog.findTable('HR.PEOPLE.EMPLOYEES'), undefined);
  });

  it('leaves ALTER TABLE on a table a migration creates to that table', () => {
    const catalog = catalogOf({
      'V1__create.sql': 'CREATE TABLE hr.people.employees (id INT);',
      'V2__alter.sql': 'ALTER TABLE hr.people.employees ADD COLUMN email VARCHAR;',
    });
    assert.deepEqual(describeExternal(catalog), []);
    assert.deepEqual(
      [...(catalog.findTable('HR.PEOPLE.EMPLOYEES')?.columns.keys() ?? [])],
      ['ID', 'EMAIL'],
    );
  });

  it('starts from the account: its columns, policies and tag-based policies', () => {
    const catalog = catalogOf(
      { 'V1__alter.sql': 'ALTER TABLE hr.people.employees ADD COLUMN personal_email VARCHAR;' },
      {
        tables: ['HR.PEOPLE.EMPLOYEES'],
        columns: [
          { table: 'HR.PEOPLE.EMPLOYEES', column: 'EMAIL' },
          { table: 'HR.PEOPLE.EMPLOYEES', column: 'SSN' },
        ],
        policyReferences: [
          {
            policy: 'HR.GOV.MASK_EMAIL',
            kind: 'MASKING_POLICY',
            table: 'HR.PEOPLE.EMPLOYEES',
            column: 'EMAIL',
          },
          { policy: 'HR.GOV.MASK_PII', kind: 'MASKING_POLICY', table: 'HR.GOV.PII' },
          // A policy on a column the column listing missed still names a real column.
          {
            policy: 'HR.GOV.MASK_EMAIL',
            kind: 'MASKING_POLICY',
            table: 'SALES.CRM.LEADS',
            column: 'CONTACT_EMAIL',
          },
        ],
        tagReferences: [
          {
            tag: 'HR.GOV.PII',
            value: 'ssn',
            domain: 'COLUMN',
            object: 'HR.PEOPLE.EMPLOYEES',
            column: 'SSN',
          },
          { tag: 'HR.GOV.PII', domain: 'SCHEMA', object: 'HR.PEOPLE' },
        ],
      },
    );
    assert.deepEqual(describeExternal(catalog), [
      'HR.PEOPLE.EMPLOYEES: EMAIL[HR.GOV.MASK_EMAIL], SSN[HR.GOV.MASK_PII], PERSONAL_EMAIL',
      'SALES.CRM.LEADS (more unknown): CONTACT_EMAIL[HR.GOV.MASK_EMAIL]',
    ]);
  });

  it('does not count a column masked on such a table toward a forbidden combination', () => {
    const view =
      'CREATE VIEW crm.core.v AS SELECT date_of_birth, postal_code, gender FROM legacy.core.people;';
    const masking = 'ALTER TABLE legacy.core.people MODIFY COLUMN gender SET MASKING POLICY m;';
    assert.deepEqual(ruleLines(lintFiles({ 'V1__view.sql': view })), [
      'V1__view.sql:1 forbidden-projection',
    ]);
    assert.deepEqual(ruleLines(lintFiles({ 'V1__mask.sql': masking, 'V2__view.sql': view })), []);
  });

  it('judges a column masked in the account as masked, and one left clear as not', () => {
    const view =
      'CREATE VIEW crm.core.v AS SELECT date_of_birth, postal_code, gender FROM legacy.core.people;';
    const account = (masked: boolean): Partial<AccountState> => ({
      tables: ['LEGACY.CORE.PEOPLE'],
      columns: ['DATE_OF_BIRTH', 'POSTAL_CODE', 'GENDER'].map((column) => ({
        table: 'LEGACY.CORE.PEOPLE',
        column,
      })),
      policyReferences: masked
        ? [
            {
              policy: 'GOV.P.MASK_GENDER',
              kind: 'MASKING_POLICY',
              table: 'LEGACY.CORE.PEOPLE',
              column: 'GENDER',
            },
          ]
        : [],
    });
    const rules = (masked: boolean): string[] =>
      ruleLines(lintFiles({ 'V1__view.sql': view }, { account: account(masked) })).filter(
        (line) => !line.startsWith('<account>'),
      );
    assert.deepEqual(rules(false), ['V1__view.sql:1 forbidden-projection']);
    assert.deepEqual(rules(true), []);
  });
});
