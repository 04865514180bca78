/**
 * End-to-end tests of the built language server (`out/server.js`, so run `npm run build` first),
 * driven over stdio as an editor drives it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Diagnostic,
  DiagnosticSeverity,
  FileChangeType,
  MessageType,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { TestClient } from './lsp-client';

const TABLES = [
  'CREATE TABLE crm.core.customers (id NUMBER, email VARCHAR);',
  'CREATE TABLE crm.core.leads (id NUMBER, email VARCHAR);',
  '',
].join('\n');
const GRANTS = 'GRANT SELECT ON TABLE crm.core.customers TO USER alice;\n';
const MASKING = [
  'CREATE MASKING POLICY crm.core.mask_email AS (val VARCHAR) RETURNS VARCHAR ->',
  "  CASE WHEN IS_ROLE_IN_SESSION('PII_READER') THEN val ELSE '*****' END;",
  'ALTER TABLE crm.core.leads MODIFY COLUMN email SET MASKING POLICY crm.core.mask_email;',
  '',
].join('\n');

const GRANT_MESSAGE =
  'SELECT on TABLE CRM.CORE.CUSTOMERS is granted directly to user ALICE. Grant it to a role and ' +
  'give people the role, so that access is reviewed and revoked in one place.';

function unmaskedEmailMessage(table: string): string {
  return (
    `Column EMAIL of ${table} holds an email address (judged by its name), and after all ` +
    'migrations no masking policy protects it, directly or through a tag. Every role that can ' +
    'read the table sees clear values.'
  );
}

function ruleLink(ruleId: string): { href: string } {
  return { href: `https://github.com/snowgov/snowgov/blob/main/rules/${ruleId}/README.md` };
}

/** Only what a test pins; `data` and `tags` are not part of the contract. */
function summary(diagnostics: Diagnostic[]): object[] {
  return diagnostics.map(({ range, severity, source, code, codeDescription, message }) => ({
    range,
    severity,
    source,
    code,
    codeDescription,
    message,
  }));
}

/** Applies LSP edits to a text with `\n` line ends, back to front as an editor does. */
function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = text.split('\n');
  const offsetOf = (line: number, character: number): number =>
    lines.slice(0, line).reduce((sum, current) => sum + current.length + 1, 0) + character;
  const sorted = [...edits].sort(
    (a, b) =>
      offsetOf(b.range.start.line, b.range.start.character) -
      offsetOf(a.range.start.line, a.range.start.character),
  );
  let result = text;
  for (const edit of sorted) {
    const start = offsetOf(edit.range.start.line, edit.range.start.character);
    const end = offsetOf(edit.range.end.line, edit.range.end.character);
    result = result.slice(0, start) + edit.newText + result.slice(end);
  }

  return result;
}

