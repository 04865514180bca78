/**
 * The unmasked-pii-column fix that creates its policy in the policies file the config names:
 * through the language server it arrives as a WorkspaceEdit that creates the file, and applied
 * it clears the finding; through autofix it creates the file only when the caller allows it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type CreateFile, FileChangeType, type TextDocumentEdit } from 'vscode-languageserver';
import { allRules } from '../rules';
import { Workspace, parseConfig } from '../server/src/engine';
import { autofix } from '../server/src/engine/autofix';
import { TestClient } from './lsp-client';

const CONFIG = `rules:
  unmasked-pii-column:
    options:
      policiesFile: migrations/R__masking_policies.sql
`;
const TABLE_FILE = 'migrations/V1.1__customers.sql';
const POLICIES_FILE = 'migrations/R__masking_policies.sql';
const TABLE = 'CREATE TABLE crm.core.customers (id NUMBER, email VARCHAR);\n';
const POLICIES =
  'CREATE MASKING POLICY IF NOT EXISTS CRM.CORE.MASK_EMAIL_VARCHAR AS (val VARCHAR) RETURNS ' +
  'VARCHAR ->\n' +
  "  CASE WHEN IS_ROLE_IN_SESSION('PII_READER') THEN val ELSE REGEXP_REPLACE(val, '^[^@]+', " +
  "'*****') END;\n" +
  'ALTER TABLE CRM.CORE.CUSTOMERS MODIFY COLUMN email SET MASKING POLICY ' +
  'CRM.CORE.MASK_EMAIL_VARCHAR FORCE;\n';

describe('policies file fix in the language server', function () {
  let folder: string;
  let client: TestClient;

  beforeEach(async function () {
    folder = mkdtempSync(join(tmpdir(), 'snowgov-lsp-policies-'));
    mkdirSync(join(folder, 'migrations'));
    writeFileSync(join(folder, 'snowgov.yml'), CONFIG);
    writeFileSync(join(folder, TABLE_FILE), TABLE);
    client = await TestClient.start(folder, {
      capabilities: {
        workspace: {
          workspaceFolders: true,
          workspaceEdit: { documentChanges: true, resourceOperations: ['create'] },
        },
      },
    });
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') {
      console.error(`Server output:\n${client.transcript()}`);
    }
    client.kill();
    rmSync(folder, { recursive: true, force: true });
  });

  it('creates the missing policies file and attaches the policy there, which clears the finding', async function () {
    const diagnostics = await client.open(TABLE_FILE, TABLE);
    const finding = diagnostics.find((diagnostic) => diagnostic.code === 'unmasked-pii-column');
    assert.ok(finding, JSON.stringify(diagnostics));

    const actions = await client.codeActions(TABLE_FILE, finding.range);
    const action = actions.find((candidate) => candidate.title.includes(POLICIES_FILE));
    assert.ok(action, actions.map((candidate) => candidate.title).join('\n'));
    assert.equal(
      action.title,
      `Create masking policy CRM.CORE.MASK_EMAIL_VARCHAR in ${POLICIES_FILE} and attach it there`,
    );
    const [create, edit] = (action.edit?.documentChanges ?? []) as [CreateFile, TextDocumentEdit];
    assert.deepEqual(create, {
      kind: 'create',
      uri: client.uri(POLICIES_FILE),
      options: { ignoreIfExists: true },
    });
    assert.equal(edit.textDocument.uri, client.uri(POLICIES_FILE));
    assert.deepEqual(
      edit.edits.map((textEdit) => [textEdit.range, 'newText' in textEdit && textEdit.newText]),
      [[{ start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, POLICIES]],
    );

    // What the editor does with the edit: it writes the new file, and the watcher reports it.
    writeFileSync(join(folder, POLICIES_FILE), POLICIES);
    const after = await client.fileChanged(POLICIES_FILE, FileChangeType.Created, TABLE_FILE);
    assert.deepEqual(
      after.filter((diagnostic) => diagnostic.code === 'unmasked-pii-column'),
      [],
    );
  });
});

describe('policies file of a snowgov.yml in another folder than the workspace folder', function () {
  let root: string;
  let client: TestClient | undefined;

  beforeEach(function () {
    root = mkdtempSync(join(tmpdir(), 'snowgov-lsp-policies-'));
    mkdirSync(join(root, '.git'));
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed' && client) {
      console.error(`Server output:\n${client.transcript()}`);
    }
    client?.kill();
    rmSync(root, { recursive: true, force: true });
  });

  /** The file the policies-file fix creates, with the fix's title, for a table file opened. */
  async function createdFile(folder: string, tableFile: string) {
    client = await TestClient.start(folder, {
      capabilities: {
        workspace: {
          workspaceFolders: true,
          workspaceEdit: { documentChanges: true, resourceOperations: ['create'] },
        },
      },
    });
    const diagnostics = await client.open(tableFile, TABLE);
    const finding = diagnostics.find((diagnostic) => diagnostic.code === 'unmasked-pii-column');
    assert.ok(finding, JSON.stringify(diagnostics));
    const actions = await client.codeActions(tableFile, finding.range);
    const action = actions.find((candidate) => candidate.title.startsWith('Create masking policy'));
    assert.ok(action, actions.map((candidate) => candidate.title).join('\n'));
    const [create] = (action.edit?.documentChanges ?? []) as [CreateFile];

    return { title: action.title, uri: create.uri };
  }

  it('resolves a nested snowgov.yml against its own folder', async function () {
    mkdirSync(join(root, 'examples', 'migrations'), { recursive: true });
    writeFileSync(join(root, 'examples', 'snowgov.yml'), CONFIG);
    writeFileSync(join(root, 'examples', TABLE_FILE), TABLE);

    const created = await createdFile(root, `examples/${TABLE_FILE}`);

    assert.equal(created.uri, pathToFileURL(join(root, 'examples', POLICIES_FILE)).href);
    assert.equal(
      created.title,
      `Create masking policy CRM.CORE.MASK_EMAIL_VARCHAR in examples/${POLICIES_FILE} and attach it there`,
    );
  });

  it('resolves the snowgov.yml above an opened subfolder against its own folder', async function () {
    mkdirSync(join(root, 'migrations'));
    writeFileSync(join(root, 'snowgov.yml'), CONFIG);
    writeFileSync(join(root, TABLE_FILE), TABLE);

    const created = await createdFile(join(root, 'migrations'), 'V1.1__customers.sql');

    assert.equal(created.uri, pathToFileURL(join(root, POLICIES_FILE)).href);
    assert.equal(
      created.title,
      'Create masking policy CRM.CORE.MASK_EMAIL_VARCHAR in R__masking_policies.sql and attach it there',
    );
  });
});

