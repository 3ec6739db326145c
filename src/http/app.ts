import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AppError, isAppError } from '../errors.js';
import { changeStamp } from '../store/change-stamp.js';
import { TokensRepo } from '../store/tokens-repo.js';
import type { Workspace } from '../store/workspace.js';
import { openApiDocument } from './openapi.js';
import { mount, type Env, type Route } from './router.js';
import { caseRoutes } from './routes/cases.js';
import { claimRoutes } from './routes/claims.js';
import { documentRoutes } from './routes/documents.js';
import { workspaceRoutes } from './routes/workspace.js';
import { staticFile } from './static.js';

const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where `npm run build:web` writes the dashboard. */
export const WEB_ROOT = join(PACKAGE_ROOT, 'web', 'dist');

/** Every API route; the OpenAPI document and the access tests walk this list. */
export const ROUTES: readonly Route[] = [...workspaceRoutes, ...documentRoutes, ...claimRoutes, ...caseRoutes];

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

// The dashboard renders captured text as text; this policy is the second line: even injected
// markup could not run inline script, load foreign code or send data elsewhere.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

const SECURITY_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ['Content-Security-Policy', CSP],
  ['X-Content-Type-Options', 'nosniff'],
  ['Referrer-Policy', 'no-referrer'],
  ['X-Frame-Options', 'DENY'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
];

function errorBody(err: AppError): { error: { code: string; message: string } } {
  return { error: { code: err.code, message: err.message } };
}

export interface AppOptions {
  /** Folder of the built dashboard; null serves the API only. */
  webRoot?: string | null;
}

/**
 * The HTTP adapter: the JSON API under /api/v1 (bearer tokens, roles, audit) and the dashboard.
 * One error boundary maps AppError to {error:{code,message}} with its status.
 */
export function createApp(ws: Workspace, opts: AppOptions = {}): Hono<Env> {
  const app = new Hono<Env>();
  const tokens = new TokensRepo(ws.db, ws.id);
  const webRoot = opts.webRoot === undefined ? WEB_ROOT : opts.webRoot;
  const openapi = openApiDocument(ROUTES, packageVersion());

  app.onError((err, c) => {
    if (isAppError(err)) return c.json(errorBody(err), err.status as ContentfulStatusCode);
    // Unknown errors are bugs: the client gets no internals, the operator gets the stack.
    console.error('claimtrace serve: unexpected error', err);
    return c.json({ error: { code: 'internal', message: 'unexpected server error (a bug; see the server log)' } }, 500);
  });

  app.use('*', async (c, next) => {
    // Set before the handler runs, so c.json and c.body build the response with them: a header
    // added to a finished response makes the server rebuild it as a stream (most of a small request).
    for (const [name, value] of SECURITY_HEADERS) c.header(name, value);
    await next();
    // A handler may return a Response of its own, which does not carry the prepared headers.
    if (!c.res.headers.has('content-security-policy')) for (const [name, value] of SECURITY_HEADERS) c.header(name, value);
  });

  app.get('/api/v1/openapi.json', (c) => c.json(openapi));

  const limitBody = bodyLimit({
    maxSize: ws.config.limits.maxFileBytes + 1024 * 1024,
    onError: () => {
      throw new AppError('too_large', `the request body is over the ${ws.config.limits.maxFileBytes}-byte limit per file`);
    },
  });
  // HTTP/1.1 has a body only with Content-Length or Transfer-Encoding; the limit looks at the body
  // stream, and merely asking for it builds a full fetch Request, so body-less requests skip it.
  app.use('/api/v1/*', (c, next) =>
    c.req.header('content-length') === undefined && c.req.header('transfer-encoding') === undefined ? next() : limitBody(c, next),
  );

  app.use('/api/v1/*', async (c, next) => {
    c.header('Cache-Control', 'no-store');
    const header = c.req.header('authorization') ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw new AppError('unauthorized', 'send an API token as "Authorization: Bearer TOKEN" (create one with `claimtrace token create`)');
    // Read before the token and any data, so whatever is reused under it is still current.
    const stamp = await changeStamp(ws.store);
    const token = await tokens.authenticate(m[1]!, stamp);
    if (!token) throw new AppError('unauthorized', 'the API token is unknown or revoked');
    c.set('token', token);
    c.set('stamp', stamp);
    await next();
  });

  for (const route of ROUTES) mount(app, ws, route);

  app.all('/api/*', () => {
    throw new AppError('not_found', 'no such API route: see /api/v1/openapi.json');
  });

  app.get('*', (c) => {
    const file = webRoot ? staticFile(webRoot, c.req.path) : null;
    if (!file) return c.text('The dashboard is not built: run `npm run build:web`. The API is at /api/v1 (see /api/v1/openapi.json).', 404);
    c.header('Content-Type', file.type);
    c.header('Cache-Control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    return c.body(new Uint8Array(file.body));
  });

  return app;
}
