/** A `snowgov-ignore` reason in the wrong quotes is one mistake, named as such. */
import assert from 'node:assert/strict';
import { lintFiles } from './helpers/lint';

const GRANT_ALICE = 'GRANT SELECT ON TABLE t TO USER alice;';

function findingsOf(text: string): { ruleId: string; message: string }[] {
  return [...(lintFiles({ 'V1__grants.sql': text }).get('V1__grants.sql') ?? [])].map(
    ({ ruleId, message }) => ({ ruleId, message }),
  );
}

describe('snowgov-ignore reasons in other quotes', () => {
  for (const [quote, name] of [
    ["'", 'single'],
    ['‘', 'typographic'],
  ] as const) {
    it(`says that a reason in ${name} quotes takes double quotes`, () => {
      const close = quote === "'" ? "'" : '’';
      const findings = findingsOf(
        `-- snowgov-ignore grant-to-user reason=${quote}Auditor access${close}\n${GRANT_ALICE}\n`,
      );

      const invalid = findings.filter((finding) => finding.ruleId === 'invalid-suppression');
      assert.deepEqual(
        invalid.map((finding) => finding.message),
        [
          `The value of reason= in snowgov-ignore is in ${name} quotes; ` +
            'write it in double quotes: reason="…".',
        ],
      );
      // The directive excuses nothing until it is written correctly.
      assert.ok(findings.some((finding) => finding.ruleId === 'grant-to-user'));
    });
  }
});
