// The `prepare` script: builds the bundles, as `npm run build` does. npm also runs it when it
// installs snowgov from git, for example `npm install -g git+https://…` or pre-commit's node
// support; a global install from git prepares the clone with --global inherited, so the
// devDependencies the build needs are missing (https://github.com/npm/cli/issues/8440). They
// are then installed into the clone first, locally.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function run(command, args) {
  const result = spawnSync(command, args, {
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

try {
  require.resolve('esbuild');
} catch {
  run('npm', [
    'install',
    '--global=false',
    '--prefix',
    process.cwd(),
    '--include=dev',
    '--ignore-scripts',
    '--no-save',
    '--no-audit',
    '--no-fund',
  ]);
}
run(process.execPath, ['scripts/build.mjs']);
