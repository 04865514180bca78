// `npm run package`: builds the bundles and packs the VS Code extension into
// snowgov-<version>.vsix with @vscode/vsce. Everything the extension runs is bundled into out/
// (scripts/build.mjs), so the package carries no node_modules (--no-dependencies), and
// .vscodeignore lists exactly what goes in.
//
//   node scripts/package.mjs [--out DIR_OR_FILE] [--no-build]
import { createVSIX } from '@vscode/vsce';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

/** The Marketplace accepts more, but issue #7 asks for a package that stays small. */
const MAX_VSIX_BYTES = 25 * 1024 * 1024;

const { values } = parseArgs({
  options: { out: { type: 'string' }, 'no-build': { type: 'boolean', default: false } },
});

if (!values['no-build']) {
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
const fileName = `${manifest.name}-${manifest.version}.vsix`;
const packagePath =
  values.out === undefined
    ? fileName
    : existsSync(values.out) && statSync(values.out).isDirectory()
      ? join(values.out, fileName)
      : values.out;
await createVSIX({
  dependencies: false,
  // Relative links in README.md (rule docs, docs/) resolve against package.json's repository.
  packagePath,
});

const bytes = statSync(packagePath).size;
const megabytes = (bytes / 1024 / 1024).toFixed(1);
console.log(`${packagePath}: ${megabytes} MB`);
if (bytes > MAX_VSIX_BYTES) {
  console.error(`The package is larger than ${MAX_VSIX_BYTES / 1024 / 1024} MB.`);
  process.exit(1);
}
