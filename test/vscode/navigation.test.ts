// Hover, go to definition, references, the outline and completion of the snowgov language
// server, asked through VS Code's own provider commands on the example migrations.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  assertUnchanged,
  diagnosticAbout,
  keepEditsUnsaved,
  migration,
  openMigration,
  positionOf,
  revertAll,
  snapshotWorkspace,
} from './support';

const ROLES = 'V1.0.0__platform_roles.sql';
const TABLES = 'V1.1.0__crm_tables.sql';
const MASKING = 'V1.2.0__masking.sql';
const GRANTS = 'V1.4.0__grants.sql';

/** The markdown of the snowgov hover at `needle` (plus `shift`) in a migration. */
async function hoverAt(file: string, needle: string, shift = 1): Promise<string> {
  const document = await vscode.workspace.openTextDocument(migration(file));
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
    'vscode.executeHoverProvider',
    document.uri,
    positionOf(document, needle, shift),
  );
  const texts = hovers.flatMap((hover) =>
    hover.contents.map((content) => (typeof content === 'string' ? content : content.value)),
  );
  assert.equal(texts.length, 1, `one hover expected at ${needle}: ${JSON.stringify(texts)}`);
  return texts[0];
}

/** Where a provider command sends us: `file:line` (1-based) and the text of the range. */
async function locationsAt(command: string, file: string, needle: string, shift = 1) {
  const document = await vscode.workspace.openTextDocument(migration(file));
  const found = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
    command,
    document.uri,
    positionOf(document, needle, shift),
  );
  return Promise.all(
    found.map(async (location) => {
      const uri = 'uri' in location ? location.uri : location.targetUri;
      const range = 'uri' in location ? location.range : location.targetRange;
      const target = await vscode.workspace.openTextDocument(uri);
      return {
        at: `${path.basename(uri.fsPath)}:${range.start.line + 1}`,
        text: target.getText(range),
        line: target.lineAt(range.start.line).text,
      };
    }),
  );
}

