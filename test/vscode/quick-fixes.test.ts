// Applies snowgov's quick-fixes to the example migrations inside a real VS Code and checks the
// exact text they write and that the finding they fix goes away. Nothing is saved: every test
// reverts its edits, and the last hook proves the examples on disk are unchanged.
import * as assert from 'node:assert/strict';
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
  waitForFindings,
} from './support';

const GRANTS = 'V1.4.0__grants.sql';
const MASKING = 'V1.2.0__masking.sql';
const GRANTS_FINDINGS = ['grant-to-user@10', 'grant-to-user@13'];
const MASKING_FINDINGS = ['unmasked-pii-column@23'];

/** The policy snowgov writes for a national identifier stored as VARCHAR. */
const NATIONAL_ID_POLICY =
  'CREATE MASKING POLICY IF NOT EXISTS CRM.CORE.MASK_NATIONAL_ID_VARCHAR AS (val VARCHAR) ' +
  "RETURNS VARCHAR ->\n  CASE WHEN IS_ROLE_IN_SESSION('PII_READER') THEN val ELSE '*****' END;";

async function codeActionsFor(
  uri: vscode.Uri,
  diagnostic: vscode.Diagnostic,
): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
    'vscode.executeCodeActionProvider',
    uri,
    diagnostic.range,
  );
  return actions.filter((action): action is vscode.CodeAction => 'kind' in action);
}

/** Applies a code action the way the light bulb does: its edit, then its command if any. */
async function apply(action: vscode.CodeAction): Promise<void> {
  if (action.edit) assert.ok(await vscode.workspace.applyEdit(action.edit), action.title);
  if (action.command) {
    await vscode.commands.executeCommand(
      action.command.command,
      ...(action.command.arguments ?? []),
    );
  }
}

async function applyByTitle(
  uri: vscode.Uri,
  diagnostic: vscode.Diagnostic,
  title: string,
): Promise<void> {
  const actions = await codeActionsFor(uri, diagnostic);
  const action = actions.find((candidate) => candidate.title === title);
  assert.ok(action, `no "${title}" among ${JSON.stringify(actions.map((a) => a.title))}`);
  await apply(action);
}

/** The date a new suppression expires: snowgov proposes 90 days from today. */
function expiryFromToday(): string {
  return new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);
}

