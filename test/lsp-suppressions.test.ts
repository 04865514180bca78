/**
 * Suppressions in the editor: excused findings are never published, and every finding offers a
 * code action that writes the directive. The stdio tests run the built `out/server.js`, so run
 * `npm run build` first; the code action itself is pinned in-process with a fixed clock.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allRules } from '../rules';
import {
  type Analysis,
  Workspace,
  defaultConfig,
  silentLogger,
  suppressionEdit,
} from '../server/src/engine';
import { type EditTarget, SUPPRESS_KIND, codeActionsFor } from '../server/src/lsp/code-actions';
import { TestClient } from './lsp-client';

const NOW = new Date('2026-06-15T09:30:00Z');

const GRANTS = [
  '-- snowgov-ignore grant-to-user reason="Auditor access, ticket SEC-12"',
  'GRANT SELECT ON TABLE t TO USER alice;',
  '  GRANT SELECT ON TABLE t TO USER bob;',
  '',
].join('\n');

function analyze(text: string): Analysis {
  const workspace = new Workspace(allRules, defaultConfig(allRules), silentLogger, {
    now: () => NOW,
  });
  workspace.setFile('a.sql', text);

  return workspace.analyze();
}

/** The same placement the project uses, with the analysis's own line index. */
function targetOf(analysis: Analysis): EditTarget {
  const [file] = analysis.files;

  return {
    rangeOf: (path, span) =>
      path === file.path
        ? { start: file.lines.positionAt(span.start), end: file.lines.positionAt(span.end) }
        : undefined,
    uriOf: (path) => `file:///work/${path}`,
    suppressionEdit: (finding) => suppressionEdit(file, finding, NOW),
  };
}

const everything = { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } };

describe('suppression code actions', function () {
  it('offers to suppress a finding with a directive above its statement, due in 90 days', function () {
    const analysis = analyze(GRANTS);
    const findings = (analysis.findings.get('a.sql') ?? []).filter((f) => !f.suppression);

    const actions = codeActionsFor('a.sql', findings, everything, undefined, targetOf(analysis));

    const suppress = actions.filter((action) => action.kind === SUPPRESS_KIND);
    assert.deepEqual(
      suppress.map((action) => [action.title, action.diagnostics?.map((d) => d.code)]),
      [['Suppress grant-to-user with a reason', ['grant-to-user']]],
    );
    assert.deepEqual(suppress[0].edit, {
      changes: {
        'file:///work/a.sql': [
          {
            range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } },
            newText: '  -- snowgov-ignore grant-to-user reason="" until=2026-09-13\n',
          },
        ],
      },
    });
  });

  it('offers no suppression for problems of the directives themselves', function () {
    const analysis = analyze(
      '-- snowgov-ignore grant-to-user\nGRANT SELECT ON TABLE t TO USER a;\n',
    );
    const findings = analysis.findings.get('a.sql') ?? [];

    const actions = codeActionsFor('a.sql', findings, everything, undefined, targetOf(analysis));

    assert.deepEqual(
      findings.map((finding) => finding.ruleId),
      ['invalid-suppression', 'grant-to-user'],
    );
    assert.deepEqual(
      actions.filter((action) => action.kind === SUPPRESS_KIND).map((action) => action.title),
      ['Suppress grant-to-user with a reason'],
    );
  });

  it('leaves the suppression out when the client asks only for other kinds', function () {
    const analysis = analyze(GRANTS);
    const findings = analysis.findings.get('a.sql') ?? [];

    const only = ['quickfix.snowgov.unsafe'];

    const actions = codeActionsFor('a.sql', findings, everything, only, targetOf(analysis));

    assert.ok(actions.every((action) => action.kind !== SUPPRESS_KIND));
  });
});

describe('suppressions in the language server', function () {
  let folder: string;
  let client: TestClient;

  beforeEach(async function () {
    folder = mkdtempSync(join(tmpdir(), 'snowgov-lsp-suppressions-'));
    writeFileSync(join(folder, 'V1__grants.sql'), GRANTS);
    client = await TestClient.start(folder);
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') {
      console.error(`Server output:\n${client.transcript()}`);
    }
    client.kill();
    rmSync(folder, { recursive: true, force: true });
  });

  it('publishes the findings a directive does not excuse, and only those', async function () {
    const diagnostics = await client.open('V1__grants.sql', GRANTS);

    assert.deepEqual(
      diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.range.start.line]),
      [['grant-to-user', 2]],
    );
  });

  it('publishes the finding again, with the directive problem, once the reason is erased', async function () {
    await client.open('V1__grants.sql', GRANTS);

    const diagnostics = await client.change('V1__grants.sql', [
      { text: GRANTS.replace('"Auditor access, ticket SEC-12"', '""') },
    ]);

    assert.deepEqual(
      diagnostics.map((diagnostic) => [
        diagnostic.code,
        diagnostic.range.start.line,
        diagnostic.codeDescription?.href,
      ]),
      [
        [
          'invalid-suppression',
          0,
          'https://github.com/snowgov/snowgov/blob/main/README.md#suppressions',
        ],
        [
          'grant-to-user',
          1,
          'https://github.com/snowgov/snowgov/blob/main/rules/grant-to-user/README.md',
        ],
        [
          'grant-to-user',
          2,
          'https://github.com/snowgov/snowgov/blob/main/rules/grant-to-user/README.md',
        ],
      ],
    );
  });

  it('offers the suppression as a quick fix on a published finding', async function () {
    await client.open('V1__grants.sql', GRANTS);
    const before = new Date();

    const actions = await client.codeActions('V1__grants.sql', {
      start: { line: 2, character: 32 },
      end: { line: 2, character: 32 },
    });

    const after = new Date();
    const suppress = actions.find((action) => action.kind === SUPPRESS_KIND);
    assert.ok(suppress, `no suppression among ${actions.map((a) => a.title).join(', ')}`);
    const [edit] = suppress.edit?.changes?.[client.uri('V1__grants.sql')] ?? [];
    assert.deepEqual(edit.range, {
      start: { line: 2, character: 0 },
      end: { line: 2, character: 0 },
    });

    // The server reads the real clock, so either side of a midnight during the request is right.
    const dueDates = [before, after].map((day) =>
      new Date(day.getTime() + 90 * 86_400_000).toISOString().slice(0, 10),
    );
    assert.ok(
      dueDates.some(
        (due) => edit.newText === `  -- snowgov-ignore grant-to-user reason="" until=${due}\n`,
      ),
      edit.newText,
    );
  });
});
