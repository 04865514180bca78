import assert from 'node:assert/strict';
import { allRules } from '../rules';
import { Workspace, parseConfig } from '../server/src/engine';

/** The catalog applies migrations in order the way Snowflake would. */
function catalogOf(files: Record<string, string>) {
  const workspace = new Workspace(allRules);
  for (const [path, text] of Object.entries(files)) workspace.setFile(path, text);

  return workspace.analyze().catalog;
}

describe('catalog', () => {
  it('keeps grants minus later revokes, across files in version order', () => {
    const catalog = catalogOf({
      'V2__revoke.sql': 'REVOKE SELECT ON TABLE crm.core.t FROM ROLE analyst;',
      'V1__grant.sql': [
        'GRANT SELECT, INSERT ON TABLE crm.core.t TO ROLE analyst;',
        'GRANT ROLE analyst TO ROLE sysadmin WITH GRANT OPTION;',
      ].join('\n'),
    });
    assert.deepEqual(
      catalog.grants.map((g) => `${g.privilege} ${g.on} -> ${g.granteeType} ${g.grantee}`),
      ['INSERT TABLE CRM.CORE.T -> ROLE ANALYST', 'ROLE ANALYST -> ROLE SYSADMIN'],
    );
    assert.equal(catalog.grants[1].withGrantOption, true);
  });

  it('records the roles and users it creates', () => {
    const catalog = catalogOf({
      'V1__people.sql':
        'CREATE ROLE analyst; CREATE DATABASE ROLE crm.reader; CREATE USER "svc.dbt";',
    });
    assert.deepEqual([...catalog.roles].sort(), ['ANALYST', 'CRM.READER']);
    assert.deepEqual([...catalog.users], ['"svc.dbt"']);
  });

  it('gives each table the role in effect when it was created as owner', () => {
    const catalog = catalogOf({
      'V1__tables.sql': [
        'USE ROLE ACCOUNTADMIN; CREATE TABLE crm.core.a (id NUMBER);',
        'USE ROLE sysadmin; CREATE TABLE crm.core.b (id NUMBER);',
      ].join('\n'),
    });
    assert.equal(catalog.findTable('CRM.CORE.A')?.owner, 'ACCOUNTADMIN');
    assert.equal(catalog.findTable('CRM.CORE.B')?.owner, 'SYSADMIN');
    const policies = catalogOf({
      'V1__p.sql':
        'USE ROLE policy_admin; CREATE MASKING POLICY gov.p.m AS (v VARCHAR) RETURNS VARCHAR -> v; CREATE TAG gov.p.t; CREATE STAGE gov.p.s;',
    });
    assert.equal(policies.findMaskingPolicy('GOV.P.M')?.owner, 'POLICY_ADMIN');
    assert.equal(policies.findTag('GOV.P.T')?.owner, 'POLICY_ADMIN');
    assert.equal(policies.findStage('GOV.P.S')?.owner, 'POLICY_ADMIN');
  });

  it('starts every script from the connection defaults, as schemachange and Flyway run them', () => {
    const catalog = catalogOf({
      'V1__role.sql': 'USE ROLE ACCOUNTADMIN; USE SCHEMA crm.core; CREATE TABLE a (id NUMBER);',
      'V2__table.sql': 'CREATE TABLE b (id NUMBER);',
      'setup/other.sql': 'CREATE TABLE c (id NUMBER);',
    });
    assert.equal(catalog.findTable('CRM.CORE.A')?.owner, 'ACCOUNTADMIN');
    // schemachange's reset_session puts role and namespace back before each script.
    assert.ok(catalog.tables.has('B'));
    assert.equal(catalog.findTable('B')?.owner, undefined);
    assert.ok(catalog.tables.has('C'));
    assert.equal(catalog.findTable('C')?.owner, undefined);
  });

  it('carries the session between migrations when migrations.sessionCarriesOver says so', () => {
    const yaml = 'migrations:\n  sessionCarriesOver: true\n';
    const { config, problems } = parseConfig(yaml, 'snowgov.yml', allRules);
    assert.deepEqual(problems, []);
    const workspace = new Workspace(allRules, config);
    workspace.setFile('V1__role.sql', 'USE ROLE ACCOUNTADMIN; USE SCHEMA crm.core;');
    workspace.setFile('V2__table.sql', 'CREATE TABLE a (id NUMBER);');
    workspace.setFile('setup/other.sql', 'CREATE TABLE b (id NUMBER);');
    const catalog = workspace.analyze().catalog;
    assert.equal(catalog.findTable('CRM.CORE.A')?.owner, 'ACCOUNTADMIN');
    // A file that is not a migration script is run on its own, whatever the setting.
    assert.equal(catalog.findTable('B')?.owner, undefined);
    const wrong = parseConfig(
      'migrations:\n  sessionCarriesOver: yes please\n',
      'snowgov.yml',
      allRules,
    );
    assert.equal(wrong.problems.length, 1);
  });

  it('qualifies names with USE DATABASE and USE SCHEMA, and forgets them after a dynamic USE', () => {
    const catalog = catalogOf({
      'V1__t.sql':
        'USE SCHEMA crm.core; CREATE TABLE t (id NUMBER); USE DATABASE IDENTIFIER($db); CREATE TABLE u (id NUMBER);',
    });
    assert.ok(catalog.tables.has('CRM.CORE.T'));
    assert.ok(catalog.tables.has('U'));
  });

  it('follows RENAME, DROP and CREATE OR REPLACE', () => {
    const catalog = catalogOf({
      'V1__t.sql': [
        'CREATE TABLE crm.core.a (email VARCHAR WITH MASKING POLICY crm.core.m);',
        'ALTER TABLE crm.core.a RENAME TO crm.core.b;',
        'CREATE TABLE crm.core.c (id NUMBER);',
        'DROP TABLE crm.core.c;',
        'CREATE OR REPLACE TABLE crm.core.b (email VARCHAR);',
      ].join('\n'),
    });
    assert.deepEqual([...catalog.tables.keys()], ['CRM.CORE.B']);
    assert.equal(catalog.findTable('CRM.CORE.B')?.columns.get('EMAIL')?.maskingPolicy, undefined);
  });

  it('keeps a renamed table as the one its CREATE made, with its columns and policies', () => {
    const catalog = catalogOf({
      'V1__t.sql': [
        'CREATE TABLE db.s.t (id INT, email VARCHAR WITH MASKING POLICY db.s.m);',
        'ALTER TABLE db.s.t RENAME TO db.s.t2;',
      ].join('\n'),
    });
    const renamed = catalog.findTable('DB.S.T2');
    assert.deepEqual([...catalog.tables.keys()], ['DB.S.T2']);
    assert.equal(renamed?.columns.get('EMAIL')?.maskingPolicy?.policy, 'DB.S.M');
    assert.equal(catalog.tableDefinedBy(renamed!.statement), renamed);
  });

  it('exchanges names, columns, policies and tags on SWAP WITH', () => {
    const catalog = catalogOf({
      'V1__swap.sql': [
        'CREATE TABLE db.s.live (id INT, email VARCHAR WITH MASKING POLICY db.s.m);',
        "CREATE TABLE db.s.live_new (id INT, email VARCHAR, phone VARCHAR) WITH TAG (db.s.pii = 'y');",
        'ALTER TABLE db.s.live_new SWAP WITH db.s.live;',
      ].join('\n'),
    });
    const live = catalog.findTable('DB.S.LIVE');
    const old = catalog.findTable('DB.S.LIVE_NEW');
    assert.deepEqual([...(live?.columns.keys() ?? [])], ['ID', 'EMAIL', 'PHONE']);
    assert.equal(live?.columns.get('EMAIL')?.maskingPolicy, undefined);
    assert.deepEqual([...(live?.tags.keys() ?? [])], ['DB.S.PII']);
    assert.equal(old?.columns.get('EMAIL')?.maskingPolicy?.policy, 'DB.S.M');
    assert.equal(old?.tags.size, 0);
    assert.equal(catalog.tableDefinedBy(live!.statement)?.key, 'DB.S.LIVE');
  });

  it('gives CREATE TABLE … LIKE the columns of its source, with their policies and tags', () => {
    const catalog = catalogOf({
      'V1__like.sql': [
        'CREATE TABLE db.s.t (id INT, email VARCHAR WITH MASKING POLICY db.s.m, phone VARCHAR);',
        'CREATE TABLE db.s.t3 LIKE db.s.t;',
      ].join('\n'),
    });
    const copy = catalog.findTable('DB.S.T3');
    assert.deepEqual([...(copy?.columns.keys() ?? [])], ['ID', 'EMAIL', 'PHONE']);
    assert.equal(copy?.columns.get('EMAIL')?.maskingPolicy?.policy, 'DB.S.M');
    assert.equal(copy?.columnsUnknown, false);
  });
});
