import assert from 'node:assert/strict';
import { allRules } from '../rules';
import { Workspace } from '../server/src/engine';

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
      'V1__role.sql': 'USE ROLE ACCOUNTADMIN;',
      'V2__tables.sql':
        'CREATE TABLE crm.core.a (id NUMBER); USE ROLE sysadmin; CREATE TABLE crm.core.b (id NUMBER);',
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

  it('carries the session from migration to migration, but not into other scripts', () => {
    const catalog = catalogOf({
      'V1__role.sql': 'USE ROLE ACCOUNTADMIN; USE SCHEMA crm.core;',
      'V2__table.sql': 'CREATE TABLE a (id NUMBER);',
      'setup/other.sql': 'CREATE TABLE b (id NUMBER);',
    });
    assert.equal(catalog.findTable('CRM.CORE.A')?.owner, 'ACCOUNTADMIN');
    assert.ok(catalog.tables.has('B'));
    assert.equal(catalog.findTable('B')?.owner, undefined);
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
});
