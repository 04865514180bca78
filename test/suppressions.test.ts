import assert from 'node:assert/strict';
import { allRules } from '../rules';
import {
  type Finding,
  type ResolvedConfig,
  Workspace,
  applyEdits,
  defaultConfig,
  parseConfig,
  silentLogger,
  suppressionEdit,
} from '../server/src/engine';

/** Every test judges dates against this instant, never against the real clock. */
const NOW = new Date('2026-06-15T09:30:00Z');

const GRANT_ALICE = 'GRANT SELECT ON TABLE t TO USER alice;';
const ALICE_MESSAGE =
  'SELECT on TABLE T is granted directly to user ALICE. Grant it to a role and give people ' +
  'the role, so that access is reviewed and revoked in one place.';

function workspaceOf(text: string, config?: ResolvedConfig, now = NOW): Workspace {
  const workspace = new Workspace(allRules, config ?? defaultConfig(allRules), silentLogger, {
    now: () => now,
  });
  workspace.setFile('V1__test.sql', text);

  return workspace;
}

function lint(text: string, config?: ResolvedConfig, now?: Date): readonly Finding[] {
  return workspaceOf(text, config, now).analyze().findings.get('V1__test.sql') ?? [];
}

/** `rule@line:col-line:col`, 1-based, with `(suppressed)` on excused findings. */
function located(finding: Finding): string {
  const { start, end } = finding;
  const where = `${start.line + 1}:${start.character + 1}-${end.line + 1}:${end.character + 1}`;

  return `${finding.ruleId}@${where}${finding.suppression ? ' (suppressed)' : ''}`;
}

function configFrom(yaml: string): ResolvedConfig {
  const { config, problems } = parseConfig(yaml, 'snowgov.yaml', allRules);
  assert.deepEqual(problems, []);

  return config;
}

