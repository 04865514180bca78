/**
 * A workspace edited again and again, as the language server edits it, must give exactly the
 * findings of a fresh workspace with the same texts: statements it keeps are moved in place, and
 * findings it keeps across an edit that changed no statement are moved with them.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { allRules } from '../rules';
import { generateMigration } from '../scripts/bench/generate';
import { type Analysis, type Rule, Workspace, parseConfig } from '../server/src/engine';

// Each run analyses two migrations several times, so it runs a twenty-fifth as often as parses.
const RUNS = Math.max(10, Math.floor(Number(process.env.SNOWGOV_FUZZ_RUNS ?? 150) / 25));
const now = (): Date => new Date(0);

/** A rule that finds nothing and counts the statements it was asked about. */
function countingRule(): Rule & { checked: number } {
  const rule = {
    ...allRules[0],
    name: 'counting',
    checked: 0,
    check(): void {
      rule.checked++;
    },
  };

  return rule;
}

function fresh(texts: ReadonlyMap<string, string>, only: readonly string[]): Analysis {
  const workspace = new Workspace(allRules, undefined, undefined, { now });
  for (const [path, text] of texts) workspace.setFile(path, text);

  return workspace.analyze(only);
}

/** A workspace with one generated migration, analysed once, whose counting rule tells runs. */
function analyzedWithCounting(): {
  counting: Rule & { checked: number };
  workspace: Workspace;
  path: string;
  text: string;
} {
  const counting = countingRule();
  const path = 'V1__base.sql';
  const text = generateMigration(5, 4);
  const workspace = new Workspace([...allRules, counting], undefined, undefined, { now });
  workspace.setFile(path, text);
  workspace.analyze();

  return { counting, workspace, path, text };
}

function assertSameFindings(actual: Analysis, expected: Analysis): void {
  assert.deepEqual(
    [...actual.findings].sort(([a], [b]) => a.localeCompare(b)),
    [...expected.findings].sort(([a], [b]) => a.localeCompare(b)),
  );
}

/** Where an edit lands: somewhere in a line near the middle of the file, or at a line start. */
const INSERTS = [
  'x',
  ' ',
  '\n',
  ';',
  "'",
  '-- snowgov-ignore grant-to-user: reviewed\n',
  '-- note\n',
  '/* c */',
  'GRANT SELECT ON TABLE app_db_0.area_0.member_0 TO USER alice;\n',
  'USE ROLE ACCOUNTADMIN;\n',
  'ALTER TABLE app_db_0.area_0.member_1 MODIFY COLUMN street_address SET MASKING POLICY m;\n',
  // Statements that change what other statements' rules read: policies, tags, roles, the session.
  'CREATE OR REPLACE MASKING POLICY mask_pii AS (v VARCHAR) RETURNS VARCHAR -> v;\n',
  'CREATE TAG IF NOT EXISTS pii_type;\n',
  'CREATE ROLE pii_reader;\n',
  'GRANT ROLE pii_reader TO USER bob;\n',
  'GRANT ROLE pii_reader TO USER alice;\n',
  'ALTER USER alice SET DEFAULT_ROLE = pii_reader;\n',
  'CREATE SCHEMA app_db_0.area_0;\n',
  'USE SCHEMA app_db_0.area_1;\n',
  'DROP TABLE app_db_0.area_0.member_0;\n',
  'ALTER TABLE app_db_0.area_0.member_0 RENAME TO app_db_0.area_0.member_9;\n',
  'ALTER TABLE app_db_0.area_0.member_0 ADD COLUMN email VARCHAR;\n',
];

const edit = fc.tuple(
  fc.double({ min: 0.25, max: 0.75, noNaN: true }),
  fc.double({ min: 0, max: 1, noNaN: true }),
  fc.oneof(fc.constant(0), fc.nat({ max: 2 }), fc.nat({ max: 60 })),
  fc.constantFrom(...INSERTS),
);

function applyEdit(text: string, [line, column, length, insert]: [number, number, number, string]) {
  const lines = text.split('\n');
  const index = Math.floor(line * lines.length);
  const at =
    lines.slice(0, index).reduce((sum, each) => sum + each.length + 1, 0) +
    Math.floor(column * (lines[index]?.length ?? 0));

  return text.slice(0, at) + insert + text.slice(at + length);
}

