// Bundles the three entry points (VS Code client, language server, CLI) with esbuild.
// Type checking is separate (`npm run typecheck`) so that a build stays fast.
import { build } from 'esbuild';
import { chmod } from 'node:fs/promises';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  // snowflake-sdk is large and probes the platform when loaded; it stays an ordinary dependency
  // and is required lazily at run time instead of being bundled.
  external: ['vscode', 'snowflake-sdk'],
  // Some dependencies ship ES-module builds that read import.meta.url; in a CommonJS bundle it
  // must come from the bundle's own file name.
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: "var __bundleUrl = require('url').pathToFileURL(__filename).href;" },
};

await Promise.all([
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'out/extension.js' }),
  build({ ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: 'out/server.js' }),
  build({
    ...common,
    entryPoints: ['server/src/cli/main.ts'],
    outfile: 'out/cli.js',
    banner: { js: `#!/usr/bin/env node\n${common.banner.js}` },
  }),
]);
await chmod('out/cli.js', 0o755);
