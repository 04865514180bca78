/**
 * Hover, go to definition, references, symbols and completion of the built language server,
 * driven over stdio across a workspace of several migrations.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  CompletionItem,
  DocumentSymbol,
  Hover,
  Location,
  Position,
  WorkspaceSymbol,
} from 'vscode-languageserver-protocol/node';
import { completionContext } from '../server/src/engine/symbols';
import { TestClient } from './lsp-client';

const GOVERNANCE = [
  'CREATE ROLE pii_reader;',
  'CREATE MASKING POLICY crm.core.mask_email AS (val VARCHAR) RETURNS VARCHAR ->',
  "  CASE WHEN IS_ROLE_IN_SESSION('PII_READER') THEN val ELSE '*****' END;",
  "CREATE TAG crm.core.owner ALLOWED_VALUES 'crm';",
  "CREATE STAGE crm.core.landing URL = 's3://acme/landing/' STORAGE_INTEGRATION = s3_int;",
  '',
].join('\n');
const TABLES = [
  'CREATE TABLE crm.core.customers (',
  '  id NUMBER,',
  "  email VARCHAR WITH TAG (crm.core.owner = 'crm')",
  ');',
  'ALTER TABLE crm.core.customers MODIFY COLUMN email SET MASKING POLICY crm.core.mask_email;',
  'GRANT SELECT ON TABLE crm.core.customers TO ROLE pii_reader;',
  'COPY INTO crm.core.customers FROM @crm.core.landing/customers/;',
  '',
].join('\n');

/** Reads of the table in query bodies, beside a CTE and a function that only look like reads. */
const READS = [
  'CREATE VIEW crm.core.customer_emails AS',
  '  WITH customers AS (SELECT id, email FROM crm.core.customers WHERE id > 0)',
  '  SELECT c.email, EXTRACT(YEAR FROM CURRENT_DATE) AS y',
  '  FROM customers c JOIN crm.core.customers d ON c.id = d.id, crm.core.orders o;',
  'COPY INTO @crm.core.landing/out/ FROM (SELECT id FROM crm.core.customers);',
  'INSERT INTO crm.core.orders SELECT id FROM crm.core.orders, crm.core.customers AS c;',
  'GRANT ROLE pii_reader TO ROLE SYSADMIN;',
  '',
].join('\n');

/** The position of the first occurrence of `needle` in `text`, plus `shift` characters. */
function positionOf(text: string, needle: string, shift = 1): Position {
  const offset = text.indexOf(needle) + shift;
  const before = text.slice(0, offset).split('\n');

  return { line: before.length - 1, character: before[before.length - 1].length };
}

