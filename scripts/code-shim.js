#!/usr/bin/env node
/*
 * A stand-in for the `code` executable, for @vscode/test-electron (`vscodeExecutablePath`) and
 * @vscode/test-cli (`useInstallation.fromPath`).
 *
 * Why it exists: desktop VS Code cannot be downloaded on our machines, but code-server ships the
 * real VS Code 1.100.3 server, web workbench and Node extension host. The extension-host tests
 * therefore run there: this script starts code-server on a free loopback port, opens the
 * workbench in headless Debian chromium through playwright-core (which never downloads a
 * browser), and hands the test paths to the workbench through its `payload` URL parameter (the
 * mechanism VS Code's own browser integration tests use; code-server refuses
 * --extensionDevelopmentPath on its command line). The workbench reports test output through
 * `window.codeAutomationLog` and the result through `window.codeAutomationExit(code)`, which we
 * expose from the page and turn into our own stdout and exit code.
 *
 * Arguments understood (the rest of what the test runners pass is desktop-only and ignored):
 *   --extensionDevelopmentPath=P (repeatable)  --extensionTestsPath=P
 *   --user-data-dir=P  --extensions-dir=P  --version  [workspace folder]
 * Environment:
 *   CODE_SERVER                code-server executable (default: .vscode-test/code-server in the repo)
 *   CHROMIUM                   browser executable (default /usr/bin/chromium)
 *   VSCODE_SHIM_TIMEOUT_MS     whole-run limit (default 300000)
 *   VSCODE_SHIM_SCREENSHOT     save a screenshot of the workbench here when the run ends
 *   VSCODE_SHIM_VERBOSE        echo the workbench's console
 */
/* global require, __dirname, setTimeout, fetch */
/* eslint-disable @typescript-eslint/no-require-imports */
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const util = require('node:util');

const repo = path.resolve(__dirname, '..');
const CODE_SERVER =
  process.env.CODE_SERVER ||
  path.join(repo, '.vscode-test/code-server/node_modules/.bin/code-server');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TIMEOUT_MS = Number(process.env.VSCODE_SHIM_TIMEOUT_MS || 300000);

// ---- arguments -------------------------------------------------------------------------------
const developmentPaths = [];
const folders = [];
let testsPath;
let userDataDir;
let extensionsDir;
for (const arg of process.argv.slice(2)) {
  const option = /^--([^=]+)(?:=(.*))?$/.exec(arg);
  if (!option) {
    folders.push(path.resolve(arg));
    continue;
  }
  const [, name, value] = option;
  if (name === 'extensionDevelopmentPath') developmentPaths.push(path.resolve(value));
  else if (name === 'extensionTestsPath') testsPath = path.resolve(value);
  else if (name === 'user-data-dir') userDataDir = path.resolve(value);
  else if (name === 'extensions-dir') extensionsDir = path.resolve(value);
  else if (name === 'version') {
    // Same shape as `code --version`: version, commit, architecture.
    console.log('1.100.3\ncode-server-shim\nx64');
    process.exit(0);
  }
}
if (!testsPath) {
  console.error('code-shim: --extensionTestsPath is required (this stand-in only runs tests)');
  process.exit(64);
}

// Everything code-server writes (settings, logs, heartbeat) goes under one scratch directory,
// next to the user data dir the runner chose, so nothing lands in $HOME.
const scratch = userDataDir
  ? path.dirname(userDataDir)
  : fs.mkdtempSync(path.join(os.tmpdir(), 'code-shim-'));
userDataDir ||= path.join(scratch, 'user-data');
extensionsDir ||= path.join(scratch, 'extensions');
for (const dir of [userDataDir, extensionsDir]) fs.mkdirSync(dir, { recursive: true });
const serverLog = path.join(scratch, 'code-server.log');

const started = Date.now();
const note = (message) =>
  console.error(`[code-shim ${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`);

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

let serverGroup; // pid of code-server's process group, for the last-resort cleanup below

