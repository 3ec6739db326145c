import { isIP } from 'node:net';
import { serve } from '@hono/node-server';
import { AppError } from '../errors.js';
import { TokensRepo } from '../store/tokens-repo.js';
import type { Workspace } from '../store/workspace.js';
import { createApp, type AppOptions } from './app.js';

export interface ServeOptions extends AppOptions {
  port: number;
  host: string;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1';
  return false;
}

/**
 * Starts the API and dashboard. Every request needs a token; binding beyond loopback is refused
 * while no token exists, so a fresh workspace is never exposed to the network.
 */
export async function startServer(ws: Workspace, opts: ServeOptions): Promise<RunningServer> {
  if (!isLoopback(opts.host) && (await new TokensRepo(ws.db, ws.id).activeCount()) === 0) {
    throw new AppError('forbidden', `refusing to listen on ${opts.host} without authentication: create a token first (claimtrace token create --role admin), or serve on 127.0.0.1`);
  }
  const app = createApp(ws, opts);
  return new Promise((resolvePromise, reject) => {
    const server = serve({ fetch: app.fetch, port: opts.port, hostname: opts.host }, (info) => {
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolvePromise({
        url: `http://${host}:${info.port}/`,
        port: info.port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'EADDRINUSE' ? new AppError('conflict', `port ${opts.port} is in use: pass --port N`) : err);
    });
  });
}