describe('suppressions', () => {
  describe('line directives', () => {
    it('excuses the finding of the next statement and records the reason and directive', () => {
      const findings = lint(
        [
          '-- snowgov-ignore grant-to-user reason="Auditor access, ticket SEC-12" until=2026-09-30',
          GRANT_ALICE,
          'GRANT SELECT ON TABLE t TO USER bob;',
          '',
        ].join('\n'),
      );

      assert.deepEqual(findings.map(located), [
        'grant-to-user@2:28-2:38 (suppressed)',
        'grant-to-user@3:28-3:36',
      ]);
      assert.equal(findings[0].message, ALICE_MESSAGE);
      assert.deepEqual(findings[0].suppression, {
        reason: 'Auditor access, ticket SEC-12',
        until: '2026-09-30',
        path: 'V1__test.sql',
        line: 1,
      });
    });

    it('excuses every rule it lists on the same statement', () => {
      const findings = lint(
        [
          '/* snowgov-ignore accountadmin-use, grant-to-user',
          '   reason="Break-glass account, reviewed quarterly" */',
          'GRANT ROLE ACCOUNTADMIN TO USER breakglass;',
          '',
        ].join('\n'),
      );

      assert.deepEqual(findings.map(located), [
        'accountadmin-use@3:12-3:24 (suppressed)',
        'grant-to-user@3:28-3:43 (suppressed)',
      ]);
      assert.equal(findings[0].suppression?.until, undefined);
    });

    it('accepts the // comment form', () => {
      const findings = lint(`// snowgov-ignore grant-to-user reason="Auditor"\n${GRANT_ALICE}\n`);

      assert.deepEqual(findings.map(located), ['grant-to-user@2:28-2:38 (suppressed)']);
    });

    it('does not reach past another statement between it and the finding', () => {
      const findings = lint(
        [
          '-- snowgov-ignore grant-to-user reason="Auditor access"',
          'USE ROLE SECURITYADMIN;',
          GRANT_ALICE,
          '',
        ].join('\n'),
      );

      assert.deepEqual(findings.map(located), [
        'unused-suppression@1:19-1:32',
        'grant-to-user@3:28-3:38',
      ]);
      assert.equal(
        findings[0].message,
        'Nothing to excuse: the statement on line 2 has no grant-to-user finding. ' +
          'Remove this snowgov-ignore.',
      );
      assert.equal(findings[0].severity, 'warning');
    });

    it('applies inside a $$ body to the nested statement that follows it', () => {
      const findings = lint(
        [
          'CREATE PROCEDURE grant_access() RETURNS VARCHAR LANGUAGE SQL AS $$',
          'BEGIN',
          '  GRANT SELECT ON TABLE t TO USER bob;',
          '  -- snowgov-ignore grant-to-user reason="Service user for the nightly export"',
          '  GRANT SELECT ON TABLE t TO USER exporter;',
          "  RETURN 'done';",
          'END;',
          '$$;',
          '',
        ].join('\n'),
      );

      assert.deepEqual(findings.map(located), [
        'grant-to-user@3:30-3:38',
        'grant-to-user@5:30-5:43 (suppressed)',
      ]);
      assert.equal(findings[1].suppression?.line, 4);
    });

    it('does not apply to what follows the statement it sits inside', () => {
      const findings = lint(
        [
          'CREATE TABLE crm.core.customers (',
          '  -- snowgov-ignore grant-to-user reason="Auditor access"',
          '  id NUMBER',
          ');',
          GRANT_ALICE,
          '',
        ].join('\n'),
      );

      assert.deepEqual(findings.map(located), [
        'unused-suppression@2:3-2:58',
        'grant-to-user@5:28-5:38',
      ]);
      assert.equal(
        findings[0].message,
        'This snowgov-ignore is not on the line before a statement, so it excuses nothing. ' +
          'Move it to the line above the statement it is for.',
      );
    });
  });

  describe('file directives', () => {
    it('excuses the listed rule anywhere in the file, wherever the directive sits', () => {
      const findings = lint(
        [
          GRANT_ALICE,
          'USE ROLE ACCOUNTADMIN;',
          'GRANT SELECT ON TABLE t TO USER bob;',
          '-- snowgov-ignore-file grant-to-user reason="Sandbox account with no real data"',
          '',
        ].join('\n'),
      );

      assert.deepEqual(findings.map(located), [
        'grant-to-user@1:28-1:38 (suppressed)',
        'accountadmin-use@2:10-2:22',
        'grant-to-user@3:28-3:36 (suppressed)',
      ]);
      assert.deepEqual(findings[2].suppression, {
        reason: 'Sandbox account with no real data',
        path: 'V1__test.sql',
        line: 4,
      });
    });

    it('reports a listed rule with no finding in the file as unused', () => {
      const findings = lint(
        `/* snowgov-ignore-file grant-to-user, unsafe-stage reason="Sandbox" */\n${GRANT_ALICE}\n`,
      );

      assert.deepEqual(findings.map(located), [
        'unused-suppression@1:39-1:51',
        'grant-to-user@2:28-2:38 (suppressed)',
      ]);
      assert.equal(
        findings[0].message,
        'Nothing to excuse: this file has no unsafe-stage finding. ' +
          'Remove unsafe-stage from this snowgov-ignore-file.',
      );
    });
  });

  describe('removing what is unused', () => {
    /** The text after applying the fix of every unused-suppression finding. */
    function withoutUnused(text: string): string {
      const fixes = lint(text)
        .filter((finding) => finding.ruleId === 'unused-suppression')
        .flatMap((finding) => finding.fixes);
      assert.ok(fixes.every((fix) => fix.safety === 'safe'));
      const edits = fixes.flatMap((fix) => fix.edits);
      const unique = edits.filter(
        (edit, index) => edits.findIndex((other) => other.span.start === edit.span.start) === index,
      );

      return applyEdits(text, unique);
    }

    it('takes an idle rule and its comma out of a directive that is partly used', () => {
      const reason = 'reason="Auditor"';
      const first = `-- snowgov-ignore unsafe-stage, grant-to-user ${reason}\n${GRANT_ALICE}\n`;
      const last = `-- snowgov-ignore grant-to-user,unsafe-stage ${reason}\n${GRANT_ALICE}\n`;

      assert.equal(
        withoutUnused(first),
        `-- snowgov-ignore grant-to-user reason="Auditor"\n${GRANT_ALICE}\n`,
      );
      assert.equal(
        withoutUnused(last),
        `-- snowgov-ignore grant-to-user reason="Auditor"\n${GRANT_ALICE}\n`,
      );
    });

    it('removes a directive that excuses nothing with its line, keeping the line ending', () => {
      const text = [
        'CREATE TABLE t (id INT);',
        '  /* snowgov-ignore unsafe-stage, grant-option reason="Old" */',
        '  CREATE TABLE u (id INT);',
        '',
      ].join('\r\n');

      assert.equal(
        withoutUnused(text),
        ['CREATE TABLE t (id INT);', '  CREATE TABLE u (id INT);', ''].join('\r\n'),
      );
      assert.deepEqual(
        lint(withoutUnused(text)).map((finding) => finding.ruleId),
        [],
      );
    });
  });

  describe('invalid directives', () => {
    it('refuses a directive after code on its line, which would excuse the next statement', () => {
      const text = `${GRANT_ALICE} -- snowgov-ignore grant-to-user reason="x"\n${GRANT_ALICE}\n`;
      const findings = lint(text);

      assert.deepEqual(
        findings.map((finding) => [finding.ruleId, finding.start.line + 1, !!finding.suppression]),
        [
          ['grant-to-user', 1, false],
          ['invalid-suppression', 1, false],
          ['grant-to-user', 2, false],
        ],
      );
      assert.match(findings[1].message, /must stand on a line of its own/);
    });

    it('reports a missing reason over the whole directive and excuses nothing', () => {
      const findings = lint(`-- snowgov-ignore grant-to-user until=2026-09-30\n${GRANT_ALICE}\n`);

      assert.deepEqual(findings.map(located), [
        'invalid-suppression@1:1-1:49',
        'grant-to-user@2:28-2:38',
      ]);
      assert.equal(findings[0].severity, 'error');
      assert.equal(
        findings[0].message,
        'snowgov-ignore needs a reason: add reason="…" saying why this exception is acceptable.',
      );
    });

    it('reports an empty reason, as the editor action writes it, at the reason', () => {
      const findings = lint(`-- snowgov-ignore grant-to-user reason=" "\n${GRANT_ALICE}\n`);

      assert.deepEqual(findings.map(located), [
        'invalid-suppression@1:40-1:43',
        'grant-to-user@2:28-2:38',
      ]);
      assert.equal(
        findings[0].message,
        'The reason of this snowgov-ignore is empty; say why this exception is acceptable.',
      );
    });

    it('reports an unknown rule at its name and lists the known rules', () => {
      const findings = lint(
        `-- snowgov-ignore grant-to-users, grant-to-user reason="Auditor"\n${GRANT_ALICE}\n`,
      );

      assert.deepEqual(findings.map(located), [
        'invalid-suppression@1:19-1:33',
        'grant-to-user@2:28-2:38',
      ]);
      assert.equal(
        findings[0].message,
        "Unknown rule 'grant-to-users' in snowgov-ignore. Did you mean 'grant-to-user'? Run 'snowgov rules' to list every rule.",
      );
    });

    it('refuses to excuse its own problems', () => {
      const findings = lint(
        `-- snowgov-ignore-file unused-suppression reason="Too noisy"\n${GRANT_ALICE}\n`,
      );

      assert.deepEqual(findings.map(located), [
        'invalid-suppression@1:24-1:42',
        'grant-to-user@2:28-2:38',
      ]);
      assert.equal(
        findings[0].message,
        'unused-suppression cannot be excused by snowgov-ignore-file; ' +
          'set its severity under rules in snowgov.yml instead.',
      );
    });

    it('reports a date that does not exist at the date', () => {
      const findings = lint(
        `-- snowgov-ignore grant-to-user reason="Auditor" until=2026-02-30\n${GRANT_ALICE}\n`,
      );

      assert.deepEqual(findings.map(located), [
        'invalid-suppression@1:56-1:66',
        'grant-to-user@2:28-2:38',
      ]);
      assert.equal(
        findings[0].message,
        'until=2026-02-30 is not a date; write it as YYYY-MM-DD, such as until=2026-03-31.',
      );
    });

    it('reports a date in another format as malformed', () => {
      const findings = lint(
        `-- snowgov-ignore grant-to-user reason="Auditor" until=30/09/2026\n${GRANT_ALICE}\n`,
      );

      assert.deepEqual(
        findings.map((finding) => finding.messageId),
        ['malformedDate', 'privilegeToUser'],
      );
    });

    it('reports stray words, such as an unquoted reason, and unknown settings', () => {
      const findings = lint(
        `-- snowgov-ignore grant-to-user reason=Auditor access expires=2026-09-30\n${GRANT_ALICE}\n`,
      );

      assert.deepEqual(findings.map(located), [
        'invalid-suppression@1:48-1:54',
        'invalid-suppression@1:55-1:73',
        'grant-to-user@2:28-2:38',
      ]);
      assert.deepEqual(
        findings.slice(0, 2).map((finding) => finding.message),
        [
          'Unexpected \'access\' in snowgov-ignore: rule names come first, then reason="…" in ' +
            'double quotes and until=YYYY-MM-DD.',
          'Unknown setting \'expires\' in snowgov-ignore; the settings are reason="…" and ' +
            'until=YYYY-MM-DD.',
        ],
      );
    });

    it('leaves comments that only mention the directive alone', () => {
      const findings = lint(`-- see the snowgov-ignore docs\n${GRANT_ALICE}\n`);

      assert.deepEqual(findings.map(located), ['grant-to-user@2:28-2:38']);
    });
  });

  describe('expiry', () => {
    const directive = (until: string): string =>
      `-- snowgov-ignore grant-to-user reason="Auditor access" until=${until}\n${GRANT_ALICE}\n`;

    it('holds through the whole of its until day', () => {
      const findings = lint(directive('2026-06-15'), undefined, new Date('2026-06-15T23:59:59Z'));

      assert.deepEqual(findings.map(located), ['grant-to-user@2:28-2:38 (suppressed)']);
    });

    it('reports an expired directive at its date and reports the finding again', () => {
      const findings = lint(directive('2026-06-14'));

      assert.deepEqual(findings.map(located), [
        'invalid-suppression@1:63-1:73',
        'grant-to-user@2:28-2:38',
      ]);
      assert.equal(findings[0].messageId, 'expired');
      assert.equal(
        findings[0].message,
        'This snowgov-ignore expired on 2026-06-14, so the findings it excused are reported ' +
          'again. Fix them, or renew it with a later until= and a reason that still holds.',
      );
    });

    it('judges the same directive against the clock it is given', () => {
      const before = lint(directive('2026-06-14'), undefined, new Date('2026-06-01T00:00:00Z'));

      assert.deepEqual(before.map(located), ['grant-to-user@2:28-2:38 (suppressed)']);
    });
  });

  describe('configuration', () => {
    it('takes the severity of both pseudo-rules from the config, or turns them off', () => {
      const text = [
        '-- snowgov-ignore grant-to-user reason=""',
        'USE ROLE SYSADMIN;',
        '-- snowgov-ignore grant-to-user reason="Auditor access"',
        'USE ROLE SYSADMIN;',
        '',
      ].join('\n');
      const config = configFrom(
        'rules:\n  invalid-suppression: warning\n  unused-suppression: off\n',
      );

      assert.deepEqual(
        lint(text).map((finding) => [finding.ruleId, finding.severity]),
        [
          ['invalid-suppression', 'error'],
          ['unused-suppression', 'warning'],
        ],
      );
      assert.deepEqual(
        lint(text, config).map((finding) => [finding.ruleId, finding.severity]),
        [['invalid-suppression', 'warning']],
      );
    });

    it('does not call a directive unused when its rule is turned off', () => {
      const config = configFrom('rules:\n  grant-to-user: off\n');

      const findings = lint(
        `-- snowgov-ignore grant-to-user reason="Auditor"\n${GRANT_ALICE}\n`,
        config,
      );

      assert.deepEqual(findings, []);
    });
  });

  describe('listing', () => {
    it('lists every directive with its scope, rules, reason, expiry and problems', () => {
      const workspace = workspaceOf(
        [
          '-- snowgov-ignore grant-to-user reason="Auditor access" until=2026-06-14',
          GRANT_ALICE,
          '-- snowgov-ignore-file unsafe-stage, grant-to-usr',
          '',
        ].join('\n'),
      );
      workspace.setFile('A__grants.sql', `/* snowgov-ignore grant-to-user reason="Export" */\n`);

      assert.deepEqual(workspace.listSuppressions(), [
        {
          path: 'A__grants.sql',
          line: 1,
          scope: 'statement',
          rules: ['grant-to-user'],
          reason: 'Export',
          until: undefined,
          expired: false,
          problems: [],
        },
        {
          path: 'V1__test.sql',
          line: 1,
          scope: 'statement',
          rules: ['grant-to-user'],
          reason: 'Auditor access',
          until: '2026-06-14',
          expired: true,
          problems: [],
        },
        {
          path: 'V1__test.sql',
          line: 3,
          scope: 'file',
          rules: ['unsafe-stage', 'grant-to-usr'],
          reason: undefined,
          until: undefined,
          expired: false,
          problems: [
            "Unknown rule 'grant-to-usr' in snowgov-ignore-file. Did you mean 'grant-to-user'? Run 'snowgov rules' to list every rule.",
            'snowgov-ignore-file needs a reason: add reason="…" saying why this exception is ' +
              'acceptable.',
          ],
        },
      ]);
    });
  });

  describe('the directive the editor inserts', () => {
    function editFor(
      text: string,
      ruleId: string,
    ): { newText: string; at: number; result: string } {
      const workspace = workspaceOf(text);
      const analysis = workspace.analyze();
      const finding = analysis.findings.get('V1__test.sql')?.find((f) => f.ruleId === ruleId);
      const file = analysis.files.find((candidate) => candidate.path === 'V1__test.sql');
      assert.ok(finding && file);
      const edit = suppressionEdit(file, finding, NOW);
      assert.ok(edit);

      return { newText: edit.newText, at: edit.span.start, result: applyEdits(text, [edit]) };
    }

    it('goes on the line above the statement, indented like it, due in 90 days', () => {
      const text = `USE ROLE SYSADMIN;\n    ${GRANT_ALICE}\n`;

      const { newText, at, result } = editFor(text, 'grant-to-user');

      assert.equal(at, 19);
      assert.equal(result.length, text.length + newText.length, 'the edit only inserts');
      assert.equal(newText, '    -- snowgov-ignore grant-to-user reason="" until=2026-09-13\n');
    });

    it('goes above the nested statement inside a $$ body', () => {
      const text = [
        'CREATE PROCEDURE p() RETURNS VARCHAR LANGUAGE SQL AS $$',
        'BEGIN',
        '  GRANT SELECT ON TABLE t TO USER bob;',
        'END;',
        '$$;',
        '',
      ].join('\n');

      const { result } = editFor(text, 'grant-to-user');

      assert.equal(
        result.split('\n')[2],
        '  -- snowgov-ignore grant-to-user reason="" until=2026-09-13',
      );
    });

    it('moves a statement that shares its line onto a line of its own', () => {
      const text = `USE ROLE SYSADMIN; ${GRANT_ALICE}\n`;

      const { result } = editFor(text, 'grant-to-user');

      assert.equal(
        result,
        'USE ROLE SYSADMIN;\n-- snowgov-ignore grant-to-user reason="" until=2026-09-13\n' +
          `${GRANT_ALICE}\n`,
      );
    });

    it('excuses the finding once a reason is written in', () => {
      const text = `USE ROLE SYSADMIN;\n${GRANT_ALICE}\n`;
      const { result } = editFor(text, 'grant-to-user');

      const findings = lint(result.replace('reason=""', 'reason="Auditor access"'));

      assert.deepEqual(findings.map(located), ['grant-to-user@3:28-3:38 (suppressed)']);
    });
  });
});
