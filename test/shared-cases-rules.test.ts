import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { allRules } from '../rules';
import { type Finding, LineIndex, Workspace } from '../server/src/engine';
import { lintFiles } from './helpers/lint';

/**
 * The governance expectations of ../shared/cases (inputs that broke other Snowflake tools).
 * The parsing expectations live in shared-cases.test.ts. A user's clone has no ../shared, so the
 * suite then says so visibly instead of silently passing.
 */
const casesDir = path.resolve(__dirname, '../../shared/cases');

function lint(name: string): Finding[] {
  const text = readFileSync(path.join(casesDir, name), 'utf8');

  return [...lintFiles({ [name]: text }).values()].flat();
}

function summary(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.start.line + 1}:${f.ruleId}`);
}

describe('shared cases: governance findings', () => {
  if (!existsSync(casesDir)) {
    it('are not checked because ../shared/cases is absent', () => {
      console.warn(`    shared cases not found at ${casesDir}; skipping their governance checks`);
    });

    return;
  }

  it('C01: flags the grant to PUBLIC on line 1 and the database role given to a user on line 2', () => {
    assert.deepEqual(summary(lint('C01.sql')), ['1:grant-to-public', '2:grant-to-user']);
  });

  it('C03: treats quoted and unquoted policy names as one policy, leaving col_a masked', () => {
    assert.deepEqual(summary(lint('C03.sql')), []);
    const text = readFileSync(path.join(casesDir, 'C03.sql'), 'utf8');
    const workspace = new Workspace(allRules);
    workspace.setFile('C03.sql', text);
    const table = workspace.analyze().catalog.findTable('DB1.SCH1.TBL1');
    const attachment = table?.columns.get('COL_A')?.maskingPolicy;
    assert.equal(attachment?.policy, 'DB1.SCH1.POL_MASK_A');
    const line = new LineIndex(text).positionAt(attachment?.at.span.start ?? 0).line + 1;
    assert.equal(line, 4, 'the ALTER on line 4 attached it last');
  });

  it('C05: parses the quoted hyphenated policy name without findings', () => {
    assert.deepEqual(summary(lint('C05.sql')), []);
  });

  it('C07: reports OR REPLACE with IF NOT EXISTS precisely', () => {
    const findings = lint('C07.sql');
    assert.deepEqual(summary(findings), ['1:parse-error']);
    assert.match(findings[0].message, /OR REPLACE and IF NOT EXISTS cannot be used together/);
  });

  it('C10: makes no unsafe-stage claim about a stage built from session variables', () => {
    assert.deepEqual(summary(lint('C10.sql')), []);
  });

  it('C11: sees grants to a share, not to a user', () => {
    assert.deepEqual(summary(lint('C11.sql')), []);
  });

  it('C12: flags the unmasked email of a CREATE OR ALTER TABLE on line 2', () => {
    const findings = lint('C12.sql');
    assert.deepEqual(summary(findings), ['2:unmasked-pii-column']);
    assert.match(findings[0].message, /Column EMAIL of TBL_PEOPLE holds an email address/);
  });

  it('C13: reads // comments and reports nothing', () => {
    assert.deepEqual(summary(lint('C13.sql')), []);
  });

  it('C15: keeps a backslash-escaped quote inside its string', () => {
    assert.deepEqual(summary(lint('C15.sql')), []);
  });

  it('C18: flags the grant to a user inside a procedure body without $$ on line 9', () => {
    assert.deepEqual(summary(lint('C18.sql')), ['9:grant-to-user']);
  });

  it('C20: flags ACCOUNTADMIN granted to a user inside EXECUTE IMMEDIATE on line 5', () => {
    assert.deepEqual(summary(lint('C20.sql')).sort(), ['5:accountadmin-use', '5:grant-to-user']);
  });
});