async function main() {
  const port = await freePort();
  const server = spawn(
    CODE_SERVER,
    [
      ...['--bind-addr', `127.0.0.1:${port}`, '--auth', 'none'],
      ...['--config', path.join(scratch, 'code-server.yaml')],
      ...['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir],
      '--disable-telemetry',
      '--disable-update-check',
      // Like desktop test runs: the test workspace is trusted. (A test of untrusted mode would
      // drop this flag and answer the trust prompt.)
      '--disable-workspace-trust',
      '--disable-getting-started-override',
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      // Own process group, so that one signal also ends the extension host and the language
      // servers it started (otherwise they outlive the run).
      detached: true,
      env: {
        ...process.env,
        // No marketplace: open-vsx is not reachable and the tests install nothing.
        EXTENSIONS_GALLERY: process.env.EXTENSIONS_GALLERY || '{"serviceUrl":""}',
        XDG_DATA_HOME: path.join(scratch, 'xdg-data'),
        XDG_CONFIG_HOME: path.join(scratch, 'xdg-config'),
      },
    },
  );
  serverGroup = server.pid;
  const log = fs.createWriteStream(serverLog);
  server.stdout.pipe(log);
  server.stderr.pipe(log);

  let browser;
  let page;
  let finished = false;
  const finish = async (code, reason) => {
    if (finished) return;
    finished = true;
    note(`${reason}; exit ${code}`);
    if (process.env.VSCODE_SHIM_SCREENSHOT && page) {
      await page.screenshot({ path: process.env.VSCODE_SHIM_SCREENSHOT }).catch(() => {});
    }
    await browser?.close().catch(() => {});
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    setTimeout(() => process.exit(code), 300);
  };
  setTimeout(() => void finish(124, `timed out after ${TIMEOUT_MS} ms`), TIMEOUT_MS).unref();
  server.on('error', (error) => void finish(3, `cannot start ${CODE_SERVER}: ${error.message}`));
  server.on(
    'exit',
    (code) => void finish(code || 3, `code-server exited early (log: ${serverLog})`),
  );

  // Wait for the server to answer rather than sleeping a fixed time.
  for (let attempt = 0; !(await healthy(port)); attempt++) {
    if (finished) return;
    if (attempt > 600) return finish(3, `code-server did not answer on port ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  note(`code-server answers on 127.0.0.1:${port}`);

  // Paths in the payload are remote URIs: the extension host runs in the server, not the page.
  const remote = (file) => `vscode-remote://127.0.0.1:${port}${file}`;
  const payload = [
    ...developmentPaths.map((file) => ['extensionDevelopmentPath', remote(file)]),
    ['extensionTestsPath', remote(testsPath)],
    ['skipWelcome', 'true'],
  ];
  const where = folders[0] ? `folder=${encodeURIComponent(folders[0])}` : 'ew=true';
  const url = `http://127.0.0.1:${port}/?${where}&payload=${encodeURIComponent(JSON.stringify(payload))}`;

  const { chromium } = require('playwright-core');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // No sandbox (root in a container), no GPU, nothing that phones home.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (error) => console.error('[workbench error]', error.message));
  if (process.env.VSCODE_SHIM_VERBOSE) {
    page.on('console', (message) => console.error(`[workbench ${message.type()}]`, message.text()));
  }
  // The extension host sends printf-style arguments ('%d passing', 2): format them here.
  await page.exposeFunction('codeAutomationLog', (type, args) =>
    (type === 'error' ? console.error : console.log)(util.format(...args)),
  );
  await page.exposeFunction('codeAutomationExit', (code) => finish(code, 'tests finished'));
  await page.goto(url);
  note('workbench loading');
}

async function healthy(port) {
  try {
    return (await fetch(`http://127.0.0.1:${port}/healthz`)).ok;
  } catch {
    return false;
  }
}

main().catch((error) => {
  console.error('code-shim:', error);
  try {
    if (serverGroup) process.kill(-serverGroup, 'SIGTERM');
  } catch {
    // already gone
  }
  process.exit(1);
});
