// Runs inside the VS Code extension host (see .vscode-test.mjs). Under `npm run test:e2e`,
// scripts/package-e2e.mjs installs the packaged .vsix and names its extensions folder in
// SNOWGOV_E2E_EXTENSIONS_DIR: then snowgov must come from there, complete without node_modules,
// and not from the repository. In a plain `npm run test:vscode` the repository is the
// extension under development and this test has nothing to check.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

describe('the snowgov extension under test', () => {
  it('is the installed package when the suite runs against the .vsix', function () {
    const extensionsDir = process.env.SNOWGOV_E2E_EXTENSIONS_DIR;
    if (!extensionsDir) this.skip();
    const extension = vscode.extensions.getExtension('snowgov.snowgov');
    assert.ok(extension, 'snowgov.snowgov is not installed');
    const version = (extension.packageJSON as { version: string }).version;
    assert.equal(extension.extensionPath, path.join(extensionsDir, `snowgov.snowgov-${version}`));
    for (const bundle of ['extension.js', 'server.js', 'snowflake-driver.js']) {
      assert.ok(existsSync(path.join(extension.extensionPath, 'out', bundle)), bundle);
    }
    assert.ok(!existsSync(path.join(extension.extensionPath, 'node_modules')));
  });
});
