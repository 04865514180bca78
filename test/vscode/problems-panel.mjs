// UI check in a real VS Code workbench (code-server's 1.100.3 in headless Debian chromium, like
// scripts/code-shim.js): opens ./examples with the extension, opens a migration with a known
// finding, opens the Problems panel and checks that the snowgov finding is listed there with
// its rule code, and that the panel lists the findings of closed migrations as well (the
// server's default `snowgov.diagnostics.scope` is the whole workspace). Every wait is for a
// condition, bounded by what is left of the whole run's time. Saves a screenshot of the panel
// for CI to keep as an artifact, or of the failure when the check fails.
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
//   PROBLEMS_PANEL_FAILURE_PNG  where it goes when the check fails
//                        (default artifacts/problems-panel-failure.png)
//   PROBLEMS_PANEL_TIMEOUT_MS  whole-run limit, clean-up included (default 170000)
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
const FAILURE_SCREENSHOT = resolve(
  process.env.PROBLEMS_PANEL_FAILURE_PNG || join(repo, 'artifacts/problems-panel-failure.png'),
);
// Generous for a loaded two-core machine, but the whole check stays within three minutes.
const TIMEOUT_MS = Number(process.env.PROBLEMS_PANEL_TIMEOUT_MS || 170_000);
/** Kept back from every wait for the screenshot and for ending code-server and the browser. */
const CLEANUP_MS = 15_000;
/** How much later than the waits the whole run's own timer fires. */
const BACKSTOP_GRACE_MS = 3_000;
/** How long a shortcut may take to show its target before it is pressed again. */
const RETRY_KEY_MS = 5_000;
/** How long the Problems panel's list of files must stay the same to count as complete. */
const SETTLED_MS = 1_500;
const WORKSPACE = join(repo, 'examples');
const MIGRATION = 'V1.4.0__grants.sql';
// The finding the example is written to produce, and the rule code the panel shows beside it.
const MESSAGE = 'SELECT on TABLE CRM.CORE.CUSTOMERS is granted directly to user JANE_DOE';
const RULE = 'grant-to-user';
// The open migration's group and at least one closed migration's.
const MIN_FILE_GROUPS = 2;

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
    // Room for every file's findings: the list is virtual, so rows scrolled away are not there.
    'workbench.panel.opensMaximized': 'always',
  }),
);

let server;
/** The step under way, for the message when the whole run's time runs out. */
let currentStep = 'the start';
let browser;
let page;

