import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const cli = path.resolve(__dirname, '..', 'out', 'cli.js');

function project(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'snowgov-nested-'));
  mkdirSync(path.join(root, '.git'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }

  return root;
}

function lint(cwd: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, 'lint', '.', '--format', 'text'], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });

  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const GRANT = 'GRANT SELECT ON TABLE db.s.t TO USER alice;\n';

describe('nested snowgov.yml files', () => {
  it('judge each file by the config nearest to it', () => {
    const root = project({
      'snowgov.yml': 'rules:\n  grant-to-user: error\n',
      'migrations/V1__grant.sql': GRANT,
      'sandbox/snowgov.yml': 'rules:\n  grant-to-user: warning\n',
      'sandbox/V2__grant.sql': GRANT,
    });
    const { status, stdout } = lint(root);
    assert.equal(status, 1);
    assert.match(stdout, /^migrations\/V1__grant\.sql:1:\d+ {2}error {2}grant-to-user/m);
    assert.match(stdout, /^sandbox\/V2__grant\.sql:1:\d+ {2}warning {2}grant-to-user/m);
  });

  it('stop the run on a problem in a nested config, naming its file and line', () => {
    const root = project({
      'migrations/V1__grant.sql': GRANT,
      'sandbox/snowgov.yml': 'rules:\n  grant-to-usr: off\n',
      'sandbox/V2__grant.sql': GRANT,
    });
    const { status, stderr } = lint(root);
    assert.equal(status, 2);
    assert.match(stderr, /^sandbox\/snowgov\.yml:2: Unknown rule 'grant-to-usr'/m);
  });
});
