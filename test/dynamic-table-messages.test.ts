import assert from 'node:assert/strict';
import { allRules } from '../rules';
import { Workspace } from '../server/src/engine';

function messages(sql: string, ruleId: string): string[] {
  const workspace = new Workspace(allRules);
  workspace.setFile('V1__t.sql', sql);
  const findings = workspace.analyze().findings.get('V1__t.sql') ?? [];

  return findings.filter((finding) => finding.ruleId === ruleId).map((f) => f.message);
}

describe('messages about dynamic tables', () => {
  const people = 'CREATE TABLE crm.core.people (id NUMBER, email VARCHAR, dob DATE);';

  it('name a copy made by a dynamic table as CREATE DYNAMIC TABLE … AS SELECT', () => {
    const sql = [
      people,
      "CREATE DYNAMIC TABLE crm.core.people_dt TARGET_LAG = '1 hour' WAREHOUSE = wh",
      '  AS SELECT id, email FROM crm.core.people;',
    ].join('\n');
    const copies = messages(sql, 'unmasked-pii-column').filter((m) => m.startsWith('This '));
    assert.equal(copies.length, 1);
    assert.match(
      copies[0],
      /^This CREATE DYNAMIC TABLE … AS SELECT copies CRM\.CORE\.PEOPLE\.EMAIL/,
    );
  });

  it('keep naming a plain copy CREATE TABLE … AS SELECT', () => {
    const sql = `${people}\nCREATE TABLE crm.core.copy AS SELECT id, email FROM crm.core.people;`;
    const copies = messages(sql, 'unmasked-pii-column').filter((m) => m.startsWith('This '));
    assert.match(copies[0] ?? '', /^This CREATE TABLE … AS SELECT copies/);
  });
});