describe('language server over stdio', function () {
  let folder: string;
  let client: TestClient;

  beforeEach(async function () {
    folder = mkdtempSync(join(tmpdir(), 'snowgov-lsp-'));
    writeFileSync(join(folder, 'V1__tables.sql'), TABLES);
    writeFileSync(join(folder, 'V2__grants.sql'), GRANTS);
    writeFileSync(join(folder, 'V3__masking.sql'), MASKING);
    client = await TestClient.start(folder);
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') {
      console.error(`Server output:\n${client.transcript()}`);
    }
    client.kill();
    rmSync(folder, { recursive: true, force: true });
  });

  it('publishes a finding with its rule code, range, message and documentation link', async function () {
    const diagnostics = await client.open('V2__grants.sql', GRANTS);

    assert.deepEqual(summary(diagnostics), [
      {
        range: { start: { line: 0, character: 44 }, end: { line: 0, character: 54 } },
        severity: DiagnosticSeverity.Error,
        source: 'snowgov',
        code: 'grant-to-user',
        codeDescription: ruleLink('grant-to-user'),
        message: GRANT_MESSAGE,
      },
    ]);
  });

  it('offers the rule fix as an unsafe quick fix whose edit clears the finding', async function () {
    const [diagnostic] = await client.open('V2__grants.sql', GRANTS);
    const actions = await client.codeActions('V2__grants.sql', {
      start: { line: 0, character: 50 },
      end: { line: 0, character: 50 },
    });

    assert.deepEqual(
      actions.map((candidate) => candidate.title),
      [
        'Grant to a new role ALICE_ACCESS instead ' +
          '(grant the role to ALICE through your identity provider)',
        'Suppress grant-to-user with a reason',
      ],
    );
    const [action] = actions;
    assert.equal(action.kind, 'quickfix.snowgov.unsafe');
    assert.deepEqual(action.data, { ruleId: 'grant-to-user', safety: 'unsafe' });
    assert.equal(action.isPreferred, undefined, 'an unsafe fix is never preferred');
    assert.deepEqual(action.diagnostics, [diagnostic]);
    const uri = client.uri('V2__grants.sql');
    assert.deepEqual(Object.keys(action.edit?.changes ?? {}), [uri]);
    const edits = action.edit?.changes?.[uri] ?? [];
    assert.deepEqual(edits, [
      {
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        newText: 'CREATE ROLE IF NOT EXISTS ALICE_ACCESS;\n',
      },
      {
        range: { start: { line: 0, character: 44 }, end: { line: 0, character: 54 } },
        newText: 'ROLE ALICE_ACCESS',
      },
    ]);
    assert.equal(
      applyTextEdits(GRANTS, edits),
      'CREATE ROLE IF NOT EXISTS ALICE_ACCESS;\n' +
        'GRANT SELECT ON TABLE crm.core.customers TO ROLE ALICE_ACCESS;\n',
    );

    // Incremental changes apply in order, so the later edit goes first to keep ranges valid.
    const after = await client.change(
      'V2__grants.sql',
      [...edits].reverse().map(({ range, newText }) => ({ range, text: newText })),
    );

    assert.deepEqual(after, []);
  });

  it('offers no fix outside the finding and no fix-all when no fix is safe', async function () {
    await client.open('V2__grants.sql', GRANTS);
    const atStart = await client.codeActions('V2__grants.sql', {
      start: { line: 0, character: 0 },
      end: { line: 0, character: 5 },
    });
    const fixAll = await client.codeActions(
      'V2__grants.sql',
      { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } },
      ['source.fixAll'],
    );

    assert.deepEqual(atStart, []);
    assert.deepEqual(fixAll, []);
  });

  it('removes directives that excuse nothing with fix-all', async function () {
    const text = `-- snowgov-ignore unsafe-stage, grant-option reason="Old"\n${GRANTS}`;
    await client.open('V2__grants.sql', text);
    const [fixAll] = await client.codeActions(
      'V2__grants.sql',
      { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } },
      ['source.fixAll'],
    );

    assert.equal(fixAll?.kind, 'source.fixAll.snowgov');
    assert.deepEqual(fixAll?.edit?.changes?.[client.uri('V2__grants.sql')], [
      { range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, newText: '' },
    ]);
  });

  it('judges an opened migration against policies attached in unopened ones', async function () {
    const diagnostics = await client.open('V1__tables.sql', TABLES);

    // LEADS.EMAIL is masked by V3__masking.sql, which was never opened.
    assert.deepEqual(summary(diagnostics), [
      {
        range: { start: { line: 0, character: 44 }, end: { line: 0, character: 49 } },
        severity: DiagnosticSeverity.Error,
        source: 'snowgov',
        code: 'unmasked-pii-column',
        codeDescription: ruleLink('unmasked-pii-column'),
        message: unmaskedEmailMessage('CRM.CORE.CUSTOMERS'),
      },
    ]);

    unlinkSync(join(folder, 'V3__masking.sql'));
    const afterDelete = await client.fileChanged(
      'V3__masking.sql',
      FileChangeType.Deleted,
      'V1__tables.sql',
    );

    assert.deepEqual(
      afterDelete.map((diagnostic) => [diagnostic.code, diagnostic.range.start.line]),
      [
        ['unmasked-pii-column', 0],
        ['unmasked-pii-column', 1],
      ],
    );
    assert.equal(afterDelete[1].message, unmaskedEmailMessage('CRM.CORE.LEADS'));
  });

  it('uses the text of an open document over its disk text for other documents', async function () {
    await client.open('V1__tables.sql', TABLES);
    await client.open('V3__masking.sql', MASKING);
    const tablesAfter = client.nextDiagnostics('V1__tables.sql');

    // Drops the ALTER TABLE line, so the policy is never attached; the file on disk keeps it.
    await client.change('V3__masking.sql', [
      { range: { start: { line: 2, character: 0 }, end: { line: 3, character: 0 } }, text: '' },
    ]);

    assert.deepEqual(
      (await tablesAfter).map((diagnostic) => diagnostic.range.start.line),
      [0, 1],
    );
  });

  it('analyses untitled snowflake-sql documents', async function () {
    const diagnostics = await client.open('untitled:Untitled-1', GRANTS, 'snowflake-sql');

    assert.deepEqual(
      diagnostics.map((diagnostic) => diagnostic.code),
      ['grant-to-user'],
    );
  });

  it('shuts down cleanly when asked to', async function () {
    assert.equal(await client.shutdown(), 0);
  });
});

