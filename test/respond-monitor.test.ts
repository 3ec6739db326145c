import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../src/capture/ingest.js';
import { importRegistryFile } from '../src/capture/registry-file.js';
import { verifyEvidence } from '../src/capture/verify-evidence.js';
import { runPipeline } from '../src/pipeline/run.js';
import { changeCaseStatus, createCase, loadCase, type CaseFile } from '../src/respond/cases.js';
import { judgeStatement, monitorCases } from '../src/respond/monitor.js';
import { AuditRepo } from '../src/store/audit-repo.js';
import { ClaimsRepo } from '../src/store/claims-repo.js';
import { DocumentsRepo } from '../src/store/documents-repo.js';
import { initWorkspace, type Workspace } from '../src/store/workspace.js';
import { describeEachDatabase } from './support/databases.js';
import { EXAMPLE_DIR } from './respond-setup.js';

const FALSE = 'Last month the FCC banned Norvane modules from new equipment approvals.';
const page = (body: string): string =>
  `<!doctype html><html><head><title>Supply update</title></head><body><article><h1>Module supply update</h1>${body}</article></body></html>`;

describeEachDatabase('retraction monitoring on a loopback server', (db) => {
  let html = page(`<p>${FALSE}</p><p>Our own modules ship from three plants this quarter.</p>`);
  const status = 200;
  let server: Server;
  let ws: Workspace;
  let kase: CaseFile;
  let url: string;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/blog/supply-update`;
    ws = (await initWorkspace({ ...db.config(), user: 'monitor-test' }, 'monitor test')).workspace;
    await importRegistryFile(ws, join(EXAMPLE_DIR, 'case.json'));
    const [r] = await ingest(ws, [url], {
      allowPrivateNetwork: true,
      overrides: { actor: 'Altamesh Communications', published: '2023-09-20', kind: 'article' },
    });
    expect(r?.status).toBe('stored');
    await runPipeline(ws);
    const claim = (await new ClaimsRepo(ws.db, ws.id).list()).find((c) =>
      c.quote.includes('FCC banned Norvane'),
    );
    expect(claim?.verdict?.label).toBe('REFUTED');
    kase = await createCase(ws, 'Altamesh Communications');
    await changeCaseStatus(ws, kase.id, 'sent', { note: 'sent by counsel' });
  });

  afterAll(async () => {
    await ws?.close();
    await new Promise<void>((r) => server?.close(() => r()));
  });

  it('records nothing while the page is unchanged', async () => {
    const reports = await monitorCases(ws, { allowPrivateNetwork: true });
    expect(reports.map((r) => [r.caseId, r.statusAfter])).toEqual([[kase.id, 'sent']]);
    expect(reports[0]!.documents[0]!.outcome).toBe('unchanged');
    const actions = (await new AuditRepo(ws.db, ws.id).list({ targetType: 'case', targetId: kase.id })).map(
      (e) => e.action,
    );
    expect(actions).toEqual(['case.create', 'case.status']);
  });

  it('records an edit that keeps the statement, with the diff, and keeps the case open', async () => {
    html = page(`<p>${FALSE}</p><p>Our own modules ship from four plants this quarter.</p>`);
    const [r] = await monitorCases(ws, { allowPrivateNetwork: true });
    expect(r!.statusAfter).toBe('sent');
    expect(r!.documents[0]!.outcome).toBe('edited');
    const last = (await new AuditRepo(ws.db, ws.id).list({ targetType: 'case', targetId: kase.id })).at(-1)!;
    expect(last.action).toBe('case.monitor');
    expect(JSON.stringify(last.details)).toContain('four plants');
  });

  it('moves the case to retracted when the page is changed to a correction, with the diff and the new capture as evidence', async () => {
    html = page(
      '<p>Correction: an earlier version of this post said the FCC had banned Norvane modules. That was incorrect: Norvane is not on the FCC Covered List.</p><p>Our own modules ship from four plants this quarter.</p>',
    );
    const [r] = await monitorCases(ws, { allowPrivateNetwork: true });
    expect(r!.statusAfter).toBe('retracted');
    expect(r!.documents[0]!.outcome).toBe('corrected');
    const after = await loadCase(ws, kase.id);
    expect(after.status).toBe('retracted');
    const entry = (await new AuditRepo(ws.db, ws.id).list({ targetType: 'case', targetId: kase.id })).at(-1)!;
    expect(entry).toMatchObject({ action: 'case.status', user: 'monitor-test' });
    expect(entry.details).toMatchObject({ from: 'sent', to: 'retracted', by: 'monitor' });
    const evidence = (
      entry.details['evidence'] as { diff: string; captureId: string; documentId: string }[]
    )[0]!;
    expect(evidence.diff).toContain(`-${FALSE}`);
    expect(evidence.diff).toMatch(/^\+Correction: an earlier version of this post/m);
    // The corrected page is stored as a capture of the same document, in the WARC files and the evidence log.
    const caps = await new DocumentsRepo(ws.db, ws.id).captures(evidence.documentId);
    const cap = caps.find((c) => c.id === evidence.captureId);
    expect(cap?.leafIndex).not.toBeNull();
    expect(caps.length).toBe(4);
    expect((await verifyEvidence(ws)).ok).toBe(true);
  });

  it('stops watching a retracted case', async () => {
    expect(await monitorCases(ws, { allowPrivateNetwork: true })).toEqual([]);
  });
});

describe('judging one statement against a new capture', () => {
  const q = 'The FCC banned Norvane.';
  it('a 404 or 410 is a removal, whatever the body says', () => {
    expect(judgeStatement(q, `x ${q}`, `x ${q}`, 404, false)).toBe('removed');
    expect(judgeStatement(q, `x ${q}`, 'Gone', 410, true)).toBe('removed');
  });
  it('a statement gone from the text is removed; added correction wording is a correction; other changes are edits', () => {
    expect(judgeStatement(q, `a ${q} b`, 'a b', 200, true)).toBe('removed');
    expect(
      judgeStatement(q, `a ${q}`, `Editor's note: this story has been corrected. a ${q}`, 200, true),
    ).toBe('corrected');
    expect(judgeStatement(q, `a ${q}`, `a  ${q.replace('FCC', 'FCC')} c`, 200, true)).toBe('edited');
    expect(judgeStatement(q, `a ${q}`, `a ${q}`, 200, false)).toBe('unchanged');
  });
  it('correction wording that was already on the page is not a new correction, and "error correction" is not one', () => {
    expect(
      judgeStatement(q, `Correction: old note. ${q}`, `Correction: old note. ${q} more`, 200, true),
    ).toBe('edited');
    expect(judgeStatement(q, q, `${q} Our modules use forward error correction.`, 200, true)).toBe('edited');
  });
});
