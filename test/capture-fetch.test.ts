import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../src/errors.js';
import { blockedReason } from '../src/capture/net/address-policy.js';
import { fetchUrl } from '../src/capture/net/fetch.js';
import type { Resolver } from '../src/capture/net/fetch.js';

let server: Server;
let base: string;
let port: number;
const seenHosts: string[] = [];

function route(req: IncomingMessage, res: ServerResponse): void {
  seenHosts.push(req.headers.host ?? '');
  const url = new URL(req.url ?? '/', 'http://x');
  switch (url.pathname) {
    case '/page':
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'x-test': 'yes' });
      res.end('<html><body>Hello from loopback</body></html>');
      return;
    case '/big': {
      // No content-length: the cap must hold while streaming.
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      let sent = 0;
      const pump = (): void => {
        while (sent < 2 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      pump();
      return;
    }
    case '/slow':
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first bytes...');
      // Never finishes; the fetcher must give up.
      return;
    case '/loop': {
      const n = Number(url.searchParams.get('n') ?? '0');
      res.writeHead(302, { location: `/loop?n=${n + 1}` });
      res.end();
      return;
    }
    case '/hop':
      res.writeHead(301, { location: '/page' });
      res.end();
      return;
    case '/to-metadata':
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' });
      res.end();
      return;
    case '/to-loopback-name':
      res.writeHead(302, { location: `http://internal.example.test:${port}/page` });
      res.end();
      return;
    case '/to-file':
      res.writeHead(302, { location: 'file:///etc/passwd' });
      res.end();
      return;
    default:
      res.writeHead(404);
      res.end('not found');
  }
}

beforeAll(async () => {
  server = createServer(route);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((ok) => server.close(() => ok()));
});

/** A DNS that says every name is this address, and counts how often it is asked. */
function fakeDns(address: string): Resolver & { calls: string[] } {
  const calls: string[] = [];
  const fn = async (host: string): Promise<{ address: string; family: number }[]> => {
    calls.push(host);
    return [{ address, family: address.includes(':') ? 6 : 4 }];
  };
  return Object.assign(fn, { calls });
}

