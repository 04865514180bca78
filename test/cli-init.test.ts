import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { allRules } from '../rules';
import { parseConfig } from '../server/src/engine';

const cli = path.resolve(__dirname, '..', 'out', 'cli.js');

function init(cwd: string, ...args: string[]) {
  return spawnSync(process.execPath, [cli, 'init', ...args], { cwd, encoding: 'utf8' });
}

describe('snowgov init', () => {
  it('writes a starter snowgov.yml that loads without problems', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'snowgov-init-'));
    const result = init(folder);
    assert.equal(result.status, 0, result.stderr);
    const text = readFileSync(path.join(folder, 'snowgov.yml'), 'utf8');
    assert.deepEqual(parseConfig(text, 'snowgov.yml', allRules).problems, []);
    assert.match(text, /^# yaml-language-server: \$schema=/);
  });

  it('refuses to overwrite an existing config unless forced', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'snowgov-init-'));
    writeFileSync(path.join(folder, 'snowgov.yaml'), 'rules: {}\n');
    const refused = init(folder);
    assert.equal(refused.status, 2);
    assert.match(
      refused.stderr,
      /snowgov\.yaml already exists; edit it, or run 'snowgov init --force'/,
    );
    assert.equal(readFileSync(path.join(folder, 'snowgov.yaml'), 'utf8'), 'rules: {}\n');

    const forced = init(folder, '--force');
    assert.equal(forced.status, 0);
    assert.match(readFileSync(path.join(folder, 'snowgov.yaml'), 'utf8'), /grant-to-user/);
  });
});