describe('snowgov quick-fixes in VS Code', () => {
  let snapshot: Map<string, string>;

  before(async () => {
    snapshot = snapshotWorkspace();
    await keepEditsUnsaved();
    // The server publishes findings for open documents only.
    await openMigration(MASKING);
    await openMigration(GRANTS);
  });

  afterEach(async () => {
    await revertAll();
    // The reverted texts give the original findings again.
    await waitForFindings(migration(GRANTS), GRANTS_FINDINGS);
    await waitForFindings(migration(MASKING), MASKING_FINDINGS);
  });

  after(async () => {
    await revertAll();
    assertUnchanged(snapshot);
  });

  it('moves a privilege granted to a user onto a new role', async () => {
    const editor = await openMigration(GRANTS);
    const uri = editor.document.uri;
    const original = editor.document.getText();
    const finding = await diagnosticAbout(uri, 'grant-to-user', 'JANE_DOE');
    assert.equal(finding.range.start.line + 1, 10);

    await applyByTitle(
      uri,
      finding,
      'Grant to a new role JANE_DOE_ACCESS instead ' +
        '(grant the role to JANE_DOE through your identity provider)',
    );

    // The new role goes above the comment that belongs to the grant, which stays with it.
    const comment = '-- Problem: a privilege granted straight to a person.\n';
    const expected = original.replace(
      `${comment}GRANT SELECT ON TABLE crm.core.customers TO USER jane_doe;`,
      `CREATE ROLE IF NOT EXISTS JANE_DOE_ACCESS;\n${comment}` +
        'GRANT SELECT ON TABLE crm.core.customers TO ROLE JANE_DOE_ACCESS;',
    );
    assert.notEqual(expected, original);
    assert.equal(editor.document.getText(), expected);
    // The fixed grant has no finding; the role granted to John Smith (one line lower) still has.
    await waitForFindings(uri, ['grant-to-user@14']);
  });

  it('creates a masking policy for an unmasked national identifier and attaches it inline', async () => {
    const editor = await openMigration(MASKING);
    const uri = editor.document.uri;
    const original = editor.document.getText();
    const finding = await diagnosticAbout(uri, 'unmasked-pii-column', 'SSN');

    await applyByTitle(
      uri,
      finding,
      'Create masking policy CRM.CORE.MASK_NATIONAL_ID_VARCHAR and attach it inline',
    );

    const expected = original
      .replace(
        'CREATE TABLE IF NOT EXISTS crm.core.customer_addresses (',
        `${NATIONAL_ID_POLICY}\n\nCREATE TABLE IF NOT EXISTS crm.core.customer_addresses (`,
      )
      .replace(
        '  ssn VARCHAR(11)\n',
        '  ssn VARCHAR(11) WITH MASKING POLICY CRM.CORE.MASK_NATIONAL_ID_VARCHAR\n',
      );
    assert.equal(editor.document.getText(), expected);
    await waitForFindings(uri, []);
  });

  it('creates the policy and attaches it with ALTER TABLE after the CREATE', async () => {
    const editor = await openMigration(MASKING);
    const uri = editor.document.uri;
    const original = editor.document.getText();
    const finding = await diagnosticAbout(uri, 'unmasked-pii-column', 'SSN');

    await applyByTitle(
      uri,
      finding,
      'Create masking policy CRM.CORE.MASK_NATIONAL_ID_VARCHAR and attach it with ALTER TABLE ' +
        '(table already created)',
    );

    assert.ok(original.endsWith('  ssn VARCHAR(11)\n);\n'));
    const expected =
      original.slice(0, -1) +
      `\n${NATIONAL_ID_POLICY}\n` +
      'ALTER TABLE crm.core.customer_addresses MODIFY COLUMN ssn ' +
      'SET MASKING POLICY CRM.CORE.MASK_NATIONAL_ID_VARCHAR;\n';
    assert.equal(editor.document.getText(), expected);
    await waitForFindings(uri, []);
  });

  it('tags an unmasked column so that tag-based masking applies', async () => {
    const editor = await openMigration(MASKING);
    const uri = editor.document.uri;
    const original = editor.document.getText();
    const finding = await diagnosticAbout(uri, 'unmasked-pii-column', 'SSN');

    await applyByTitle(
      uri,
      finding,
      'Tag the column with CRM.GOVERNANCE.PII_TYPE, whose masking policy fits it',
    );

    const expected =
      original.slice(0, -1) +
      "\nALTER TABLE crm.core.customer_addresses MODIFY COLUMN ssn SET TAG CRM.GOVERNANCE.PII_TYPE = 'national_id';\n";
    assert.equal(editor.document.getText(), expected);
    await waitForFindings(uri, []);
  });

  it('suppresses a finding through the editor, with the cursor on the reason', async () => {
    const editor = await openMigration(GRANTS);
    const uri = editor.document.uri;
    const original = editor.document.getText();
    const finding = await diagnosticAbout(uri, 'grant-to-user', 'JANE_DOE');
    editor.selection = new vscode.Selection(finding.range.start, finding.range.start);

    await suppressAtCursor();

    const directive = `-- snowgov-ignore grant-to-user reason="" until=${expiryFromToday()}`;
    const grant = 'GRANT SELECT ON TABLE crm.core.customers TO USER jane_doe;';
    await waitForText(editor.document, original.replace(grant, `${directive}\n${grant}`));
    assertCursorAt(editor, positionOf(editor.document, 'reason=""', 'reason="'.length));
    // An empty reason does not excuse anything yet: the directive itself is reported.
    await waitForFindings(uri, ['invalid-suppression@10', 'grant-to-user@11', 'grant-to-user@14']);

    // Typing goes straight into the reason, which excuses the finding.
    await vscode.commands.executeCommand('type', { text: 'temporary access for the Q4 audit' });
    assert.match(
      editor.document.lineAt(9).text,
      /^-- snowgov-ignore grant-to-user reason="temporary access for the Q4 audit" until=/,
    );
    await waitForFindings(uri, ['grant-to-user@14']);
  });

  it('moves an indented statement that shares its line below the new directive', async () => {
    const editor = await openMigration(GRANTS);
    const uri = editor.document.uri;
    const views = 'GRANT SELECT ON ALL VIEWS IN SCHEMA crm.analytics TO ROLE analyst;';
    const grant = 'GRANT SELECT ON TABLE crm.core.customers TO USER jane_doe;';
    const shared = editor.document
      .getText()
      .replace(`\n${views}`, `\n  ${views}`)
      .replace(`\n\n-- Problem: a privilege granted straight to a person.\n${grant}`, `  ${grant}`);
    await editor.edit((edit) =>
      edit.replace(new vscode.Range(0, 0, editor.document.lineCount, 0), shared),
    );
    await waitForFindings(uri, ['grant-to-user@7', 'grant-to-user@10']);
    const finding = await diagnosticAbout(uri, 'grant-to-user', 'JANE_DOE');
    editor.selection = new vscode.Selection(finding.range.start, finding.range.start);

    await suppressAtCursor();

    // The editor must not indent the snippet's lines a second time.
    const directive = `-- snowgov-ignore grant-to-user reason="" until=${expiryFromToday()}`;
    await waitForText(
      editor.document,
      shared.replace(`${views}  ${grant}`, `${views}\n  ${directive}\n  ${grant}`),
    );
    assertCursorAt(editor, positionOf(editor.document, 'reason=""', 'reason="'.length));
  });
});

/** Runs the suppress action at the cursor through the editor's own command, as a keybinding does. */
async function suppressAtCursor(): Promise<void> {
  await vscode.commands.executeCommand('editor.action.codeAction', {
    kind: 'quickfix.snowgov.suppress',
    apply: 'first',
  });
}

function assertCursorAt(editor: vscode.TextEditor, position: vscode.Position): void {
  const { active, anchor } = editor.selection;
  assert.deepEqual(
    [active.line, active.character, anchor.line, anchor.character],
    [position.line, position.character, position.line, position.character],
    'the cursor should wait inside reason=""',
  );
}

/** Commands that apply edits may return before the document shows them. */
async function waitForText(document: vscode.TextDocument, expected: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (document.getText() !== expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.equal(document.getText(), expected);
}
