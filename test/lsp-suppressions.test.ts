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
import type { CodeAction } from 'vscode-languageserver';
import {
  type EditTarget,
  SUPPRESS_KIND,
  codeActionsFor,
  placeReasonCursor,
} from '../server/src/lsp/code-actions';
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

describe('the cursor on the reason of a suppression', function () {
  const snippetClient = { workspace: { workspaceEdit: { snippetEditSupport: true } } };
  const UNTIL = 'until=2026-09-13';

  function actionsFor(text: string): CodeAction[] {
    const analysis = analyze(text);
    const findings = analysis.findings.get('a.sql') ?? [];

    return codeActionsFor('a.sql', findings, everything, undefined, targetOf(analysis));
  }

  it('turns the directive into a snippet edit with the cursor inside reason="" for clients that take snippets', function () {
    const actions = actionsFor('GRANT SELECT ON TABLE t TO USER alice;\n');

    const placed = placeReasonCursor(actions, snippetClient);

    const suppress = placed.filter((action) => action.kind === SUPPRESS_KIND);
    assert.deepEqual(
      suppress.map((action) => action.edit),
      [
        {
          documentChanges: [
            {
              textDocument: { uri: 'file:///work/a.sql', version: null },
              edits: [
                {
                  range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
                  snippet: {
                    kind: 'snippet',
                    value: `-- snowgov-ignore grant-to-user reason="$0" ${UNTIL}\n`,
                  },
                },
              ],
            },
          ],
        },
      ],
    );
    assert.deepEqual(
      placed.filter((action) => action.kind !== SUPPRESS_KIND),
      actions.filter((action) => action.kind !== SUPPRESS_KIND),
      'the other actions are left as they were',
    );
  });

  it('gives clients without snippet edits the plain directive', function () {
    const actions = actionsFor('GRANT SELECT ON TABLE t TO USER alice;\n');

    for (const client of [{}, { workspace: { workspaceEdit: { snippetEditSupport: false } } }]) {
      assert.deepEqual(placeReasonCursor(actions, client), actions);
    }
    const suppress = actions.find((action) => action.kind === SUPPRESS_KIND);
    assert.ok(suppress?.edit?.changes, 'a plain text edit');
  });

  it("leaves out the indentation the editor adds to a snippet's later lines", function () {
    const actions = actionsFor(
      '  GRANT SELECT ON TABLE t TO USER alice;  GRANT SELECT ON TABLE t TO USER bob;\n',
    );

    const snippets = placeReasonCursor(actions, snippetClient)
      .filter((action) => action.kind === SUPPRESS_KIND)
      .flatMap((action) => action.edit?.documentChanges ?? [])
      .flatMap((change) => ('edits' in change ? change.edits : []))
      .map((edit) => ('snippet' in edit ? edit.snippet.value : edit.newText));

    // bob's statement moves below a directive of its own; the editor indents the lines after
    // the first with the two spaces that start the line, so the snippet carries none.
    assert.deepEqual(snippets, [
      `  -- snowgov-ignore grant-to-user reason="$0" ${UNTIL}\n`,
      `\n-- snowgov-ignore grant-to-user reason="$0" ${UNTIL}\n`,
    ]);
  });

  it('escapes $, } and \\ so that the rest of the directive stays literal', function () {
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const action: CodeAction = {
      title: 'Suppress r with a reason',
      kind: SUPPRESS_KIND,
      edit: {
        changes: {
          'file:///work/a.sql': [
            { range, newText: '-- snowgov-ignore r reason="" until=2026-09-13 {$x} a\\b\n' },
          ],
        },
      },
    };

    const [placed] = placeReasonCursor([action], snippetClient);

    const [change] = placed.edit?.documentChanges ?? [];
    assert.ok(change && 'edits' in change);
    assert.deepEqual(change.edits, [
      {
        range,
        snippet: {
          kind: 'snippet',
          value: '-- snowgov-ignore r reason="$0" until=2026-09-13 {\\$x\\} a\\\\b\n',
        },
      },
    ]);
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
