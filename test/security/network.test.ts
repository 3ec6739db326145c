import { spawn } from 'node:child_process';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchUrl, type Resolver } from '../../src/capture/net/fetch.js';
import { AppError } from '../../src/errors.js';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/databases.js';
import { PROJECT_ROOT } from '../support/shared.js';
import { recordFigure } from './figures.js';

let server: Server;
let port: number;
let hits: string[] = [];
const drips = new Set<ServerResponse>();
let cases = 0;

/** The built CLI without blocking this process: the loopback server lives in it and must keep serving. */
function cliAsync(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'claimtrace.js'), ...args], { env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', TZ: 'UTC', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

async function failure(p: Promise<unknown>): Promise<AppError> {
  cases++;
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected the fetch to fail');
}

/** A resolver that gives each call the next answer in turn (the last one repeats). */
function rebinding(...answers: string[]): Resolver & { calls: number } {
  const r = Object.assign(
    async () => {
      const a = answers[Math.min(r.calls, answers.length - 1)]!;
      r.calls++;
      return [{ address: a, family: a.includes(':') ? 6 : 4 }];
    },
    { calls: 0 },
  );
  return r;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(`${req.url} from ${req.socket.localAddress}`);
    const url = req.url ?? '/';
    if (url === '/page') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body><p>Loopback page</p></body></html>');
    } else if (url === '/redirect-same-host') {
      res.writeHead(302, { location: `http://news.example.test:${port}/page` }).end();
    } else if (url.startsWith('/to/')) {
      res.writeHead(302, { location: decodeURIComponent(url.slice(4)) }).end();
    } else if (url === '/drip-body') {
      // Slow loris: headers at once, then one byte every 100 ms for ever.
      res.writeHead(200, { 'content-type': 'text/plain' });
      drips.add(res);
      const t = setInterval(() => res.write('x'), 100);
      res.on('close', () => clearInterval(t));
    } else if (url === '/drip-headers') {
      drips.add(res);
      const sock = res.socket!;
      sock.write('HTTP/1.1 200 OK\r\n');
      const t = setInterval(() => sock.write('X-Slow: y\r\n'), 100);
      sock.on('close', () => clearInterval(t));
    } else if (url === '/huge') {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(8 * 1024 * 1024) });
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      let sent = 0;
      const pump = (): void => {
        while (sent < 8 * 1024 * 1024) {
          sent += chunk.byteLength;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    } else if (url === '/huge-chunked') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(64 * 1024, 0x62);
      const t = setInterval(() => res.write(chunk), 1);
      res.on('close', () => clearInterval(t));
    } else if (url === '/length-lie') {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '10' });
      res.end('x'.repeat(3 * 1024 * 1024));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  for (const d of drips) d.destroy();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  recordFigure('network', { cases, result: 'every SSRF attempt refused before connecting; slow, endless and oversized responses stopped' });
});

describe('SSRF: address literals and encodings', () => {
  const literals = [
    `http://[::1]:PORT/page`,
    `http://[::ffff:127.0.0.1]:PORT/page`,
    `http://[::ffff:7f00:1]:PORT/page`,
    `http://[0:0:0:0:0:ffff:127.0.0.1]:PORT/page`,
    `http://[::]:PORT/page`,
    `http://[fe80::1]:PORT/page`,
    `http://[fd00::1]:PORT/page`,
    `http://[64:ff9b::7f00:1]:PORT/page`,
    `http://[2002:7f00:1::]:PORT/page`,
    `http://[::ffff:169.254.169.254]/latest/meta-data/`,
    `http://127.1:PORT/page`,
    `http://2130706433:PORT/page`,
    `http://0x7f.0.0.1:PORT/page`,
    `http://017700000001:PORT/page`,
    `http://0.0.0.0:PORT/page`,
    `http://localhost.:PORT/page`,
    `http://100.64.0.1/`,
    `http://192.168.1.1/`,
    `http://[fc00::1]/`,
  ];
  it('refuses IPv6 loopback, IPv4-mapped, translated and odd IPv4 spellings of private addresses', async () => {
    hits = [];
    for (const lit of literals) {
      const url = lit.replace('PORT', String(port));
      const err = await failure(fetchUrl(url, { resolver: rebinding('127.0.0.1'), timeoutMs: 3000 }));
      expect(err.code, `${url}: ${err.message}`).toBe('blocked_address');
      expect(err.message).toMatch(/--allow-private-network/);
    }
    expect(hits, 'no request may reach the server').toEqual([]);
  });

  it('refuses non-http schemes', async () => {
    for (const url of ['file:///etc/passwd', 'ftp://127.0.0.1/', 'gopher://127.0.0.1:70/', 'data:text/html,hi', 'javascript:alert(1)', 'ws://127.0.0.1/', 'dict://127.0.0.1:11211/']) {
      const err = await failure(fetchUrl(url, { allowPrivateNetwork: true }));
      expect(err.code, url).toBe('blocked_address');
    }
  });
});

