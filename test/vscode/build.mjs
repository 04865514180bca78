// Bundles the extension-host tests (test/vscode/*.test.ts) into plain CommonJS under
// out/test/vscode/: the extension host loads JavaScript only and provides `vscode` itself.
import { build } from 'esbuild';
import { readdirSync } from 'node:fs';

const here = import.meta.dirname;
await build({
  entryPoints: readdirSync(here)
    .filter((name) => name.endsWith('.test.ts'))
    .map((name) => `${here}/${name}`),
  outdir: 'out/test/vscode',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});