describe('snowgov navigation in VS Code', () => {
  let snapshot: Map<string, string>;

  before(async () => {
    snapshot = snapshotWorkspace();
    await keepEditsUnsaved();
    await openMigration(TABLES);
    await openMigration(MASKING);
    // Findings arrive once the whole workspace is analysed; navigation answers from that.
    await diagnosticAbout(migration(MASKING), 'unmasked-pii-column', 'SSN');
  });

  after(async () => {
    await revertAll();
    assertUnchanged(snapshot);
  });

  describe('hover', () => {
    it('shows a masked column: classification, evidence, policy and where it was attached', async () => {
      assert.equal(
        await hoverAt(TABLES, 'email VARCHAR(320)'),
        [
          '**Column** `EMAIL` of `CRM.CORE.CUSTOMERS`',
          'Type: `VARCHAR(320)`',
          'Classification: an email address (judged by its name)',
          'Masking: `CRM.GOVERNANCE.MASK_EMAIL`, attached at migrations/V1.1.0__crm_tables.sql:16',
          'Tags: none',
        ].join('\n\n'),
      );
    });

    it('names the later migration that attached a policy to a column', async () => {
      assert.equal(
        await hoverAt(TABLES, 'full_name VARCHAR'),
        [
          '**Column** `FULL_NAME` of `CRM.CORE.CUSTOMERS`',
          'Type: `VARCHAR(200)`',
          'Classification: a person name (judged by its name)',
          'Masking: `CRM.GOVERNANCE.MASK_STRING`, attached at migrations/V1.2.0__masking.sql:11',
          'Tags: none',
        ].join('\n\n'),
      );
    });

    it('shows masking through a tag, and the tag as evidence', async () => {
      assert.equal(
        await hoverAt(MASKING, 'street_address VARCHAR'),
        [
          '**Column** `STREET_ADDRESS` of `CRM.CORE.CUSTOMER_ADDRESSES`',
          'Type: `VARCHAR(400)`',
          "Classification: a street address (judged by tag PII_TYPE = 'address')",
          'Masking: `CRM.GOVERNANCE.MASK_STRING` through tag `CRM.GOVERNANCE.PII_TYPE` on the ' +
            'column, tag defined at migrations/V1.2.0__masking.sql:14',
          "Tags: `CRM.GOVERNANCE.PII_TYPE = 'address'`",
        ].join('\n\n'),
      );
    });

    it('says when personal data is not masked at all', async () => {
      assert.equal(
        await hoverAt(TABLES, 'phone_number VARCHAR'),
        [
          '**Column** `PHONE_NUMBER` of `CRM.CORE.CUSTOMERS`',
          'Type: `VARCHAR(32)`',
          'Classification: a phone number (judged by its name)',
          'Masking: none after all migrations',
          'Tags: none',
        ].join('\n\n'),
      );
    });

    it('shows the definition of a masking policy where it is used', async () => {
      assert.equal(
        await hoverAt(TABLES, 'crm.governance.mask_email,', 16),
        [
          '**Policy** `CRM.GOVERNANCE.MASK_EMAIL`, defined at migrations/V1.1.0__crm_tables.sql:7',
          '```sql',
          'CREATE MASKING POLICY IF NOT EXISTS crm.governance.mask_email AS (val VARCHAR) ' +
            'RETURNS VARCHAR ->',
          '  CASE',
          "    WHEN IS_ROLE_IN_SESSION('PII_READER') THEN val",
          "    ELSE REGEXP_REPLACE(val, '^[^@]+', '*****')",
          '  END',
          '```',
        ]
          .join('\n')
          .replace('\n```sql', '\n\n```sql'),
      );
    });

    it('shows the definition of a role from another migration', async () => {
      assert.equal(
        await hoverAt(GRANTS, 'ROLE pii_reader TO USER', 6),
        [
          '**Role** `PII_READER`, defined at migrations/V1.0.0__platform_roles.sql:6',
          '',
          '```sql',
          'CREATE ROLE IF NOT EXISTS pii_reader',
          '```',
        ].join('\n'),
      );
    });
  });

  describe('go to definition and references', () => {
    it('goes from a masking policy to its CREATE', async () => {
      assert.deepEqual(
        await locationsAt(
          'vscode.executeDefinitionProvider',
          MASKING,
          'SET MASKING POLICY crm.governance.mask_string;',
          30,
        ),
        [
          {
            at: 'V1.2.0__masking.sql:4',
            text: 'crm.governance.mask_string',
            line:
              'CREATE MASKING POLICY IF NOT EXISTS crm.governance.mask_string AS (val VARCHAR) ' +
              'RETURNS VARCHAR ->',
          },
        ],
      );
    });

    it('goes from a role to its CREATE ROLE in the first migration', async () => {
      assert.deepEqual(
        await locationsAt('vscode.executeDefinitionProvider', GRANTS, 'ROLE pii_reader', 6),
        [
          {
            at: `${ROLES}:6`,
            text: 'pii_reader',
            line: 'CREATE ROLE IF NOT EXISTS pii_reader;',
          },
        ],
      );
      assert.deepEqual(
        await locationsAt('vscode.executeDefinitionProvider', GRANTS, 'TO ROLE analyst', 9),
        [{ at: `${ROLES}:5`, text: 'analyst', line: 'CREATE ROLE IF NOT EXISTS analyst;' }],
      );
    });

    it('finds the definition and every use of a masking policy', async () => {
      const references = await locationsAt(
        'vscode.executeReferenceProvider',
        MASKING,
        'SET MASKING POLICY crm.governance.mask_string;',
        30,
      );
      assert.deepEqual(
        references.map(({ at, text }) => ({ at, text })),
        [
          { at: 'V1.2.0__masking.sql:4', text: 'crm.governance.mask_string' },
          { at: 'V1.2.0__masking.sql:11', text: 'crm.governance.mask_string' },
          { at: 'V1.2.0__masking.sql:15', text: 'crm.governance.mask_string' },
        ],
      );
    });
  });

  it('outlines the statements of a migration, with the columns of its tables', async () => {
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>(
      'vscode.executeDocumentSymbolProvider',
      migration(MASKING),
    );
    const { Event, Function, Constant, Struct } = vscode.SymbolKind;
    assert.deepEqual(
      symbols.map((symbol) => [symbol.name, symbol.kind, symbol.range.start.line + 1]),
      [
        ['USE ROLE SYSADMIN', Event, 2],
        ['CREATE MASKING POLICY IF NOT EXISTS crm.governance.mask_string', Function, 4],
        ['CREATE MASKING POLICY IF NOT EXISTS crm.governance.mask_birth_date', Function, 7],
        [
          'ALTER TABLE crm.core.customers MODIFY COLUMN full_name SET MASKING POLICY crm.g…',
          Event,
          10,
        ],
        [
          "CREATE TAG IF NOT EXISTS crm.governance.pii_type ALLOWED_VALUES 'address', 'nat…",
          Constant,
          14,
        ],
        [
          'ALTER TAG crm.governance.pii_type SET MASKING POLICY crm.governance.mask_string',
          Event,
          15,
        ],
        ['CREATE TABLE IF NOT EXISTS crm.core.customer_addresses', Struct, 17],
      ],
    );
    assert.deepEqual(
      symbols[6].children.map((column) => [column.name, column.range.start.line + 1]),
      [
        ['customer_id', 18],
        ['street_address', 20],
        ['city', 21],
        ['ssn', 23],
      ],
    );
  });

  describe('completion', () => {
    afterEach(revertAll);

    async function completeAfter(file: string, from: string, typed: string) {
      const editor = await openMigration(file);
      const start = positionOf(editor.document, from);
      const end = positionOf(editor.document, from, from.length);
      await editor.edit((edit) => edit.replace(new vscode.Range(start, end), typed));
      const list = await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        editor.document.uri,
        start.translate(0, typed.length),
      );
      // VS Code adds words from the document; snowgov's items say what kind of name they are,
      // or in which later migration they are created.
      const snowgov = (item: vscode.CompletionItem): boolean =>
        ['policy', 'role', 'tag'].includes(item.detail ?? '') ||
        (item.detail ?? '').startsWith('created later');
      const label = (item: vscode.CompletionItem): string =>
        typeof item.label === 'string' ? item.label : item.label.label;

      return list.items
        .filter(snowgov)
        .sort((a, b) => (a.sortText ?? label(a)).localeCompare(b.sortText ?? label(b)))
        .map((item) =>
          item.detail === undefined ? label(item) : `${label(item)}: ${item.detail}`,
        );
    }

    it('offers the masking policies after WITH MASKING POLICY, later ones last', async () => {
      assert.deepEqual(
        await completeAfter(
          TABLES,
          'phone_number VARCHAR(32),',
          'phone_number VARCHAR(32) WITH MASKING POLICY ',
        ),
        [
          'CRM.GOVERNANCE.MASK_EMAIL: policy',
          'CRM.GOVERNANCE.MASK_BIRTH_DATE: created later, in migrations/V1.2.0__masking.sql',
          'CRM.GOVERNANCE.MASK_STRING: created later, in migrations/V1.2.0__masking.sql',
        ],
      );
    });

    it('offers the roles after TO ROLE', async () => {
      assert.deepEqual(await completeAfter(GRANTS, 'TO USER jane_doe;', 'TO ROLE '), [
        'ANALYST: role',
        'LOADER: role',
        'PII_READER: role',
      ]);
    });
  });
});
