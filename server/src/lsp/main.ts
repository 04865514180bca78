/**
 * Entry point of the language server, bundled to `out/server.js`. `ProposedFeatures.all` reads
 * the transport from the command line (`--stdio`, `--node-ipc`, `--socket=N`), so the bundle VS
 * Code starts over IPC is the same one that other editors start over stdio.
 */
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { allRules } from '../../../rules';
import packageJson from '../../../package.json';
import { startServer } from './server';

startServer(createConnection(ProposedFeatures.all), allRules, {
  name: 'snowgov',
  version: packageJson.version,
});
