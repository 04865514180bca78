import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { ParsedFile } from '../server/src/engine/syntax/ast';
import { parseFile } from '../server/src/engine/syntax/parser';
import { expectKind, flatten, lineOf, partsOf, rangeOf, spanOf } from './helpers/syntax';

/**
 * The parsing half of ../shared/cases (see its README): statement counts, kinds, names, nested
 * statements and problems. What the rules report on these files is tested with the rules.
 */
const casesDir = path.resolve(__dirname, '../../shared/cases');

interface SharedCase {
  readonly title: string;
  readonly check: (text: string, parsed: ParsedFile) => void;
}

const cases: Record<string, SharedCase> = {
  'C01.sql': {
    title: 'parses GRANT DATABASE ROLE to PUBLIC and straight to a user',
    check(text, { statements, problems }) {
      assert.deepEqual(problems, []);
      const [toPublic, toUser] = statements.map((s) => expectKind(s, 'grant-role'));
      assert.equal(statements.length, 2);
      for (const grant of [toPublic, toUser]) {
        assert.equal(grant.roleType, 'DATABASE ROLE');
        assert.deepEqual(partsOf(grant.role), ['DB1', 'DBROLE_A']);
      }
      assert.deepEqual(
        [toPublic.grantee.type, partsOf(toPublic.grantee.name)],
        ['ROLE', ['PUBLIC']],
      );
      assert.deepEqual([toUser.grantee.type, partsOf(toUser.grantee.name)], ['USER', ['USER_A']]);
      assert.equal(lineOf(text, toUser.start), 2);
    },
  },
  'C03.sql': {
    title: 'parses FORCE and a quoted qualified policy name that equals the unquoted one',
    check(_text, { statements, problems }) {
      assert.deepEqual(problems, []);
      assert.equal(statements.length, 2);
      const table = expectKind(statements[0], 'create-table');
      const column = table.columns.find((c) => c.name.value === 'COL_A');
      assert.ok(column?.maskingPolicy, 'col_a is masked');
      const inline = column.maskingPolicy.policy;
      const [action] = expectKind(statements[1], 'alter-table').actions;
      assert.ok(action.type === 'alter-column' && action.action.type === 'set-masking-policy');
      assert.equal(action.column.value, 'COL_A');
      assert.equal(action.action.policy.force, true);
      const quoted = action.action.policy.policy;
      assert.ok(quoted.parts.every((part) => part.quoted));
      assert.deepEqual(partsOf(quoted), ['DB1', 'SCH1', 'POL_MASK_A']);
      assert.deepEqual(partsOf(quoted), partsOf(inline));
    },
  },
  'C05.sql': {
    title: 'keeps a quoted policy name with a hyphen exact and reads the constant body',
    check(_text, { statements, problems }) {
      assert.deepEqual(problems, []);
      assert.equal(statements.length, 1);
      const policy = expectKind(statements[0], 'create-policy');
      assert.equal(policy.policyType, 'ROW ACCESS');
      assert.deepEqual(
        policy.name.parts.map((p) => [p.value, p.quoted]),
        [['rap-region-a', true]],
      );
      assert.equal(policy.returnType, 'BOOLEAN');
      assert.equal(policy.body?.text, 'TRUE');
    },
  },
  'C07.sql': {
    title: 'parses the ALLOWED_VALUES list and reports OR REPLACE with IF NOT EXISTS precisely',
    check(text, { statements, problems }) {
      assert.equal(statements.length, 1);
      const tag = expectKind(statements[0], 'create-tag');
      assert.deepEqual(partsOf(tag.name), ['DB1', 'SCH1', 'TAG_CLASS']);
      assert.deepEqual(
        tag.allowedValues.map((v) => v.value),
        ['restricted', 'confidential', 'pii'],
      );
      assert.equal(problems.length, 1);
      assert.deepEqual(rangeOf(problems[0]), spanOf(text, 'CREATE OR REPLACE TAG IF NOT EXISTS'));
      assert.equal(
        problems[0].message,
        'OR REPLACE and IF NOT EXISTS cannot be used together; Snowflake rejects this statement. ' +
          'Keep one of them.',
      );
    },
  },
  'C08.sql': {
    title: 'parses ALTER ACCOUNT, ALTER NETWORK POLICY and ALTER MASKING POLICY … SET BODY',
    check(_text, { statements, problems }) {
      assert.deepEqual(problems, []);
      assert.equal(statements.length, 3);
      const account = expectKind(statements[0], 'alter-object');
      assert.equal(account.objectType, 'ACCOUNT');
      const [timezone] = account.actions;
      assert.ok(timezone.type === 'set');
      assert.deepEqual(
        timezone.properties.map((p) => [p.key, p.value?.value]),
        [['TIMEZONE', 'UTC']],
      );
      const network = expectKind(statements[1], 'alter-policy');
      assert.deepEqual([network.policyType, partsOf(network.name)], ['NETWORK', ['NP_A']]);
      const [allowed] = network.actions;
      assert.ok(allowed.type === 'set');
      assert.deepEqual(
        allowed.properties[0].list?.map((v) => v.value),
        ['192.0.2.0/24', '198.51.100.7'],
      );
      const policy = expectKind(statements[2], 'alter-policy');
      assert.equal(policy.policyType, 'MASKING');
      assert.deepEqual(partsOf(policy.name), ['POL_MASK_EMAIL']);
      assert.match(policy.body?.text ?? '', /^CASE\s[\s\S]*CURRENT_ROLE\(\)[\s\S]*END$/);
    },
  },
  'C10.sql': {
    title: 'parses stage properties given as session variables',
    check(_text, { statements, problems }) {
      assert.deepEqual(problems, []);
      assert.equal(statements.length, 1);
      const stage = expectKind(statements[0], 'create-stage');
      assert.deepEqual(partsOf(stage.name), ['DB1', 'SCH1', 'STAGE_EXT_A']);
      assert.deepEqual(
        stage.properties.map((p) => [p.key, p.value?.kind, p.value?.value]),
        [
          ['STORAGE_INTEGRATION', 'variable', '$int_name'],
          ['URL', 'variable', '$stage_url'],
        ],
      );
    },
  },
  'C11.sql': {
    title: 'resolves IDENTIFIER(\'"…"\') to quoted, case-sensitive names in share DDL',
    check(_text, { statements, problems }) {
      assert.deepEqual(problems, []);
      assert.equal(statements.length, 3);
      const share = expectKind(statements[0], 'create-object');
      assert.equal(share.objectType, 'SHARE');
      const quotedParts = (name: typeof share.name): [string, boolean][] =>
        name.parts.map((p) => [p.value, p.quoted]);
      assert.deepEqual(quotedParts(share.name), [['share_a', true]]);
      const [database, schema] = statements.slice(1).map((s) => expectKind(s, 'grant-privileges'));
      assert.ok(database.on.type === 'object' && schema.on.type === 'object');
      assert.equal(database.on.objectType, 'DATABASE');
      assert.deepEqual(quotedParts(database.on.name), [['db1', true]]);
      assert.equal(schema.on.objectType, 'SCHEMA');
      assert.deepEqual(quotedParts(schema.on.name), [
        ['db1', true],
        ['sch1', true],
      ]);
      for (const grant of [database, schema]) {
        assert.equal(grant.grantee.type, 'SHARE');
        assert.deepEqual(quotedParts(grant.grantee.name), [['share_a', true]]);
      }
    },
  },
  'C12.sql': {
    title: 'parses CREATE OR ALTER TABLE with a leading-comma column list',
    check(text, { statements, problems }) {
      assert.deepEqual(problems, []);
      assert.equal(statements.length, 1);
      const table = expectKind(statements[0], 'create-table');
      assert.equal(table.orAlter, true);
      assert.equal(table.orReplace, false);
      assert.deepEqual(
        table.columns.map((c) => [c.name.value, c.dataType]),
        [
          ['ID', 'INTEGER'],
          ['EMAIL', 'VARCHAR'],
          ['COL_C', 'INTEGER'],
        ],
      );
      assert.equal(lineOf(text, table.columns[1].start), 2);
      assert.equal(table.columns[1].maskingPolicy, undefined);
    },
  },
  'C13.sql': {
    title: 'runs // comments to the end of their line and finds two statements',
    check(text, { statements, problems, comments }) {
      assert.deepEqual(problems, []);
      assert.deepEqual(
        statements.map((s) => s.kind),
        ['select', 'grant-privileges'],
      );
      assert.deepEqual(
        comments.map((c) => [c.kind, c.text]),
        [
          ['line', '// header note'],
          ['line', '// trailing note'],
          ['line', '// reviewed'],
        ],
      );
      for (const comment of comments) {
        const lineEnd = text.indexOf('\n', comment.start);
        assert.equal(comment.end, lineEnd < 0 ? text.length : lineEnd);
      }
    },
  },
  'C15.sql': {
    title: 'reads a backslash-escaped quote inside a string and finds two statements',
    check(text, { statements, problems }) {
      assert.deepEqual(problems, []);
      assert.equal(statements.length, 2);
      const comment = expectKind(statements[0], 'other');
      assert.deepEqual(comment.words.slice(0, 3), ['COMMENT', 'ON', 'COLUMN']);
      assert.equal(comment.end, text.indexOf(';'));
      assert.equal(lineOf(text, statements[1].start), 2);
      expectKind(statements[1], 'select');
    },
  },
  'C18.sql': {
    title: 'keeps a procedure body without $$ as one statement and parses its scripting',
    check(text, { statements, problems }) {
      assert.deepEqual(problems, []);
      assert.equal(statements.length, 1);
      const procedure = expectKind(statements[0], 'script');
      assert.equal(procedure.container, 'PROCEDURE');
      assert.deepEqual(partsOf(procedure.name), ['DB1', 'SCH1', 'PROC_B']);
      assert.equal(expectKind(procedure.nested?.[0], 'script').container, 'BLOCK');
      const grants = flatten(procedure.nested ?? []).filter((s) => s.kind === 'grant-privileges');
      assert.equal(grants.length, 1);
      const grant = expectKind(grants[0], 'grant-privileges');
      assert.equal(lineOf(text, grant.start), 9);
      assert.deepEqual([grant.grantee.type, partsOf(grant.grantee.name)], ['USER', ['USER_A']]);
    },
  },
  'C20.sql': {
    title: 'parses the block inside EXECUTE IMMEDIATE $$ … $$ as one statement',
    check(text, { statements, problems }) {
      assert.deepEqual(problems, []);
      assert.equal(statements.length, 1);
      const script = expectKind(statements[0], 'script');
      assert.equal(script.container, 'EXECUTE IMMEDIATE');
      assert.equal(expectKind(script.nested?.[0], 'script').container, 'BLOCK');
      const grants = flatten(script.nested ?? []).filter((s) => s.kind === 'grant-role');
      assert.equal(grants.length, 1);
      const grant = expectKind(grants[0], 'grant-role');
      assert.equal(lineOf(text, grant.start), 5);
      assert.deepEqual(partsOf(grant.role), ['ACCOUNTADMIN']);
      assert.deepEqual([grant.grantee.type, partsOf(grant.grantee.name)], ['USER', ['USER_A']]);
    },
  },
};

describe('shared cases from public bug reports', () => {
  if (!existsSync(casesDir)) {
    it('passes with a warning because the shared cases were not found', () => {
      console.warn(`Shared cases were not found at ${casesDir}; their parsing checks did not run.`);
    });

    return;
  }

  const files = readdirSync(casesDir).filter((file) => file.endsWith('.sql'));

  it('has a parsing expectation for every case file', () => {
    assert.deepEqual(
      files.filter((file) => !(file in cases)),
      [],
    );
  });

  for (const [file, { title, check }] of Object.entries(cases)) {
    it(`${file} ${title}`, () => {
      const filePath = path.join(casesDir, file);
      assert.ok(existsSync(filePath), `${file} is missing from ${casesDir}`);
      const text = readFileSync(filePath, 'utf8');
      check(text, parseFile(text));
    });
  }
});
