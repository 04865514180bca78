// @vscode/test-cli configuration: `npx vscode-test` runs test/vscode/*.test.ts (bundled into
// out/test/vscode by test/vscode/build.mjs) inside a VS Code extension host.
//
// Desktop VS Code cannot be downloaded on our machines, so by default `useInstallation` points at
// scripts/code-shim.js, which runs the same tests in code-server's VS Code 1.100.3 with headless
// chromium (see scripts/install-code-server.sh). Where desktop VS Code is reachable, set
// VSCODE_TEST_DESKTOP=1 to let test-cli download and use it instead; VSCODE_EXECUTABLE points at
// any other `code`.
import { defineConfig } from '@vscode/test-cli';

const shim = `${import.meta.dirname}/scripts/code-shim.js`;

export default defineConfig({
  files: 'out/test/vscode/**/*.test.js',
  // The example migrations with their snowgov.yaml, opened as the workspace folder.
  workspaceFolder: './examples',
  ...(process.env.VSCODE_TEST_DESKTOP
    ? {}
    : { useInstallation: { fromPath: process.env.VSCODE_EXECUTABLE || shim } }),
  mocha: { ui: 'bdd', timeout: 60000 },
});
