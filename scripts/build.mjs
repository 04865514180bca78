// Bundles the three entry points (VS Code client, language server, CLI) and the Snowflake driver
// with esbuild, so that the extension and the npm package need no node_modules at run time.
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
  // snowflake-sdk is large and probes the platform when loaded, so it is a bundle of its own
  // (out/snowflake-driver.js, below) that server/src/live/session.ts requires on first use.
  external: ['vscode', 'snowflake-sdk'],
  // Some dependencies ship ES-module builds that read import.meta.url; in a CommonJS bundle it
  // must come from the bundle's own file name.
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: "var __bundleUrl = require('url').pathToFileURL(__filename).href;" },
};

// The driver requires the AWS, Azure and Google SDKs (about 100 MB installed) for PUT/GET file
// transfer, for workload identity federation with those clouds, and for platform detection
// (which session.ts switches off). snowgov only runs SELECT, SHOW and DESCRIBE, so they are
// replaced by a module whose every export throws, naming what is missing, if ever called.
const cloudSdks = /^(@aws-sdk|@aws-crypto|@smithy|@azure)\/|^google-auth-library$/;
const withoutCloudSdks = {
  name: 'without-cloud-sdks',
  setup(esbuild) {
    esbuild.onResolve({ filter: cloudSdks }, ({ path }) => ({ path, namespace: 'cloud-sdk' }));
    esbuild.onLoad({ filter: /.*/, namespace: 'cloud-sdk' }, ({ path }) => ({
      loader: 'js',
      contents: `
        const unavailable = (name) => function () {
          throw new Error(${JSON.stringify(
            `snowgov's bundled Snowflake driver leaves out ${path}: file transfer (PUT/GET) ` +
              'and workload identity federation with AWS, Azure or GCP are not available',
          )} + ' (' + name + ')');
        };
        module.exports = new Proxy({}, {
          get: (_, name) => (name === '__esModule' ? false : unavailable(String(name))),
        });`,
    }));
  },
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
  build({
    ...common,
    entryPoints: ['snowflake-sdk'],
    outfile: 'out/snowflake-driver.js',
    external: [],
    plugins: [withoutCloudSdks],
    // The driver's own source maps would only add megabytes to the package.
    sourcemap: false,
    minify: true,
  }),
]);
await chmod('out/cli.js', 0o755);
