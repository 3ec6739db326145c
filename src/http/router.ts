import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { AuditRepo } from '../store/audit-repo.js';
import { hasRole, type ApiToken, type Role } from '../store/tokens-repo.js';
import type { Workspace } from '../store/workspace.js';
import { StampedCache } from './stamped-cache.js';

/** `stamp` is the database change stamp read before the token was checked (null: never reuse). */
/**
 * A handler result that is already the JSON text of its response (assembled from parts kept
 * serialised, e.g. one claim each); sent as is, with the headers c.json would set.
 */
export class JsonText {
  constructor(readonly text: string) {}
}

export type Env = { Variables: { token: ApiToken; stamp: string | null } };
export type HttpMethod = 'get' | 'post' | 'delete';

/**
 * One API route, described as data: the same list registers the handler, enforces the role,
 * writes the audit log and produces the OpenAPI document, so the three cannot drift apart.
 */
export interface RouteSpec {
  operationId: string;
  method: HttpMethod;
  /** Hono-style path under /api/v1, e.g. /claims/:id */
  path: string;
  role: Role;
  summary: string;
  tag: string;
  query?: z.ZodObject;
  /** JSON request body. */
  body?: z.ZodType;
  /** The route also (or only) takes a multipart upload with a `file` part. */
  upload?: boolean;
  /** Case files are audited on every read; writes are always audited. */
  auditRead?: boolean;
  /** The target type recorded in the audit log. */
  target?: string;
  /** Response is a file rather than JSON. */
  binary?: boolean;
  /** The media types a binary response comes in (default application/octet-stream). */
  contentTypes?: readonly string[];
  paginated?: boolean;
  /**
   * The JSON response depends only on the database, the path and the validated query (never on
   * the token), so it is reused while the database is unchanged. Not for audited reads.
   */
  cacheable?: boolean;
}

export interface HandlerInput {
  c: Context<Env>;
  ws: Workspace;
  token: ApiToken;
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
  /** Adds details to the audit entry of this request. */
  note(details: Record<string, unknown>): void;
}

export type Handler = (input: HandlerInput) => Promise<unknown>;

export interface Route {
  spec: RouteSpec;
  handler: Handler;
}

/** Query parameters every list route takes. */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/** Cuts a full result list into the requested page; `total` is the size before cutting. */
export function paginate<T>(all: readonly T[], query: Record<string, unknown>): Page<T> {
  const limit = Number(query['limit'] ?? 50);
  const offset = Number(query['offset'] ?? 0);
  return { items: all.slice(offset, offset + limit), total: all.length, limit, offset };
}

/** The user name written to the audit log: the token's name and id, never its secret. */
export function auditUser(token: ApiToken): string {
  return `token:${token.name}(${token.id})`;
}

function invalid(err: z.ZodError, where: string): AppError {
  const problems = err.issues.map((i) => `${[where, ...i.path].join('.')}: ${i.message}`).join('; ');
  return new AppError('invalid_input', `invalid request: ${problems}`);
}

/** Registers a route on the app with its role check, validation and audit entry. */
export function mount(app: Hono<Env>, ws: Workspace, route: Route): void {
  const { spec, handler } = route;
  const audit = new AuditRepo(ws.db, ws.id);
  if (spec.cacheable && (spec.method !== 'get' || spec.auditRead || spec.binary)) throw new Error(`route ${spec.operationId}: only unaudited JSON reads may be cacheable`);
  const cache = spec.cacheable ? new StampedCache() : null;
  app.on(spec.method.toUpperCase(), `/api/v1${spec.path}`, async (c) => {
    const token = c.get('token');
    if (!hasRole(token.role, spec.role)) {
      throw new AppError('forbidden', `this needs the ${spec.role} role or higher; the token "${token.name}" has ${token.role}`);
    }
    const q = spec.query ? spec.query.safeParse(c.req.query()) : { success: true as const, data: {} };
    if (!q.success) throw invalid(q.error, 'query');
    const stamp = c.get('stamp');
    const cacheKey = cache && stamp !== null ? `${c.req.path}?${JSON.stringify(q.data)}` : null;
    if (cacheKey !== null && stamp !== null) {
      const hit = cache!.get(stamp, cacheKey);
      if (hit !== undefined) return c.newResponse(hit, 200, { 'Content-Type': 'application/json' });
    }
    let body: unknown = undefined;
    const contentType = c.req.header('content-type') ?? '';
    if (spec.body && contentType.includes('application/json')) {
      let raw: unknown;
      try {
        raw = await c.req.json();
      } catch {
        throw new AppError('invalid_input', 'the request body is not valid JSON');
      }
      const b = spec.body.safeParse(raw);
      if (!b.success) throw invalid(b.error, 'body');
      body = b.data;
    } else if (spec.body && !spec.upload) {
      throw new AppError('invalid_input', 'send the request body as application/json');
    }
    const details: Record<string, unknown> = {};
    const result = await handler({
      c,
      ws,
      token,
      params: c.req.param() as Record<string, string>,
      query: q.data as Record<string, unknown>,
      body,
      note: (d) => Object.assign(details, d),
    });
    if (spec.method !== 'get' || spec.auditRead) {
      const params = c.req.param() as Record<string, string>;
      const targetId = params['id'] ?? (typeof details['targetId'] === 'string' ? details['targetId'] : null);
      await audit.record(auditUser(token), `api.${spec.operationId}`, spec.target ?? null, targetId, details);
    }
    if (result instanceof Response) return result;
    if (result instanceof JsonText) {
      if (cacheKey !== null && stamp !== null) cache!.set(stamp, cacheKey, result.text);
      return c.newResponse(result.text, 200, { 'Content-Type': 'application/json' });
    }
    if (cacheKey !== null && stamp !== null) {
      // The same bytes and headers c.json would send.
      const body = JSON.stringify(result);
      cache!.set(stamp, cacheKey, body);
      return c.newResponse(body, 200, { 'Content-Type': 'application/json' });
    }
    return c.json(result as object, spec.method === 'post' ? 201 : 200);
  });
}
