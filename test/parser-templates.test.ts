/**
 * Templated migrations: Jinja (schemachange), Flyway, SnowSQL and Snowflake CLI placeholders
 * stand for name parts, Jinja tags are trivia, and what a placeholder hides is said, not skipped.
 */
import assert from 'node:assert/strict';
import { canonicalName, lastPart, qualifiedKey, splitKey } from '../server/src/engine/model/names';
import { lex } from '../server/src/engine/syntax/lexer';
import { parseFile } from '../server/src/engine/syntax/parser';
import { expectKind, parseMany, parseOne, rangeOf, spanOf } from './helpers/syntax';

describe('templated migrations', () => {
  describe('lexing', () => {
    it('reads each template dialect’s placeholder as one placeholder token', () => {
      const sql =
        'x {{ db }} ${flyway:database} &{env} &env <% ctx.env.db %> <user_name> {{- a.b -}}';

      assert.deepEqual(
        lex(sql).tokens.map((token) => [token.kind, token.text]),
        [
          ['word', 'x'],
          ['placeholder', '{{ db }}'],
          ['placeholder', '${flyway:database}'],
          ['placeholder', '&{env}'],
          ['placeholder', '&env'],
          ['placeholder', '<% ctx.env.db %>'],
          ['placeholder', '<user_name>'],
          ['placeholder', '{{- a.b -}}'],
        ],
      );
    });

    it('keeps $name a session variable, apart from placeholders', () => {
      assert.deepEqual(
        lex('$v ${v}').tokens.map((token) => token.kind),
        ['variable', 'placeholder'],
      );
    });

    it('reads Jinja statement and comment tags as comments, semicolons inside them included', () => {
      const sql = '{% set x = "a;b" %}{#- note; -#}GRANT';
      const { tokens, comments } = lex(sql);

      assert.deepEqual(
        tokens.map((token) => token.text),
        ['GRANT'],
      );
      assert.deepEqual(
        comments.map((comment) => comment.text),
        ['{% set x = "a;b" %}', '{#- note; -#}'],
      );
    });

    it('marks a placeholder that is never closed, and reports it once at its opening', () => {
      const sql = "CREATE TABLE {{ db .t (email VARCHAR);\nALTER USER u SET PASSWORD = 'secret';";
      const { tokens } = lex(sql);
      const { statements, problems } = parseFile(sql);

      assert.equal(tokens[tokens.length - 1].unterminated, true);
      assert.deepEqual(
        problems.map((problem) => [problem.code, rangeOf(problem)]),
        [['unterminated', spanOf(sql, '{{')]],
      );
      assert.doesNotMatch(problems[0].message, /secret/);
      assert.equal(statements.length, 1, 'what the placeholder swallowed is not read');
      expectKind(statements[0], 'other');
    });

    it('names an unclosed Jinja tag as such, not as a block comment', () => {
      const { problems } = parseFile('GRANT ROLE r TO ROLE s;\n{% if prod ');

      assert.deepEqual(
        problems.map((problem) => problem.message),
        ['This Jinja tag is never closed with %}.'],
      );
    });
  });

  describe('names', () => {
    it('reads a placeholder as a name part that keeps its text as written', () => {
      const sql = 'CREATE TABLE {{ db }}.core.people (id NUMBER, email VARCHAR)';
      const table = expectKind(parseOne(sql), 'create-table');

      assert.deepEqual(table.name.parts, [
        { value: '{{ db }}', quoted: false, placeholder: true, ...spanOf(sql, '{{ db }}') },
        { value: 'CORE', quoted: false, ...spanOf(sql, 'core') },
        { value: 'PEOPLE', quoted: false, ...spanOf(sql, 'people') },
      ]);
      assert.equal(table.name.dynamic, undefined);
      assert.equal(canonicalName(table.name), '{{ db }}.CORE.PEOPLE');
    });

    it('reads names of every dialect, grantees included, with the placeholder unquoted', () => {
      const sql =
        'GRANT SELECT ON TABLE ${database}.core.customers TO USER ${u};\n' +
        'GRANT SELECT ON TABLE &{db}.core.x TO USER &u;\n' +
        'GRANT SELECT ON TABLE <% ctx.env.db %>.core.x TO USER <% u %>;\n' +
        'GRANT ROLE {{ env }}_ADMIN TO USER {{ u }}';
      const [flyway, snowsql, cli, jinja] = parseMany(sql);

      const grants = [flyway, snowsql, cli].map((s) => expectKind(s, 'grant-privileges'));
      assert.deepEqual(
        grants.map((grant) => [
          grant.on.type === 'object' ? canonicalName(grant.on.name) : '',
          grant.grantee.type,
          canonicalName(grant.grantee.name),
        ]),
        [
          ['${database}.CORE.CUSTOMERS', 'USER', '${u}'],
          ['&{db}.CORE.X', 'USER', '&u'],
          ['<% ctx.env.db %>.CORE.X', 'USER', '<% u %>'],
        ],
      );
      const role = expectKind(jinja, 'grant-role');
      assert.equal(canonicalName(role.role), '{{ env }}_ADMIN');
      assert.equal(canonicalName(role.grantee.name), '{{ u }}');
    });

    it('keys the same placeholder alike and qualifies partial names with it', () => {
      const sql =
        'USE DATABASE {{ db }};\nCREATE TABLE core.people (id NUMBER);\n' +
        'GRANT SELECT ON TABLE {{ db }}.core.people TO ROLE r';
      const [use, create, grant] = parseMany(sql);
      const database = expectKind(use, 'use').name;
      const table = expectKind(create, 'create-table').name;
      const granted = expectKind(grant, 'grant-privileges').on;

      assert.ok(database && granted.type === 'object');
      const session = { database: canonicalName(database), schema: 'PUBLIC' };
      assert.equal(qualifiedKey(table, session), '{{ db }}.CORE.PEOPLE');
      assert.equal(qualifiedKey(granted.name, session), qualifiedKey(table, session));
    });

    it('splits keys whose placeholders hold dots into their parts', () => {
      assert.deepEqual(splitKey('<% ctx.env.db %>.CORE."a.b"'), [
        '<% ctx.env.db %>',
        'CORE',
        '"a.b"',
      ]);
      assert.equal(lastPart('DB.S.{{ t.name }}'), '{{ t.name }}');
      assert.deepEqual(splitKey('${flyway:database}.S.T'), ['${flyway:database}', 'S', 'T']);
    });
  });

  describe('statements', () => {
    it('keeps statements apart across Jinja tags, and recovers a missing semicolon after one', () => {
      const sql =
        '{% if prod %}\nGRANT SELECT ON TABLE {{ db }}.s.t TO ROLE r;\n{% endif %}\n' +
        '{% for t in tables %}\nGRANT SELECT ON TABLE {{ t }} TO ROLE r\n{% endfor %}\n' +
        'CREATE TABLE {{ db }}.s.t2 (email VARCHAR);';
      const { statements, problems } = parseFile(sql);

      assert.deepEqual(
        statements.map((statement) => statement.kind),
        ['grant-privileges', 'grant-privileges', 'create-table'],
      );
      assert.deepEqual(
        rangeOf(statements[1]),
        spanOf(sql, 'GRANT SELECT ON TABLE {{ t }} TO ROLE r'),
      );
      assert.deepEqual(
        problems.map((problem) => problem.code),
        ['unparsed'],
        "only the missing ';' is reported",
      );
    });

    it('reports a placeholder standing for a whole statement, and reads the next line', () => {
      const sql = '{{ grants_for(role) }};\n{{ log("cloning") }}\nGRANT ROLE a TO USER {{ u }};';
      const { statements, problems } = parseFile(sql);

      assert.deepEqual(
        problems.map((problem) => [problem.code, rangeOf(problem)]),
        [
          ['unparsed', spanOf(sql, '{{ grants_for(role) }}')],
          ['unparsed', spanOf(sql, '{{ log("cloning") }}')],
        ],
      );
      assert.match(
        problems[0].message,
        /^This templated statement cannot be read: '\{\{ grants_for\(role\) \}\}' stands for the whole statement/,
      );
      assert.deepEqual(
        statements.map((statement) => statement.kind),
        ['other', 'other', 'grant-role'],
      );
    });

    it('reports placeholders standing for a privilege list or column definitions', () => {
      const sql =
        'GRANT {{ privileges }} ON TABLE t TO USER u;\n' +
        'CREATE TABLE t (id NUMBER, {{ columns }});\n' +
        'ALTER TABLE t ADD COLUMN {{ column_sql }};';
      const { problems } = parseFile(sql);

      assert.deepEqual(
        problems.map((problem) => [problem.code, rangeOf(problem)]),
        [
          ['unparsed', spanOf(sql, '{{ privileges }}')],
          ['unparsed', spanOf(sql, '{{ columns }}')],
          ['unparsed', spanOf(sql, '{{ column_sql }}')],
        ],
      );
      assert.match(problems[1].message, /'\{\{ columns \}\}' stands for column definitions/);
    });

    it('reads a placeholder column name with a type as a column', () => {
      const sql = 'CREATE TABLE t ({{ key }} NUMBER, email VARCHAR)';
      const table = expectKind(parseOne(sql), 'create-table');

      assert.deepEqual(
        table.columns.map((column) => [column.name.value, column.dataType]),
        [
          ['{{ key }}', 'NUMBER'],
          ['EMAIL', 'VARCHAR'],
        ],
      );
    });

    it('reads a placeholder as a property value that may name an object', () => {
      const sql = 'CREATE STAGE s URL = $$s3://b/$$ STORAGE_INTEGRATION = &{db}.int';
      const stage = expectKind(parseOne(sql), 'create-stage');
      const integration = stage.properties.find((p) => p.key === 'STORAGE_INTEGRATION');

      assert.equal(integration?.value?.kind, 'variable');
      assert.equal(integration?.value?.value, '&{db}.int');
      assert.equal(canonicalName(integration?.value?.name ?? []), '&{db}.INT');
    });
  });
});
