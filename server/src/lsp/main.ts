/**
 * Entry point of the language server, bundled to `out/server.js`. `ProposedFeatures.all` reads
 * the transport from the command line (`--stdio`, `--node-ipc`, `--socket=N`), so the bundle VS
 * Code starts over IPC is the same one that other editors start over stdio.
 */
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import packageJson from '../../../package.json';
import { allRules } from '../../../rules';
import { createLspLogger, describeError } from './logger';
import { startServer } from './server';

const connection = createConnection(ProposedFeatures.all);
const logger = createLspLogger(connection.console);

// Handlers are guarded one by one; these catch what escapes them (a callback of a library, a
// dropped promise), because a crashed server leaves the editor without findings until reload.
process.on('unhandledRejection', (reason) => {
  logger.error(`Unhandled promise rejection: ${describeError(reason)}`);
});
process.on('uncaughtException', (error) => {
  logger.error(`Uncaught exception: ${describeError(error)}`);
});

startServer(connection, logger, allRules, { name: 'snowgov', version: packageJson.version });
