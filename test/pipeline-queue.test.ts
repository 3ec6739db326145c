import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeArticle, rng, writeCorpus } from '../bench/corpus.js';
import { importRegistryFile } from '../src/capture/registry-file.js';
import { ingest } from '../src/capture/ingest.js';
import { loadConfig } from '../src/config.js';
import { ClaimsRepo } from '../src/store/claims-repo.js';
import { DocumentsRepo } from '../src/store/documents-repo.js';
import { initWorkspace, openWorkspace, type Workspace } from '../src/store/workspace.js';
import { cli } from './support/cli.js';
import { tempDir } from './support/databases.js';
import { PROJECT_ROOT } from './support/shared.js';

// Runs the BUILT CLI (npm run build first) against the real PostgreSQL of TEST_DATABASE_URL.
const pgUrl = process.env['TEST_DATABASE_URL'];
const CASE = join(PROJECT_ROOT, 'examples', 'example-case', 'case.json');

interface Running {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

function startCli(args: string[], env: Record<string, string>): Running {
  const child = spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'claimtrace.js'), ...args], {
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', TZ: 'UTC', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

function jobLines(stdout: string): { documentId: string; status: string }[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { documentId: string; status: string });
}

async function attempts(ws: Workspace): Promise<Map<string, { status: string; attempts: number }>> {
  const rows = await ws.db
    .selectFrom('document_stages')
    .innerJoin('documents', 'documents.id', 'document_stages.document_id')
    .select(['document_stages.document_id', 'document_stages.status', 'document_stages.attempts'])
    .where('documents.workspace_id', '=', ws.id)
    .where('document_stages.stage', '=', 'claims')
    .execute();
  return new Map(rows.map((r) => [r.document_id, { status: r.status, attempts: Number(r.attempts) }]));
}

/** A PostgreSQL workspace holding the example registry and the given inputs; returns its folder. */
async function prepare(inputs: string[]): Promise<{ home: string; env: Record<string, string> }> {
  const home = join(tempDir(), 'ws');
  const { workspace: ws } = await initWorkspace(loadConfig({ DATABASE_URL: pgUrl }, { home }), 'queue test');
  try {
    await importRegistryFile(ws, CASE);
    const r = await ingest(ws, inputs);
    expect(r.every((x) => x.status === 'stored')).toBe(true);
  } finally {
    await ws.close();
  }
  return { home, env: { DATABASE_URL: pgUrl! } };
}

