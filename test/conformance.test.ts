import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compareWithTrees, countTreeStatements, readFolder } from '../scripts/conformance';
import { type Family, COVERED_FAMILIES, familyOf } from '../server/src/engine/syntax/families';
import { lex } from '../server/src/engine/syntax/lexer';

const familyCases: readonly (readonly [string, Family])[] = [
  ['GRANT SELECT ON t TO ROLE r', 'grant'],
  ['revoke role a from user b', 'grant'],
  ['USE SECONDARY ROLES ALL', 'use'],
  ['CREATE OR REPLACE DATABASE ROLE d.r', 'role'],
  ['ALTER ROLE r RENAME TO s', 'role'],
  ['DROP APPLICATION ROLE app.r', 'role'],
  ['CREATE USER u', 'user'],
  ['CREATE OR ALTER AUTHENTICATION POLICY p', 'policy'],
  ['ALTER ROW ACCESS POLICY p SET BODY -> TRUE', 'policy'],
  ['CREATE NETWORK RULE r', 'policy'],
  ['CREATE TAG t', 'tag'],
  ['CREATE SECURE MATERIALIZED VIEW v AS SELECT 1', 'table'],
  ['CREATE TRANSIENT DYNAMIC TABLE t AS SELECT 1', 'table'],
  ['ALTER EXTERNAL TABLE t REFRESH', 'table'],
  ['CREATE TEMPORARY STAGE s', 'stage'],
  ['CREATE EXTERNAL ACCESS INTEGRATION i', 'integration'],
  ['ALTER STORAGE INTEGRATION i SET ENABLED = FALSE', 'integration'],
  ['COPY INTO t FROM @s', 'copy'],
  ['PUT file:///tmp/x @s', 'copy'],
  ['ALTER ACCOUNT SET X = 1', 'account'],
  ['CREATE TRANSIENT SCHEMA s', 'database'],
  ['ALTER SHARE s ADD ACCOUNTS = a.b', 'database'],
  ['CREATE FUNCTION f() RETURNS INT AS $$ 1 $$', 'routine'],
  ['CREATE TASK t AS SELECT 1', 'routine'],
  ['EXECUTE IMMEDIATE $$ SELECT 1 $$', 'script'],
  ['BEGIN SELECT 1; END', 'script'],
  ['x := 1', 'script'],
  ['CALL p()', 'call'],
  ['SHOW GRANTS', 'show'],
  ['DESC TABLE t', 'describe'],
  ['!set x=1', 'client'],
  ['BEGIN TRANSACTION', 'other'],
  ['ALTER WAREHOUSE w SUSPEND', 'other'],
  ['ALTER TASK t RESUME', 'other'],
  ['SELECT 1', 'other'],
  ['COPY FILES INTO @a FROM @b', 'other'],
];

describe('conformance', () => {
  describe('statement families', () => {
    for (const [sql, family] of familyCases) {
      it(`puts ${sql} in the ${family} family`, () => {
        assert.equal(familyOf(lex(sql).tokens), family);
      });
    }

    it('lists every family but other as covered', () => {
      assert.ok(!COVERED_FAMILIES.includes('other'));
      assert.equal(
        new Set(familyCases.map(([, family]) => family)).size,
        COVERED_FAMILIES.length + 1,
      );
    });
  });

  describe('SQLFluff parse trees', () => {
    it('counts the top-level statements of a tree written as a list', () => {
      const yaml =
        'file:\n- statement:\n    select_statement:\n      - statement: nested\n' +
        '- statement_terminator: ;\n- statement:\n    use_statement: x\n';

      assert.equal(countTreeStatements(yaml), 2);
    });

    it('counts the single statement of a tree written as a mapping', () => {
      assert.equal(countTreeStatements('file:\n  statement:\n    grant_statement: x\n'), 1);
    });
  });

  describe('reading a folder', () => {
    let root = '';

    beforeEach(() => {
      root = mkdtempSync(path.join(tmpdir(), 'snowgov-conformance-'));
    });

    afterEach(() => {
      rmSync(root, { recursive: true, force: true });
    });

    it('counts families, typed statements, failures and count mismatches with the trees', () => {
      const folder = path.join(root, 'fixtures');
      mkdirSync(folder);
      mkdirSync(`${folder}-trees`);
      writeFileSync(
        path.join(folder, 'a.sql'),
        'GRANT ROLE a TO ROLE b;\nGRANT ROLE c TO;\nSELECT 1;\n',
      );
      writeFileSync(path.join(folder, 'b.sql'), 'USE ROLE r;\n');
      writeFileSync(
        path.join(`${folder}-trees`, 'a.yml'),
        'file:\n- statement: x\n- statement: y\n',
      );
      writeFileSync(path.join(`${folder}-trees`, 'b.yml'), 'file:\n  statement: x\n');
      const report = readFolder(folder);

      assert.equal(report.files, 2);
      assert.deepEqual(report.counts.get('grant'), {
        seen: 2,
        typed: 1,
        errors: 1,
        rejected: 0,
        clean: 1,
      });
      assert.deepEqual(report.counts.get('use'), {
        seen: 1,
        typed: 1,
        errors: 0,
        rejected: 0,
        clean: 1,
      });
      assert.deepEqual(
        report.failures.map((f) => [f.location, f.family]),
        [['a.sql:2', 'grant']],
      );
      assert.deepEqual(compareWithTrees(folder, report), {
        compared: 2,
        mismatches: ['a.sql  ours 3  sqlfluff 2'],
      });
    });
  });

  describe('the shared corpus', () => {
    const corpus = path.resolve(__dirname, '../../shared/corpus');
    if (!existsSync(corpus)) {
      it('passes with a warning because the shared corpus was not found', () => {
        console.warn(
          `Shared corpus was not found at ${corpus}; its conformance targets were not checked.`,
        );
      });

      return;
    }

    for (const folder of ['real', 'sqlfluff-snowflake']) {
      it(`types at least 99% of the covered statements of ${folder} without a parse error`, () => {
        const report = readFolder(path.join(corpus, folder));
        let seen = 0;
        let clean = 0;
        for (const family of COVERED_FAMILIES) {
          seen += report.counts.get(family)?.seen ?? 0;
          clean += report.counts.get(family)?.clean ?? 0;
        }

        assert.deepEqual(report.crashes, []);
        assert.ok(clean / seen >= 0.99, `${clean} of ${seen} covered statements are clean`);
      });
    }

    it("agrees with SQLFluff's statement counts in at least 99% of its fixtures", () => {
      const folder = path.join(corpus, 'sqlfluff-snowflake');
      const comparison = compareWithTrees(folder, readFolder(folder));

      assert.ok(comparison, 'the trees folder is there');
      const share = (comparison.compared - comparison.mismatches.length) / comparison.compared;
      assert.ok(share >= 0.99, comparison.mismatches.join('\n'));
    });
  });
});