describe('incremental analysis', () => {
  it('gives the findings of a fresh analysis after every edit in the middle of a file', () => {
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 8 }), (edits) => {
        const texts = new Map([
          ['migrations/V1__base.sql', generateMigration(11, 3)],
          ['migrations/V2__more.sql', generateMigration(12, 2)],
        ]);
        const only = ['migrations/V2__more.sql', 'migrations/V1__base.sql'];
        const workspace = new Workspace(allRules, undefined, undefined, { now });
        for (const [path, text] of texts) workspace.setFile(path, text);
        workspace.analyze(only);
        for (const [index, change] of edits.entries()) {
          const path = only[index % 2];
          texts.set(path, applyEdit(texts.get(path) ?? '', change));
          workspace.setFile(path, texts.get(path) ?? '');
          // Some edits come in pairs before an analysis, as fast typing does.
          if (index % 3 === 1) continue;
          assertSameFindings(workspace.analyze(only), fresh(texts, only));
        }
        assertSameFindings(workspace.analyze(only), fresh(texts, only));
      }),
      { numRuns: RUNS },
    );
  });

  it('keeps the findings, moved, when an edit changes only a comment between statements', () => {
    const counting = countingRule();
    const rules = [...allRules, counting];
    const path = 'V1__base.sql';
    const text = generateMigration(5, 4);
    const workspace = new Workspace(rules, undefined, undefined, { now });
    // A file is parsed for editing from its first replacement on, as after a first keystroke.
    workspace.setFile(path, `${text}\n`);
    workspace.setFile(path, text);
    const before = workspace.analyze();
    const checked = counting.checked;
    const at = text.indexOf('\n-- Feature area', text.length / 3) + 1;
    assert.ok(at > 0);

    const edited = `${text.slice(0, at)}-- Reviewed on Monday: ${text.slice(at + 3)}`;
    workspace.setFile(path, edited);
    const after = workspace.analyze();

    assert.equal(counting.checked, checked, 'no rule ran again');
    assert.ok((before.findings.get(path) ?? []).length > 0);
    const expected = new Workspace(rules, undefined, undefined, { now });
    expected.setFile(path, edited);
    assertSameFindings(after, expected.analyze());
    assert.deepEqual(after.catalog.tables.size, expected.analyze().catalog.tables.size);
  });

  it('runs the rules again when an edit changes a statement', () => {
    const { counting, workspace, path, text } = analyzedWithCounting();
    const checked = counting.checked;
    const at = text.indexOf('TO ROLE ANALYST');
    assert.ok(at > 0);

    workspace.setFile(path, `${text.slice(0, at)}TO USER alice${text.slice(at + 15)}`);
    const findings = workspace.analyze().findings.get(path) ?? [];

    assert.ok(counting.checked > checked);
    assert.ok(findings.some((finding) => finding.ruleId === 'grant-to-user'));
  });

  it('runs the rules only on the statements an edit can change once a file is edited', () => {
    const { counting, workspace, path, text } = analyzedWithCounting();
    // The first edit runs every rule and records what each read; the next ones keep results.
    const at = text.indexOf('TO ROLE ANALYST');
    workspace.setFile(path, `${text.slice(0, at)}TO ROLE ANALYSTS${text.slice(at + 15)}`);
    workspace.analyze();
    const before = counting.checked;
    const edited = `${text.slice(0, at)}TO USER alice${text.slice(at + 15)}`;
    workspace.setFile(path, edited);
    const after = workspace.analyze();

    const statements = after.files[0].parsed.statements.length;
    assert.ok(counting.checked - before < statements / 10, `${counting.checked - before} checks`);
    assert.ok((after.findings.get(path) ?? []).some((f) => f.ruleId === 'grant-to-user'));
    assertSameFindings(after, fresh(new Map([[path, edited]]), [path]));
  });

  it('judges a statement again when an edit in another file changes a fact it read', () => {
    const table = 'CREATE TABLE hr.core.people (id NUMBER, email VARCHAR);\n';
    const masked = 'ALTER TABLE hr.core.people MODIFY COLUMN email SET MASKING POLICY m;\n';
    const policy = "CREATE MASKING POLICY hr.core.m AS (v VARCHAR) RETURNS VARCHAR -> '*';\n";
    const texts = new Map([
      ['V1__tables.sql', table],
      ['V2__policies.sql', `USE SCHEMA hr.core;\n${policy}${masked}`],
    ]);
    const workspace = new Workspace(allRules, undefined, undefined, { now });
    for (const [path, text] of texts) workspace.setFile(path, text);
    workspace.analyze();
    for (const text of [
      `USE SCHEMA hr.core;\n${policy}\n`,
      `USE SCHEMA hr.core;\n${policy}${masked}`,
    ]) {
      texts.set('V2__policies.sql', text);
      workspace.setFile('V2__policies.sql', text);
      const analysis = workspace.analyze();
      assertSameFindings(analysis, fresh(texts, [...texts.keys()]));
    }
    texts.set('V2__policies.sql', `USE SCHEMA hr.core;\n${policy}-- unmasked\n`);
    workspace.setFile('V2__policies.sql', texts.get('V2__policies.sql') ?? '');
    const unmasked = workspace.analyze().findings.get('V1__tables.sql') ?? [];
    assert.deepEqual(
      unmasked.map((finding) => finding.ruleId),
      ['unmasked-pii-column'],
    );
  });

  it('judges a statement again when a fact derived from other files changes', () => {
    // Facts rules derive from many statements: the roles a user holds (grant-to-user's fixes),
    // the tables of a schema (unmanaged-schema), the roles the workspace creates
    // (masking-policy-quality's role names).
    const policy =
      'CREATE MASKING POLICY hr.core.m AS (v VARCHAR) RETURNS VARCHAR -> ' +
      "CASE WHEN IS_ROLE_IN_SESSION('AUDITOR') THEN v ELSE '***' END;\n";
    const first = [
      'CREATE DATABASE hr;\n',
      'CREATE SCHEMA hr.core;\n',
      policy,
      'GRANT SELECT ON TABLE hr.core.people TO USER alice;\n',
    ].join('');
    const texts = new Map([
      ['V1__base.sql', first],
      ['V2__more.sql', 'CREATE ROLE analyst;\n'],
    ]);
    const workspace = new Workspace(allRules, undefined, undefined, { now });
    for (const [path, text] of texts) workspace.setFile(path, text);
    workspace.analyze();
    // Results are kept from the first analysis after an edit on; the steps below must keep them.
    workspace.setFile('V2__more.sql', `${texts.get('V2__more.sql')}\n`);
    workspace.analyze();
    const seen = new Set<string>();
    for (const added of [
      'GRANT ROLE analyst TO USER alice;\n',
      'CREATE TABLE hr.core.people (id NUMBER, email VARCHAR);\n',
      'CREATE ROLE auditor;\n',
      'ALTER USER alice SET DEFAULT_ROLE = reporting;\n',
    ]) {
      texts.set('V2__more.sql', `${texts.get('V2__more.sql')}${added}`);
      workspace.setFile('V2__more.sql', texts.get('V2__more.sql') ?? '');
      const analysis = workspace.analyze();
      assertSameFindings(analysis, fresh(texts, [...texts.keys()]));
      seen.add(JSON.stringify(analysis.findings.get('V1__base.sql')));
    }
    assert.equal(seen.size, 4, 'each edit changed the findings of the other file');
  });

  it('judges a fix again when the other file it appends to is edited', () => {
    // The fix that creates a masking policy in the policies file reads that file's text to place
    // its insertion: a file holding only white space is replaced, not appended to.
    const yaml =
      'rules:\n  unmasked-pii-column:\n    options:\n      policiesFile: R__policies.sql\n';
    const { config, problems } = parseConfig(yaml, 'snowgov.yml', allRules);
    assert.deepEqual(problems, []);
    const texts = new Map([
      ['V1__tables.sql', 'CREATE TABLE d.s.people (id NUMBER, ssn VARCHAR(11));\n'],
      ['R__policies.sql', 'SELECT 1;\n'],
    ]);
    const workspace = new Workspace(allRules, config, undefined, { now });
    for (const [path, text] of texts) workspace.setFile(path, text);
    workspace.analyze();
    for (const text of ['SELECT 12;\n', '    \n']) {
      texts.set('R__policies.sql', text);
      workspace.setFile('R__policies.sql', text);
      const analysis = workspace.analyze();
      const expected = new Workspace(allRules, config, undefined, { now });
      for (const [path, each] of texts) expected.setFile(path, each);
      assertSameFindings(analysis, expected.analyze());
    }
  });
});
