import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const cli = path.resolve(__dirname, '..', 'out', 'cli.js');

describe('snowgov lint input', () => {
  it('skips a binary file named .sql with a warning instead of linting noise', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'snowgov-input-'));
    writeFileSync(path.join(folder, 'V1__bin.sql'), Buffer.from([0x47, 0x00, 0xff, 0x10, 0x00]));
    writeFileSync(path.join(folder, 'V2__ok.sql'), 'SELECT 1;\n');
    const result = spawnSync(process.execPath, [cli, 'lint', '.'], {
      cwd: folder,
      encoding: 'utf8',
    });
    assert.equal(result.status, 0);
    assert.match(result.stderr, /'V1__bin\.sql' holds binary data, not SQL text; it was skipped/);
    assert.match(result.stdout, /No findings in 1 file/);
  });

  it('fails when the only file named holds binary data, without calling it a folder', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'snowgov-input-'));
    writeFileSync(path.join(folder, 'V1__bin.sql'), Buffer.from([0x47, 0x00, 0xff, 0x10, 0x00]));
    const result = spawnSync(process.execPath, [cli, 'lint', 'V1__bin.sql'], {
      cwd: folder,
      encoding: 'utf8',
    });

    assert.equal(result.status, 2);
    assert.equal(
      result.stderr,
      "snowgov: 'V1__bin.sql' holds binary data, not SQL text; it was skipped\n" +
        "snowgov: nothing to lint in 'V1__bin.sql'.\n",
    );
  });
});