describe('SSRF: DNS rebinding and redirects', () => {
  it('resolves once per hop and connects to the address it checked', async () => {
    hits = [];
    // Checked answer is the allowed loopback; a second lookup would say the metadata address.
    const dns = rebinding('127.0.0.1', '169.254.169.254');
    const r = await fetchUrl(`http://news.example.test:${port}/page`, { allowAddresses: ['127.0.0.1'], resolver: dns });
    cases++;
    expect(r.status).toBe(200);
    expect(r.ipAddress).toBe('127.0.0.1');
    expect(dns.calls).toBe(1);
    expect(hits).toEqual(['/page from 127.0.0.1']);
  });

  it('a name that first resolves private is refused even if a later lookup would be allowed', async () => {
    hits = [];
    const dns = rebinding('10.0.0.5', '127.0.0.1');
    const err = await failure(fetchUrl(`http://news.example.test:${port}/page`, { allowAddresses: ['127.0.0.1'], resolver: dns }));
    expect(err.code).toBe('blocked_address');
    expect(dns.calls).toBe(1);
    expect(hits).toEqual([]);
  });

  it('a redirect back to the same name is checked again, and refused once the name rebinds', async () => {
    hits = [];
    const dns = rebinding('127.0.0.1', '10.0.0.5');
    const err = await failure(fetchUrl(`http://news.example.test:${port}/redirect-same-host`, { allowAddresses: ['127.0.0.1'], resolver: dns }));
    expect(err.code).toBe('blocked_address');
    expect(err.message).toContain('10.0.0.5');
    expect(hits).toEqual(['/redirect-same-host from 127.0.0.1']);
  });

  it('refuses redirects to IPv6 loopback, mapped addresses, metadata and other schemes', async () => {
    for (const target of [`http://[::1]:${port}/page`, `http://[::ffff:127.0.0.1]:${port}/page`, 'http://169.254.169.254/latest/meta-data/', 'file:///etc/passwd', `http://[::ffff:7f00:1]:${port}/page`]) {
      hits = [];
      const err = await failure(fetchUrl(`http://127.0.0.1:${port}/to/${encodeURIComponent(target)}`, { allowAddresses: ['127.0.0.1'] }));
      expect(err.code, target).toBe('blocked_address');
      expect(hits.length, target).toBe(1);
    }
  });
});

describe('slow, endless and oversized responses', () => {
  it('a server dripping body bytes for ever is cut at the total timeout', async () => {
    const t = performance.now();
    const err = await failure(fetchUrl(`http://127.0.0.1:${port}/drip-body`, { allowPrivateNetwork: true, timeoutMs: 1500, idleTimeoutMs: 1000 }));
    expect(err.code).toBe('fetch_failed');
    expect(performance.now() - t).toBeLessThan(15_000);
  });

  it('a server dripping header lines for ever is cut at the total timeout', async () => {
    const err = await failure(fetchUrl(`http://127.0.0.1:${port}/drip-headers`, { allowPrivateNetwork: true, timeoutMs: 1500, idleTimeoutMs: 1000 }));
    expect(err.code).toBe('fetch_failed');
  });

  it('bodies over the cap are refused while streaming, with or without a length, and a lying length is not trusted', async () => {
    for (const path of ['/huge', '/huge-chunked']) {
      const err = await failure(fetchUrl(`http://127.0.0.1:${port}${path}`, { allowPrivateNetwork: true, maxBytes: 1024 * 1024, timeoutMs: 20_000 }));
      expect(err.code, path).toBe('too_large');
    }
    cases++;
    try {
      const r = await fetchUrl(`http://127.0.0.1:${port}/length-lie`, { allowPrivateNetwork: true, maxBytes: 1024 * 1024, timeoutMs: 5000 });
      expect(r.body.byteLength).toBeLessThanOrEqual(1024 * 1024);
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
    }
  });

  it('ingest of a slow-loris URL fails alone with a clear error; the rest of the batch is stored', async () => {
    const dir = tempDir('claimtrace-net-');
    const home = join(dir, 'ws');
    const good = join(dir, 'good.txt');
    writeFileSync(good, 'Norvane Wireless is on the Entity List.\n');
    expect(cli(['--workspace', home, 'init']).code).toBe(0);
    const env = { CLAIMTRACE_FETCH_TIMEOUT_MS: '1500', CLAIMTRACE_TEST_ALLOW_ADDRESSES: '127.0.0.1' };
    const r = await cliAsync(['--workspace', home, 'ingest', `http://127.0.0.1:${port}/drip-body`, `http://127.0.0.1:${port}/huge-chunked`, `http://[::1]:${port}/page`, good, '--no-process', '--json'], { ...env, CLAIMTRACE_MAX_FILE_BYTES: String(1024 * 1024) });
    cases += 3;
    expect(r.code, r.stderr).toBe(1);
    const results = JSON.parse(r.stdout) as { location: string; status: string; code: string | null }[];
    expect(results.map((x) => [x.status, x.code])).toEqual([
      ['failed', 'fetch_failed'],
      ['failed', 'too_large'],
      ['failed', 'blocked_address'],
      ['stored', null],
    ]);
  }, 60_000);
});
