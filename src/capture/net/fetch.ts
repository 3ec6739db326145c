import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import http from 'node:http';
import type { IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { LookupFunction } from 'node:net';
import { AppError } from '../../errors.js';
import { blockedReason } from './address-policy.js';

/** Resolves a host name to its addresses; injectable so tests can simulate any DNS answer offline. */
export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

export interface FetchOptions {
  /** Allow private, loopback, link-local and other non-public targets (`--allow-private-network`). */
  allowPrivateNetwork?: boolean;
  /** Exact non-public addresses allowed anyway (an internal mirror), while every other one stays refused. */
  allowAddresses?: readonly string[];
  /** Redirects followed before giving up (default 10). */
  maxRedirects?: number;
  /** Largest body accepted, counted while streaming (default 50 MB). */
  maxBytes?: number;
  /** Time for the whole fetch including redirects, in ms (default 30 s). */
  timeoutMs?: number;
  /** Longest wait for the next bytes on the socket, in ms (default 10 s). */
  idleTimeoutMs?: number;
  resolver?: Resolver;
  userAgent?: string;
}

/** One HTTP exchange: enough to write WARC request and response records for it. */
export interface FetchHop {
  url: string;
  status: number;
  statusText: string;
  httpVersion: string;
  /** Response headers, lower-cased names. */
  headers: Record<string, string | string[]>;
  /** Response headers as sent, in order, original case. */
  rawHeaders: [string, string][];
  body: Buffer;
  /** The address actually connected to (WARC-IP-Address). */
  ipAddress: string;
  /** e.g. `GET /path?q=1 HTTP/1.1` */
  requestLine: string;
  requestHeaders: [string, string][];
  /** ISO time the request started (WARC-Date). */
  startedAt: string;
}

/** The final exchange of a fetch, the URL first asked for, and every redirect hop before it. */
export interface FetchResult extends Omit<FetchHop, 'url'> {
  url: string;
  finalUrl: string;
  redirects: FetchHop[];
}

export const FETCH_DEFAULTS = Object.freeze({
  maxRedirects: 10,
  maxBytes: 50_000_000,
  timeoutMs: 30_000,
  idleTimeoutMs: 10_000,
  userAgent: 'claimtrace/0.1 (evidence capture)',
});

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

const systemResolver: Resolver = async (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

function parseTarget(raw: string | URL): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError('invalid_input', `Not a valid URL: ${String(raw)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AppError('blocked_address', `Refused to fetch ${url.href}: only http and https URLs can be fetched`, {
      url: url.href,
      reason: 'scheme',
    });
  }
  return url;
}

function refuse(url: URL, host: string, address: string, reason: string): AppError {
  const via = host === address ? address : `${host} (resolves to ${address})`;
  return new AppError(
    'blocked_address',
    `Refused to fetch ${url.href}: ${via} is a ${reason} address. Pass --allow-private-network (allowPrivateNetwork) to allow private, loopback and link-local targets.`,
    { url: url.href, host, address, reason },
  );
}

/** Resolves the URL's host once and picks the address to connect to, refusing non-public ones. */
async function pickAddress(url: URL, opts: FetchOptions): Promise<LookupAddress> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let candidates: { address: string; family: number }[];
  if (isIP(host) !== 0) {
    candidates = [{ address: host, family: isIP(host) }];
  } else {
    try {
      candidates = await (opts.resolver ?? systemResolver)(host);
    } catch (err) {
      throw new AppError('fetch_failed', `Could not resolve ${host}: ${err instanceof Error ? err.message : String(err)}`, { url: url.href });
    }
  }
  const first = candidates[0];
  if (!first) throw new AppError('fetch_failed', `Could not resolve ${host}: no addresses`, { url: url.href });
  if (opts.allowPrivateNetwork) return first;
  const allowed = candidates.find((c) => refusalOf(c.address, opts) === null);
  if (!allowed) throw refuse(url, host, first.address, refusalOf(first.address, opts) ?? 'non-public');
  return allowed;
}

function refusalOf(address: string, opts: FetchOptions): string | null {
  if (opts.allowPrivateNetwork || opts.allowAddresses?.includes(address)) return null;
  return blockedReason(address);
}

/** A lookup that answers with the one address already checked, so nothing can re-resolve in between. */
function pinnedLookup(target: LookupAddress): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [target]);
    else callback(null, target.address, target.family);
  };
}

function headerPairs(raw: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i] ?? '', raw[i + 1] ?? '']);
  return out;
}

function headerRecord(res: IncomingMessage): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) out[k] = v;
  return out;
}

interface HopContext {
  opts: FetchOptions;
  maxBytes: number;
  idleTimeoutMs: number;
  /** Aborts the hop in flight when the total timeout fires. */
  signal: AbortSignal;
}

function requestOnce(url: URL, target: LookupAddress, ctx: HopContext): Promise<FetchHop> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const path = `${url.pathname}${url.search}`;
  const requestHeaders: [string, string][] = [
    ['Host', url.host],
    ['User-Agent', ctx.opts.userAgent ?? FETCH_DEFAULTS.userAgent],
    ['Accept', '*/*'],
    // Identity keeps the stored body byte-identical to what the server sent.
    ['Accept-Encoding', 'identity'],
    ['Connection', 'close'],
  ];
  const startedAt = new Date().toISOString();
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise<FetchHop>((resolve, reject) => {
    let done = false;
    const fail = (err: AppError): void => {
      if (done) return;
      done = true;
      req.destroy();
      reject(err);
    };
    const req = mod.request({
      protocol: url.protocol,
      hostname: host,
      port: url.port === '' ? undefined : Number(url.port),
      path,
      method: 'GET',
      headers: Object.fromEntries(requestHeaders),
      setHost: false,
      agent: false,
      lookup: pinnedLookup(target),
      ...(url.protocol === 'https:' && isIP(host) === 0 ? { servername: host } : {}),
      signal: ctx.signal,
    });
    req.setTimeout(ctx.idleTimeoutMs, () =>
      fail(new AppError('fetch_failed', `No data from ${url.href} for ${ctx.idleTimeoutMs} ms; gave up`, { url: url.href })),
    );
    req.on('error', (err) => {
      if (ctx.signal.aborted) return fail(ctx.signal.reason as AppError);
      fail(new AppError('fetch_failed', `Fetching ${url.href} failed: ${err.message}`, { url: url.href }));
    });
    req.on('response', (res) => {
      const remote = res.socket.remoteAddress ?? target.address;
      // Belt and braces: the socket must be connected to the address that passed the check.
      const refusal = refusalOf(remote, ctx.opts);
      if (refusal !== null) return fail(refuse(url, host, remote, refusal));
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > ctx.maxBytes) {
        return fail(new AppError('too_large', `${url.href} declares ${declared} bytes, over the ${ctx.maxBytes}-byte cap`, { url: url.href }));
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > ctx.maxBytes) {
          fail(new AppError('too_large', `${url.href} sent more than the ${ctx.maxBytes}-byte cap`, { url: url.href }));
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', (err) => fail(new AppError('fetch_failed', `Reading ${url.href} failed: ${err.message}`, { url: url.href })));
      res.on('end', () => {
        if (done) return;
        if (!res.complete) {
          return fail(new AppError('fetch_failed', `${url.href} closed the connection before the body was complete`, { url: url.href }));
        }
        done = true;
        resolve({
          url: url.href,
          status: res.statusCode ?? 0,
          statusText: res.statusMessage ?? '',
          httpVersion: res.httpVersion,
          headers: headerRecord(res),
          rawHeaders: headerPairs(res.rawHeaders),
          body: Buffer.concat(chunks, size),
          ipAddress: remote,
          requestLine: `GET ${path} HTTP/1.1`,
          requestHeaders,
          startedAt,
        });
      });
    });
    req.end();
  });
}

/**
 * Fetches a URL over http(s) without letting it reach private networks: the host is resolved once,
 * every address is checked (private, loopback, link-local, unique-local, CGNAT, multicast,
 * unspecified, IPv4-mapped, cloud metadata) and the socket connects to that exact address; each
 * redirect (at most `maxRedirects`) is checked the same way. The body is capped while streaming.
 * Throws AppError `blocked_address`, `too_large`, `fetch_failed` or `invalid_input`.
 */
export async function fetchUrl(input: string | URL, opts: FetchOptions = {}): Promise<FetchResult> {
  const maxRedirects = opts.maxRedirects ?? FETCH_DEFAULTS.maxRedirects;
  const timeoutMs = opts.timeoutMs ?? FETCH_DEFAULTS.timeoutMs;
  const first = parseTarget(input);
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new AppError('fetch_failed', `Fetching ${first.href} took longer than ${timeoutMs} ms; gave up`, { url: first.href })),
    timeoutMs,
  );
  const ctx: HopContext = {
    opts,
    maxBytes: opts.maxBytes ?? FETCH_DEFAULTS.maxBytes,
    idleTimeoutMs: opts.idleTimeoutMs ?? FETCH_DEFAULTS.idleTimeoutMs,
    signal: controller.signal,
  };
  const aborted = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason as AppError), { once: true });
  });
  aborted.catch(() => undefined);
  try {
    const redirects: FetchHop[] = [];
    let url = first;
    for (;;) {
      const target = await Promise.race([pickAddress(url, opts), aborted]);
      const hop = await Promise.race([requestOnce(url, target, ctx), aborted]);
      const location = hop.headers['location'];
      if (!REDIRECTS.has(hop.status) || typeof location !== 'string') {
        const { url: finalUrl, ...rest } = hop;
        return { ...rest, url: first.href, finalUrl, redirects };
      }
      if (redirects.length >= maxRedirects) {
        throw new AppError('fetch_failed', `${first.href} redirected more than ${maxRedirects} times; gave up`, { url: first.href });
      }
      redirects.push(hop);
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new AppError('fetch_failed', `${url.href} redirected to an invalid URL: ${location}`, { url: url.href });
      }
      url = parseTarget(next);
    }
  } finally {
    clearTimeout(timer);
  }
}
