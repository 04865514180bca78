// @vscode/test-cli configuration: `npx vscode-test` runs test/vscode/*.test.ts (bundled into
// out/test/vscode by test/vscode/build.mjs) inside a VS Code extension host.
//
// Desktop VS Code cannot be downloaded on our machines, so by default `useInstallation` points at
// scripts/code-shim.js, which runs the same tests in code-server's VS Code 1.100.3 with headless
// chromium (see scripts/install-code-server.sh). Where desktop VS Code is reachable, set
// VSCODE_TEST_DESKTOP=1 to let test-cli download and use it instead; VSCODE_EXECUTABLE points at
// any other `code`.
//
// By default the repository is the extension under development. scripts/package-e2e.mjs
// (`npm run test:e2e`) instead installs the packaged .vsix into SNOWGOV_E2E_EXTENSIONS_DIR and
// names a development extension with no code, SNOWGOV_E2E_TESTS_HOST, so that VS Code runs the
// installed snowgov.
import { defineConfig } from '@vscode/test-cli';

const shim = `${import.meta.dirname}/scripts/code-shim.js`;
const installedIn = process.env.SNOWGOV_E2E_EXTENSIONS_DIR;

export default defineConfig({
  files: 'out/test/vscode/**/*.test.js',
  // The example migrations with their snowgov.yaml, opened as the workspace folder.
  workspaceFolder: './examples',
  ...(installedIn
    ? {
        extensionDevelopmentPath: process.env.SNOWGOV_E2E_TESTS_HOST,
        launchArgs: [`--extensions-dir=${installedIn}`],
      }
    : {}),
  ...(process.env.VSCODE_TEST_DESKTOP
    ? {}
    : { useInstallation: { fromPath: process.env.VSCODE_EXECUTABLE || shim } }),
  mocha: { ui: 'bdd', timeout: 60000 },
});