function suite(): void {
  it('two workers share one queue and process every document exactly once', async () => {
    const corpus = writeCorpus(join(tempDir(), 'corpus'), 60, 40, 21);
    const { home, env } = await prepare([join(corpus.dir, 'articles'), corpus.postsFile!]);
    const q = cli(['--workspace', home, '--json', 'queue'], { env });
    expect(q.code, q.stderr).toBe(0);
    expect(q.json<{ queued: { stage: string; queued: number }[] }>().queued).toEqual([{ stage: 'claims', queued: 100 }]);

    const a = startCli(['--workspace', home, '--json', 'worker', '--concurrency', '2', '--exit-when-idle'], env);
    const b = startCli(['--workspace', home, '--json', 'worker', '--concurrency', '2', '--exit-when-idle'], env);
    const [ra, rb] = await Promise.all([a.done, b.done]);
    expect(ra.code, ra.stderr).toBe(0);
    expect(rb.code, rb.stderr).toBe(0);
    const ja = jobLines(ra.stdout);
    const jb = jobLines(rb.stdout);
    // Both took part, neither took a document the other had.
    expect(ja.length).toBeGreaterThan(0);
    expect(jb.length).toBeGreaterThan(0);
    expect(ja.length + jb.length).toBe(100);
    const seenA = new Set(ja.map((j) => j.documentId));
    expect(jb.filter((j) => seenA.has(j.documentId))).toEqual([]);

    const ws = await openWorkspace(loadConfig({ DATABASE_URL: pgUrl }, { home }));
    try {
      const docs = await new DocumentsRepo(ws.db, ws.id).list();
      expect(docs).toHaveLength(100);
      expect(new Set([...seenA, ...jb.map((j) => j.documentId)])).toEqual(new Set(docs.map((d) => d.id)));
      const st = await attempts(ws);
      for (const d of docs) expect(st.get(d.id)).toEqual({ status: 'ok', attempts: 1 });
      expect((await new ClaimsRepo(ws.db, ws.id).list()).length).toBeGreaterThan(100);
      // Nothing is left to queue.
      const again = cli(['--workspace', home, '--json', 'queue'], { env });
      expect(again.json<{ queued: { queued: number }[] }>().queued[0]!.queued).toBe(0);
    } finally {
      await ws.close();
    }
  }, 180_000);

  it('retries the job of a worker killed mid-job, and it completes', async () => {
    const dir = join(tempDir(), 'corpus');
    const corpus = writeCorpus(dir, 3, 0, 4);
    // About 2 MB of claim-dense text: extraction takes seconds, so the kill lands mid-job.
    const r = rng(9);
    const slowPath = join(dir, 'slow.txt');
    writeFileSync(slowPath, Array.from({ length: 500 }, (_, i) => makeArticle(r, i, 800).body.join('\n\n')).join('\n\n'));
    const { home, env } = await prepare([slowPath, join(corpus.dir, 'articles')]);
    const q = cli(['--workspace', home, 'queue', '--job-timeout', '8'], { env });
    expect(q.code, q.stderr).toBe(0);

    const ws = await openWorkspace(loadConfig({ DATABASE_URL: pgUrl }, { home }));
    try {
      const slow = (await new DocumentsRepo(ws.db, ws.id).list()).find((d) => d.location === slowPath)!;
      const a = startCli(['--workspace', home, '--json', 'worker', '--concurrency', '1'], env);
      const deadline = Date.now() + 30_000;
      while ((await attempts(ws)).get(slow.id)?.status !== 'running') {
        if (Date.now() > deadline) throw new Error('the first worker never started the slow document');
        await new Promise((res) => setTimeout(res, 50));
      }
      a.child.kill('SIGKILL');
      const ra = await a.done;
      expect(ra.signal).toBe('SIGKILL');
      expect(jobLines(ra.stdout).map((j) => j.documentId)).not.toContain(slow.id);

      const b = startCli(['--workspace', home, '--json', 'worker', '--concurrency', '1', '--exit-when-idle', '--maintenance-interval', '1'], env);
      const rb = await b.done;
      expect(rb.code, rb.stderr).toBe(0);
      const jb = jobLines(rb.stdout);
      expect(jb.filter((j) => j.documentId === slow.id)).toEqual([expect.objectContaining({ status: 'ok' })]);
      const st = await attempts(ws);
      // Started twice (the killed run and the retry), finished once.
      expect(st.get(slow.id)).toEqual({ status: 'ok', attempts: 2 });
      expect([...st.values()].every((s) => s.status === 'ok')).toBe(true);
      expect(st.size).toBe(4);
      const claims = await new ClaimsRepo(ws.db, ws.id).list({ documentId: slow.id });
      expect(claims.length).toBeGreaterThan(100);
    } finally {
      await ws.close();
    }
  }, 180_000);
}

if (pgUrl) {
  describe('work queue on PostgreSQL [postgres]', suite);
} else if (process.env['CI'] === 'true') {
  describe('work queue on PostgreSQL [postgres]', () => {
    it('needs TEST_DATABASE_URL under CI', () => {
      throw new Error('TEST_DATABASE_URL is not set: under CI the PostgreSQL queue tests must run');
    });
  });
} else {
  console.warn('[skipped] work queue on PostgreSQL: TEST_DATABASE_URL is not set');
  describe.skip('work queue on PostgreSQL [skipped: TEST_DATABASE_URL not set]', suite);
}
