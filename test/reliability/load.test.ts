import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { count, recordFigure } from '../security/figures.js';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/databases.js';
import { PROJECT_ROOT } from '../support/shared.js';

const EXAMPLE = join(PROJECT_ROOT, 'examples', 'example-case');
const REQUESTS = count(3000, 30_000);
const CONCURRENCY = 20;
const children: ChildProcess[] = [];

function start(args: string[]): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'claimtrace.js'), ...args], { env: { PATH: process.env['PATH'] ?? '', HOME: '/tmp', TZ: 'UTC' } });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: () => out, exited: new Promise((r) => child.on('exit', (code) => r(code))) };
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

// Asserts errors and memory only; latency belongs to the bench.
it(`the server answers ${REQUESTS} requests (concurrency ${CONCURRENCY}) without an error while an ingest writes, with bounded memory`, async () => {
  const dir = tempDir('claimtrace-load-');
  const home = join(dir, 'ws');
  for (const args of [['init'], ['actor', 'import-registry', join(EXAMPLE, 'case.json')], ['ingest', join(EXAMPLE, 'posts.jsonl'), '--manifest', join(EXAMPLE, 'manifest.jsonl')]]) {
    const r = cli(['--workspace', home, ...args]);
    expect(r.code, r.stderr).toBe(0);
  }
  const notes = join(dir, 'notes');
  mkdirSync(notes);
  for (let i = 0; i < count(300, 3000); i++) writeFileSync(join(notes, `n${i}.txt`), `Note ${i}: Norvane Wireless is on the Entity List, a reader wrote on 2024-03-${String((i % 28) + 1).padStart(2, '0')}.\n`);

  const port = 20000 + Math.floor(Math.random() * 20000);
  const server = start(['--workspace', home, 'serve', '--port', String(port)]);
  for (let i = 0; i < 200 && !/admin token/.test(server.output()); i++) await new Promise((r) => setTimeout(r, 100));
  const token = /admin token \(shown once, keep it private\): (\S+)/.exec(server.output())?.[1];
  expect(token, server.output()).toBeDefined();
  const base = `http://127.0.0.1:${port}/api/v1`;
  const headers = { authorization: `Bearer ${token}` };
  const paths = ['/me', '/claims?limit=50', '/documents?limit=50', '/overview', '/reviews/queue', '/narratives', '/lists', '/claims?q=Entity'];

  const statuses = new Map<string, number>();
  const errors: string[] = [];
  let sent = 0;
  let baseline = 0;
  let peak = 0;
  let ingest: ReturnType<typeof start> | null = null;
  const worker = async (): Promise<void> => {
    while (sent < REQUESTS) {
      const n = sent++;
      if (n === Math.floor(REQUESTS / 10)) {
        baseline = rssMb(server.child.pid!);
        ingest = start(['--workspace', home, 'ingest', notes, '--json']);
      }
      if (n % 100 === 0) peak = Math.max(peak, rssMb(server.child.pid!));
      try {
        const res = await fetch(base + paths[n % paths.length]!, { headers });
        await res.arrayBuffer();
        const key = String(res.status);
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
        if (res.status !== 200) errors.push(`${paths[n % paths.length]} -> ${res.status}`);
      } catch (err) {
        errors.push(`${paths[n % paths.length]} -> ${String(err)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const end = rssMb(server.child.pid!);
  const ingestCode = ingest ? await (ingest as ReturnType<typeof start>).exited : null;
  const figures = { requests: sent, concurrency: CONCURRENCY, errors: errors.length, statuses: Object.fromEntries(statuses), rssBaselineMb: Math.round(baseline), rssPeakMb: Math.round(peak), rssEndMb: Math.round(end), ingestExit: ingestCode };
  recordFigure('load', figures);
  expect(errors.slice(0, 10)).toEqual([]);
  expect(ingestCode, 'the ingest running beside the load').toBe(0);
  expect(server.output()).not.toMatch(/unexpected error/);
  // Bounded memory: the server may grow while warming caches, not without limit.
  expect(end - baseline, JSON.stringify(figures)).toBeLessThan(200);
  server.child.kill('SIGTERM');
  await server.exited;
}, count(300_000, 1_800_000));