async function main() {
  if (process.env.SNOWGOV_VSIX) {
    const installed = spawnSync(
      CODE_SERVER,
      [...commonArgs, '--install-extension', resolve(process.env.SNOWGOV_VSIX)],
      { env, encoding: 'utf8', timeout: remaining() },
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
  await Promise.race([step('code-server to answer', () => waitUntilHealthy(port)), exited]);

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
    timeout: remaining(),
    args: [
      ...['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
      ...['--disable-background-networking', '--disable-component-update', '--disable-sync'],
      '--no-first-run',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await step('the workbench page to load', () => page.goto(url, { timeout: remaining() }));

  // The workbench is ready for keys once it shows the folder's files in the explorer.
  await step('the workbench', () =>
    page.locator('.monaco-workbench .part.editor').waitFor({ timeout: remaining() }),
  );
  await step('the explorer to list the folder', () =>
    page
      .locator('.explorer-folders-view .monaco-list-row')
      .first()
      .waitFor({ timeout: remaining() }),
  );

  // Open the migration through Quick Open, as a user would.
  const quickOpen = page.locator('.quick-input-widget input');
  await step('Quick Open', () => pressUntilVisible('Control+P', quickOpen));
  await quickOpen.fill(MIGRATION);
  await step(`Quick Open to offer ${MIGRATION}`, () =>
    page
      .locator('.quick-input-list .monaco-list-row', { hasText: MIGRATION })
      .first()
      .waitFor({ timeout: remaining() }),
  );
  await page.keyboard.press('Enter');
  await step(`the editor to show ${MIGRATION}`, () =>
    page
      .locator('.monaco-editor .view-lines', { hasText: 'jane_doe' })
      .first()
      .waitFor({ timeout: remaining() }),
  );
  // The extension's status bar item appears once snowgov is active for the SQL editor.
  await step('the snowgov extension to activate', () =>
    page
      .locator('.statusbar-item', { hasText: 'snowgov:' })
      .first()
      .waitFor({ timeout: remaining() }),
  );

  const panel = page.locator('.markers-panel');
  await step('the Problems panel', () => pressUntilVisible('Control+Shift+M', panel));
  const row = panel.locator('.monaco-list-row', { hasText: MESSAGE }).first();
  await step('the grant-to-user finding in the Problems panel', () =>
    row.waitFor({ timeout: remaining() }),
  );
  const text = await row.innerText();
  if (!text.includes(RULE)) throw new Error(`the Problems row lacks the rule code: ${text}`);
  if (!text.includes('snowgov')) throw new Error(`the Problems row lacks the source: ${text}`);

  // The closed files' findings follow the open file's once the server has judged them all.
  const files = await step('findings of closed files in the Problems panel', () =>
    settledFileGroups(MIN_FILE_GROUPS),
  );
  if (!files.includes(MIGRATION)) {
    throw new Error(`the Problems panel has no group for ${MIGRATION}: ${files.join(', ')}`);
  }
  console.log(`problems panel lists findings of ${files.length} files: ${files.join(', ')}`);
}

/** Runs one step of the check; a failure names the step it happened in. */
async function step(what, action) {
  currentStep = what;
  try {
    return await action();
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new Error(`waiting for ${what}: ${reason}`);
  }
}

/** The time left for the check, less what the clean-up needs. */
function remaining() {
  const left = deadline - Date.now() - CLEANUP_MS;
  if (left <= 0) throw new Error(`out of time (${TIMEOUT_MS} ms)`);
  return left;
}

/**
 * Presses a shortcut until `target` shows: on a loaded machine the workbench can take a key
 * before its keybindings are registered, and a lost key would otherwise wait out the timeout.
 */
async function pressUntilVisible(keys, target) {
  for (;;) {
    await page.keyboard.press(keys);
    try {
      await target.waitFor({ timeout: Math.min(RETRY_KEY_MS, remaining()) });
      return;
    } catch (error) {
      if (remaining() <= RETRY_KEY_MS) throw error;
    }
  }
}

/**
 * The files the Problems panel lists findings for, once there are at least `least` and the list
 * has stopped growing for a moment (the server publishes the closed files one by one).
 */
async function settledFileGroups(least) {
  const group = page.locator('.markers-panel .monaco-list-row .resource-label-container');
  const groups = () => group.locator('.label-name').allInnerTexts();
  await group.nth(least - 1).waitFor({ timeout: remaining() });
  let files = await groups();
  let unchangedSince = Date.now();
  while (Date.now() - unchangedSince < SETTLED_MS) {
    remaining();
    await new Promise((done) => setTimeout(done, 250));
    const now = await groups();
    if (now.join('\n') === files.join('\n')) continue;
    files = now;
    unchangedSince = Date.now();
  }
  return files;
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
    remaining();
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** Ends everything this run started; says where a screenshot was saved, if one was. */
async function cleanUp(failed) {
  let saved;
  if (page) {
    const path = failed ? FAILURE_SCREENSHOT : SCREENSHOT;
    mkdirSync(dirname(path), { recursive: true });
    saved = await page.screenshot({ path, timeout: CLEANUP_MS / 2 }).then(
      () => path,
      () => undefined,
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

const deadline = Date.now() + TIMEOUT_MS;
// A backstop: each wait ends on its own a little earlier, naming what it waited for.
const timeout = new Promise((_, reject) =>
  setTimeout(
    () => reject(new Error(`timed out after ${TIMEOUT_MS} ms waiting for ${currentStep}`)),
    TIMEOUT_MS - CLEANUP_MS + BACKSTOP_GRACE_MS,
  ).unref(),
);
// Screenshots left by an earlier run must not pass for this one's.
rmSync(SCREENSHOT, { force: true });
rmSync(FAILURE_SCREENSHOT, { force: true });
let failure;
try {
  await Promise.race([main(), timeout]);
} catch (error) {
  failure = error instanceof Error ? error.message.split('\n')[0] : String(error);
}
const screenshot = await cleanUp(failure !== undefined);
if (screenshot) console.log(`problems panel screenshot: ${screenshot}`);
console.log(failure ? `FAIL ${failure}` : 'PASS');
process.exit(failure ? 1 : 0);