describe('language server settings', function () {
  let folder: string;
  let client: TestClient;

  beforeEach(async function () {
    folder = mkdtempSync(join(tmpdir(), 'snowgov-lsp-config-'));
    writeFileSync(join(folder, 'V2__grants.sql'), GRANTS);
    writeFileSync(join(folder, 'snowgov.yaml'), 'rules:\n  grant-to-usr: warning\n');
    client = await TestClient.start(folder);
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') {
      console.error(`Server output:\n${client.transcript()}`);
    }
    client.kill();
    rmSync(folder, { recursive: true, force: true });
  });

  it('warns once about a config problem, naming the file and line', async function () {
    // Diagnostics follow the workspace load, and notifications arrive in order, so any warning
    // about the settings has arrived by then.
    await client.open('V2__grants.sql', GRANTS);
    const expected = "snowgov.yaml, line 2: Unknown rule 'grant-to-usr'.";

    assert.equal(client.messages.length, 1);
    assert.equal(client.messages[0].type, MessageType.Warning);
    assert.ok(
      client.messages[0].message.includes(expected),
      `"${client.messages[0].message}" should include "${expected}"`,
    );
    assert.ok(client.logs.some((line) => line.includes(expected)));

    // Reloading the unchanged file finds the same problem, which is not shown a second time.
    await client.fileChanged('snowgov.yaml', FileChangeType.Changed, 'V2__grants.sql');

    assert.equal(client.messages.length, 1);
  });

  it('shows config problems on the file and keeps the last valid settings', async function () {
    writeFileSync(join(folder, 'snowgov.yaml'), 'rules:\n  grant-to-user: warning\n');
    await client.open('V2__grants.sql', GRANTS);
    await client.fileChanged('snowgov.yaml', FileChangeType.Changed, 'V2__grants.sql');
    const configUri = client.uri('snowgov.yaml');
    const published = () => client.published.filter((params) => params.uri === configUri).at(-1);

    writeFileSync(join(folder, 'snowgov.yaml'), 'rules:\n  grant-to-user: [warning\n');
    const broken = await client.fileChanged(
      'snowgov.yaml',
      FileChangeType.Changed,
      'V2__grants.sql',
    );
    const problem = published()?.diagnostics ?? [];

    assert.deepEqual(
      broken.map((diagnostic) => diagnostic.severity),
      [DiagnosticSeverity.Warning],
      'the severity the file set before its mistake still holds',
    );
    assert.equal(problem.length, 1);
    assert.equal(problem[0].severity, DiagnosticSeverity.Error);
    assert.equal(problem[0].range.start.line, 2);
    assert.ok(client.logs.some((line) => line.includes('with the last valid settings, since')));

    writeFileSync(join(folder, 'snowgov.yaml'), 'rules:\n  grant-to-user: info\n');
    const fixed = await client.fileChanged(
      'snowgov.yaml',
      FileChangeType.Changed,
      'V2__grants.sql',
    );

    assert.deepEqual(
      fixed.map((diagnostic) => diagnostic.severity),
      [DiagnosticSeverity.Information],
    );
    assert.deepEqual(published()?.diagnostics, []);
  });

  it('applies the settings of the workspace config file', async function () {
    writeFileSync(join(folder, 'snowgov.yaml'), 'rules:\n  grant-to-user: warning\n');
    await client.open('V2__grants.sql', GRANTS);
    const diagnostics = await client.fileChanged(
      'snowgov.yaml',
      FileChangeType.Changed,
      'V2__grants.sql',
    );

    assert.deepEqual(
      diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity]),
      [['grant-to-user', DiagnosticSeverity.Warning]],
    );
  });

  it('judges a file in a folder with its own snowgov.yml by that file', async function () {
    writeFileSync(join(folder, 'snowgov.yaml'), 'rules:\n  grant-to-user: error\n');
    await client.open('V2__grants.sql', GRANTS);
    await client.fileChanged('snowgov.yaml', FileChangeType.Changed, 'V2__grants.sql');
    mkdirSync(join(folder, 'sandbox'));
    writeFileSync(join(folder, 'sandbox', 'snowgov.yml'), 'rules:\n  grant-to-user: info\n');
    const diagnostics = await client.open('sandbox/V3__grants.sql', GRANTS);

    assert.deepEqual(
      diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity]),
      [['grant-to-user', DiagnosticSeverity.Information]],
    );
  });
});
