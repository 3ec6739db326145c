import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { iterateRecords } from '../src/capture/warc.js';
import { tempDir } from './support/databases.js';
import { PROJECT_ROOT } from './support/shared.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The built CLI in a child process, without blocking this process: the test server must answer it. */
function cliAsync(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'claimtrace.js'), ...args], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', TZ: 'UTC', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** Pages the loopback server serves; tests change them to simulate an edited page. */
const pages = new Map<string, { type: string; body: string }>();
let server: Server;
let base: string;

const ARTICLE = (sentence: string) =>
  `<!doctype html><html><head><title>Statement</title><meta name="author" content="Larkfield Sensors"></head><body><article><h1>Statement on supplier rumours</h1><p>${sentence}</p><p>We publish our supplier audit every year.</p></article></body></html>`;

const FEED = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Larkfield Newsroom (fictional)</title><link>BASE/</link>
<item><title>Audit published</title><link>BASE/news/audit</link><guid>n-1</guid><pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate><description>Larkfield Sensors published its supplier audit.</description></item>
<item><title>No restriction listing</title><link>/news/listing</link><guid>n-2</guid><pubDate>Wed, 06 Mar 2024 10:00:00 GMT</pubDate><description>Larkfield Sensors is not on any government restriction list.</description></item>
</channel></rss>`;

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (path === '/moved') {
      res.writeHead(302, { Location: '/statement' });
      res.end();
      return;
    }
    if (path === '/to-private') {
      res.writeHead(302, { Location: 'http://10.1.2.3/internal' });
      res.end();
      return;
    }
    if (path === '/to-metadata') {
      res.writeHead(301, { Location: 'http://169.254.169.254/latest/meta-data/' });
      res.end();
      return;
    }
    const page = pages.get(path);
    if (!page) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': page.type });
    res.end(page.body);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((ok) => server.close(() => ok()));
});

describe('URL capture, feeds and recapture on a loopback server', () => {
  let home: string;
  const run = (args: string[], env: Record<string, string> = {}) => cliAsync(['--workspace', home, ...args], env);
  const json = <T>(r: Run): T => JSON.parse(r.stdout) as T;
  const show = async (id: string) =>
    json<{ id: string; location: string; url: string | null; title: string | null; sha256: string; text: string | null; parentId: string | null; captures: { id: string; warcFile: string; recordId: string; requestRecordId: string | null; ipAddress: string | null; httpStatus: number | null; sha256: string; payloadDigest: string | null }[] }>(
      await run(['documents', 'show', id, '--json']),
    );

  beforeEach(async () => {
    home = join(tempDir(), 'ws');
    pages.clear();
    pages.set('/statement', { type: 'text/html; charset=utf-8', body: ARTICLE('Larkfield Sensors is not on any government restriction list.') });
    pages.set('/feed.xml', { type: 'application/rss+xml', body: FEED.replaceAll('BASE', base) });
    expect((await run(['init'])).code).toBe(0);
  });

  it('captures a URL through a redirect with request and response WARC records for every hop', async () => {
    const r = await run(['ingest', '--json', '--no-process', '--allow-private-network', `${base}/moved`]);
    expect(r.code, r.stderr).toBe(0);
    const [result] = json<{ status: string; documentId: string }[]>(r);
    expect(result?.status).toBe('stored');
    const doc = await show(result!.documentId);
    expect(doc.location).toBe(`${base}/moved`);
    expect(doc.url).toBe(`${base}/statement`);
    expect(doc.title).toBe('Statement');
    expect(doc.text).toContain('Larkfield Sensors is not on any government restriction list.');
    const body = Buffer.from(pages.get('/statement')!.body, 'utf8');
    expect(doc.sha256).toBe(sha256(body));
    const [cap] = doc.captures;
    expect(cap).toMatchObject({ ipAddress: '127.0.0.1', httpStatus: 200, sha256: sha256(body), payloadDigest: `sha256:${sha256(body)}` });

    const records = [...iterateRecords(readFileSync(join(home, cap!.warcFile)))];
    const byId = new Map(records.map((x) => [x.headers.get('warc-record-id'), x]));
    const types = records.map((x) => `${x.headers.get('warc-type')} ${x.headers.get('warc-target-uri') ?? ''}`.trim());
    expect(types).toEqual([
      'warcinfo',
      `request ${base}/moved`,
      `response ${base}/moved`,
      `request ${base}/statement`,
      `response ${base}/statement`,
      `conversion ${base}/statement`,
    ]);
    for (const rec of records.filter((x) => ['request', 'response'].includes(x.headers.get('warc-type') ?? ''))) {
      expect(rec.headers.get('warc-ip-address')).toBe('127.0.0.1');
      const other = byId.get(rec.headers.get('warc-concurrent-to'));
      expect(other?.headers.get('warc-concurrent-to')).toBe(rec.headers.get('warc-record-id'));
    }
    const response = byId.get(cap!.recordId)!;
    expect(response.headers.get('warc-type')).toBe('response');
    expect(response.block.toString('latin1')).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    // The payload digest covers the body only; the block digest covers status line, headers and body.
    expect(response.headers.get('warc-payload-digest')).toBe(`sha256:${sha256(body)}`);
    expect(response.headers.get('warc-block-digest')).toBe(`sha256:${sha256(response.block)}`);
    expect(byId.get(cap!.requestRecordId ?? undefined)?.block.toString('latin1')).toMatch(/^GET \/statement HTTP\/1\.1\r\n/);
    expect(records[2]!.block.toString('latin1')).toMatch(/^HTTP\/1\.1 302 Found\r\n[\s\S]*Location: \/statement/);

    const verify = await run(['evidence', 'verify', '--json']);
    expect(verify.code, verify.stdout).toBe(0);
  });

  it('captures a feed served over HTTP and each of its items', async () => {
    const r = await run(['ingest', '--json', '--no-process', '--allow-private-network', `${base}/feed.xml`]);
    expect(r.code, r.stderr).toBe(0);
    const results = json<{ status: string; documentId: string; location: string; parentId?: string | null }[]>(r);
    expect(results.map((x) => x.status)).toEqual(['stored', 'stored', 'stored']);
    const feedId = results[0]!.documentId;
    expect(results.slice(1).map((x) => x.location)).toEqual([`${base}/news/audit`, `${base}/news/listing`]);
    const item = await show(results[2]!.documentId);
    expect(item.parentId).toBe(feedId);
    expect(item.text).toBe('Larkfield Sensors is not on any government restriction list.');
    expect((await show(feedId)).captures[0]?.httpStatus).toBe(200);
    expect((await run(['evidence', 'verify'])).code).toBe(0);
  });

  it('refuses loopback without the opt-in, and a redirect to a private address even when the first host is allowed', async () => {
    const plain = await run(['ingest', '--json', '--no-process', `${base}/statement`]);
    expect(plain.code).toBe(1);
    expect(json<{ code: string; error: string }[]>(plain)[0]).toMatchObject({ code: 'blocked_address', error: expect.stringMatching(/127\.0\.0\.1 is a loopback address/) });

    // The test-only knob allows exactly 127.0.0.1, so only the redirect target decides.
    const env = { CLAIMTRACE_TEST_ALLOW_ADDRESSES: '127.0.0.1' };
    const r = await run(['ingest', '--json', '--no-process', `${base}/to-private`, `${base}/statement`, `${base}/to-metadata`, `${base}/missing`], env);
    expect(r.code).toBe(1);
    const [toPrivate, page, toMetadata, missing] = json<{ status: string; code: string | null; error: string | null; documentId: string | null }[]>(r);
    // A 404 is captured as evidence of what the server answered, but marked failed.
    expect(missing).toMatchObject({ status: 'failed', code: 'fetch_failed', error: expect.stringMatching(/answered HTTP 404 Not Found/) });
    expect((await show(missing!.documentId!)).captures[0]?.httpStatus).toBe(404);
    expect(toPrivate).toMatchObject({ status: 'failed', code: 'blocked_address', error: expect.stringMatching(/http:\/\/10\.1\.2\.3\/internal: 10\.1\.2\.3 is a private address/) });
    expect(page).toMatchObject({ status: 'stored' });
    expect(toMetadata).toMatchObject({ status: 'failed', code: 'blocked_address', error: expect.stringMatching(/cloud-metadata/) });
  });

  it('recaptures: no change, then a changed page with a diff, and evidence still verifies', async () => {
    const first = await run(['ingest', '--json', '--no-process', '--allow-private-network', `${base}/statement`]);
    const id = json<{ documentId: string }[]>(first)[0]!.documentId;

    const same = await run(['recapture', id, '--allow-private-network', '--json']);
    expect(same.code, same.stderr).toBe(0);
    expect(json<{ status: string; textChanged: boolean; diff: string | null }[]>(same)[0]).toMatchObject({ status: 'unchanged', textChanged: false, diff: null });

    pages.set('/statement', { type: 'text/html; charset=utf-8', body: ARTICLE('Larkfield Sensors has never been on a government restriction list.') });
    const changed = await run(['recapture', '--all', '--allow-private-network']);
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.stdout).toContain('text CHANGED');
    expect(changed.stdout).toMatch(/^\s*-Larkfield Sensors is not on any government restriction list\.$/m);
    expect(changed.stdout).toMatch(/^\s*\+Larkfield Sensors has never been on a government restriction list\.$/m);

    const doc = await show(id);
    expect(doc.captures).toHaveLength(3);
    expect(new Set(doc.captures.map((c) => c.sha256)).size).toBe(2);
    // The document keeps its first capture: claims read from it keep their offsets.
    expect(doc.text).toContain('is not on any government restriction list');
    const verify = await run(['evidence', 'verify', '--json']);
    expect(verify.code, verify.stdout).toBe(0);
    expect(json<{ checked: { captures: number } }>(verify).checked.captures).toBe(3);
    expect(readdirSync(join(home, 'warc')).length).toBe(3);

    // Without the opt-in the recapture is refused like any other fetch.
    const refused = await run(['recapture', id, '--json']);
    expect(refused.code).toBe(1);
    expect(json<{ status: string; code: string }[]>(refused)[0]).toMatchObject({ status: 'failed', code: 'blocked_address' });
  });

  it('refuses to recapture a document that was read from a file', async () => {
    const r = await run(['ingest', '--json', '--no-process', join(PROJECT_ROOT, 'test', 'fixtures', 'formats', 'feed.rss')]);
    const id = json<{ documentId: string }[]>(r)[0]!.documentId;
    const again = await run(['recapture', id, '--json']);
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stderr)).toEqual({ error: { code: 'invalid_input', message: expect.stringMatching(/not fetched from a URL/) } });
  });
});
