/**
 * The API server for bench/sections.ts benchApi, in a process of its own so the load generator
 * does not share its event loop: node --import tsx bench/serve-child.ts <workspace home>.
 * Prints {"url": ...} once listening and serves until SIGTERM.
 */
import { loadConfig } from '../src/config.js';
import { startServer } from '../src/http/server.js';
import { openWorkspace } from '../src/store/workspace.js';

const home = process.argv[2];
if (!home) throw new Error('usage: serve-child.ts <workspace home>');
const ws = await openWorkspace(loadConfig({}, { home }));
const server = await startServer(ws, { port: 0, host: '127.0.0.1' });
process.stdout.write(JSON.stringify({ url: server.url }) + '\n');
// A clean exit on SIGTERM, so `node --cpu-prof` can write its profile of the server.
process.once('SIGTERM', () => {
  // Open keep-alive connections must not keep the bench waiting for this process.
  setTimeout(() => process.exit(0), 2000).unref();
  void server
    .close()
    .then(() => ws.close())
    .finally(() => process.exit(0));
});
