/**
 * Diagnostics for files no editor shows (`diagnosticsScope`): published after indexing, kept
 * current when an edit elsewhere changes them, cleared when a file goes, and only sent when they
 * change. Runs the built `out/server.js`, so run `npm run build` first.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Diagnostic, FileChangeType } from 'vscode-languageserver-protocol/node';
import { TestClient } from './lsp-client';

const TABLES = 'CREATE TABLE crm.core.customers (id NUMBER, email VARCHAR);\n';
const POLICY = [
  'CREATE MASKING POLICY crm.core.mask_email AS (val VARCHAR) RETURNS VARCHAR ->',
  "  CASE WHEN IS_ROLE_IN_SESSION('PII_READER') THEN val ELSE '*****' END;",
  '',
].join('\n');
const ATTACH =
  'ALTER TABLE crm.core.customers MODIFY COLUMN email SET MASKING POLICY crm.core.mask_email;\n';
const GRANTS = 'GRANT SELECT ON TABLE crm.core.customers TO USER alice;\n';

const codes = (diagnostics: readonly Diagnostic[]) => diagnostics.map((d) => d.code);

/** The diagnostics last published for a file, waiting for the first that `accept` takes. */
async function settled(
  client: TestClient,
  fileName: string,
  accept: (diagnostics: Diagnostic[]) => boolean,
): Promise<Diagnostic[]> {
  const uri = client.uri(fileName);
  const last = client.published.filter((params) => params.uri === uri).at(-1);
  if (last && accept(last.diagnostics)) return last.diagnostics;
  for (;;) {
    const next = await client.nextDiagnostics(fileName);
    if (accept(next)) return next;
  }
}

function publishCount(client: TestClient, fileName: string): number {
  const uri = client.uri(fileName);

  return client.published.filter((params) => params.uri === uri).length;
}

describe('language server diagnostics for the whole workspace', function () {
  this.timeout(30_000);
  let folder: string;
  let client: TestClient | undefined;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'snowgov-workspace-'));
    writeFileSync(join(folder, 'V1__tables.sql'), TABLES);
    writeFileSync(join(folder, 'V2__masking.sql'), POLICY);
    writeFileSync(join(folder, 'V3__grants.sql'), GRANTS);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && client) console.log(client.transcript());
    await client?.shutdown().catch(() => client?.kill());
    client = undefined;
    rmSync(folder, { recursive: true, force: true });
  });

  it('publishes the findings of files nobody opened once the workspace is indexed', async () => {
    client = await TestClient.start(folder);

    const tables = await settled(client, 'V1__tables.sql', (d) => d.length > 0);
    const grants = await settled(client, 'V3__grants.sql', (d) => d.length > 0);

    assert.deepEqual(codes(tables), ['unmasked-pii-column']);
    assert.equal(tables[0].range.start.line, 0);
    assert.deepEqual(codes(grants), ['grant-to-user']);
    // A file without findings is never sent an empty list it already shows.
    assert.equal(publishCount(client, 'V2__masking.sql'), 0);
  });

  it('publishes a closed file again when an edit in an open one changes its findings', async () => {
    client = await TestClient.start(folder);
    await settled(client, 'V1__tables.sql', (d) => d.length === 1);
    await settled(client, 'V3__grants.sql', (d) => d.length === 1);
    assert.deepEqual(await client.open('V2__masking.sql', POLICY), []);

    // Attaching the policy in the open migration masks the column the closed one creates.
    const cleared = client.nextDiagnostics('V1__tables.sql');
    const edited = await client.change('V2__masking.sql', [
      { range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, text: ATTACH },
    ]);
    assert.deepEqual(edited, []);
    assert.deepEqual(await cleared, []);

    // The same judgement found the grants file unchanged, so it was not sent again.
    assert.equal(publishCount(client, 'V3__grants.sql'), 1);

    // Undoing the edit brings the finding back in the closed file.
    const back = client.nextDiagnostics('V1__tables.sql');
    await client.change('V2__masking.sql', [
      { range: { start: { line: 2, character: 0 }, end: { line: 3, character: 0 } }, text: '' },
    ]);
    assert.deepEqual(codes(await back), ['unmasked-pii-column']);
  });

  it('keeps a closed document judged and clears a deleted file', async () => {
    client = await TestClient.start(folder);
    await settled(client, 'V3__grants.sql', (d) => d.length === 1);

    // Closing a document with an unsaved edit shows its disk text's findings again.
    await client.open('V3__grants.sql', GRANTS);
    assert.deepEqual(
      await client.change('V3__grants.sql', [
        { range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, text: '' },
      ]),
      [],
    );
    const reopened = client.nextDiagnostics('V3__grants.sql');
    await client.close('V3__grants.sql');
    assert.deepEqual(codes(await reopened), ['grant-to-user']);

    unlinkSync(join(folder, 'V3__grants.sql'));
    const deleted = await client.fileChanged(
      'V3__grants.sql',
      FileChangeType.Deleted,
      'V3__grants.sql',
    );
    assert.deepEqual(deleted, []);
  });

  it('clears a closed file that the config comes to exclude', async () => {
    client = await TestClient.start(folder);
    await settled(client, 'V3__grants.sql', (d) => d.length === 1);

    writeFileSync(join(folder, 'snowgov.yaml'), 'exclude:\n  - V3__*.sql\n');
    const cleared = await client.fileChanged(
      'snowgov.yaml',
      FileChangeType.Created,
      'V3__grants.sql',
    );
    assert.deepEqual(cleared, []);
    // The file that stays in view keeps its finding, and is not sent it again.
    assert.equal(publishCount(client, 'V1__tables.sql'), 1);
  });

  it('publishes only open documents with the scope openFiles', async () => {
    client = await TestClient.start(folder, {
      initializationOptions: { diagnosticsScope: 'openFiles' },
    });
    assert.deepEqual(codes(await client.open('V3__grants.sql', GRANTS)), ['grant-to-user']);

    // Nothing announces that a closed file will not be judged, so wait past the quiet spell
    // after which it would have been (300 ms) before checking that nothing else was sent.
    await sleep(1000);
    const uris = new Set(client.published.map((params) => params.uri));
    assert.deepEqual([...uris], [client.uri('V3__grants.sql')]);
  });
});