describe('policies file fix for a client that cannot create files', function () {
  let folder: string;
  let client: TestClient;

  afterEach(function () {
    if (this.currentTest?.state === 'failed') {
      console.error(`Server output:\n${client.transcript()}`);
    }
    client.kill();
    rmSync(folder, { recursive: true, force: true });
  });

  /** The titles of the unsafe fixes offered for the finding, with these workspace edit abilities. */
  async function fixTitles(workspaceEdit: object | undefined): Promise<string[]> {
    folder = mkdtempSync(join(tmpdir(), 'snowgov-lsp-policies-'));
    mkdirSync(join(folder, 'migrations'));
    writeFileSync(join(folder, 'snowgov.yml'), CONFIG);
    writeFileSync(join(folder, TABLE_FILE), TABLE);
    client = await TestClient.start(folder, {
      capabilities: {
        workspace: { workspaceFolders: true, ...(workspaceEdit && { workspaceEdit }) },
      },
    });
    const diagnostics = await client.open(TABLE_FILE, TABLE);
    const finding = diagnostics.find((diagnostic) => diagnostic.code === 'unmasked-pii-column');
    assert.ok(finding, JSON.stringify(diagnostics));
    const actions = await client.codeActions(TABLE_FILE, finding.range);

    return actions
      .filter((action) => action.kind === 'quickfix.snowgov.unsafe')
      .map((action) => action.title);
  }

  it('leaves out the fix that creates the policies file when the client lists no create operation', async function () {
    assert.deepEqual(
      await fixTitles({ documentChanges: true, resourceOperations: ['rename', 'delete'] }),
      [],
    );
  });

  it('leaves it out when the client takes no documentChanges, or says nothing of workspace edits', async function () {
    assert.deepEqual(await fixTitles({ resourceOperations: ['create'] }), []);
    client.kill();
    rmSync(folder, { recursive: true, force: true });
    assert.deepEqual(await fixTitles(undefined), []);
  });

  it('offers it when the client creates files through documentChanges', async function () {
    assert.deepEqual(await fixTitles({ documentChanges: true, resourceOperations: ['create'] }), [
      `Create masking policy CRM.CORE.MASK_EMAIL_VARCHAR in ${POLICIES_FILE} and attach it there`,
    ]);
  });
});

describe('policies file fix in autofix', function () {
  function workspace(): Workspace {
    const { config, problems } = parseConfig(CONFIG, 'snowgov.yml', allRules);
    assert.deepEqual(problems, []);
    const result = new Workspace(allRules, config);
    result.setFile(TABLE_FILE, TABLE);

    return result;
  }
  const options = { safeties: ['safe', 'unsafe'] as const, isWanted: () => true };

  it('creates the file when the caller can write new files, and then has nothing left to do', function () {
    const fixing = workspace();
    const result = autofix(fixing, fixing.analyze(), { ...options, createFiles: true });

    assert.deepEqual([...result.texts], [[POLICIES_FILE, POLICIES]]);
    const unmasked = [...result.analysis.findings.values()]
      .flat()
      .filter((finding) => finding.ruleId === 'unmasked-pii-column');
    assert.deepEqual(unmasked, []);
    const again = autofix(fixing, result.analysis, { ...options, createFiles: true });
    assert.deepEqual([...again.texts], []);
  });

  it('rejects the fix as editing an unknown file when the caller cannot create files', function () {
    const fixing = workspace();
    const result = autofix(fixing, fixing.analyze(), options);

    assert.deepEqual([...result.texts], []);
    assert.deepEqual(
      result.rejected.map((rejected) => [rejected.fix.title, rejected.reason]),
      [
        [
          `Create masking policy CRM.CORE.MASK_EMAIL_VARCHAR in ${POLICIES_FILE} and attach it there`,
          'unknown-file',
        ],
      ],
    );
    assert.deepEqual(fixing.paths, [TABLE_FILE]);
  });
});
