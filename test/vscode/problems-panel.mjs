// UI check in a real VS Code workbench (code-server's 1.100.3 in headless Debian chromium, like
// scripts/code-shim.js): opens ./examples with the extension, opens a migration with a known
// finding, opens the Problems panel and checks that the snowgov finding is listed there with
// its rule code. Saves a screenshot either way, for CI to keep as an artifact.
//
// Prints `PASS` or `FAIL <reason>` (the lines .ci/run counts) and exits non-zero on failure.
//
//   node test/vscode/problems-panel.mjs
// Environment:
//   CODE_SERVER          code-server executable (default: .vscode-test/code-server in the repo)
//   CHROMIUM             browser executable (default /usr/bin/chromium)
//   SNOWGOV_VSIX         install this packaged extension instead of loading the repo as an
//                        extension under development
//   PROBLEMS_PANEL_PNG   where the screenshot goes (default artifacts/problems-panel.png)
//   PROBLEMS_PANEL_TIMEOUT_MS  whole-run limit (default 120000)
/* global fetch */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout } from 'node:timers';
import { chromium } from 'playwright-core';

const repo = resolve(import.meta.dirname, '../..');
const CODE_SERVER =
  process.env.CODE_SERVER || join(repo, '.vscode-test/code-server/node_modules/.bin/code-server');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const SCREENSHOT = resolve(
  process.env.PROBLEMS_PANEL_PNG || join(repo, 'artifacts/problems-panel.png'),
);
const TIMEOUT_MS = Number(process.env.PROBLEMS_PANEL_TIMEOUT_MS || 120_000);
const WORKSPACE = join(repo, 'examples');
const MIGRATION = 'V1.4.0__grants.sql';
// The finding the example is written to produce, and the rule code the panel shows beside it.
const MESSAGE = 'SELECT on TABLE CRM.CORE.CUSTOMERS is granted directly to user JANE_DOE';
const RULE = 'grant-to-user';

const scratch = mkdtempSync(join(tmpdir(), 'snowgov-ui-'));
const dirs = {
  userData: join(scratch, 'user-data'),
  extensions: join(scratch, 'extensions'),
  config: join(scratch, 'code-server.yaml'),
};
// Everything code-server writes stays under the scratch directory, not in $HOME.
const env = {
  ...process.env,
  EXTENSIONS_GALLERY: '{"serviceUrl":""}',
  XDG_DATA_HOME: join(scratch, 'xdg-data'),
  XDG_CONFIG_HOME: join(scratch, 'xdg-config'),
};
const commonArgs = [
  ...['--config', dirs.config, '--user-data-dir', dirs.userData],
  ...['--extensions-dir', dirs.extensions],
];

// A quiet workbench: no prompt about the repository around examples/ covers the panel.
mkdirSync(join(dirs.userData, 'User'), { recursive: true });
writeFileSync(
  join(dirs.userData, 'User/settings.json'),
  JSON.stringify({
    'git.openRepositoryInParentFolders': 'never',
    'workbench.startupEditor': 'none',
    // The web workbench saves edits after a second by default; this check must edit nothing.
    'files.autoSave': 'off',
  }),
);

let server;
let browser;
let page;

async function main() {
  if (process.env.SNOWGOV_VSIX) {
    const installed = spawnSync(
      CODE_SERVER,
      [...commonArgs, '--install-extension', resolve(process.env.SNOWGOV_VSIX)],
      { env, encoding: 'utf8' },
    );
    if (installed.status !== 0) throw new Error(`cannot install the vsix: ${installed.stderr}`);
  }
  const port = await freePort();
  server = spawn(
    CODE_SERVER,
    [
      ...['--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', ...commonArgs],
      ...['--disable-telemetry', '--disable-update-check', '--disable-workspace-trust'],
      '--disable-getting-started-override',
    ],
    // Its own process group, so that one signal also ends the extension host and the server.
    { stdio: 'ignore', detached: true, env },
  );
  const exited = new Promise((_, reject) => {
    server.on('error', (error) =>
      reject(new Error(`cannot start ${CODE_SERVER}: ${error.message}`)),
    );
    server.on('exit', (code) => reject(new Error(`code-server exited early (${code})`)));
  });
  await Promise.race([waitUntilHealthy(port), exited]);

  // Without a vsix, the repository itself is loaded as an extension under development, through
  // the workbench's payload parameter (code-server refuses --extensionDevelopmentPath).
  const payload = process.env.SNOWGOV_VSIX
    ? [['skipWelcome', 'true']]
    : [
        ['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${port}${repo}`],
        ['skipWelcome', 'true'],
      ];
  const url =
    `http://127.0.0.1:${port}/?folder=${encodeURIComponent(WORKSPACE)}` +
    `&payload=${encodeURIComponent(JSON.stringify(payload))}`;

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      ...['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
      ...['--disable-background-networking', '--disable-component-update', '--disable-sync'],
      '--no-first-run',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(url);

  // Open the migration through Quick Open, as a user would.
  await page.locator('.monaco-workbench .part.editor').waitFor({ timeout: 60_000 });
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor();
  await page.keyboard.press('Control+P');
  const quickOpen = page.locator('.quick-input-widget input');
  await quickOpen.waitFor();
  await quickOpen.fill(MIGRATION);
  await page
    .locator('.quick-input-list .monaco-list-row', { hasText: MIGRATION })
    .first()
    .waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.monaco-editor .view-lines', { hasText: 'jane_doe' }).first().waitFor();

  await page.keyboard.press('Control+Shift+M');
  const row = page.locator('.markers-panel .monaco-list-row', { hasText: MESSAGE }).first();
  await row.waitFor({ timeout: 60_000 });
  const text = await row.innerText();
  if (!text.includes(RULE)) throw new Error(`the Problems row lacks the rule code: ${text}`);
  if (!text.includes('snowgov')) throw new Error(`the Problems row lacks the source: ${text}`);
}

function freePort() {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });
}

async function waitUntilHealthy(port) {
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** Ends everything this run started; says whether a screenshot was saved. */
async function cleanUp() {
  let saved = false;
  if (page) {
    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    saved = await page.screenshot({ path: SCREENSHOT }).then(
      () => true,
      () => false,
    );
  }
  await browser?.close().catch(() => {});
  try {
    if (server) process.kill(-server.pid, 'SIGTERM');
  } catch {
    // already gone
  }
  rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
  return saved;
}

const timeout = new Promise((_, reject) =>
  setTimeout(() => reject(new Error(`timed out after ${TIMEOUT_MS} ms`)), TIMEOUT_MS).unref(),
);
// A screenshot left by an earlier run must not pass for this one's.
rmSync(SCREENSHOT, { force: true });
let failure;
try {
  await Promise.race([main(), timeout]);
} catch (error) {
  failure = error instanceof Error ? error.message.split('\n')[0] : String(error);
}
if (await cleanUp()) console.log(`problems panel screenshot: ${SCREENSHOT}`);
console.log(failure ? `FAIL ${failure}` : 'PASS');
process.exit(failure ? 1 : 0);
