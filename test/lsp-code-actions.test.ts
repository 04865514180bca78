import assert from 'node:assert/strict';
import { LineIndex, type Finding, type Fix, type Span } from '../server/src/engine';
import { type EditTarget, codeActionsFor } from '../server/src/lsp/code-actions';

// `USER bob` spans offsets 27–35; `accountadmin` spans 46–58, which is line 1, characters 9–21.
const TEXT = 'GRANT SELECT ON TABLE t TO USER bob;\nUSE ROLE accountadmin;\n';
const lines = new LineIndex(TEXT);
const target: EditTarget = {
  rangeOf: (path, span) =>
    path === 'a.sql'
      ? { start: lines.positionAt(span.start), end: lines.positionAt(span.end) }
      : undefined,
  uriOf: (path) => `file:///work/${path}`,
  // Suppression actions are covered in lsp-suppressions.test.ts; these tests pin the fixes alone.
  suppressionEdit: () => undefined,
};

function finding(ruleId: string, span: Span, fixes: Fix[]): Finding {
  return {
    ruleId,
    severity: 'warning',
    message: `${ruleId} message.`,
    path: 'a.sql',
    span,
    start: lines.positionAt(span.start),
    end: lines.positionAt(span.end),
    fixes,
  };
}

function fix(title: string, safety: Fix['safety'], ...edits: [number, number, string][]): Fix {
  return {
    title,
    safety,
    edits: edits.map(([start, end, newText]) => ({ path: 'a.sql', span: { start, end }, newText })),
  };
}

const everything = { start: { line: 0, character: 0 }, end: { line: 2, character: 0 } };

describe('code actions', function () {
  it('marks a lone safe fix as preferred and keeps unsafe fixes apart by kind', function () {
    const findings = [
      finding('grant-to-user', { start: 27, end: 35 }, [
        fix('Grant to a role', 'unsafe', [27, 35, 'ROLE r']),
      ]),
      finding('accountadmin-use', { start: 46, end: 58 }, [
        fix('Use SYSADMIN', 'safe', [46, 58, 'sysadmin']),
      ]),
    ];

    const actions = codeActionsFor('a.sql', findings, everything, ['quickfix'], target);

    assert.deepEqual(
      actions.map((action) => [action.title, action.kind, action.isPreferred]),
      [
        ['Grant to a role', 'quickfix.snowgov.unsafe', undefined],
        ['Use SYSADMIN', 'quickfix', true],
      ],
    );
  });

  it('offers only the fixes of findings that touch the requested range', function () {
    const findings = [
      finding('grant-to-user', { start: 27, end: 35 }, [
        fix('Grant to a role', 'unsafe', [27, 35, 'ROLE r']),
      ]),
      finding('accountadmin-use', { start: 46, end: 58 }, [
        fix('Use SYSADMIN', 'safe', [46, 58, 'sysadmin']),
      ]),
    ];
    const cursorAfterGrantee = {
      start: { line: 0, character: 35 },
      end: { line: 0, character: 35 },
    };

    const actions = codeActionsFor('a.sql', findings, cursorAfterGrantee, ['quickfix'], target);

    assert.deepEqual(
      actions.map((action) => action.title),
      ['Grant to a role'],
    );
  });

  it('applies every safe fix of the file at once, skipping unsafe and overlapping ones', function () {
    const findings = [
      finding('rule-a', { start: 0, end: 5 }, [fix('A', 'safe', [0, 5, 'grant'])]),
      finding('rule-b', { start: 3, end: 12 }, [fix('B overlaps A', 'safe', [3, 12, 'x'])]),
      finding('rule-c', { start: 27, end: 35 }, [fix('C is unsafe', 'unsafe', [27, 35, 'ROLE r'])]),
      finding('rule-d', { start: 46, end: 58 }, [fix('D', 'safe', [46, 58, 'sysadmin'])]),
      finding('rule-e', { start: 59, end: 59 }, [
        {
          title: 'E edits another file',
          safety: 'safe',
          edits: [{ path: 'b.sql', span: { start: 0, end: 0 }, newText: '-- x\n' }],
        },
      ]),
    ];

    const actions = codeActionsFor('a.sql', findings, everything, ['source.fixAll'], target);

    assert.equal(actions.length, 1);
    assert.equal(actions[0].kind, 'source.fixAll.snowgov');
    assert.deepEqual(
      actions[0].diagnostics?.map((diagnostic) => diagnostic.code),
      ['rule-a', 'rule-d'],
    );
    assert.deepEqual(actions[0].edit, {
      changes: {
        'file:///work/a.sql': [
          {
            range: { start: { line: 0, character: 0 }, end: { line: 0, character: 5 } },
            newText: 'grant',
          },
          {
            range: { start: { line: 1, character: 9 }, end: { line: 1, character: 21 } },
            newText: 'sysadmin',
          },
        ],
      },
    });
  });

  it('leaves out a fix whose edit targets a file it cannot place', function () {
    const findings = [
      finding('rule-e', { start: 0, end: 5 }, [
        {
          title: 'Edit elsewhere',
          safety: 'unsafe',
          edits: [{ path: 'gone.sql', span: { start: 3, end: 3 }, newText: 'x' }],
        },
      ]),
    ];

    assert.deepEqual(codeActionsFor('a.sql', findings, everything, undefined, target), []);
  });

  it('creates the file an edit inserts into when the workspace does not hold it', function () {
    const findings = [
      finding('rule-f', { start: 0, end: 5 }, [
        {
          title: 'Create the policy in policies.sql',
          safety: 'unsafe',
          edits: [
            { path: 'policies.sql', span: { start: 0, end: 0 }, newText: 'CREATE …;\n' },
            { path: 'a.sql', span: { start: 0, end: 5 }, newText: 'ALTER' },
          ],
        },
      ]),
    ];

    const [action] = codeActionsFor('a.sql', findings, everything, ['quickfix'], target);

    const start = { line: 0, character: 0 };
    assert.deepEqual(action.edit, {
      documentChanges: [
        { kind: 'create', uri: 'file:///work/policies.sql', options: { ignoreIfExists: true } },
        {
          textDocument: { uri: 'file:///work/policies.sql', version: null },
          edits: [{ range: { start, end: start }, newText: 'CREATE …;\n' }],
        },
        {
          textDocument: { uri: 'file:///work/a.sql', version: null },
          edits: [{ range: { start, end: { line: 0, character: 5 } }, newText: 'ALTER' }],
        },
      ],
    });
    const cannotCreate = { ...target, canCreateFiles: false };
    assert.deepEqual(codeActionsFor('a.sql', findings, everything, undefined, cannotCreate), []);
  });

  it('writes inserted lines with the line breaks of the file they go into', function () {
    const insert = fix('Create the role first', 'unsafe', [0, 0, 'CREATE ROLE r;\n']);
    const findings = [finding('grant-to-user', { start: 27, end: 35 }, [insert])];
    const crlf = { ...target, lineBreakOf: () => '\r\n' as const };

    const [action] = codeActionsFor('a.sql', findings, everything, undefined, crlf);

    assert.equal(action.edit?.changes?.['file:///work/a.sql']?.[0].newText, 'CREATE ROLE r;\r\n');
  });
});
