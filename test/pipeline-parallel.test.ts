import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rng, makeArticle, writeCorpus } from '../bench/corpus.js';
import { importRegistryFile } from '../src/capture/registry-file.js';
import { ingest } from '../src/capture/ingest.js';
import { loadConfig } from '../src/config.js';
import { runPipeline } from '../src/pipeline/run.js';
import { ClaimsRepo } from '../src/store/claims-repo.js';
import { DocumentsRepo } from '../src/store/documents-repo.js';
import { initWorkspace, type Workspace } from '../src/store/workspace.js';
import { ensureBundledDatasets } from '../src/verify/service.js';
import { tempDir } from './support/databases.js';
import { PROJECT_ROOT } from './support/shared.js';

const CASE = join(PROJECT_ROOT, 'examples', 'example-case', 'case.json');

async function workspaceWith(inputs: string[], env: Record<string, string> = {}): Promise<Workspace> {
  const { workspace: ws } = await initWorkspace(loadConfig(env, { home: join(tempDir(), 'ws') }), 'parallel test');
  await ensureBundledDatasets(ws, { example: true });
  await importRegistryFile(ws, CASE);
  await ingest(ws, inputs);
  return ws;
}

/** Claims as a user sees them, keyed by where they were said rather than by workspace-local ids. */
async function claimsByLocation(ws: Workspace): Promise<string[]> {
  const claims = await new ClaimsRepo(ws.db, ws.id).list();
  return claims
    .map((c) => [c.location, c.subject, c.predicate, c.object, c.polarity, c.modality, c.speaker, c.eventDate, c.start, c.end, c.quote, c.verdict?.label ?? 'none', c.verdict?.asOf ?? ''].join('|'))
    .sort();
}

describe('parallel pipeline', () => {
  it('stores exactly what the sequential path stores, claims and verdicts alike', async () => {
    const corpus = writeCorpus(join(tempDir(), 'corpus'), 40, 30, 11);
    const inputs = [join(corpus.dir, 'articles'), corpus.postsFile!];
    const seq = await workspaceWith(inputs);
    const par = await workspaceWith(inputs);
    try {
      const a = await runPipeline(seq, {}, undefined, { workers: 0 });
      const b = await runPipeline(par, {}, undefined, { workers: 2 });
      const strip = (r: typeof a) => r.map(({ stage, processed, ok, failed, skipped, detail }) => ({ stage, processed, ok, failed, skipped, detail }));
      expect(strip(b)).toEqual(strip(a));
      expect(a[0]!.ok).toBe(70);
      const seqClaims = await claimsByLocation(seq);
      expect(seqClaims.length).toBeGreaterThan(100);
      expect(await claimsByLocation(par)).toEqual(seqClaims);
      // Every document ends processed with one attempt, as on the sequential path.
      const docs = new DocumentsRepo(par.db, par.id);
      for (const d of await docs.list()) {
        expect(d.status).toBe('processed');
        expect((await docs.stages(d.id)).find((s) => s.stage === 'claims')?.status).toBe('ok');
      }
      // A second run finds nothing pending and changes nothing.
      const again = await runPipeline(par, {}, undefined, { workers: 2 });
      expect(again[0]!.processed).toBe(0);
      expect(await claimsByLocation(par)).toEqual(seqClaims);
    } finally {
      await seq.close();
      await par.close();
    }
  }, 120_000);

  it('records a document that overruns the time limit as failed and stores the others', async () => {
    const dir = tempDir();
    const corpus = writeCorpus(join(dir, 'corpus'), 20, 0, 5);
    // About 2 MB of claim-dense text: far more than extraction can finish in 1.5 s.
    const r = rng(3);
    const huge = Array.from({ length: 500 }, (_, i) => makeArticle(r, i, 800).body.join('\n\n')).join('\n\n');
    const hugePath = join(corpus.dir, 'articles', 'huge.txt');
    writeFileSync(hugePath, huge);
    const ws = await workspaceWith([join(corpus.dir, 'articles')], { CLAIMTRACE_WORKER_TIMEOUT_MS: '1500' });
    try {
      const [claims] = await runPipeline(ws, {}, undefined, { workers: 2 });
      expect(claims!.processed).toBe(21);
      expect(claims!.ok).toBe(20);
      expect(claims!.failed).toBe(1);
      const docs = new DocumentsRepo(ws.db, ws.id);
      const hugeDoc = (await docs.list()).find((d) => d.location === hugePath)!;
      expect(claims!.failures).toEqual([{ documentId: hugeDoc.id, error: expect.stringContaining('longer than 1500 ms') }]);
      const stage = (await docs.stages(hugeDoc.id)).find((s) => s.stage === 'claims')!;
      expect(stage.status).toBe('failed');
      expect(stage.error).toContain('longer than 1500 ms');
      const stored = await new ClaimsRepo(ws.db, ws.id).list();
      expect(stored.some((c) => c.documentId === hugeDoc.id)).toBe(false);
      expect(new Set(stored.map((c) => c.documentId)).size).toBeGreaterThan(15);
    } finally {
      await ws.close();
    }
  }, 120_000);
});
