import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ingest } from '../src/capture/ingest.js';
import { importRegistryFile } from '../src/capture/registry-file.js';
import type { Config } from '../src/config.js';
import { createApp } from '../src/http/app.js';
import { claimsStage } from '../src/pipeline/claims-stage.js';
import { runPipeline } from '../src/pipeline/run.js';
import { verdictsStage } from '../src/pipeline/verdicts-stage.js';
import { ClaimsRepo } from '../src/store/claims-repo.js';
import { ReviewsRepo } from '../src/store/reviews-repo.js';
import { TokensRepo } from '../src/store/tokens-repo.js';
import { initWorkspace, openWorkspace, type Workspace } from '../src/store/workspace.js';
import { ensureBundledDatasets } from '../src/verify/service.js';
import { EXAMPLE_CASE } from './browser/workspace.js';
import { describeEachDatabase } from './support/databases.js';

interface ClaimItem {
  id: string;
  effectiveVerdict: { label: string; human: boolean } | null;
}
interface ClaimPage {
  items: ClaimItem[];
  total: number;
}

// The server reuses claim pages and verified tokens while the database is unchanged; these tests
// check that every kind of write, from this process or another connection, is seen at once.
describeEachDatabase('HTTP reads stay fresh', (db) => {
  let config: Config;
  let ws: Workspace;
  let other: Workspace;
  let app: ReturnType<typeof createApp>;
  let viewer: string;
  let analyst: string;

  const get = async (path: string, token: string): Promise<{ status: number; text: string }> => {
    const res = await app.request(`/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, text: await res.text() };
  };
  const page = async (path: string): Promise<ClaimPage> => {
    const r = await get(path, viewer);
    expect(r.status).toBe(200);
    return JSON.parse(r.text) as ClaimPage;
  };

  beforeAll(async () => {
    config = db.config();
    ({ workspace: ws } = await initWorkspace(config, 'fresh reads'));
    await ensureBundledDatasets(ws, { example: true });
    await importRegistryFile(ws, join(EXAMPLE_CASE, 'case.json'));
    await ingest(ws, [join(EXAMPLE_CASE, 'posts.jsonl')], { manifest: join(EXAMPLE_CASE, 'manifest.jsonl') });
    await runPipeline(ws, {}, [claimsStage, verdictsStage]);
    app = createApp(ws, { webRoot: null });
    const tokens = new TokensRepo(ws.db, ws.id);
    viewer = (await tokens.create('viewer', 'viewer')).token;
    analyst = (await tokens.create('analyst', 'analyst')).token;
    // A second connection to the same workspace, as `claimtrace` in another terminal would open.
    other = await openWorkspace(config);
  });
  afterAll(async () => {
    await other?.close();
    await ws?.close();
  });

  it('answers a repeated listing with the same bytes, whatever the spelling of its defaults', async () => {
    const first = await get('/claims?limit=50', viewer);
    expect(first.status).toBe(200);
    expect((JSON.parse(first.text) as ClaimPage).items.length).toBeGreaterThan(0);
    expect((await get('/claims?limit=50', viewer)).text).toBe(first.text);
    expect((await get('/claims?offset=0&limit=50', viewer)).text).toBe(first.text);
    expect((await get('/claims?limit=49', viewer)).text).not.toBe(first.text);
  });

  it('assembles pages at any offset and filter byte for byte as a page built afresh from the repository', async () => {
    const { claimView } = await import('../src/http/views.js');
    const repo = new ClaimsRepo(ws.db, ws.id);
    const cases: [Record<string, string>, number, number][] = [
      [{}, 0, 50],
      [{}, 7, 13],
      [{ predicate: 'banned' }, 2, 5],
      [{ verdict: 'REFUTED' }, 1, 4],
      [{ q: 'FCC' }, 0, 3],
      [{}, 100_000, 10],
    ];
    // Twice: the second pass is served from the ids and claim texts kept under the stamp.
    for (let pass = 0; pass < 2; pass++) {
      for (const [filter, offset, limit] of cases) {
        const qs = new URLSearchParams({ ...filter, offset: String(offset), limit: String(limit) });
        const served = await get(`/claims?${qs.toString()}`, viewer);
        const fresh = await repo.page(filter, limit, offset);
        expect(served.text).toBe(JSON.stringify({ items: fresh.items.map(claimView), total: fresh.total, limit, offset }));
      }
    }
  });

  it('shows a review recorded through the API in the next listing', async () => {
    const before = await page('/claims?limit=500');
    const target = before.items.find(
      (c) => c.effectiveVerdict?.label !== 'REFUTED' && !c.effectiveVerdict?.human,
    )!;
    expect(target).toBeDefined();
    const res = await app.request(`/api/v1/claims/${target.id}/reviews`, {
      method: 'POST',
      headers: { authorization: `Bearer ${analyst}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'override', label: 'REFUTED', reason: 'checked against the register' }),
    });
    expect(res.status).toBe(201);
    const after = await page('/claims?limit=500');
    expect(after.items.find((c) => c.id === target.id)?.effectiveVerdict).toMatchObject({
      label: 'REFUTED',
      human: true,
    });
  });

  it('shows a review written by another connection in the next listing', async () => {
    const before = await page('/claims?limit=500');
    const target = before.items.find(
      (c) => c.effectiveVerdict?.label !== 'SUPPORTED' && !c.effectiveVerdict?.human,
    )!;
    expect(target).toBeDefined();
    await new ReviewsRepo(other.db, other.id).add({
      claimId: target.id,
      action: 'override',
      label: 'SUPPORTED',
      reason: 'confirmed by the registry',
      evidenceDocumentId: null,
      user: 'cli',
    });
    const after = await page('/claims?limit=500');
    expect(after.items.find((c) => c.id === target.id)?.effectiveVerdict).toMatchObject({
      label: 'SUPPORTED',
      human: true,
    });
  });

  it('sends the security headers on built and reused pages, errors and letters', async () => {
    const counsel = (await new TokensRepo(ws.db, ws.id).create('counsel', 'counsel')).token;
    const opened = await app.request('/api/v1/cases', {
      method: 'POST',
      headers: { authorization: `Bearer ${counsel}`, 'content-type': 'application/json' },
      body: JSON.stringify({ respondent: 'Graham Tolliver' }),
    });
    expect(opened.status).toBeLessThan(300);
    const caseId = ((await opened.json()) as { id: string }).id;
    const responses = [
      await app.request('/api/v1/claims?limit=3', { headers: { authorization: `Bearer ${viewer}` } }),
      await app.request('/api/v1/claims?limit=3', { headers: { authorization: `Bearer ${viewer}` } }),
      await app.request('/api/v1/claims?limit=0', { headers: { authorization: `Bearer ${viewer}` } }),
      await app.request('/api/v1/claims'),
      await app.request('/api/v1/no-such-route', { headers: { authorization: `Bearer ${viewer}` } }),
      await app.request(`/api/v1/cases/${caseId}/letter?format=md`, {
        headers: { authorization: `Bearer ${counsel}` },
      }),
    ];
    expect(responses.map((r) => r.status)).toEqual([200, 200, 400, 401, 404, 200]);
    for (const r of responses) {
      expect(r.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('x-frame-options')).toBe('DENY');
      expect(r.headers.get('cache-control')).toBe('no-store');
    }
    expect(responses[5]!.headers.get('content-type')).toMatch(/^text\/markdown/);
  });

  it('refuses a token on the request after another connection revokes it', async () => {
    const created = await new TokensRepo(ws.db, ws.id).create('short-lived', 'viewer');
    expect((await get('/claims?limit=5', created.token)).status).toBe(200);
    expect((await get('/claims?limit=5', created.token)).status).toBe(200);
    await new TokensRepo(other.db, other.id).revoke(created.id);
    expect((await get('/claims?limit=5', created.token)).status).toBe(401);
  });

  it('counts claims deactivated by another connection in the total of the next page', async () => {
    const first = await page('/claims?limit=1&offset=0');
    expect((await page('/claims?limit=1&offset=1')).total).toBe(first.total);
    const claimsRepo = new ClaimsRepo(other.db, other.id);
    const documentId = (await claimsRepo.list({ limit: 1 }))[0]!.documentId;
    const gone = (await claimsRepo.list({ documentId })).length;
    expect(gone).toBeGreaterThan(0);
    await claimsRepo.replaceForDocument(documentId, [], 'test');
    const after = await page('/claims?limit=1&offset=2');
    expect(after.total).toBe(first.total - gone);
    expect((await page(`/claims?documentId=${documentId}`)).total).toBe(0);
  });

  it('pages documents in SQL exactly as the full list, and counts an upload in the next page', async () => {
    type DocPage = { items: { id: string }[]; total: number; limit: number; offset: number };
    const docs = async (q: string): Promise<DocPage> =>
      JSON.parse((await get(`/documents${q}`, viewer)).text) as DocPage;
    const all = await docs('?limit=500');
    expect(all.items.length).toBeGreaterThan(4);
    const cut = await docs('?limit=3&offset=2');
    expect(cut).toEqual({ items: all.items.slice(2, 5), total: all.total, limit: 3, offset: 2 });
    expect((await docs(`?offset=${all.total}`)).items).toEqual([]);
    const res = await app.request('/api/v1/documents?filename=late.txt&title=Late', {
      method: 'POST',
      headers: { authorization: `Bearer ${analyst}`, 'content-type': 'text/plain' },
      body: 'A late note about Norvane Wireless.',
    });
    expect(res.status).toBe(201);
    const after = await docs('?limit=3&offset=2');
    expect(after.total).toBe(all.total + 1);
    expect((await docs('?limit=500')).items.map((d) => d.id)).toContain(
      ((await res.json()) as { documentId: string }).documentId,
    );
  });

  it('refuses a token on the request after the API revokes it', async () => {
    const tokens = new TokensRepo(ws.db, ws.id);
    const admin = await tokens.create('admin', 'admin');
    const created = await tokens.create('short-lived-2', 'viewer');
    expect((await get('/me', created.token)).status).toBe(200);
    const res = await app.request(`/api/v1/tokens/${created.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${admin.token}` },
    });
    expect(res.status).toBe(200);
    expect((await get('/me', created.token)).status).toBe(401);
    expect((await get('/me', admin.token)).status).toBe(200);
  });
});
