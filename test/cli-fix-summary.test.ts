/** After `--fix`, the summary says what was fixed and what remains; before, what could be. */
import assert from 'node:assert/strict';
import { removeTempProjects, runCli, tempProject } from './helpers/cli';

const MIXED = [
  'grant select on table t to role analyst;',
  'GRANT SELECT ON TABLE t TO USER alice;',
  'CREATE VIEW v AS SELECT * FROM t;',
  '',
].join('\n');

describe('the summary of a fixing run', () => {
  after(removeTempProjects);

  it('says how many findings were fixed and how many remain', async () => {
    const root = tempProject({ 'V1__grants.sql': MIXED });

    const result = await runCli(root, ['lint', '--format', 'text', '--fix', '--unsafe-fixes']);

    assert.match(result.stdout, /^Fixed 2 findings; 1 finding remains \(1 info\) in 1 of 1 file$/m);
  });

  it('says when none remain', async () => {
    const root = tempProject({ 'V1__grants.sql': 'grant select on table t to role analyst;\n' });

    const result = await runCli(root, ['lint', '--format', 'text', '--fix']);

    assert.match(result.stdout, /^Fixed 1 finding; none remain in 1 file\.$/m);
  });

  it('says which findings each flag can fix before fixing', async () => {
    const root = tempProject({ 'V1__grants.sql': MIXED });

    const result = await runCli(root, ['lint', '--format', 'stylish']);

    assert.match(
      result.stdout,
      /^1 finding can be fixed with --fix; 1 more with --fix --unsafe-fixes \(review the diff first: --fix-dry-run --unsafe-fixes\)\.$/m,
    );
  });
});
