import assert from 'node:assert/strict';
import type { TextEdit } from 'vscode-languageserver';
import { allRules } from '../rules';
import { type Finding, LineIndex, Workspace, applyEdits } from '../server/src/engine';
import { autofix } from '../server/src/engine/autofix';
import { FIX_ALL_KIND, codeActionsFor } from '../server/src/lsp/code-actions';

/** Two tables in one migration, each with a phone number that needs the same new policy. */
const TWO_PHONES = [
  'CREATE TABLE analytics.crm.customers (',
  '  id NUMBER,',
  '  phone VARCHAR',
  ');',
  'CREATE TABLE analytics.crm.leads (',
  '  id NUMBER,',
  '  mobile VARCHAR',
  ');',
  'GRANT SELECT ON TABLE analytics.crm.leads TO USER report_bot;',
  '',
].join('\n');

const CREATE_POLICY = /CREATE MASKING POLICY IF NOT EXISTS ANALYTICS\.CRM\.MASK_PHONE_VARCHAR/g;

function workspaceWith(text: string): Workspace {
  const workspace = new Workspace(allRules);
  workspace.setFile('V1__crm.sql', text);

  return workspace;
}

function allFindings(findings: ReadonlyMap<string, readonly Finding[]>): Finding[] {
  return [...findings.values()].flat();
}

describe('fixes that insert the same statements', () => {
  const options = { safeties: ['safe', 'unsafe'] as const, isWanted: () => true };

  it('autofix creates a policy two columns need once, and then has nothing left to do', () => {
    const workspace = workspaceWith(TWO_PHONES);
    const result = autofix(workspace, workspace.analyze(), options);
    const fixed = result.texts.get('V1__crm.sql') ?? '';

    assert.equal(fixed.match(CREATE_POLICY)?.length, 1);
    assert.match(fixed, /mobile VARCHAR WITH MASKING POLICY ANALYTICS\.CRM\.MASK_PHONE_VARCHAR/);
    // The fixes leave nothing behind, not even follow-on findings about the roles they name.
    assert.deepEqual(
      allFindings(result.analysis.findings).map((finding) => finding.message),
      [],
    );
    const again = autofix(workspace, result.analysis, options);
    assert.deepEqual([...again.texts], []);
  });

  it('fix-all inserts a statement that two fixes insert only once, before its first use', () => {
    const workspace = workspaceWith(TWO_PHONES);
    const analysis = workspace.analyze();
    // Fix-all takes safe fixes only; the policy fixes are unsafe, so they are marked safe here to
    // see how fix-all combines the edits of real fixes.
    const findings = allFindings(analysis.findings)
      .filter((finding) => finding.ruleId === 'unmasked-pii-column')
      .map((finding) => ({
        ...finding,
        fixes: finding.fixes.map((fix) => ({ ...fix, safety: 'safe' as const })),
      }));
    assert.equal(findings.length, 2);
    const lines = new LineIndex(TWO_PHONES);
    const actions = codeActionsFor(
      'V1__crm.sql',
      findings,
      { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      [FIX_ALL_KIND],
      {
        rangeOf: (_path, span) => ({
          start: lines.positionAt(span.start),
          end: lines.positionAt(span.end),
        }),
        uriOf: (path) => `file:///${path}`,
        suppressionEdit: () => undefined,
      },
    );
    const fixAll = actions.find((action) => action.kind === FIX_ALL_KIND);
    const edits: TextEdit[] = fixAll?.edit?.changes?.['file:///V1__crm.sql'] ?? [];
    const fixed = applyEdits(
      TWO_PHONES,
      edits.map((edit) => ({
        path: 'V1__crm.sql',
        span: { start: lines.offsetAt(edit.range.start), end: lines.offsetAt(edit.range.end) },
        newText: edit.newText,
      })),
    );

    assert.equal(fixAll?.diagnostics?.length, 2);
    assert.equal(fixed.match(CREATE_POLICY)?.length, 1);
    assert.ok(fixed.indexOf('CREATE MASKING POLICY') < fixed.indexOf('CREATE TABLE'));
    const after = workspaceWith(fixed).analyze();
    const unmasked = allFindings(after.findings).filter(
      (finding) => finding.ruleId === 'unmasked-pii-column',
    );
    assert.deepEqual(unmasked, []);
    assert.deepEqual(after.files[0].parsed.problems, []);
  });
});
