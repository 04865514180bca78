import assert from 'node:assert/strict';
import { parseFile } from '../server/src/engine/syntax/parser';
import {
  expectKind,
  flatten,
  parseInEveryForm,
  parseMany,
  parseOne,
  partsOf,
  rangeOf,
  spanOf,
} from './helpers/syntax';

describe('parsing routines and Snowflake Scripting', () => {
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

    it('parses a bare DECLARE … BEGIN … END body into branches, loops and handlers', () => {
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
        nested.map((s) => (s.kind === 'script' ? s.container : s.kind)),
        ['IF', 'FOR', 'EXCEPTION'],
      );
      assert.deepEqual(
        rangeOf(nested[0]),
        spanOf(sql, 'IF (1 = 1) THEN\n    USE ROLE r1;\n  END IF'),
      );
      assert.deepEqual(
        flatten(nested)
          .filter((s) => s.kind !== 'script')
          .map((s) => [s.kind, rangeOf(s)]),
        [
          ['use', spanOf(sql, 'USE ROLE r1')],
          ['grant-role', spanOf(sql, 'GRANT ROLE a TO USER u')],
          ['use', spanOf(sql, 'USE ROLE r2')],
        ],
      );
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

  describe('routines', () => {
    it('records language, EXECUTE AS and the body of a procedure', () => {
      const sql =
        'CREATE OR REPLACE PROCEDURE p() RETURNS STRING LANGUAGE SQL EXECUTE AS RESTRICTED CALLER\n' +
        'AS $$ BEGIN RETURN 1; END $$';
      const procedure = expectKind(parseOne(sql), 'script');

      assert.deepEqual(
        [procedure.orReplace, procedure.language, procedure.executeAs],
        [true, 'SQL', 'RESTRICTED CALLER'],
      );
      assert.deepEqual(
        procedure.body && rangeOf(procedure.body),
        spanOf(sql, '$$ BEGIN RETURN 1; END $$'),
      );
    });

    it('parses a SQL function whose body is a query, and keeps an expression body unparsed', () => {
      const sql =
        'CREATE FUNCTION d.s.emails() RETURNS TABLE (e STRING) AS $$ SELECT email FROM d.s.users $$;\n' +
        "CREATE SECURE FUNCTION area(r FLOAT) RETURNS FLOAT AS 'pi() * r * r'";
      const [query, expression] = parseMany(sql).map((s) => expectKind(s, 'script'));

      assert.equal(query.container, 'FUNCTION');
      const select = expectKind(query.nested?.[0], 'select');
      assert.deepEqual(rangeOf(select), spanOf(sql, 'SELECT email FROM d.s.users'));
      assert.equal(expression.nested, undefined);
      assert.equal(expression.body?.text, "'pi() * r * r'");
    });

    it('parses the body of a task, run as a named user', () => {
      const sql =
        "CREATE TASK t WAREHOUSE = wh SCHEDULE = '5 MINUTE' EXECUTE AS USER svc_etl\n" +
        'AS INSERT INTO d.s.log SELECT CURRENT_TIMESTAMP()';
      const task = expectKind(parseOne(sql), 'script');

      assert.deepEqual([task.container, task.executeAs], ['TASK', 'USER']);
      const insert = expectKind(task.nested?.[0], 'insert');
      assert.deepEqual(partsOf(insert.table), ['D', 'S', 'LOG']);
      assert.deepEqual(
        rangeOf(insert),
        spanOf(sql, 'INSERT INTO d.s.log SELECT CURRENT_TIMESTAMP()'),
      );
    });
  });

  describe('EXECUTE IMMEDIATE of strings and expressions', () => {
    it('parses a string without escapes in place, with file offsets', () => {
      const sql = "EXECUTE IMMEDIATE 'GRANT ROLE analyst TO USER ana' USING (x)";
      const script = expectKind(parseOne(sql), 'script');
      const grant = expectKind(script.nested?.[0], 'grant-role');

      assert.deepEqual(rangeOf(grant), spanOf(sql, 'GRANT ROLE analyst TO USER ana'));
      assert.deepEqual(rangeOf(grant.grantee.name), spanOf(sql, 'ana', 1));
    });

    it('maps the ranges of a string with escapes back to the file', () => {
      const sql = "execute immediate 'GRANT ROLE \"it''s\" TO USER\\nbob'";
      const grant = expectKind(expectKind(parseOne(sql), 'script').nested?.[0], 'grant-role');

      assert.deepEqual(partsOf(grant.role), ["it's"]);
      assert.deepEqual(rangeOf(grant.role), spanOf(sql, `"it''s"`));
      assert.deepEqual(rangeOf(grant.grantee.name), spanOf(sql, 'bob'));
      assert.deepEqual(rangeOf(grant.grantee), spanOf(sql, 'USER\\nbob'));
      assert.deepEqual(rangeOf(grant), spanOf(sql, `GRANT ROLE "it''s" TO USER\\nbob`));
    });

    it('marks concatenated SQL, variables and files as dynamic, without statements', () => {
      const sql =
        "EXECUTE IMMEDIATE 'DROP TABLE ' || :name;\n" +
        'EXECUTE IMMEDIATE :stmt USING (a, b);\n' +
        "EXECUTE IMMEDIATE FROM '@st/scripts/setup.sql'";
      const [concatenated, variable, file] = parseMany(sql).map((s) => expectKind(s, 'script'));

      assert.deepEqual([concatenated.dynamic, concatenated.nested], [true, undefined]);
      assert.equal(concatenated.body?.text, "'DROP TABLE ' || :name");
      assert.deepEqual([variable.dynamic, variable.body?.text], [true, ':stmt']);
      assert.deepEqual([file.dynamic, file.fromFile?.value], [true, '@st/scripts/setup.sql']);
    });
  });

  describe('scripting blocks', () => {
    it('parses nested blocks, branches and loops inside a $$ body with semicolons', () => {
      const sql =
        'EXECUTE IMMEDIATE $$\n' +
        'DECLARE\n  c CURSOR FOR SELECT 1;\nBEGIN\n' +
        '  LET n INTEGER := 0;\n' +
        '  IF (n = 0) THEN\n    USE ROLE a;\n  ELSEIF (n = 1) THEN\n    USE ROLE b;\n  ELSE\n    BEGIN\n      USE ROLE c;\n    END;\n  END IF;\n' +
        '  CASE (n) WHEN 1 THEN n := 2; ELSE n := 3; END CASE;\n' +
        '  WHILE (n < 5) DO n := n + 1; END WHILE;\n' +
        '  REPEAT n := n - 1; UNTIL (n = 0) END REPEAT;\n' +
        '  FOR r IN c DO\n    LOOP\n      BREAK;\n    END LOOP;\n  END FOR;\n' +
        '  RETURN n;\n' +
        'END;\n$$';
      const script = parseOne(sql);
      const kinds = flatten([script]).map((s) =>
        s.kind === 'script' ? s.container : s.kind === 'use' ? `use ${partsOf(s.name)}` : s.kind,
      );

      assert.deepEqual(kinds, [
        'EXECUTE IMMEDIATE',
        'BLOCK',
        'let',
        'IF',
        'use A',
        'use B',
        'BLOCK',
        'use C',
        'CASE',
        'let',
        'let',
        'WHILE',
        'let',
        'REPEAT',
        'let',
        'FOR',
        'LOOP',
        'other',
        'return',
      ]);
      const inner = flatten([script]).find((s) => s.kind === 'use' && partsOf(s.name)[0] === 'C');
      assert.deepEqual(inner && rangeOf(inner), spanOf(sql, 'USE ROLE c'));
    });

    it('reads LET, assignments and RETURN with their values', () => {
      const sql =
        'BEGIN\n  LET total NUMBER(10, 2) DEFAULT 0;\n  LET c1 CURSOR FOR SELECT a FROM t;\n' +
        '  total := total + 1;\n  RETURN total;\nEND';
      const [declared, cursor, assigned, returned] =
        expectKind(parseOne(sql), 'script').nested ?? [];

      const total = expectKind(declared, 'let');
      assert.deepEqual(
        [total.name.value, total.declared, total.dataType],
        ['TOTAL', true, 'NUMBER(10,2)'],
      );
      assert.equal(total.value?.start, spanOf(sql, 'DEFAULT 0').end - 1);
      const c1 = expectKind(cursor, 'let');
      assert.deepEqual([c1.cursor, c1.value?.text], [true, 'SELECT a FROM t']);
      const plain = expectKind(assigned, 'let');
      assert.deepEqual([plain.declared, plain.value?.text], [false, 'total + 1']);
      assert.equal(expectKind(returned, 'return').value?.text, 'total');
    });

    it('reads an EXCEPTION section on its own as the statements of its handlers', () => {
      const sql =
        'EXCEPTION\n  WHEN OTHER THEN\n    ROLLBACK;\n    RAISE;\n\nEXCEPTION WHEN e THEN RETURN 1;';
      const [first, second] = parseMany(sql).map((s) => expectKind(s, 'script'));

      assert.deepEqual(
        [first.container, first.nested?.map((s) => s.kind)],
        ['EXCEPTION', ['other', 'other']],
      );
      assert.deepEqual(
        second.nested?.map((s) => s.kind),
        ['return'],
      );
    });

    it('reports a DECLARE section without its block as a statement Snowflake rejects', () => {
      const sql = 'DECLARE\n  res RESULTSET;\nSELECT 1';
      const { statements, problems } = parseFile(sql);

      assert.deepEqual(
        problems.map((p) => [p.code, rangeOf(p)]),
        [['invalid', spanOf(sql, 'DECLARE')]],
      );
      assert.equal(expectKind(statements[0], 'script').container, 'BLOCK');
    });

    it('stops descending into very deep nesting without failing', () => {
      const depth = 40;
      const sql = `${'BEGIN '.repeat(depth)}SELECT 1;${' END;'.repeat(depth)}`;
      const { statements, problems } = parseFile(sql);

      assert.deepEqual(problems, []);
      assert.equal(statements.length, 1);
      assert.ok(flatten(statements).length < depth);
    });
  });

  describe('unterminated bodies at the end of the file', () => {
    it('reports an unclosed $$ body once and does not read it as statements', () => {
      const sql =
        'SELECT 1;\nCREATE PROCEDURE p() RETURNS INT LANGUAGE SQL AS $$\nBEGIN\n  GRANT ROLE a TO USER b;';
      const { statements, problems } = parseFile(sql);

      assert.deepEqual(
        problems.map((p) => [p.code, rangeOf(p)]),
        [['unterminated', spanOf(sql, '$$')]],
      );
      assert.equal(expectKind(statements[1], 'script').nested, undefined);
    });

    it('reports a block without END once and still reads its first statement', () => {
      const sql = 'BEGIN\n  USE ROLE r1;\nUSE ROLE r2;';
      const { statements, problems } = parseFile(sql);

      assert.deepEqual(
        problems.map((p) => [p.code, rangeOf(p)]),
        [['unclosed-block', spanOf(sql, 'BEGIN')]],
      );
      assert.match(problems[0].message, /This scripting block has no matching END/);
      assert.deepEqual(rangeOf(expectKind(statements[1], 'use')), spanOf(sql, 'USE ROLE r2'));
    });
  });

  describe('tricky forms', () => {
    for (const sql of [
      'CREATE PROCEDURE p() RETURNS INT LANGUAGE SQL EXECUTE AS CALLER AS $$ BEGIN GRANT ROLE a TO ROLE b; END $$',
      "EXECUTE IMMEDIATE 'USE ROLE r'",
      'BEGIN IF (a) THEN x := 1; ELSE x := 2; END IF; END',
      'FOR i IN 1 TO 3 DO x := i; END FOR',
      'CREATE TASK t AS CALL p()',
    ]) {
      it(`reads ${sql} alike in mixed case and with comments between its tokens`, () => {
        parseInEveryForm(sql);
      });
    }
  });
});
