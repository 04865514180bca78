import assert from 'node:assert/strict';
import { parseFile } from '../server/src/engine/syntax/parser';
import {
  expectKind,
  flatten,
  parseMany,
  parseOne,
  partsOf,
  rangeOf,
  spanOf,
} from './helpers/syntax';

describe('parseFile', () => {
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

  describe('USE', () => {
    it('reads USE ROLE, DATABASE, SCHEMA, SECONDARY ROLES and a bare USE', () => {
      const sql =
        'USE ROLE sysadmin; use database "MyDb"; USE SCHEMA d.s; USE SECONDARY ROLES ALL; USE mydb';
      const uses = parseMany(sql).map((s) => expectKind(s, 'use'));

      assert.deepEqual(
        uses.map((use) => [use.target, partsOf(use.name)]),
        [
          ['ROLE', ['SYSADMIN']],
          ['DATABASE', ['MyDb']],
          ['SCHEMA', ['D', 'S']],
          ['SECONDARY ROLES', ['ALL']],
          ['DATABASE', ['MYDB']],
        ],
      );
      assert.deepEqual(rangeOf(uses[0]), spanOf(sql, 'USE ROLE sysadmin'));
      assert.deepEqual(uses[0].name && rangeOf(uses[0].name), spanOf(sql, 'sysadmin'));
      assert.deepEqual(uses[1].name && rangeOf(uses[1].name), spanOf(sql, '"MyDb"'));
    });
  });

  describe('CREATE and ALTER USER', () => {
    it('reads CREATE USER properties with their key and value ranges', () => {
      const sql =
        "CREATE OR REPLACE USER u1 PASSWORD = 'p@ss' DEFAULT_ROLE = analyst TYPE = SERVICE";
      const user = expectKind(parseOne(sql), 'create-user');

      assert.equal(user.orReplace, true);
      assert.deepEqual(partsOf(user.name), ['U1']);
      assert.deepEqual(
        user.properties.map((p) => [p.key, p.value?.value, p.value?.kind]),
        [
          ['PASSWORD', 'p@ss', 'string'],
          ['DEFAULT_ROLE', 'analyst', 'word'],
          ['TYPE', 'SERVICE', 'word'],
        ],
      );
      assert.deepEqual(rangeOf(user.properties[0]), spanOf(sql, "PASSWORD = 'p@ss'"));
      assert.deepEqual(user.properties[0].keySpan, spanOf(sql, 'PASSWORD'));
      assert.deepEqual(user.properties[0].valueSpan, spanOf(sql, "'p@ss'"));
      assert.deepEqual(user.properties[1].valueSpan, spanOf(sql, 'analyst'));
    });

    it('reads ALTER USER … SET properties and ALTER USER … UNSET names', () => {
      const sql =
        "ALTER USER u1 SET DEFAULT_ROLE = 'SYSADMIN', TYPE = PERSON;\n" +
        'ALTER USER IF EXISTS u1 UNSET PASSWORD, DEFAULT_ROLE';
      const [set, unset] = parseMany(sql).map((s) => expectKind(s, 'alter-user'));

      assert.deepEqual(
        set.properties.map((p) => [p.key, p.value?.value]),
        [
          ['DEFAULT_ROLE', 'SYSADMIN'],
          ['TYPE', 'PERSON'],
        ],
      );
      assert.deepEqual(unset.unset, ['PASSWORD', 'DEFAULT_ROLE']);
      assert.deepEqual(partsOf(unset.name), ['U1']);
    });

    it('reads ALTER USER SET without a name as a change to the current user', () => {
      const user = expectKind(parseOne("ALTER USER SET PASSWORD = 'x'"), 'alter-user');

      assert.equal(user.name.dynamic, true);
      assert.deepEqual(
        user.properties.map((p) => p.key),
        ['PASSWORD'],
      );
    });

    it('reads ALTER USER … RENAME TO without a problem', () => {
      const user = expectKind(parseOne('ALTER USER u1 RENAME TO u2'), 'alter-user');

      assert.deepEqual(partsOf(user.name), ['U1']);
      assert.deepEqual(user.properties, []);
    });
  });

  describe('CREATE TABLE', () => {
    const sql =
      'CREATE OR REPLACE TRANSIENT TABLE db.s.people (\n' +
      '  id NUMBER(38, 0) NOT NULL,\n' +
      '  email VARCHAR(100) WITH MASKING POLICY gov.p.mask_email USING (email, id),\n' +
      "  ssn STRING WITH TAG (gov.t.pii = 'ssn', gov.t.owner = 'hr') COMMENT 'id number',\n" +
      '  PRIMARY KEY (id)\n' +
      ") WITH ROW ACCESS POLICY gov.p.rap ON (id) COMMENT = 'people'";

    it('reads the header, the name and every column with its type', () => {
      const table = expectKind(parseOne(sql), 'create-table');

      assert.deepEqual(rangeOf(table), { start: 0, end: sql.length });
      assert.equal(table.orReplace, true);
      assert.equal(table.tableKind, 'TRANSIENT');
      assert.deepEqual(partsOf(table.name), ['DB', 'S', 'PEOPLE']);
      assert.deepEqual(
        table.columns.map((c) => [c.name.value, c.dataType]),
        [
          ['ID', 'NUMBER(38,0)'],
          ['EMAIL', 'VARCHAR(100)'],
          ['SSN', 'STRING'],
        ],
      );
      assert.deepEqual(rangeOf(table.columns[0]), spanOf(sql, 'id NUMBER(38, 0) NOT NULL'));
      assert.deepEqual(table.columns[0].dataTypeSpan, spanOf(sql, 'NUMBER(38, 0)'));
      assert.equal(table.columnListEnd, sql.indexOf(') WITH ROW'));
    });

    it('reads an inline masking policy with its USING columns', () => {
      const table = expectKind(parseOne(sql), 'create-table');
      const masking = table.columns[1].maskingPolicy;

      assert.ok(masking);
      assert.deepEqual(partsOf(masking.policy), ['GOV', 'P', 'MASK_EMAIL']);
      assert.deepEqual(
        masking.columns.map((c) => c.value),
        ['EMAIL', 'ID'],
      );
      assert.deepEqual(
        rangeOf(masking),
        spanOf(sql, 'WITH MASKING POLICY gov.p.mask_email USING (email, id)'),
      );
      assert.equal(table.columns[0].maskingPolicy, undefined);
    });

    it('reads inline tags with their values, and a column comment', () => {
      const table = expectKind(parseOne(sql), 'create-table');
      const ssn = table.columns[2];

      assert.deepEqual(
        ssn.tags.map((t) => [partsOf(t.tag), t.value?.value]),
        [
          [['GOV', 'T', 'PII'], 'ssn'],
          [['GOV', 'T', 'OWNER'], 'hr'],
        ],
      );
      assert.deepEqual(rangeOf(ssn.tags[0]), spanOf(sql, "gov.t.pii = 'ssn'"));
      assert.equal(ssn.comment?.value, 'id number');
    });

    it('reads a table-level row access policy with its ON columns', () => {
      const table = expectKind(parseOne(sql), 'create-table');

      assert.ok(table.rowAccessPolicy);
      assert.deepEqual(partsOf(table.rowAccessPolicy.policy), ['GOV', 'P', 'RAP']);
      assert.deepEqual(
        table.rowAccessPolicy.columns.map((c) => c.value),
        ['ID'],
      );
      assert.deepEqual(
        rangeOf(table.rowAccessPolicy),
        spanOf(sql, 'WITH ROW ACCESS POLICY gov.p.rap ON (id)'),
      );
    });

    it('reads table-level tags', () => {
      const text = "CREATE TABLE IF NOT EXISTS t (a INT) WITH TAG (pii = 'x')";
      const table = expectKind(parseOne(text), 'create-table');

      assert.equal(table.ifNotExists, true);
      assert.deepEqual(
        table.tags.map((t) => [partsOf(t.tag), t.value?.value]),
        [[['PII'], 'x']],
      );
      assert.deepEqual(rangeOf(table.tags[0]), spanOf(text, "pii = 'x'"));
    });

    it('reads CREATE TABLE … AS SELECT with the exact query span', () => {
      const text = 'CREATE TABLE t2 AS\n  SELECT a, b FROM t1 WHERE c = 1';
      const table = expectKind(parseOne(text), 'create-table');
      const query = 'SELECT a, b FROM t1 WHERE c = 1';

      assert.deepEqual(table.columns, []);
      assert.deepEqual(table.asQuery, { ...spanOf(text, query), text: query });
    });

    it('reads CREATE TABLE … CLONE', () => {
      const text = 'create table t3 clone db.s.t1';
      const table = expectKind(parseOne(text), 'create-table');

      assert.deepEqual(partsOf(table.cloneOf), ['DB', 'S', 'T1']);
      assert.deepEqual(table.cloneOf && rangeOf(table.cloneOf), spanOf(text, 'db.s.t1'));
    });
  });

  describe('ALTER TABLE and ALTER VIEW column actions', () => {
    it('reads SET MASKING POLICY with a quoted name, USING and FORCE, then an UNSET', () => {
      const sql =
        'ALTER TABLE d.s.t MODIFY COLUMN email SET MASKING POLICY "Gov".p."mask-email" ' +
        'USING (email, id) FORCE, COLUMN ssn UNSET MASKING POLICY';
      const alter = expectKind(parseOne(sql), 'alter-table');

      assert.equal(alter.objectType, 'TABLE');
      assert.deepEqual(partsOf(alter.name), ['D', 'S', 'T']);
      assert.equal(alter.actions.length, 2);
      const [set, unset] = alter.actions;
      assert.ok(set.type === 'alter-column' && unset.type === 'alter-column');
      assert.equal(set.column.value, 'EMAIL');
      assert.deepEqual(
        rangeOf(set),
        spanOf(sql, 'COLUMN email SET MASKING POLICY "Gov".p."mask-email" USING (email, id) FORCE'),
      );
      assert.ok(set.action.type === 'set-masking-policy');
      assert.deepEqual(partsOf(set.action.policy.policy), ['Gov', 'P', 'mask-email']);
      assert.deepEqual(rangeOf(set.action.policy.policy), spanOf(sql, '"Gov".p."mask-email"'));
      assert.deepEqual(
        set.action.policy.columns.map((c) => c.value),
        ['EMAIL', 'ID'],
      );
      assert.equal(set.action.policy.force, true);
      assert.equal(unset.column.value, 'SSN');
      assert.deepEqual(unset.action, { type: 'unset-masking-policy' });
      assert.deepEqual(rangeOf(unset), spanOf(sql, 'COLUMN ssn UNSET MASKING POLICY'));
    });

    it('spans a SET MASKING POLICY clause from SET, as WITH MASKING POLICY spans from WITH', () => {
      const sql = 'ALTER TABLE t MODIFY COLUMN a SET MASKING POLICY p FORCE';
      const [action] = expectKind(parseOne(sql), 'alter-table').actions;

      assert.ok(action.type === 'alter-column' && action.action.type === 'set-masking-policy');
      assert.deepEqual(rangeOf(action.action.policy), spanOf(sql, 'SET MASKING POLICY p FORCE'));
    });

    it('reads several columns without the COLUMN keyword', () => {
      const sql = 'ALTER TABLE t MODIFY a SET MASKING POLICY p1, b SET MASKING POLICY p2';
      const alter = expectKind(parseOne(sql), 'alter-table');

      assert.deepEqual(
        alter.actions.map((a) =>
          a.type === 'alter-column' && a.action.type === 'set-masking-policy'
            ? [a.column.value, partsOf(a.action.policy.policy)]
            : a.type,
        ),
        [
          ['A', ['P1']],
          ['B', ['P2']],
        ],
      );
    });

    it('reads SET TAG and UNSET TAG with several tags on several columns of a view', () => {
      const sql =
        "ALTER VIEW v ALTER COLUMN a SET TAG t1 = 'x', t2 = 'y', COLUMN b UNSET TAG t1, t2";
      const alter = expectKind(parseOne(sql), 'alter-table');

      assert.equal(alter.objectType, 'VIEW');
      const [set, unset] = alter.actions;
      assert.ok(set.type === 'alter-column' && set.action.type === 'set-tags');
      assert.ok(unset.type === 'alter-column' && unset.action.type === 'unset-tags');
      assert.deepEqual(
        set.action.tags.map((t) => [partsOf(t.tag), t.value?.value]),
        [
          [['T1'], 'x'],
          [['T2'], 'y'],
        ],
      );
      assert.deepEqual(rangeOf(set.action.tags[1]), spanOf(sql, "t2 = 'y'"));
      assert.equal(unset.column.value, 'B');
      assert.deepEqual(unset.action.tags.map(partsOf), [['T1'], ['T2']]);
      assert.deepEqual(rangeOf(unset), spanOf(sql, 'COLUMN b UNSET TAG t1, t2'));
    });

    it('reads table-level SET TAG and UNSET TAG', () => {
      const sql = "ALTER TABLE t SET TAG t1 = 'a', t2 = 'b'; ALTER TABLE t UNSET TAG t1, t2";
      const [set, unset] = parseMany(sql).map((s) => expectKind(s, 'alter-table').actions[0]);

      assert.ok(set.type === 'set-tags' && unset.type === 'unset-tags');
      assert.deepEqual(
        set.tags.map((t) => partsOf(t.tag)),
        [['T1'], ['T2']],
      );
      assert.deepEqual(rangeOf(set), spanOf(sql, "SET TAG t1 = 'a', t2 = 'b'"));
      assert.deepEqual(unset.tags.map(partsOf), [['T1'], ['T2']]);
    });
  });

  describe('policies and tags', () => {
    it('reads CREATE MASKING POLICY arguments, return type and the exact body text', () => {
      const body = "CASE WHEN IS_ROLE_IN_SESSION('PII') THEN val ELSE '***' END";
      const sql =
        'CREATE OR REPLACE MASKING POLICY gov.p.mask_email AS (val VARCHAR, n NUMBER(38, 0)) ' +
        `RETURNS VARCHAR ->\n  ${body}\n  COMMENT = 'masks email'`;
      const policy = expectKind(parseOne(sql), 'create-policy');

      assert.equal(policy.policyType, 'MASKING');
      assert.equal(policy.orReplace, true);
      assert.deepEqual(partsOf(policy.name), ['GOV', 'P', 'MASK_EMAIL']);
      assert.deepEqual(
        policy.arguments.map((a) => [a.name.value, a.dataType]),
        [
          ['VAL', 'VARCHAR'],
          ['N', 'NUMBER(38,0)'],
        ],
      );
      assert.deepEqual(rangeOf(policy.arguments[0]), spanOf(sql, 'val VARCHAR'));
      assert.equal(policy.returnType, 'VARCHAR');
      assert.deepEqual(policy.body, { ...spanOf(sql, body), text: body });
    });

    it('reads CREATE TAG with an ALLOWED_VALUES list', () => {
      const sql = "CREATE TAG gov.t.pii ALLOWED_VALUES 'email', 'ssn' COMMENT = 'x'";
      const tag = expectKind(parseOne(sql), 'create-tag');

      assert.deepEqual(partsOf(tag.name), ['GOV', 'T', 'PII']);
      assert.deepEqual(tag.allowedValues, [
        { value: 'email', kind: 'string', ...spanOf(sql, "'email'") },
        { value: 'ssn', kind: 'string', ...spanOf(sql, "'ssn'") },
      ]);
    });

    it('reads ALTER TAG … SET MASKING POLICY with several policies and FORCE', () => {
      const sql = 'ALTER TAG gov.t.pii SET MASKING POLICY m1, MASKING POLICY gov.p.m2 FORCE';
      const tag = expectKind(parseOne(sql), 'alter-tag');

      assert.deepEqual(partsOf(tag.name), ['GOV', 'T', 'PII']);
      assert.deepEqual(tag.setMaskingPolicies.map(partsOf), [['M1'], ['GOV', 'P', 'M2']]);
      assert.deepEqual(rangeOf(tag.setMaskingPolicies[1]), spanOf(sql, 'gov.p.m2'));
      assert.deepEqual(tag.unsetMaskingPolicies, []);
    });
  });

  describe('views', () => {
    it('reads CREATE SECURE VIEW with its column list and the exact query span', () => {
      const query = "SELECT a, b FROM t WHERE c = 'AS'";
      const sql =
        `CREATE OR REPLACE SECURE VIEW v (a COMMENT 'x', b MASKING POLICY p) AS\n` + query;
      const view = expectKind(parseOne(sql), 'create-view');

      assert.equal(view.secure, true);
      assert.equal(view.materialized, false);
      assert.deepEqual(
        view.columns.map((c) => [c.name.value, partsOf(c.maskingPolicy?.policy)]),
        [
          ['A', []],
          ['B', ['P']],
        ],
      );
      assert.deepEqual(view.query, { ...spanOf(sql, query), text: query });
    });

    it('reads CREATE MATERIALIZED VIEW with properties before AS and the exact query span', () => {
      const query = 'SELECT * FROM t';
      const sql = `CREATE MATERIALIZED VIEW IF NOT EXISTS mv COMMENT = 'as x' AS ${query}`;
      const view = expectKind(parseOne(sql), 'create-view');

      assert.equal(view.materialized, true);
      assert.equal(view.secure, false);
      assert.deepEqual(partsOf(view.name), ['MV']);
      assert.deepEqual(view.query, { ...spanOf(sql, query), text: query });
    });
  });

  describe('stages and integrations', () => {
    it('reads CREATE STAGE URL, nested CREDENTIALS and ENCRYPTION properties', () => {
      const sql =
        "CREATE OR REPLACE STAGE d.s.stg URL = 's3://bucket/path/' " +
        "CREDENTIALS = (AWS_KEY_ID = 'AKIA' AWS_SECRET_KEY = 'sec') " +
        "ENCRYPTION = (TYPE = 'AWS_SSE_KMS' KMS_KEY_ID = 'k')";
      const stage = expectKind(parseOne(sql), 'create-stage');

      assert.deepEqual(partsOf(stage.name), ['D', 'S', 'STG']);
      assert.equal(stage.temporary, false);
      const [url, credentials, encryption] = stage.properties;
      assert.deepEqual([url.key, url.value?.value], ['URL', 's3://bucket/path/']);
      assert.deepEqual(url.valueSpan, spanOf(sql, "'s3://bucket/path/'"));
      assert.equal(credentials.key, 'CREDENTIALS');
      assert.deepEqual(
        credentials.nested?.map((p) => [p.key, p.value?.value]),
        [
          ['AWS_KEY_ID', 'AKIA'],
          ['AWS_SECRET_KEY', 'sec'],
        ],
      );
      assert.deepEqual(
        credentials.valueSpan,
        spanOf(sql, "(AWS_KEY_ID = 'AKIA' AWS_SECRET_KEY = 'sec')"),
      );
      assert.deepEqual(
        credentials.nested && rangeOf(credentials.nested[1]),
        spanOf(sql, "AWS_SECRET_KEY = 'sec'"),
      );
      assert.deepEqual(
        encryption.nested?.map((p) => [p.key, p.value?.value]),
        [
          ['TYPE', 'AWS_SSE_KMS'],
          ['KMS_KEY_ID', 'k'],
        ],
      );
    });

    it('reads a temporary stage with a STORAGE_INTEGRATION', () => {
      const sql = "CREATE TEMPORARY STAGE st STORAGE_INTEGRATION = int1 URL = 'azure://x/y'";
      const stage = expectKind(parseOne(sql), 'create-stage');

      assert.equal(stage.temporary, true);
      assert.deepEqual(
        stage.properties.map((p) => [p.key, p.value?.value, p.value?.kind]),
        [
          ['STORAGE_INTEGRATION', 'int1', 'word'],
          ['URL', 'azure://x/y', 'string'],
        ],
      );
    });

    it('reads CREATE STORAGE INTEGRATION with a list property', () => {
      const sql =
        "CREATE STORAGE INTEGRATION s3_int TYPE = EXTERNAL_STAGE STORAGE_PROVIDER = 'S3' " +
        "ENABLED = TRUE STORAGE_ALLOWED_LOCATIONS = ('s3://a/', 's3://b/')";
      const integration = expectKind(parseOne(sql), 'create-integration');

      assert.equal(integration.integrationType, 'STORAGE');
      assert.deepEqual(partsOf(integration.name), ['S3_INT']);
      assert.deepEqual(
        integration.properties.map((p) => p.key),
        ['TYPE', 'STORAGE_PROVIDER', 'ENABLED', 'STORAGE_ALLOWED_LOCATIONS'],
      );
      const locations = integration.properties[3];
      assert.deepEqual(
        locations.list?.map((l) => l.value),
        ['s3://a/', 's3://b/'],
      );
      assert.deepEqual(locations.valueSpan, spanOf(sql, "('s3://a/', 's3://b/')"));
    });
  });

  describe('COPY INTO', () => {
    it('reads an unload into a stage from a query, with the exact query span', () => {
      const query = 'SELECT a, b FROM t WHERE c = 1';
      const sql =
        `COPY INTO @d.s.stg/out/ FROM (${query}) ` + 'FILE_FORMAT = (TYPE = CSV) OVERWRITE = 1';
      const copy = expectKind(parseOne(sql), 'copy-into');

      assert.deepEqual(copy.target, {
        type: 'stage',
        stage: '@d.s.stg/out/',
        ...spanOf(sql, '@d.s.stg/out/'),
      });
      assert.ok(copy.source.type === 'query');
      assert.deepEqual(copy.source.query, { ...spanOf(sql, query), text: query });
      assert.deepEqual(rangeOf(copy.source), spanOf(sql, `(${query})`));
      assert.deepEqual(
        copy.properties.map((p) => p.key),
        ['FILE_FORMAT', 'OVERWRITE'],
      );
    });

    it('reads an unload into a quoted URL from a table', () => {
      const sql = "COPY INTO 's3://bucket/unload/' FROM d.s.t CREDENTIALS = (AWS_KEY_ID = 'x')";
      const copy = expectKind(parseOne(sql), 'copy-into');

      assert.ok(copy.target.type === 'url' && copy.source.type === 'table');
      assert.equal(copy.target.url.value, 's3://bucket/unload/');
      assert.deepEqual(rangeOf(copy.target), spanOf(sql, "'s3://bucket/unload/'"));
      assert.deepEqual(partsOf(copy.source.name), ['D', 'S', 'T']);
      assert.deepEqual(rangeOf(copy.source), spanOf(sql, 'd.s.t'));
    });

    it('reads a load into a table with a column list from a stage', () => {
      const sql = "COPY INTO d.s.t (a, b) FROM @stg/in/ PATTERN = '.*csv'";
      const copy = expectKind(parseOne(sql), 'copy-into');

      assert.ok(copy.target.type === 'table');
      assert.deepEqual(partsOf(copy.target.name), ['D', 'S', 'T']);
      assert.deepEqual(copy.source, {
        type: 'stage',
        stage: '@stg/in/',
        ...spanOf(sql, '@stg/in/'),
      });
      assert.deepEqual(
        copy.properties.map((p) => [p.key, p.value?.value]),
        [['PATTERN', '.*csv']],
      );
    });
  });

  describe('procedures and scripts', () => {
    it('parses a procedure $$ body in place, with nested offsets into the file', () => {
      const sql =
        'CREATE OR REPLACE PROCEDURE d.s.p(a VARCHAR) RETURNS VARCHAR LANGUAGE SQL AS $$\n' +
        "BEGIN\n  GRANT SELECT ON TABLE t TO ROLE r;\n  RETURN 'ok';\nEND;\n$$;\nSELECT 1;";
      const { statements, problems } = parseFile(sql);

      assert.deepEqual(problems, []);
      assert.equal(statements.length, 2);
      const procedure = expectKind(statements[0], 'script');
      assert.equal(procedure.container, 'PROCEDURE');
      assert.deepEqual(partsOf(procedure.name), ['D', 'S', 'P']);
      assert.deepEqual(rangeOf(procedure), { start: 0, end: sql.indexOf('$$;') + 2 });
      const block = expectKind(procedure.nested?.[0], 'script');
      assert.equal(block.container, 'BLOCK');
      assert.deepEqual(
        rangeOf(block),
        spanOf(sql, "BEGIN\n  GRANT SELECT ON TABLE t TO ROLE r;\n  RETURN 'ok';\nEND"),
      );
      const grant = expectKind(block.nested?.[0], 'grant-privileges');
      assert.deepEqual(rangeOf(grant), spanOf(sql, 'GRANT SELECT ON TABLE t TO ROLE r'));
      assert.deepEqual(rangeOf(grant.grantee), spanOf(sql, 'ROLE r'));
      expectKind(statements[1], 'select');
    });

    it('parses a procedure $$ body that follows EXECUTE AS OWNER', () => {
      const sql =
        'CREATE PROCEDURE p() RETURNS VARCHAR LANGUAGE SQL EXECUTE AS OWNER AS $$\n' +
        'BEGIN\n  GRANT SELECT ON TABLE t TO ROLE r;\n  USE ROLE accountadmin;\nEND;\n$$';
      const procedure = expectKind(parseOne(sql), 'script');

      assert.deepEqual(
        flatten(procedure.nested ?? []).map((s) => s.kind),
        ['script', 'grant-privileges', 'use'],
      );
    });

    it('parses a bare DECLARE … BEGIN … END body with control flow peeled off', () => {
      const sql =
        'CREATE PROCEDURE p() RETURNS INT LANGUAGE SQL AS\n' +
        'DECLARE\n  n INT;\nBEGIN\n  IF (1 = 1) THEN\n    USE ROLE r1;\n  END IF;\n' +
        '  FOR i IN 1 TO 2 DO\n    GRANT ROLE a TO USER u;\n  END FOR;\n' +
        'EXCEPTION\n  WHEN OTHER THEN\n    USE ROLE r2;\nEND;\nSELECT 2';
      const { statements, problems } = parseFile(sql);

      assert.deepEqual(problems, []);
      assert.equal(statements.length, 2);
      const procedure = expectKind(statements[0], 'script');
      const block = expectKind(procedure.nested?.[0], 'script');
      assert.equal(block.container, 'BLOCK');
      assert.equal(block.start, sql.indexOf('DECLARE'));
      assert.equal(block.end, sql.indexOf('END;\nSELECT') + 3);
      const nested = block.nested ?? [];
      assert.deepEqual(
        nested.map((s) => s.kind),
        ['use', 'grant-role', 'use'],
      );
      assert.deepEqual(rangeOf(nested[0]), spanOf(sql, 'USE ROLE r1'));
      assert.deepEqual(rangeOf(nested[1]), spanOf(sql, 'GRANT ROLE a TO USER u'));
      assert.deepEqual(rangeOf(nested[2]), spanOf(sql, 'USE ROLE r2'));
    });

    it('parses EXECUTE IMMEDIATE $$ … $$ with nested offsets into the file', () => {
      const sql = 'SELECT 0;\nEXECUTE IMMEDIATE $$ USE ROLE r; GRANT ROLE a TO ROLE b $$;';
      const { statements, problems } = parseFile(sql);

      assert.deepEqual(problems, []);
      const script = expectKind(statements[1], 'script');
      assert.equal(script.container, 'EXECUTE IMMEDIATE');
      assert.deepEqual(
        rangeOf(script),
        spanOf(sql, 'EXECUTE IMMEDIATE $$ USE ROLE r; GRANT ROLE a TO ROLE b $$'),
      );
      const [use, grant] = script.nested ?? [];
      assert.deepEqual(rangeOf(expectKind(use, 'use')), spanOf(sql, 'USE ROLE r'));
      assert.deepEqual(
        rangeOf(expectKind(grant, 'grant-role')),
        spanOf(sql, 'GRANT ROLE a TO ROLE b'),
      );
    });

    it('does not parse a JavaScript procedure body as SQL', () => {
      const sql = "CREATE PROCEDURE pj() RETURNS STRING LANGUAGE JAVASCRIPT AS $$ return 'a;b'; $$";
      const procedure = expectKind(parseOne(sql), 'script');

      assert.equal(procedure.nested, undefined);
    });
  });

  describe('identifiers', () => {
    it('upper-cases unquoted names and keeps quoted names verbatim with "" unescaped', () => {
      const sql = 'GRANT SELECT ON TABLE Db."My ""Sch""".t_1 TO ROLE "analyst"';
      const grant = expectKind(parseOne(sql), 'grant-privileges');

      assert.ok(grant.on.type === 'object');
      assert.deepEqual(grant.on.name.parts, [
        { value: 'DB', quoted: false, ...spanOf(sql, 'Db') },
        { value: 'My "Sch"', quoted: true, ...spanOf(sql, '"My ""Sch"""') },
        { value: 'T_1', quoted: false, ...spanOf(sql, 't_1') },
      ]);
      assert.deepEqual(grant.grantee.name.parts, [
        { value: 'analyst', quoted: true, ...spanOf(sql, '"analyst"') },
      ]);
    });

    it(`resolves IDENTIFIER('"x"') and IDENTIFIER('db."Sch".t') part by part`, () => {
      const sql =
        'GRANT USAGE ON DATABASE IDENTIFIER(\'"x"\') TO ROLE r;\n' +
        'GRANT SELECT ON TABLE IDENTIFIER(\'db."Sch".t\') TO ROLE r';
      const [first, second] = parseMany(sql).map((s) => expectKind(s, 'grant-privileges'));

      assert.ok(first.on.type === 'object' && second.on.type === 'object');
      assert.deepEqual(
        first.on.name.parts.map((p) => [p.value, p.quoted]),
        [['x', true]],
      );
      assert.deepEqual(rangeOf(first.on.name), spanOf(sql, 'IDENTIFIER(\'"x"\')'));
      assert.deepEqual(
        second.on.name.parts.map((p) => [p.value, p.quoted]),
        [
          ['DB', false],
          ['Sch', true],
          ['T', false],
        ],
      );
    });

    it('marks IDENTIFIER($var) and session variables as dynamic names', () => {
      const grant = expectKind(
        parseOne('GRANT SELECT ON TABLE IDENTIFIER($tbl) TO ROLE $r'),
        'grant-privileges',
      );

      assert.ok(grant.on.type === 'object');
      assert.equal(grant.on.name.dynamic, true);
      assert.deepEqual(grant.on.name.parts, []);
      assert.equal(grant.grantee.name.dynamic, true);
    });
  });

  describe('problems and unknown statements', () => {
    it('gives one problem spanning a statement it cannot parse and still parses the next', () => {
      const sql = 'GRANT SELECT ON TABLE t TO;\nGRANT ROLE a TO ROLE b;';
      const { statements, problems } = parseFile(sql);

      assert.equal(problems.length, 1);
      assert.deepEqual(rangeOf(problems[0]), spanOf(sql, 'GRANT SELECT ON TABLE t TO'));
      assert.match(problems[0].message, /^Cannot parse this GRANT SELECT statement/);
      assert.equal(statements.length, 2);
      const other = expectKind(statements[0], 'other');
      assert.deepEqual(other.words, ['GRANT', 'SELECT', 'ON', 'TABLE']);
      assert.deepEqual(rangeOf(other), rangeOf(problems[0]));
      expectKind(statements[1], 'grant-role');
    });

    it('reads unmodelled statements as other with their first words and no problem', () => {
      const sql = 'ALTER WAREHOUSE wh SET WAREHOUSE_SIZE = XSMALL; SHOW GRANTS; CALL p()';
      const { statements, problems } = parseFile(sql);

      assert.deepEqual(problems, []);
      assert.deepEqual(
        statements.map((s) => [expectKind(s, 'other').words, rangeOf(s)]),
        [
          [
            ['ALTER', 'WAREHOUSE', 'WH', 'SET'],
            spanOf(sql, 'ALTER WAREHOUSE wh SET WAREHOUSE_SIZE = XSMALL'),
          ],
          [['SHOW', 'GRANTS'], spanOf(sql, 'SHOW GRANTS')],
          [['CALL', 'P'], spanOf(sql, 'CALL p()')],
        ],
      );
    });

    it('reports an unterminated string once, at the string', () => {
      const sql = "SELECT 1;\nSELECT 'abc";
      const { problems } = parseFile(sql);

      assert.equal(problems.length, 1);
      assert.deepEqual(rangeOf(problems[0]), { start: sql.indexOf("'abc"), end: sql.length });
      assert.match(problems[0].message, /never closed/);
    });

    it('reports a block with no END and still reads the statements after it', () => {
      const sql = 'BEGIN\n  USE ROLE r1;\nUSE ROLE r2;';
      const { statements, problems } = parseFile(sql);

      assert.equal(problems.length, 1);
      assert.deepEqual(rangeOf(problems[0]), spanOf(sql, 'BEGIN\n  USE ROLE r1'));
      assert.match(problems[0].message, /no matching END/);
      assert.deepEqual(rangeOf(expectKind(statements[1], 'use')), spanOf(sql, 'USE ROLE r2'));
    });

    it('reports OR REPLACE with IF NOT EXISTS precisely and still parses the statement', () => {
      const sql = "CREATE OR REPLACE TAG IF NOT EXISTS t ALLOWED_VALUES 'a'";
      const { statements, problems } = parseFile(sql);

      assert.deepEqual(problems, [
        {
          ...spanOf(sql, 'CREATE OR REPLACE TAG IF NOT EXISTS'),
          message:
            'OR REPLACE and IF NOT EXISTS cannot be used together; Snowflake rejects this ' +
            'statement. Keep one of them.',
        },
      ]);
      const tag = expectKind(statements[0], 'create-tag');
      assert.deepEqual(
        tag.allowedValues.map((v) => v.value),
        ['a'],
      );
    });
  });
});