describe('language server navigation', function () {
  let folder: string;
  let client: TestClient;

  beforeEach(async function () {
    folder = mkdtempSync(join(tmpdir(), 'snowgov-nav-'));
    writeFileSync(join(folder, 'V1__governance.sql'), GOVERNANCE);
    writeFileSync(join(folder, 'V2__tables.sql'), TABLES);
    writeFileSync(join(folder, 'V3__reads.sql'), READS);
    client = await TestClient.start(folder);
    await client.open('V2__tables.sql', TABLES);
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') {
      console.error(`Server output:\n${client.transcript()}`);
    }
    client.kill();
    rmSync(folder, { recursive: true, force: true });
  });

  const at = (text: string, needle: string, shift?: number) => ({
    textDocument: { uri: client.uri('V2__tables.sql') },
    position: positionOf(text, needle, shift),
  });

  it('shows a column classification, its masking policy with where it was attached, and its tags', async function () {
    const hover = await client.request<Hover>('textDocument/hover', at(TABLES, 'email VARCHAR'));
    const text = (hover.contents as { value: string }).value;
    assert.match(text, /Column\*\* `EMAIL` of `CRM\.CORE\.CUSTOMERS`/);
    assert.match(text, /Classification: an email address \(judged by its name\)/);
    assert.match(text, /Masking: `CRM\.CORE\.MASK_EMAIL`, attached at .*V2__tables\.sql:5/);
    assert.match(text, /Tags: `CRM\.CORE\.OWNER = 'crm'`/);
  });

  it('shows the definition of a policy when hovering its use', async function () {
    const hover = await client.request<Hover>(
      'textDocument/hover',
      at(TABLES, 'crm.core.mask_email', 10),
    );
    const text = (hover.contents as { value: string }).value;
    assert.match(text, /Policy\*\* `CRM\.CORE\.MASK_EMAIL`, defined at .*V1__governance\.sql:2/);
    assert.match(text, /```sql\nCREATE MASKING POLICY crm\.core\.mask_email AS/);
  });

  it('goes to the definition of a policy, tag, role and stage in another migration', async function () {
    for (const [needle, line] of [
      ['crm.core.mask_email', 1],
      ['crm.core.owner', 3],
      ['pii_reader;', 0],
      ['crm.core.landing', 4],
    ] as const) {
      const locations = await client.request<Location[]>(
        'textDocument/definition',
        at(TABLES, needle, 3),
      );
      assert.equal(locations.length, 1, needle);
      assert.ok(locations[0].uri.endsWith('V1__governance.sql'), needle);
      assert.equal(locations[0].range.start.line, line, needle);
    }
  });

  it('goes to the column definition from an ALTER and finds its references', async function () {
    const definition = await client.request<Location[]>(
      'textDocument/definition',
      at(TABLES, 'COLUMN email', 8),
    );
    assert.deepEqual(
      definition.map((l) => l.range.start),
      [{ line: 2, character: 2 }],
    );
    const references = await client.request<Location[]>('textDocument/references', {
      ...at(TABLES, 'email VARCHAR'),
      context: { includeDeclaration: true },
    });
    assert.deepEqual(
      references.map((l) => l.range.start.line),
      [2, 4],
    );
  });

  it('finds every reference to a table across the workspace, reads in queries included', async function () {
    const references = await client.request<Location[]>('textDocument/references', {
      ...at(TABLES, 'crm.core.customers', 10),
      context: { includeDeclaration: false },
    });
    assert.deepEqual(
      references.map((l) => [l.uri.slice(l.uri.lastIndexOf('/') + 1), l.range.start]),
      [
        ['V2__tables.sql', { line: 4, character: 12 }],
        ['V2__tables.sql', { line: 5, character: 22 }],
        ['V2__tables.sql', { line: 6, character: 10 }],
        ['V3__reads.sql', { line: 1, character: 43 }],
        ['V3__reads.sql', { line: 3, character: 24 }],
        ['V3__reads.sql', { line: 4, character: 54 }],
        ['V3__reads.sql', { line: 5, character: 60 }],
      ],
    );
  });

  it('describes a Snowflake system role that no migration creates', async function () {
    const hover = await client.request<Hover>('textDocument/hover', {
      textDocument: { uri: client.uri('V3__reads.sql') },
      position: positionOf(READS, 'SYSADMIN', 2),
    });
    const text = (hover.contents as { value: string }).value;
    assert.match(text, /^\*\*Role\*\* `SYSADMIN`: a Snowflake system role\n\nCreates warehouses/);
    assert.doesNotMatch(text, /Not defined in the workspace/);

    // A role the workspace creates still shows its definition.
    const own = await client.request<Hover>('textDocument/hover', {
      textDocument: { uri: client.uri('V3__reads.sql') },
      position: positionOf(READS, 'pii_reader', 2),
    });
    assert.match((own.contents as { value: string }).value, /defined at .*V1__governance\.sql:1/);
  });

  it('outlines the statements of a file with the columns of its tables', async function () {
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', {
      textDocument: { uri: client.uri('V2__tables.sql') },
    });
    assert.deepEqual(
      symbols.map((s) => s.name),
      [
        'CREATE TABLE crm.core.customers',
        'ALTER TABLE crm.core.customers MODIFY COLUMN email SET MASKING POLICY crm.core.…',
        'GRANT SELECT ON TABLE crm.core.customers TO ROLE pii_reader',
        'COPY INTO crm.core.customers FROM @crm.core.landing/customers/',
      ],
    );
    assert.deepEqual(
      symbols[0].children?.map((c) => c.name),
      ['id', 'email'],
    );
  });

  it('calls a view a view in its hover', async function () {
    await client.open('V3__reads.sql', READS);
    const hover = await client.request<Hover>('textDocument/hover', {
      textDocument: { uri: client.uri('V3__reads.sql') },
      position: positionOf(READS, 'crm.core.customer_emails', 10),
    });

    assert.match(
      (hover.contents as { value: string }).value,
      /^\*\*View\*\* `CRM.CORE.CUSTOMER_EMAILS`/,
    );
  });

  it('never shows a secret in a hover or an outline name', async function () {
    const secrets = [
      "CREATE STAGE crm.core.keyed URL = 's3://acme/keyed/'",
      "  CREDENTIALS = (AWS_KEY_ID = 'AKIAHOVERLEAK0000000'",
      "    AWS_SECRET_KEY = 'HoverLeak/Secret+Value');",
      "CREATE USER robot PASSWORD = 'Sup3rS3cretPass' DEFAULT_ROLE = pii_reader;",
      "COPY INTO 's3://acme/o/?sig=SECRETSIGNATURE' FROM crm.core.customers;",
      'COPY INTO @crm.core.keyed/out/ FROM crm.core.customers;',
      '',
    ].join('\n');
    writeFileSync(join(folder, 'V4__secrets.sql'), secrets);
    await client.open('V4__secrets.sql', secrets);

    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', {
      textDocument: { uri: client.uri('V4__secrets.sql') },
    });
    const hover = await client.request<Hover>('textDocument/hover', {
      textDocument: { uri: client.uri('V4__secrets.sql') },
      position: positionOf(secrets, '@crm.core.keyed', 12),
    });
    const shown = [
      ...symbols.map((symbol) => symbol.name),
      (hover.contents as { value: string }).value,
    ].join('\n');

    assert.match(shown, /\*\*Stage\*\* `CRM.CORE.KEYED`/);
    assert.match(shown, /CREATE USER robot PASSWORD = '\*+'/);
    for (const secret of ['AKIAHOVERLEAK', 'HoverLeak/Secret', 'Sup3rS3cret', 'SECRETSIGNATURE']) {
      assert.ok(!shown.includes(secret), `${secret} is shown:\n${shown}`);
    }
  });

  it('lists the workspace definitions matching a query', async function () {
    const symbols = await client.request<WorkspaceSymbol[]>('workspace/symbol', { query: 'mask' });
    assert.deepEqual(
      symbols.map((s) => s.name),
      ['CRM.CORE.MASK_EMAIL'],
    );
  });

  it('completes policy, tag and role names where the grammar expects them', async function () {
    const lines = [
      'ALTER TABLE crm.core.customers MODIFY COLUMN id SET MASKING POLICY ',
      'ALTER TABLE crm.core.customers MODIFY COLUMN id SET TAG crm.core.o',
      'GRANT USAGE ON DATABASE crm TO ROLE ',
    ];
    await client.change('V2__tables.sql', [{ text: `${TABLES}${lines.join('\n')}\n` }]);
    const complete = async (index: number) => {
      const items = await client.request<CompletionItem[]>('textDocument/completion', {
        textDocument: { uri: client.uri('V2__tables.sql') },
        position: { line: 7 + index, character: lines[index].length },
      });

      return items.map((item) => item.label);
    };
    assert.deepEqual(await complete(0), ['CRM.CORE.MASK_EMAIL']);
    assert.deepEqual(await complete(1), ['CRM.CORE.OWNER']);
    assert.deepEqual(await complete(2), ['PII_READER']);
  });

  it('offers policies that only later migrations create last, saying where they are created', async function () {
    const later =
      'CREATE MASKING POLICY crm.core.mask_phone AS (val VARCHAR) RETURNS VARCHAR -> NULL;\n';
    await client.open('V3__phone_policy.sql', later);
    const line = 'ALTER TABLE crm.core.customers MODIFY COLUMN email SET MASKING POLICY crm.';
    const below =
      'CREATE MASKING POLICY crm.core.mask_ssn AS (val VARCHAR) RETURNS VARCHAR -> NULL;';
    await client.change('V2__tables.sql', [{ text: `${TABLES}${line}\n${below}\n` }]);

    const items = await client.request<CompletionItem[]>('textDocument/completion', {
      textDocument: { uri: client.uri('V2__tables.sql') },
      position: { line: 7, character: line.length },
    });

    assert.deepEqual(
      items.map((item) => [item.label, item.detail]),
      [
        ['CRM.CORE.MASK_EMAIL', 'policy'],
        ['CRM.CORE.MASK_PHONE', 'created later, in V3__phone_policy.sql'],
        ['CRM.CORE.MASK_SSN', 'created later, in V2__tables.sql'],
      ],
    );
    // The typed `crm.` is replaced with the whole name, not kept in front of it.
    assert.deepEqual(items[0].textEdit, {
      range: {
        start: { line: 7, character: line.length - 'crm.'.length },
        end: { line: 7, character: line.length },
      },
      newText: 'CRM.CORE.MASK_EMAIL',
    });
    const sortTexts = items.map((item) => item.sortText ?? '');
    assert.deepEqual(sortTexts, [...sortTexts].sort());
  });
});

describe('completion context', function () {
  it('recognises the places that take a policy, tag or role name', function () {
    assert.deepEqual(completionContext('  email VARCHAR WITH MASKING POLICY crm.'), {
      kind: 'policy',
      policyType: 'MASKING',
      prefix: 'crm.',
    });
    assert.deepEqual(completionContext("ALTER TABLE t SET TAG a.b = 'x', "), {
      kind: 'tag',
      prefix: '',
    });
    assert.deepEqual(completionContext('  id NUMBER WITH TAG (own'), {
      kind: 'tag',
      prefix: 'own',
    });
    assert.deepEqual(completionContext('GRANT SELECT ON TABLE t TO ROLE an'), {
      kind: 'role',
      prefix: 'an',
    });
    assert.equal(completionContext('SELECT email FROM '), undefined);
  });
});
