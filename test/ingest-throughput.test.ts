import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { getBlob } from '../src/capture/blobs.js';
import { parseLeaf } from '../src/capture/evidence-log.js';
import { ingest } from '../src/capture/ingest.js';
import { verifyEvidence } from '../src/capture/verify-evidence.js';
import type { Config } from '../src/config.js';
import { DocumentsRepo } from '../src/store/documents-repo.js';
import { LogRepo } from '../src/store/log-repo.js';
import { initWorkspace, type Workspace } from '../src/store/workspace.js';
import { describeEachDatabase, tempDir } from './support/databases.js';

/** A news-length page; `pad` words make some pages much slower to parse than their neighbours. */
function article(i: number, pad: number): string {
  const filler = Array.from({ length: pad }, (_, k) => `word${(i * 7 + k) % 97}`).join(' ');
  return `<html><head><title>Article ${i}</title></head><body><article><h1>Article ${i}</h1><p>Paragraph ${i} says Acme Corp was fined in 2021.</p><p>${filler}</p></article></body></html>`;
}

function withTimeout(config: Config, workerTimeoutMs: number): Config {
  return { ...config, limits: { ...config.limits, workerTimeoutMs } };
}

function partialFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.partial'));
}

async function logDocumentIds(ws: Workspace): Promise<string[]> {
  return (await new LogRepo(ws.db, ws.id).entries()).map((e) => parseLeaf(e.leafJson).documentId);
}

describeEachDatabase('ingest with parsing in the sandbox and batched writes', (db) => {
  it('stores a mixed batch in input order: results, document ids and log leaves', async () => {
    const dir = join(tempDir(), 'in');
    mkdirSync(dir);
    const paths: string[] = [];
    // 150 inputs span several lookahead chunks and three write batches; every tenth page is large,
    // so parses finish out of input order, and the plain-text files share one blob pair-wise.
    for (let i = 0; i < 150; i++) {
      const p = join(dir, `doc-${String(i).padStart(3, '0')}.${i % 3 === 0 ? 'txt' : 'html'}`);
      writeFileSync(p, i % 3 === 0 ? `Note ${Math.floor(i / 6)}\n\nAcme Corp was named in a filing.` : article(i, i % 10 === 1 ? 40_000 : 50));
      paths.push(p);
    }
    const { workspace: ws } = await initWorkspace(db.config(), 'order');
    try {
      const results = await ingest(ws, paths);
      expect(results.map((r) => r.location)).toEqual(paths);
      expect(results.every((r) => r.status === 'stored')).toBe(true);

      const ids = results.map((r) => r.documentId!);
      expect([...ids].sort()).toEqual(ids);
      expect(await logDocumentIds(ws)).toEqual(ids);

      for (const r of results) {
        const bytes = getBlob(ws.paths.blobs, r.sha256!);
        expect(createHash('sha256').update(bytes).digest('hex')).toBe(r.sha256);
      }
      expect(partialFiles(ws.paths.blobs)).toEqual([]);
      const report = await verifyEvidence(ws);
      expect(report.problems).toEqual([]);
      expect(report.checked.documents).toBe(150);

      // A second run finds every input stored and appends nothing to the log.
      const again = await ingest(ws, paths);
      expect(again.map((r) => [r.status, r.documentId])).toEqual(ids.map((id) => ['exists', id]));
      expect(await logDocumentIds(ws)).toEqual(ids);
    } finally {
      await ws.close();
    }
  });

  it('stops a page Readability cannot finish at the parse time limit and stores the rest of the batch', async () => {
    const dir = join(tempDir(), 'in');
    mkdirSync(dir);
    const before = join(dir, 'a-before.html');
    const slow = join(dir, 'b-slow.html');
    const deep = join(dir, 'c-deep.html');
    const after = join(dir, 'd-after.txt');
    writeFileSync(before, article(1, 50));
    // 20,000 nested elements as 80 chains 250 deep: several seconds of Readability in any thread.
    const chain = `${'<div>'.repeat(250)}chain text${'</div>'.repeat(250)}`;
    writeFileSync(slow, `<html><body>${chain.repeat(80)}</body></html>`);
    // One chain 20,000 deep took about a minute; pages nested that deep now keep their body text.
    writeFileSync(deep, `<html><body>${'<div>'.repeat(20_000)}deep text${'</div>'.repeat(20_000)}</body></html>`);
    writeFileSync(after, 'A plain note after the hostile pages.');
    const { workspace: ws } = await initWorkspace(withTimeout(db.config(), 1_000), 'deep');
    try {
      const started = performance.now();
      const [a, b, c, d] = await ingest(ws, [before, slow, deep, after]);
      expect(performance.now() - started).toBeLessThan(30_000);
      expect(a).toMatchObject({ status: 'stored', code: null });
      expect(b).toMatchObject({ status: 'failed', code: 'parse_timeout' });
      expect(b?.error).toMatch(/longer than 1000 ms/);
      expect(c).toMatchObject({ status: 'stored', code: null });
      expect(d).toMatchObject({ status: 'stored', code: null });
      expect((await new DocumentsRepo(ws.db, ws.id).get(c!.documentId!)).text).toBe('deep text');
      // The refused page is still evidence: its bytes are kept and the log vouches for them.
      expect(getBlob(ws.paths.blobs, b!.sha256!)).toEqual(readFileSync(slow));
      expect(await logDocumentIds(ws)).toEqual([a!.documentId, b!.documentId, c!.documentId, d!.documentId]);
      expect((await verifyEvidence(ws)).problems).toEqual([]);
    } finally {
      await ws.close();
    }
  });
});
