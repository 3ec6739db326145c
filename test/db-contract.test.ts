import { afterEach, beforeEach, expect, it } from 'vitest';
import { appendLeaf, signTreeHead } from '../src/capture/evidence-log.js';
import { treeRoot } from '../src/domain/merkle.js';
import { AuditRepo } from '../src/store/audit-repo.js';
import { DocumentsRepo } from '../src/store/documents-repo.js';
import { LogRepo } from '../src/store/log-repo.js';
import { RegistryRepo } from '../src/store/registry-repo.js';
import { initWorkspace, type Workspace } from '../src/store/workspace.js';
import { describeEachDatabase } from './support/databases.js';

function docRow(id: string, location: string, sha: string) {
  return {
    id, location, url: null, sha256: sha, size: 3, media_type: 'text/plain', format: 'text', kind: 'article', title: 't',
    publisher: null, actor_id: null, author: null, published: '2024-03', published_precision: 'month',
    captured_at: new Date().toISOString(), status: 'stored', error: null, error_code: null, text: 'abc',
    links_json: '[]', metadata_json: '{}', parent_id: null,
  };
}

describeEachDatabase('store contract', (db) => {
  let ws: Workspace;
  beforeEach(async () => {
    ws = (await initWorkspace(db.config(), 'contract')).workspace;
  });
  afterEach(async () => {
    await ws.close();
  });

  it('registers subjects with aliases, products and subsidiaries, and finds them by alias', async () => {
    const repo = new RegistryRepo(ws.db, ws.id);
    await repo.upsertSubject({ name: 'Nordlys Modules', aliases: ['Nordlys'], products: ['NL-200'], subsidiaries: ['Nordlys USA Inc.'] });
    const { created } = await repo.upsertSubject({ name: 'Nordlys Modules', aliases: ['NLM'] });
    expect(created).toBe(false);
    const found = await repo.findSubject('nlm');
    expect(found?.name).toBe('Nordlys Modules');
    expect(found?.aliases).toEqual(['NLM', 'Nordlys']);
    expect(found?.products).toEqual(['NL-200']);
    expect(found?.subsidiaries).toEqual(['Nordlys USA Inc.']);
    // The subject stands in the relationship graph as a company actor.
    expect((await repo.findActor('Nordlys Modules'))?.kind).toBe('company');
  });

  it('links actors once per type and keeps ownership shares', async () => {
    const repo = new RegistryRepo(ws.db, ws.id);
    const owner = (await repo.upsertActor({ name: 'Harbor Capital', kind: 'company' })).actor;
    const asset = (await repo.upsertActor({ name: 'Vantor Wireless', kind: 'company' })).actor;
    const rel = { fromActorId: owner.id, toActorId: asset.id, type: 'ownership' as const, share: 75.5, role: null, startDate: '2021-08', endDate: null, source: 'test' };
    expect((await repo.addRelationship(rel)).created).toBe(true);
    expect((await repo.addRelationship(rel)).created).toBe(false);
    const list = await repo.listRelationships();
    expect(list).toHaveLength(1);
    expect(list[0]?.share).toBe(75.5);
  });

  it('identifies a document by (location, sha256): same bytes at two places are two documents', async () => {
    const docs = new DocumentsRepo(ws.db, ws.id);
    const id = (s: string): string => `${ws.id}-${s}`;
    await docs.insert(docRow(id('a'), 'https://a.test/x', 'aa'));
    await docs.insert(docRow(id('b'), 'https://b.test/x', 'aa'));
    await expect(docs.insert(docRow(id('c'), 'https://a.test/x', 'aa'))).rejects.toThrow();
    expect((await docs.findByIdentity('https://b.test/x', 'aa'))?.id).toBe(id('b'));
    expect(await docs.count()).toBe(2);
  });

  it('lists documents a stage has not run at its current version, including interrupted ones', async () => {
    const docs = new DocumentsRepo(ws.db, ws.id);
    const id = (s: string): string => `${ws.id}-${s}`;
    for (const d of ['d1', 'd2', 'd3', 'd4']) await docs.insert(docRow(id(d), `loc-${d}`, d));
    await docs.setStage(id('d1'), 'claims', 'ok', 'v1');
    await docs.setStage(id('d2'), 'claims', 'running', 'v1');
    await docs.setStage(id('d3'), 'claims', 'ok', 'v0');
    expect(await docs.pendingFor('claims', 'v1')).toEqual([id('d2'), id('d3'), id('d4')]);
    await docs.setStage(id('d2'), 'claims', 'running', 'v1');
    const st = await docs.stages(id('d2'));
    expect(st[0]?.status).toBe('running');
  });

  it('appends log leaves in order and signs tree heads whose root matches RFC 6962', async () => {
    for (let i = 0; i < 5; i++) {
      await ws.db.transaction().execute((trx) =>
        appendLeaf(trx, ws.id, { type: 'amendment', documentId: `d${i}`, changes: {}, user: 'u', reason: 'r', at: '2024-01-01T00:00:00Z' }),
      );
    }
    const head = await signTreeHead(ws);
    const log = new LogRepo(ws.db, ws.id);
    expect(await log.size()).toBe(5);
    const hashes = await log.leafHashes();
    expect(head?.rootHash).toBe(treeRoot(hashes.map((h) => Buffer.from(h, 'hex'))).toString('hex'));
    expect((await log.treeHeads()).map((h) => h.treeSize)).toEqual([5]);
  });

  it('keeps an append-only audit log', async () => {
    const audit = new AuditRepo(ws.db, ws.id);
    await audit.record('ana', 'case.read', 'case', 'case_1', { via: 'test' });
    await audit.record('ana', 'case.update', 'case', 'case_1');
    const entries = await audit.list({ targetType: 'case', targetId: 'case_1' });
    expect(entries.map((e) => e.action)).toEqual(['case.read', 'case.update']);
    expect(entries[0]?.details).toEqual({ via: 'test' });
  });
});
