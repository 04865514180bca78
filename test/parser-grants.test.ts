import assert from 'node:assert/strict';
import { parseFile } from '../server/src/engine/syntax/parser';
import {
  expectKind,
  parseInEveryForm,
  parseMany,
  parseOne,
  partsOf,
  rangeOf,
  spanOf,
} from './helpers/syntax';

describe('parsing GRANT and REVOKE', () => {
  describe('GRANT and REVOKE of privileges', () => {
    it('reads privileges, the object with its kind and a role grantee with exact ranges', () => {
      const sql = 'GRANT SELECT, INSERT ON TABLE db.s.t TO ROLE analyst WITH GRANT OPTION';
      const grant = expectKind(parseOne(sql), 'grant-privileges');

      assert.deepEqual(rangeOf(grant), { start: 0, end: sql.length });
      assert.equal(grant.action, 'GRANT');
      assert.deepEqual(grant.privileges, [
        { name: 'SELECT', ...spanOf(sql, 'SELECT') },
        { name: 'INSERT', ...spanOf(sql, 'INSERT') },
      ]);
      assert.ok(grant.on.type === 'object');
      assert.equal(grant.on.objectType, 'TABLE');
      assert.deepEqual(partsOf(grant.on.name), ['DB', 'S', 'T']);
      assert.deepEqual(rangeOf(grant.on.name), spanOf(sql, 'db.s.t'));
      assert.deepEqual(grant.onSpan, spanOf(sql, 'TABLE db.s.t'));
      assert.deepEqual(rangeOf(grant.grantee), spanOf(sql, 'ROLE analyst'));
      assert.equal(grant.grantee.type, 'ROLE');
      assert.equal(grant.grantee.explicitType, true);
      assert.deepEqual(partsOf(grant.grantee.name), ['ANALYST']);
      assert.equal(grant.withGrantOption, true);
    });

    it('reads a multi-word privilege such as CREATE SCHEMA and a grantee without its kind', () => {
      const sql = 'grant create schema, usage on database d to analyst';
      const grant = expectKind(parseOne(sql), 'grant-privileges');

      assert.deepEqual(grant.privileges, [
        { name: 'CREATE SCHEMA', ...spanOf(sql, 'create schema') },
        { name: 'USAGE', ...spanOf(sql, 'usage') },
      ]);
      assert.equal(grant.grantee.type, 'ROLE');
      assert.equal(grant.grantee.explicitType, false);
      assert.deepEqual(rangeOf(grant.grantee), spanOf(sql, 'analyst'));
      assert.equal(grant.withGrantOption, false);
    });

    it('reads ALL PRIVILEGES as one privilege', () => {
      const sql = 'GRANT ALL PRIVILEGES ON SCHEMA d.s TO ROLE r';
      const grant = expectKind(parseOne(sql), 'grant-privileges');

      assert.deepEqual(grant.privileges, [
        { name: 'ALL PRIVILEGES', ...spanOf(sql, 'ALL PRIVILEGES') },
      ]);
    });

    it('reads ON ACCOUNT, and CREATE ROLE as a privilege rather than a role grant', () => {
      const sql = 'GRANT CREATE ROLE ON ACCOUNT TO ROLE sec_admin';
      const grant = expectKind(parseOne(sql), 'grant-privileges');

      assert.deepEqual(grant.privileges, [{ name: 'CREATE ROLE', ...spanOf(sql, 'CREATE ROLE') }]);
      assert.deepEqual(grant.on, { type: 'account' });
      assert.deepEqual(grant.onSpan, spanOf(sql, 'ACCOUNT'));
    });

    it('reads an object named without its kind, bare or qualified', () => {
      const sql = 'GRANT SELECT ON t TO r; GRANT SELECT ON db.s.v TO ROLE r';
      const { statements, problems } = parseFile(sql);
      const [bare, qualified] = statements.map((s) => expectKind(s, 'grant-privileges'));

      assert.deepEqual(problems, []);
      assert.ok(bare.on.type === 'object' && qualified.on.type === 'object');
      assert.equal(bare.on.objectType, '');
      assert.deepEqual(partsOf(bare.on.name), ['T']);
      assert.deepEqual(bare.onSpan, spanOf(sql, 't'));
      assert.equal(qualified.on.objectType, '');
      assert.deepEqual(partsOf(qualified.on.name), ['DB', 'S', 'V']);
    });

    it('reads the argument types of a function', () => {
      const sql = 'GRANT USAGE ON FUNCTION d.s.f(VARCHAR, number) TO ROLE r';
      const grant = expectKind(parseOne(sql), 'grant-privileges');

      assert.ok(grant.on.type === 'object');
      assert.equal(grant.on.objectType, 'FUNCTION');
      assert.deepEqual(partsOf(grant.on.name), ['D', 'S', 'F']);
      assert.deepEqual(grant.on.argumentTypes, ['VARCHAR', 'NUMBER']);
      assert.deepEqual(grant.onSpan, spanOf(sql, 'FUNCTION d.s.f(VARCHAR, number)'));
    });

    it('reads an empty argument list as no argument types', () => {
      const grant = expectKind(
        parseOne('GRANT USAGE ON PROCEDURE p() TO ROLE r'),
        'grant-privileges',
      );

      assert.ok(grant.on.type === 'object');
      assert.deepEqual(grant.on.argumentTypes, []);
    });

    it('keeps a parameterised argument type whole instead of splitting it at its comma', () => {
      const sql = 'GRANT USAGE ON FUNCTION f(VARCHAR, NUMBER(38,0)) TO ROLE r';
      const grant = expectKind(parseOne(sql), 'grant-privileges');

      assert.ok(grant.on.type === 'object');
      assert.deepEqual(grant.on.argumentTypes, ['VARCHAR', 'NUMBER(38,0)']);
    });

    it('reads ALL … IN SCHEMA and FUTURE … IN DATABASE with multi-word object kinds', () => {
      const sql =
        'GRANT SELECT ON ALL TABLES IN SCHEMA d.s TO ROLE r;\n' +
        'GRANT SELECT ON FUTURE MATERIALIZED VIEWS IN DATABASE d TO ROLE r';
      const [all, future] = parseMany(sql).map((s) => expectKind(s, 'grant-privileges'));

      assert.ok(all.on.type === 'all' && future.on.type === 'future');
      assert.equal(all.on.objectType, 'TABLES');
      assert.equal(all.on.container, 'SCHEMA');
      assert.deepEqual(partsOf(all.on.containerName), ['D', 'S']);
      assert.deepEqual(all.onSpan, spanOf(sql, 'ALL TABLES IN SCHEMA d.s'));
      assert.equal(future.on.objectType, 'MATERIALIZED VIEWS');
      assert.equal(future.on.container, 'DATABASE');
      assert.deepEqual(partsOf(future.on.containerName), ['D']);
    });

    it('reads USER, DATABASE ROLE and SHARE grantees', () => {
      const sql =
        'GRANT SELECT ON TABLE t TO USER u1;\n' +
        'GRANT USAGE ON DATABASE d TO DATABASE ROLE d.dr;\n' +
        'GRANT USAGE ON DATABASE d TO SHARE sh';
      const grantees = parseMany(sql).map((s) => expectKind(s, 'grant-privileges').grantee);

      assert.deepEqual(
        grantees.map((g) => [g.type, g.explicitType, partsOf(g.name)]),
        [
          ['USER', true, ['U1']],
          ['DATABASE ROLE', true, ['D', 'DR']],
          ['SHARE', true, ['SH']],
        ],
      );
      assert.deepEqual(rangeOf(grantees[0]), spanOf(sql, 'USER u1'));
      assert.deepEqual(rangeOf(grantees[1]), spanOf(sql, 'DATABASE ROLE d.dr'));
      assert.deepEqual(rangeOf(grantees[2]), spanOf(sql, 'SHARE sh'));
    });

    it('reads a role named USER as a role grantee', () => {
      const grant = expectKind(
        parseOne('GRANT SELECT ON TABLE t TO ROLE user'),
        'grant-privileges',
      );

      assert.equal(grant.grantee.type, 'ROLE');
      assert.deepEqual(partsOf(grant.grantee.name), ['USER']);
    });

    it('reads OWNERSHIP with COPY CURRENT GRANTS', () => {
      const sql = 'GRANT OWNERSHIP ON TABLE t TO ROLE r COPY CURRENT GRANTS';
      const grant = expectKind(parseOne(sql), 'grant-privileges');

      assert.deepEqual(grant.privileges, [{ name: 'OWNERSHIP', ...spanOf(sql, 'OWNERSHIP') }]);
      assert.equal(grant.currentGrants, 'COPY');
      assert.deepEqual(rangeOf(grant), { start: 0, end: sql.length });
    });

    it('reads REVOKE … FROM, with GRANT OPTION FOR and CASCADE', () => {
      const sql = 'REVOKE GRANT OPTION FOR SELECT ON TABLE t FROM ROLE r CASCADE';
      const revoke = expectKind(parseOne(sql), 'grant-privileges');

      assert.equal(revoke.action, 'REVOKE');
      assert.deepEqual(revoke.privileges, [{ name: 'SELECT', ...spanOf(sql, 'SELECT') }]);
      assert.deepEqual(rangeOf(revoke.grantee), spanOf(sql, 'ROLE r'));
      assert.deepEqual(rangeOf(revoke), { start: 0, end: sql.length });
    });
  });

  describe('GRANT and REVOKE of roles', () => {
    it('reads GRANT ROLE to a role and to a user', () => {
      const sql = 'GRANT ROLE analyst TO ROLE sysadmin; GRANT ROLE analyst TO USER u1';
      const [toRole, toUser] = parseMany(sql).map((s) => expectKind(s, 'grant-role'));

      assert.equal(toRole.roleType, 'ROLE');
      assert.deepEqual(partsOf(toRole.role), ['ANALYST']);
      assert.deepEqual(rangeOf(toRole.role), spanOf(sql, 'analyst'));
      assert.equal(toRole.grantee.type, 'ROLE');
      assert.deepEqual(rangeOf(toRole.grantee), spanOf(sql, 'ROLE sysadmin'));
      assert.equal(toUser.grantee.type, 'USER');
      assert.deepEqual(partsOf(toUser.grantee.name), ['U1']);
      assert.deepEqual(rangeOf(toUser), spanOf(sql, 'GRANT ROLE analyst TO USER u1'));
    });

    it('reads GRANT DATABASE ROLE to a role and REVOKE ROLE from a user', () => {
      const sql = 'GRANT DATABASE ROLE d.dr TO ROLE r WITH GRANT OPTION; REVOKE ROLE a FROM USER u';
      const [grant, revoke] = parseMany(sql).map((s) => expectKind(s, 'grant-role'));

      assert.equal(grant.roleType, 'DATABASE ROLE');
      assert.deepEqual(partsOf(grant.role), ['D', 'DR']);
      assert.equal(grant.withGrantOption, true);
      assert.equal(revoke.action, 'REVOKE');
      assert.equal(revoke.grantee.type, 'USER');
      assert.deepEqual(rangeOf(revoke.grantee), spanOf(sql, 'USER u'));
    });
  });

  describe('REVOKE options', () => {
    it('records GRANT OPTION FOR and CASCADE on a revoke of privileges', () => {
      const sql = 'REVOKE GRANT OPTION FOR SELECT ON TABLE t FROM ROLE r CASCADE';
      const revoke = expectKind(parseOne(sql), 'grant-privileges');

      assert.equal(revoke.grantOptionFor, true);
      assert.equal(revoke.cascade, 'CASCADE');
    });

    it('records RESTRICT on a revoke of a role, and no options on a plain grant', () => {
      const sql = 'REVOKE GRANT OPTION FOR ROLE a FROM ROLE b RESTRICT; GRANT ROLE a TO ROLE b';
      const [revoke, grant] = parseMany(sql).map((s) => expectKind(s, 'grant-role'));

      assert.deepEqual([revoke.grantOptionFor, revoke.cascade], [true, 'RESTRICT']);
      assert.deepEqual([grant.grantOptionFor, grant.cascade], [false, undefined]);
      assert.deepEqual(rangeOf(revoke.role), spanOf(sql, 'a'));
    });

    it('reads REVOKE CURRENT GRANTS of an ownership transfer, not a second REVOKE', () => {
      const sql = 'GRANT OWNERSHIP ON ALL TABLES IN SCHEMA d.s TO ROLE r\n  REVOKE CURRENT GRANTS';
      const grant = expectKind(parseOne(sql), 'grant-privileges');

      assert.equal(grant.currentGrants, 'REVOKE');
      assert.deepEqual(rangeOf(grant), { start: 0, end: sql.length });
    });
  });

  describe('less common grantees and objects', () => {
    it('reads APPLICATION ROLE grantees and a share in an application package', () => {
      const sql =
        'GRANT USAGE ON SCHEMA s TO APPLICATION ROLE app_public;\n' +
        'GRANT USAGE ON SCHEMA s TO SHARE IN APPLICATION PACKAGE pkg';
      const [app, share] = parseMany(sql).map((s) => expectKind(s, 'grant-privileges').grantee);

      assert.deepEqual([app.type, partsOf(app.name)], ['APPLICATION ROLE', ['APP_PUBLIC']]);
      assert.deepEqual(rangeOf(app), spanOf(sql, 'APPLICATION ROLE app_public'));
      assert.deepEqual([share.type, partsOf(share.name)], ['SHARE', ['PKG']]);
    });

    it('reads future grants on schemas of a database', () => {
      const sql = 'GRANT USAGE ON FUTURE SCHEMAS IN DATABASE d TO DATABASE ROLE d.reader';
      const grant = expectKind(parseOne(sql), 'grant-privileges');

      assert.ok(grant.on.type === 'future');
      assert.deepEqual([grant.on.objectType, grant.on.container], ['SCHEMAS', 'DATABASE']);
      assert.deepEqual(rangeOf(grant.on.containerName), spanOf(sql, 'd'));
    });

    it('reads an object kind snowgov does not list, such as MCP SERVER', () => {
      const grant = expectKind(
        parseOne('GRANT USAGE ON MCP SERVER db.s.srv TO ROLE r'),
        'grant-privileges',
      );

      assert.ok(grant.on.type === 'object');
      assert.deepEqual(
        [grant.on.objectType, partsOf(grant.on.name)],
        ['MCP SERVER', ['DB', 'S', 'SRV']],
      );
    });
  });

  describe('tricky forms', () => {
    const statements = [
      'GRANT SELECT, INSERT ON TABLE db.s.t TO ROLE analyst WITH GRANT OPTION',
      'GRANT USAGE ON FUNCTION d.s.f(VARCHAR, NUMBER(38, 0)) TO ROLE r',
      'GRANT SELECT ON FUTURE TABLES IN SCHEMA d.s TO DATABASE ROLE d.dr',
      'REVOKE GRANT OPTION FOR SELECT ON ALL VIEWS IN DATABASE d FROM ROLE r CASCADE',
      'GRANT OWNERSHIP ON SCHEMA d.s TO ROLE r COPY CURRENT GRANTS',
      'GRANT DATABASE ROLE d.dr TO ROLE r WITH GRANT OPTION',
      'GRANT ROLE "Mixed Case" TO USER "first.last@example.com"',
      'GRANT SELECT ON TABLE IDENTIFIER(\'db."Sch".t\') TO ROLE r',
    ];
    for (const sql of statements) {
      it(`reads ${sql} alike in mixed case and with comments between its tokens`, () => {
        const statement = parseInEveryForm(sql);

        assert.ok(statement.kind === 'grant-privileges' || statement.kind === 'grant-role');
      });
    }

    it('reports an unterminated name at the end of the file once, and never reads it as a name', () => {
      const sql = 'GRANT ROLE r TO USER "ana;\nGRANT ROLE x TO ROLE y';
      const { statements, problems } = parseFile(sql);

      assert.equal(statements.length, 1);
      assert.deepEqual(
        problems.map((p) => [p.code, rangeOf(p)]),
        [['unterminated', spanOf(sql, '"')]],
      );
      expectKind(statements[0], 'other');
    });
  });
});