async function failure(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => new Error('expected the fetch to fail'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('fetchUrl with allowPrivateNetwork (loopback server)', () => {
  it('fetches a page and returns what WARC records need', async () => {
    const r = await fetchUrl(`${base}/page?x=1`, { allowPrivateNetwork: true });
    expect(r.status).toBe(200);
    expect(r.body.toString('utf8')).toBe('<html><body>Hello from loopback</body></html>');
    expect(r.headers['x-test']).toBe('yes');
    expect(r.rawHeaders).toContainEqual(['x-test', 'yes']);
    expect(r.ipAddress).toBe('127.0.0.1');
    expect(r.requestLine).toBe('GET /page?x=1 HTTP/1.1');
    expect(r.requestHeaders).toContainEqual(['Host', `127.0.0.1:${port}`]);
    expect(r.url).toBe(`${base}/page?x=1`);
    expect(r.finalUrl).toBe(`${base}/page?x=1`);
    expect(r.redirects).toEqual([]);
    expect(Number.isNaN(Date.parse(r.startedAt))).toBe(false);
  });

  it('follows redirects and records each hop', async () => {
    const r = await fetchUrl(`${base}/hop`, { allowPrivateNetwork: true });
    expect(r.finalUrl).toBe(`${base}/page`);
    expect(r.redirects.map((h) => [h.url, h.status, h.headers['location']])).toEqual([[`${base}/hop`, 301, '/page']]);
  });

  it('connects to the address the resolver gave, without resolving again', async () => {
    const dns = fakeDns('127.0.0.1');
    const r = await fetchUrl(`http://news.example.test:${port}/page`, { allowPrivateNetwork: true, resolver: dns });
    expect(r.status).toBe(200);
    expect(r.ipAddress).toBe('127.0.0.1');
    expect(dns.calls).toEqual(['news.example.test']);
    expect(seenHosts).toContain(`news.example.test:${port}`);
  });

  it('stops a body at the size cap while streaming', async () => {
    const err = await failure(fetchUrl(`${base}/big`, { allowPrivateNetwork: true, maxBytes: 256 * 1024 }));
    expect(err.code).toBe('too_large');
    expect(err.message).toMatch(/262144-byte cap/);
  });

  it('gives up on a server that stops sending (idle) and on the total timeout', async () => {
    const idle = await failure(fetchUrl(`${base}/slow`, { allowPrivateNetwork: true, idleTimeoutMs: 300 }));
    expect(idle.code).toBe('fetch_failed');
    expect(idle.message).toMatch(/No data .* for 300 ms/);
    const started = Date.now();
    const total = await failure(fetchUrl(`${base}/slow`, { allowPrivateNetwork: true, timeoutMs: 400, idleTimeoutMs: 10_000 }));
    expect(total.code).toBe('fetch_failed');
    expect(total.message).toMatch(/longer than 400 ms/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('stops after the redirect limit', async () => {
    const err = await failure(fetchUrl(`${base}/loop`, { allowPrivateNetwork: true, maxRedirects: 3 }));
    expect(err.code).toBe('fetch_failed');
    expect(err.message).toMatch(/redirected more than 3 times/);
    const ten = await failure(fetchUrl(`${base}/loop`, { allowPrivateNetwork: true }));
    expect(ten.message).toMatch(/more than 10 times/);
  });

  it('reports a refused connection as fetch_failed', async () => {
    const err = await failure(fetchUrl('http://127.0.0.1:1/', { allowPrivateNetwork: true }));
    expect(err.code).toBe('fetch_failed');
  });
});

describe('fetchUrl without the opt-in', () => {
  it('refuses a public-looking name that resolves to 127.0.0.1, naming the address and the flag', async () => {
    const err = await failure(fetchUrl(`http://news.example.test:${port}/page`, { resolver: fakeDns('127.0.0.1') }));
    expect(err.code).toBe('blocked_address');
    expect(err.message).toMatch(/news\.example\.test \(resolves to 127\.0\.0\.1\) is a loopback address/);
    expect(err.message).toMatch(/--allow-private-network/);
  });

  it('refuses loopback and cloud-metadata literals', async () => {
    expect((await failure(fetchUrl(`${base}/page`))).code).toBe('blocked_address');
    const meta = await failure(fetchUrl('http://169.254.169.254/latest/meta-data/'));
    expect(meta.code).toBe('blocked_address');
    expect(meta.message).toMatch(/cloud-metadata/);
    expect((await failure(fetchUrl(`http://[::1]:${port}/page`))).code).toBe('blocked_address');
    expect((await failure(fetchUrl(`http://[::ffff:127.0.0.1]:${port}/page`))).code).toBe('blocked_address');
    // WHATWG URL parsing turns this decimal form into 127.0.0.1 before the check.
    expect((await failure(fetchUrl(`http://2130706433:${port}/page`))).code).toBe('blocked_address');
  });

  it('refuses a name resolving to the metadata address', async () => {
    const err = await failure(fetchUrl('http://metadata.example.test/', { resolver: fakeDns('169.254.169.254') }));
    expect(err.code).toBe('blocked_address');
  });

  it('refuses a redirect to a private address, checked again on every hop', async () => {
    // The loopback server stands in for a public site: only its exact address is allowed.
    const opts = { allowAddresses: ['127.0.0.1'], resolver: fakeDns('10.0.0.5') };
    expect((await fetchUrl(`${base}/page`, opts)).status).toBe(200);
    const meta = await failure(fetchUrl(`${base}/to-metadata`, opts));
    expect(meta.code).toBe('blocked_address');
    expect(meta.message).toMatch(/169\.254\.169\.254 is a cloud-metadata address/);
    const named = await failure(fetchUrl(`${base}/to-loopback-name`, opts));
    expect(named.code).toBe('blocked_address');
    expect(named.message).toMatch(/internal\.example\.test \(resolves to 10\.0\.0\.5\) is a private address/);
  });

  it('refuses non-http schemes, including via a redirect', async () => {
    const file = await failure(fetchUrl('file:///etc/passwd'));
    expect(file.code).toBe('blocked_address');
    expect(file.message).toMatch(/only http and https/);
    const ftp = await failure(fetchUrl('ftp://example.org/x'));
    expect(ftp.code).toBe('blocked_address');
    const viaRedirect = await failure(fetchUrl(`${base}/to-file`, { allowPrivateNetwork: true }));
    expect(viaRedirect.code).toBe('blocked_address');
    expect(viaRedirect.message).toMatch(/file:\/\/\/etc\/passwd/);
  });

  it('rejects a string that is not a URL', async () => {
    expect((await failure(fetchUrl('not a url'))).code).toBe('invalid_input');
  });
});

describe('blockedReason', () => {
  it('classifies the address ranges that must never be fetched', () => {
    expect(blockedReason('10.0.0.1')).toBe('private');
    expect(blockedReason('172.31.255.255')).toBe('private');
    expect(blockedReason('192.168.1.1')).toBe('private');
    expect(blockedReason('100.64.0.1')).toBe('carrier-grade-nat');
    expect(blockedReason('169.254.10.10')).toBe('link-local');
    expect(blockedReason('169.254.169.254')).toBe('cloud-metadata');
    expect(blockedReason('0.0.0.0')).toBe('unspecified');
    expect(blockedReason('239.1.1.1')).toBe('multicast');
    expect(blockedReason('::')).toBe('unspecified');
    expect(blockedReason('fe80::1')).toBe('link-local');
    expect(blockedReason('fd00::1')).toBe('unique-local');
    expect(blockedReason('::ffff:8.8.8.8')).toBe('ipv4-mapped');
    expect(blockedReason('ff02::1')).toBe('multicast');
  });

  it('lets public unicast addresses through', () => {
    expect(blockedReason('8.8.8.8')).toBeNull();
    expect(blockedReason('172.32.0.1')).toBeNull();
    expect(blockedReason('2606:4700:4700::1111')).toBeNull();
  });
});
