// The extension-host tests against the packaged extension, as users get it: packs the .vsix
// from the current bundles (run `npm run build` first), installs it with
// `code-server --install-extension` into a fresh extensions folder, and runs `npm run
// test:vscode` (.vscode-test.mjs, scripts/code-shim.js) with VS Code loading snowgov from that
// folder. The tests themselves are the development extension's only job: a manifest with no
// code, so that the repository's own package.json is not loaded in place of the installed one.
//
//   node scripts/package-e2e.mjs
// Environment: CODE_SERVER (default .vscode-test/code-server), and whatever test:vscode reads.
// Leaves the package at .vscode-test/snowgov.vsix, for `SNOWGOV_VSIX=… npm run test:vscode-ui`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '..');
const CODE_SERVER =
  process.env.CODE_SERVER || join(repo, '.vscode-test/code-server/node_modules/.bin/code-server');
const vsix = join(repo, '.vscode-test/snowgov.vsix');
const scratch = join(repo, '.vscode-test/installed');
const extensionsDir = join(scratch, 'extensions');
const testsHost = join(scratch, 'tests-host');

function run(command, args, env = process.env) {
  const result = spawnSync(command, args, { cwd: repo, stdio: 'inherit', env });
  if (result.error) throw result.error;
  if (result.status !== 0) process.exit(result.status ?? 1);
}

run(process.execPath, ['scripts/package.mjs', '--no-build', '--out', vsix]);

rmSync(scratch, { recursive: true, force: true });
mkdirSync(extensionsDir, { recursive: true });
mkdirSync(testsHost, { recursive: true });
run(
  CODE_SERVER,
  [
    ...['--config', join(scratch, 'code-server.yaml')],
    ...['--user-data-dir', join(scratch, 'user-data'), '--extensions-dir', extensionsDir],
    ...['--install-extension', vsix],
  ],
  // Like scripts/code-shim.js: nothing lands in $HOME, and no marketplace is asked.
  {
    ...process.env,
    EXTENSIONS_GALLERY: '{"serviceUrl":""}',
    XDG_DATA_HOME: join(scratch, 'xdg-data'),
    XDG_CONFIG_HOME: join(scratch, 'xdg-config'),
  },
);
const installed = readdirSync(extensionsDir).filter((name) => name.startsWith('snowgov.snowgov-'));
if (installed.length !== 1) {
  console.error(`package-e2e: expected one snowgov.snowgov-* in ${extensionsDir}: ${installed}`);
  process.exit(1);
}
console.log(`package-e2e: installed ${installed[0]} into ${extensionsDir}`);

writeFileSync(
  join(testsHost, 'package.json'),
  JSON.stringify(
    {
      name: 'snowgov-tests-host',
      displayName: 'snowgov tests host',
      description: 'Runs the extension-host tests; snowgov itself is the installed .vsix.',
      publisher: 'snowgov',
      version: '0.0.0',
      engines: { vscode: '^1.91.0' },
    },
    null,
    2,
  ),
);

// .vscode-test.mjs reads these; they also reach the tests in the extension host.
run('npm', ['run', 'test:vscode'], {
  ...process.env,
  SNOWGOV_E2E_EXTENSIONS_DIR: extensionsDir,
  SNOWGOV_E2E_TESTS_HOST: testsHost,
});
