import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig, type Config } from '../src/config.js';
import { ingest } from '../src/capture/ingest.js';
import { runPipeline } from '../src/pipeline/run.js';
import { ClaimsRepo } from '../src/store/claims-repo.js';
import { DatasetsRepo } from '../src/store/datasets-repo.js';
import { RegistryRepo } from '../src/store/registry-repo.js';
import { initWorkspace, type Workspace } from '../src/store/workspace.js';
import { screen } from '../src/verify/screen.js';
import { ensureBundledDatasets, importDataset } from '../src/verify/service.js';
import { loadVerdictData } from '../src/verify/verdict-data.js';
import { describeEachDatabase, tempDir, type DbCase } from './support/databases.js';
import { PROJECT_ROOT } from './support/shared.js';

const FIX = join(PROJECT_ROOT, 'test', 'fixtures', 'lists');

/**
 * On PostgreSQL the suite runs in a database of its own: a shared test database migrated by an
 * older revision of the initial migration would otherwise decide what this suite sees.
 */
async function freshConfig(db: DbCase): Promise<{ config: Config; drop: () => Promise<void> }> {
  const base = db.config();
  if (db.name !== 'postgres' || !base.databaseUrl) return { config: base, drop: async () => undefined };
  const name = `verify_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = async (sql: string): Promise<void> => {
    const client = new pg.Client({ connectionString: base.databaseUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(base.databaseUrl);
  url.pathname = `/${name}`;
  return { config: loadConfig({ DATABASE_URL: url.toString() }, { home: join(tempDir(), 'ws') }), drop: () => admin(`DROP DATABASE IF EXISTS ${name}`) };
}

describeEachDatabase('dataset import and verdicts in the store', (db) => {
  let ws: Workspace;
  let drop: () => Promise<void> = async () => undefined;
  beforeAll(async () => {
    const fresh = await freshConfig(db);
    drop = fresh.drop;
    ws = (await initWorkspace(fresh.config, 'verify store test')).workspace;
  });
  afterAll(async () => {
    await ws.close();
    await drop();
  });

  it('imports the bundled snapshot once, with coverage, completeness and records', async () => {
    const first = await ensureBundledDatasets(ws);
    expect(first.every((r) => r.created)).toBe(true);
    const again = await ensureBundledDatasets(ws);
    expect(again.every((r) => !r.created)).toBe(true);
    const versions = await new DatasetsRepo(ws.db, ws.id).versions();
    const dod = versions.find((v) => v.sourceId === 'us-1260h')!;
    expect(dod).toMatchObject({ complete: false, coverageFrom: '2021-06-03', coverageTo: '2026-11-23', fictional: false });
    expect(dod.sha256).toMatch(/^[0-9a-f]{64}$/);
    const data = await loadVerdictData(ws);
    expect(screen(data.index, 'Quectel', { on: '2025-02-01', listIds: ['us-1260h'] })[0]?.listedFrom).toBe('2025-01-07');
  });

  it('judges stored claims, then re-judges on new data and keeps the old verdict', async () => {
    await new RegistryRepo(ws.db, ws.id).upsertSubject({ name: 'Quectel', aliases: ['Quectel Wireless Solutions'] });
    await ingest(ws, [join(FIX, 'docs', 'quectel-denial-2023.txt')], { overrides: { published: '2023-11-01' } });
    await runPipeline(ws);
    const repo = new ClaimsRepo(ws.db, ws.id);
    const [claim] = await repo.list({ subject: 'Quectel' });
    expect(claim?.verdict?.label).toBe('NOT_ENOUGH_INFO');
    const r = await importDataset(ws, 'us-1260h', join(FIX, 'dod-1260h-editions.csv'), { complete: true });
    expect(r.created).toBe(true);
    expect(r.rejudged?.changed).toBe(1);
    const history = await repo.verdictHistory(claim!.id);
    expect(history.map((h) => [h.label, h.current])).toEqual([
      ['NOT_ENOUGH_INFO', false],
      ['SUPPORTED', true],
    ]);
    // The same bytes again: no new version, no new verdict.
    const same = await importDataset(ws, 'us-1260h', join(FIX, 'dod-1260h-editions.csv'), { complete: true });
    expect(same.created).toBe(false);
    expect(await repo.verdictHistory(claim!.id)).toHaveLength(2);
  });

  it('imports FtM actors and ownership links that screening then follows', async () => {
    const r = await importDataset(ws, 'ftm', join(FIX, 'sample-entities.ftm.jsonl'), { actors: true });
    expect(r.actors).toMatchObject({ actors: 4, relationships: 2, skipped: 0 });
    const data = await loadVerdictData(ws);
    expect(data.ownership?.('Hikvision USA Inc.')).toContain('Hangzhou Hikvision Digital Technology Co., Ltd.');
    const m = screen(data.index, 'Hikvision USA Inc.', { listIds: ['us-1260h'], ...(data.ownership ? { ownership: data.ownership } : {}) });
    expect(m[0]).toMatchObject({ basis: 'ownership', listId: 'us-1260h' });
  });
});
