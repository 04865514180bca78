import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allRules } from '../rules';
import { findConfigFile, loadConfig, loadConfigFile } from '../server/src/node/config-file';

describe('config-file', () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'snowgov-config-'));
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  /** Creates the folders of `path` under the temporary root and returns its absolute path. */
  function folder(path: string): string {
    const absolute = join(root, path);
    mkdirSync(absolute, { recursive: true });

    return absolute;
  }

  describe('findConfigFile', () => {
    it('finds a config file in a parent directory', () => {
      writeFileSync(join(folder('repo'), 'snowgov.yaml'), '');
      folder('repo/.git');

      assert.equal(
        findConfigFile(folder('repo/db/migrations')),
        join(root, 'repo', 'snowgov.yaml'),
      );
    });

    it('prefers the nearest directory, then snowgov.yaml over the other names', () => {
      writeFileSync(join(folder('repo'), 'snowgov.yaml'), '');
      writeFileSync(join(folder('repo/db'), '.snowgov.yml'), '');
      writeFileSync(join(folder('repo/db'), 'snowgov.yml'), '');

      assert.equal(findConfigFile(folder('repo/db')), join(root, 'repo', 'db', 'snowgov.yml'));
    });

    it('stops after the directory holding .git, even when .git is a file', () => {
      writeFileSync(join(folder('outer'), 'snowgov.yaml'), '');
      writeFileSync(join(folder('outer/repo'), '.git'), 'gitdir: ../elsewhere\n');

      assert.equal(findConfigFile(folder('outer/repo/db')), undefined);
    });

    it('ignores a directory that carries a config file name', () => {
      folder('repo/.git');
      folder('repo/snowgov.yaml');

      assert.equal(findConfigFile(folder('repo')), undefined);
    });
  });

  describe('loadConfig', () => {
    it('returns the default settings without a path when there is no config file', () => {
      folder('repo/.git');

      const loaded = loadConfig(folder('repo'), allRules);

      assert.equal(loaded.path, undefined);
      assert.deepEqual(loaded.problems, []);
      assert.equal(loaded.config.rules.size, allRules.length + 3, 'every rule and pseudo-rule');
    });

    it('reads the discovered file and reports its problems with their line', () => {
      folder('repo/.git');
      const path = join(root, 'repo', 'snowgov.yaml');
      writeFileSync(path, 'rules:\n  grant-to-user: off\n  not-a-rule: error\n');

      const loaded = loadConfig(folder('repo'), allRules);

      assert.equal(loaded.path, path);
      assert.equal(loaded.config.rules.get('grant-to-user')?.enabled, false);
      assert.deepEqual(
        loaded.problems.map((problem) => ({ path: problem.path, line: problem.line })),
        [{ path, line: 3 }],
      );
    });

    it('turns a file it cannot read into a problem instead of throwing', () => {
      const path = join(folder('conf'), 'missing.yaml');

      const loaded = loadConfigFile(path, allRules);

      assert.equal(loaded.path, path);
      assert.equal(loaded.problems.length, 1);
      assert.equal(loaded.problems[0].path, path);
      assert.match(
        loaded.problems[0].message,
        /^Cannot read the snowgov config file: no such file/,
      );
      assert.equal(loaded.config.rules.size, allRules.length + 3, 'every rule and pseudo-rule');
    });
  });
});
