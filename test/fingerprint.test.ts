import assert from 'node:assert/strict';
import { Workspace } from '../server/src/engine';
import { identifyFindings } from '../server/src/engine/fingerprint';
import { FIXTURE_RULES } from './helpers/cli';

/** Fingerprints of every finding in `files`, in order of path and position. */
function fingerprints(files: Readonly<Record<string, string>>): string[] {
  const workspace = new Workspace(FIXTURE_RULES);
  for (const [path, text] of Object.entries(files)) workspace.setFile(path, text);
  const analysis = workspace.analyze();
  const findings = [...analysis.findings.values()].flat();
  const identities = identifyFindings(findings, analysis.files, (path) => path);

  return findings.map((finding) => identities.get(finding)?.fingerprint ?? '');
}

const GRANT = 'GRANT SELECT ON TABLE t TO USER alice;\n';

describe('finding fingerprints', () => {
  it('stay the same when lines are inserted above the statement', () => {
    const [before] = fingerprints({ 'V1.sql': GRANT });
    const [after] = fingerprints({
      'V1.sql': `-- a new comment\nCREATE TABLE x (id INT);\n\n${GRANT}`,
    });

    assert.match(before, /^[0-9a-f]{32}$/);
    assert.equal(after, before);
  });

  it('stay the same when the statement is re-indented or gains a comment inside', () => {
    const [before] = fingerprints({ 'V1.sql': GRANT });
    const [after] = fingerprints({
      'V1.sql': 'GRANT SELECT\n    ON TABLE t -- reviewed\n    TO USER alice;\n',
    });

    assert.equal(after, before);
  });

  it('stay the same when keywords and unquoted names change case, not quoted ones', () => {
    const [before] = fingerprints({ 'V1.sql': GRANT });
    const [recased] = fingerprints({ 'V1.sql': 'Grant Select on table T to user ALICE;\n' });
    const [quoted] = fingerprints({ 'V1.sql': GRANT.replace('TABLE t', 'TABLE "t"') });
    const [requoted] = fingerprints({ 'V1.sql': GRANT.replace('TABLE t', 'TABLE "T"') });

    assert.equal(recased, before);
    assert.match(quoted, /^[0-9a-f]{32}$/);
    assert.notEqual(quoted, requoted);
  });

  it('change when the statement, the file or the rule changes', () => {
    const [base] = fingerprints({ 'V1.sql': GRANT });
    const [otherText] = fingerprints({ 'V1.sql': GRANT.replace('alice', 'bob') });
    const [otherFile] = fingerprints({ 'V2.sql': GRANT });
    const [otherRule] = fingerprints({ 'V1.sql': 'grant select on table t to role r;\n' });

    assert.equal(new Set([base, otherText, otherFile, otherRule]).size, 4);
  });

  it('tell identical statements of one file apart by their order', () => {
    const prints = fingerprints({ 'V1.sql': GRANT.repeat(3) });

    assert.equal(new Set(prints).size, 3);
    assert.deepEqual(fingerprints({ 'V1.sql': `\n\n${GRANT.repeat(3)}` }), prints);
  });

  it('belong to the innermost statement, so editing a sibling in a procedure keeps them', () => {
    const procedure = (other: string): string =>
      'CREATE PROCEDURE p() RETURNS INT LANGUAGE SQL AS $$\nBEGIN\n' +
      `  ${other};\n  GRANT SELECT ON TABLE t TO USER alice;\nEND\n$$;\n`;
    const [before] = fingerprints({ 'V1.sql': procedure('CREATE TABLE a (id INT)') });
    const [after] = fingerprints({ 'V1.sql': procedure('CREATE TABLE b (id INT, x INT)') });

    assert.ok(before);
    assert.equal(after, before);
  });
});
