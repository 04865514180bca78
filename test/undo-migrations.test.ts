import assert from 'node:assert/strict';
import { allRules } from '../rules';
import { Workspace } from '../server/src/engine';
import { isMigrationScript, isUndoScript } from '../server/src/engine/model/order';

function analyze(files: Record<string, string>) {
  const workspace = new Workspace(allRules);
  for (const [path, text] of Object.entries(files)) workspace.setFile(path, text);

  return workspace.analyze();
}

describe('Flyway undo scripts', () => {
  it('are told apart by their U prefix and version', () => {
    assert.equal(isUndoScript('migrations/U1.2__undo.sql'), true);
    assert.equal(isUndoScript('U3_1__drop_people.sql'), true);
    assert.equal(isUndoScript('migrations/users.sql'), false);
    assert.equal(isUndoScript('V1.2__people.sql'), false);
    assert.equal(isMigrationScript('U1.2__undo.sql'), false);
  });

  it('leave the model of the forward migrations as it was', () => {
    const analysis = analyze({
      'V1__people.sql': [
        'CREATE MASKING POLICY crm.core.mask_email AS (val VARCHAR) RETURNS VARCHAR ->',
        "  CASE WHEN IS_ROLE_IN_SESSION('PII_READER') THEN val ELSE '*****' END;",
        'CREATE TABLE crm.core.people (id NUMBER, email VARCHAR WITH MASKING POLICY crm.core.mask_email);',
      ].join('\n'),
      'V2__orders.sql': 'CREATE TABLE crm.core.orders (id NUMBER);',
      'U2__undo_orders.sql': 'DROP TABLE crm.core.orders;',
      'U1__undo_people.sql': [
        'DROP TABLE crm.core.people;',
        'CREATE TABLE crm.core.people (id NUMBER, email VARCHAR);',
      ].join('\n'),
    });
    const people = analysis.catalog.findTable('CRM.CORE.PEOPLE');
    assert.equal(people?.path, 'V1__people.sql');
    assert.ok(people?.columns.get('EMAIL')?.maskingPolicy);
    assert.ok(analysis.catalog.findTable('CRM.CORE.ORDERS'));
    const pii = [...analysis.findings.values()]
      .flat()
      .filter((finding) => finding.ruleId === 'unmasked-pii-column');
    assert.deepEqual(pii, []);
  });

  it('are still judged on their own statements, in their own session', () => {
    const analysis = analyze({
      'V1__role.sql': 'USE ROLE sysadmin;',
      'U1__undo.sql':
        'USE ROLE ACCOUNTADMIN;\nGRANT SELECT ON TABLE crm.core.people TO USER alice;',
    });
    const rules = (analysis.findings.get('U1__undo.sql') ?? []).map((finding) => finding.ruleId);
    assert.ok(rules.includes('grant-to-user'), rules.join(', '));
    const grant = analysis.files.find((file) => file.path === 'U1__undo.sql')?.parsed.statements[1];
    assert.equal(grant && analysis.catalog.sessionOf(grant)?.role, 'ACCOUNTADMIN');
  });
});
