// Checks that the hooks of .pre-commit-hooks.yaml work under pre-commit's node support with the
// npm package as `npm pack` makes it (run `npm run build` first): each hook becomes a local hook
// whose only dependency is that tarball, run in a scratch repository with one committed and one
// staged migration, each granting a privilege to a user. The package bundles everything it
// runs, so the install fetches nothing. (The remote form, which builds the package from git,
// needs a full dev install and takes minutes: see docs/ci.md.)
//
// Prints `PASS` or `FAIL <reason>` (the lines .ci/run counts); needs `pre-commit` on the PATH.
//   node scripts/package-pre-commit.mjs
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';

const repo = resolve(import.meta.dirname, '..');
const scratch = mkdtempSync(join(tmpdir(), 'snowgov-pre-commit-'));
const project = join(scratch, 'project');

function run(command, args, cwd, env = process.env) {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8' });
  if (result.error) throw new Error(`${command}: ${result.error.message}`);

  return {
    status: result.status,
    stdout: result.stdout,
    output: `${result.stdout}${result.stderr}`,
  };
}

function must(command, args, cwd) {
  const result = run(command, args, cwd);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.output}`);

  return result.stdout;
}

function check() {
  const packed = must('npm', ['pack', '--ignore-scripts', '--pack-destination', scratch], repo);
  const tarball = join(scratch, packed.trim().split('\n').pop());

  mkdirSync(join(project, 'migrations'), { recursive: true });
  const git = (...args) =>
    must(
      'git',
      ['-c', 'user.name=snowgov', '-c', 'user.email=ci@snowgov.invalid', ...args],
      project,
    );
  git('init', '-q');
  writeFileSync(
    join(project, 'migrations/V1__old.sql'),
    'GRANT SELECT ON TABLE DB.S.OLD TO USER BOB;\n',
  );
  git('add', '.');
  git('commit', '-qm', 'history');
  writeFileSync(
    join(project, 'migrations/V2__new.sql'),
    'GRANT SELECT ON TABLE DB.S.NEW TO USER EVE;\n',
  );

  // The hooks as published, minus the version floor: Debian's pre-commit 3.0 runs them fine.
  const hooks = parse(readFileSync(join(repo, '.pre-commit-hooks.yaml'), 'utf8')).map((hook) => {
    const local = { ...hook, additional_dependencies: [tarball] };
    delete local.minimum_pre_commit_version;

    return local;
  });
  writeFileSync(
    join(project, '.pre-commit-config.yaml'),
    stringify({ repos: [{ repo: 'local', hooks }] }),
  );
  git('add', '.');

  const env = { ...process.env, PRE_COMMIT_HOME: join(scratch, 'pre-commit-home') };
  const result = run('pre-commit', ['run', '--all-files'], project, env);
  // Both hooks fail; the first names only the staged migration, the second both.
  const [changed, all] = result.output.split(/^snowgov \(whole repository\)/m);
  const expectations = [
    [result.status === 1, `pre-commit exited ${result.status}`],
    [/V2__new\.sql:1:\d+ +error +grant-to-user/.test(changed), 'snowgov missed V2'],
    [!/V1__old\.sql/.test(changed), 'snowgov reported the committed V1'],
    [/V1__old\.sql.*grant-to-user/.test(all ?? '') && /V2__new\.sql/.test(all), 'snowgov-all'],
  ];
  const failed = expectations.find(([ok]) => !ok);
  if (failed) throw new Error(`${failed[1]}:\n${result.output}`);
}

try {
  check();
  console.log('PASS');
} catch (error) {
  console.log(`FAIL pre-commit hooks: ${error.message}`);
  process.exitCode = 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
