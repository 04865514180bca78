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

describe('parsing session, SHOW, DESCRIBE, CALL and client statements', () => {
  describe('USE', () => {
    it('reads USE ROLE, DATABASE, SCHEMA and a bare USE with exact name ranges', () => {
      const sql = 'USE ROLE sysadmin; use database "MyDb"; USE SCHEMA d.s; USE mydb';
      const uses = parseMany(sql).map((s) => expectKind(s, 'use'));

      assert.deepEqual(
        uses.map((use) => [use.target, partsOf(use.name)]),
        [
          ['ROLE', ['SYSADMIN']],
          ['DATABASE', ['MyDb']],
          ['SCHEMA', ['D', 'S']],
          ['DATABASE', ['MYDB']],
        ],
      );
      assert.deepEqual(rangeOf(uses[0]), spanOf(sql, 'USE ROLE sysadmin'));
      assert.deepEqual(uses[0].name && rangeOf(uses[0].name), spanOf(sql, 'sysadmin'));
      assert.deepEqual(uses[1].name && rangeOf(uses[1].name), spanOf(sql, '"MyDb"'));
    });

    it('reads USE SECONDARY ROLES ALL, NONE and a list of roles', () => {
      const sql =
        'USE SECONDARY ROLES ALL; use secondary roles none; USE SECONDARY ROLES r1, "R 2"';
      const [all, none, list] = parseMany(sql).map((s) => expectKind(s, 'use'));

      assert.deepEqual(all.secondaryRoles, { mode: 'ALL', roles: [] });
      assert.equal(all.name, undefined);
      assert.deepEqual(none.secondaryRoles, { mode: 'NONE', roles: [] });
      assert.equal(list.secondaryRoles?.mode, 'LIST');
      assert.deepEqual(list.secondaryRoles?.roles.map(partsOf), [['R1'], ['R 2']]);
      assert.deepEqual(
        list.secondaryRoles && rangeOf(list.secondaryRoles.roles[1]),
        spanOf(sql, '"R 2"'),
      );
      assert.deepEqual(partsOf(list.name), ['R1']);
    });

    it('reads USE ROLE IDENTIFIER($r) as a dynamic name', () => {
      const use = expectKind(parseOne('USE ROLE IDENTIFIER($admin_role)'), 'use');

      assert.equal(use.name?.dynamic, true);
    });
  });

  describe('SHOW', () => {
    it('reads the kinds, LIKE pattern and scope of SHOW statements', () => {
      const sql =
        "SHOW TERSE NETWORK POLICIES LIKE 'np%' IN ACCOUNT;\n" +
        'SHOW GRANTS TO ROLE analyst;\n' +
        'show future grants in schema d.s;\n' +
        "SHOW PARAMETERS LIKE 'PREVENT%' IN USER u1 LIMIT 10";
      const [policies, grants, future, parameters] = parseMany(sql).map((s) =>
        expectKind(s, 'show'),
      );

      assert.deepEqual([policies.objectType, policies.terse], ['NETWORK POLICIES', true]);
      assert.equal(policies.like?.value, 'np%');
      assert.deepEqual(policies.scope, {
        preposition: 'IN',
        objectType: 'ACCOUNT',
        name: undefined,
      });
      assert.equal(grants.objectType, 'GRANTS');
      assert.equal(grants.scope?.preposition, 'TO');
      assert.equal(grants.scope?.objectType, 'ROLE');
      assert.deepEqual(grants.scope?.name && rangeOf(grants.scope.name), spanOf(sql, 'analyst'));
      assert.deepEqual([future.objectType, future.scope?.objectType], ['FUTURE GRANTS', 'SCHEMA']);
      assert.deepEqual(partsOf(future.scope?.name), ['D', 'S']);
      assert.deepEqual(partsOf(parameters.scope?.name), ['U1']);
      assert.deepEqual(
        rangeOf(parameters),
        spanOf(sql, "SHOW PARAMETERS LIKE 'PREVENT%' IN USER u1 LIMIT 10"),
      );
    });

    it('reports a SHOW without a kind, naming what was expected', () => {
      const { problems } = parseFile('SHOW');

      assert.match(problems[0].message, /expected the kind of objects to show, found the end/);
    });
  });

  describe('DESCRIBE', () => {
    it('reads DESC and DESCRIBE of named objects, with argument types and options', () => {
      const sql =
        'DESCRIBE USER u1; desc function d.s.f(NUMBER); DESC TABLE t TYPE = STAGE; ' +
        "DESCRIBE RESULT '01a2'";
      const [user, fn, table, result] = parseMany(sql).map((s) => expectKind(s, 'describe'));

      assert.deepEqual([user.objectType, partsOf(user.name)], ['USER', ['U1']]);
      assert.deepEqual(user.name && rangeOf(user.name), spanOf(sql, 'u1'));
      assert.deepEqual([fn.objectType, partsOf(fn.name)], ['FUNCTION', ['D', 'S', 'F']]);
      assert.equal(table.objectType, 'TABLE');
      assert.deepEqual([result.objectType, result.name], ['RESULT', undefined]);
    });
  });

  describe('CALL', () => {
    it('reads the procedure, its argument text and a class method', () => {
      const sql =
        "CALL d.s.p('a', 1) INTO :res; CALL m!ADD_REGEX('x'); CALL system$classify('d.s.t', null)";
      const [proc, method, system] = parseMany(sql).map((s) => expectKind(s, 'call'));

      assert.deepEqual(partsOf(proc.procedure), ['D', 'S', 'P']);
      assert.deepEqual(proc.arguments, { ...spanOf(sql, "'a', 1"), text: "'a', 1" });
      assert.deepEqual([partsOf(method.procedure), method.method], [['M'], 'ADD_REGEX']);
      assert.deepEqual(partsOf(system.procedure), ['SYSTEM$CLASSIFY']);
    });

    it('reads a call without arguments as an empty argument list', () => {
      const call = expectKind(parseOne('call p()'), 'call');

      assert.equal(call.arguments, undefined);
    });
  });

  describe('SnowSQL client commands', () => {
    it('reads !set and !source lines as client commands that need no semicolon', () => {
      const sql = '!set variable_substitution=true\n!source ./setup.sql\nUSE ROLE &role;';
      const { statements, problems } = parseFile(sql);

      assert.deepEqual(problems, []);
      const [set, source] = statements.slice(0, 2).map((s) => expectKind(s, 'client-command'));
      assert.deepEqual([set.command, set.text], ['SET', '!set variable_substitution=true']);
      assert.deepEqual(rangeOf(set), spanOf(sql, '!set variable_substitution=true'));
      assert.equal(source.command, 'SOURCE');
      assert.deepEqual(expectKind(statements[2], 'use').name?.parts, [
        { value: '&role', quoted: false, placeholder: true, ...spanOf(sql, '&role') },
      ]);
    });
  });

  describe('tricky forms', () => {
    for (const sql of [
      'USE SECONDARY ROLES r1, r2',
      'SHOW GRANTS OF ROLE accountadmin',
      "SHOW USERS LIKE 'svc_%' STARTS WITH 'svc' LIMIT 5",
      'DESCRIBE NETWORK POLICY np',
      "CALL d.s.p('x', 2)",
    ]) {
      it(`reads ${sql} alike in mixed case and with comments between its tokens`, () => {
        parseInEveryForm(sql);
      });
    }
  });
});
