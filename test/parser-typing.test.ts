import assert from 'node:assert/strict';
import type { Finding } from '../server/src/engine';
import { PARSE_ERROR_RULE } from '../server/src/engine/findings';
import { lintFiles } from './helpers/lint';

/**
 * While a statement is being typed it has no terminator yet and often half a clause. The engine
 * must keep its problem to that statement: the statements after it are analysed as before, and
 * nothing new is reported there.
 */
const before = 'USE ROLE sysadmin;\n';
const after =
  'CREATE TABLE crm.people (id INT, email VARCHAR);\n' +
  'GRANT SELECT ON TABLE crm.people TO USER bob;\n' +
  'USE ROLE accountadmin;\n' +
  'CREATE DATABASE analytics;\n';

/** Statements cut off as an editor sees them while they are typed, one keystroke at a time. */
const beingTyped = [
  'GRANT',
  'GRANT SELECT ON',
  'GRANT SELECT ON TABLE crm.people TO',
  'GRANT SELECT ON TABLE crm.people TO ROLE analyst',
  'REVOKE ROLE analyst FROM',
  'USE ROLE',
  'CREATE TABLE t (a INT,',
  'CREATE TABLE t (ssn VARCHAR WITH MASKING',
  'ALTER TABLE crm.people MODIFY COLUMN email SET MASKING POLICY',
  'CREATE MASKING POLICY p AS (v STRING) RETURNS STRING ->',
  "CREATE STAGE s URL = 's3://b/'",
  'COPY INTO @s FROM',
  'ALTER ACCOUNT SET',
  'CREATE NETWORK POLICY np ALLOWED_IP_LIST = (',
  'BEGIN',
  'IF (x > 1) THEN',
  'EXECUTE IMMEDIATE',
  'CALL p(',
  'LET x :=',
  'SELECT email FROM crm.people WHERE',
];

function lint(text: string): readonly Finding[] {
  return lintFiles({ 'V1__typing.sql': text }).get('V1__typing.sql') ?? [];
}

/** A finding as a comparable string, its offsets shifted by `shift`. */
function describe_(finding: Finding, shift = 0): string {
  return `${finding.ruleId} ${finding.span.start + shift}-${finding.span.end + shift} ${finding.message}`;
}

describe('a statement being typed', () => {
  const baseline = lint(before + after);

  it('leaves findings in the statements after it as they were (baseline has some)', () => {
    assert.ok(
      baseline.some((finding) => finding.span.start >= before.length),
      'the statements after the typed one raise findings of their own',
    );
  });

  for (const typed of beingTyped) {
    it(`keeps the problem of "${typed}" to itself and the statements after it unchanged`, () => {
      const inserted = `${typed}\n`;
      const text = before + inserted + after;
      const findings = lint(text);
      const typedEnd = before.length + typed.length;
      const expectedAfter = baseline
        .filter((finding) => finding.span.start >= before.length)
        .map((finding) => describe_(finding, inserted.length));
      const actualAfter = findings
        .filter((finding) => finding.span.start > typedEnd)
        .map((finding) => describe_(finding));
      const problems = findings.filter((finding) => finding.ruleId === PARSE_ERROR_RULE);

      assert.deepEqual(actualAfter, expectedAfter);
      assert.equal(problems.length, 1, `one parse error for ${JSON.stringify(typed)}`);
      assert.ok(
        problems[0].span.start >= before.length && problems[0].span.end <= typedEnd,
        `the parse error lies inside the typed text: ${describe_(problems[0])}`,
      );
    });
  }
});
