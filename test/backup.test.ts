import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingest } from '../src/capture/ingest.js';
import { verifyEvidence } from '../src/capture/verify-evidence.js';
import { loadConfig } from '../src/config.js';
import { backupWorkspace, restoreWorkspace } from '../src/store/backup.js';
import { DocumentsRepo } from '../src/store/documents-repo.js';
import { initWorkspace, openWorkspace } from '../src/store/workspace.js';
import { describeEachDatabase, tempDir } from './support/databases.js';
import { PROJECT_ROOT } from './support/shared.js';

const FIX = join(PROJECT_ROOT, 'test', 'fixtures', 'ingest');

describeEachDatabase('backup and restore', (db) => {
  it('restores a workspace that verifies identically, on SQLite and across engines', async () => {
    const { workspace: ws } = await initWorkspace(db.config(), 'backup source');
    const file = join(tempDir(), 'ws.ctbackup');
    let before;
    try {
      await ingest(ws, [join(FIX, 'notes.txt'), join(FIX, 'posts.jsonl')], { manifest: join(FIX, 'manifest.jsonl') });
      before = await verifyEvidence(ws);
      expect(before.ok).toBe(true);
      const manifest = await backupWorkspace(ws.db, ws.id, ws.paths.root, file);
      expect(manifest.tables['documents']).toBe(6);
    } finally {
      await ws.close();
    }
    // Restore into a fresh SQLite workspace: the backup is a logical dump, so engines can differ.
    const target = loadConfig({}, { home: join(tempDir(), 'restored') });
    await restoreWorkspace(target, file);
    const restored = await openWorkspace(target);
    try {
      const after = await verifyEvidence(restored);
      expect(after.ok).toBe(true);
      expect(after.treeSize).toBe(before.treeSize);
      expect(after.rootHash).toBe(before.rootHash);
      expect(after.checked).toEqual(before.checked);
      expect(await new DocumentsRepo(restored.db, restored.id).count()).toBe(6);
    } finally {
      await restored.close();
    }
    // Restoring twice into the same folder is refused rather than merged.
    await expect(restoreWorkspace(target, file)).rejects.toThrow(/already holds a workspace/);
  });
});

describe('restore refuses damaged backups', () => {
  it('names the entry whose hash no longer matches', async () => {
    const { workspace: ws } = await initWorkspace(loadConfig({}, { home: join(tempDir(), 'ws') }));
    const file = join(tempDir(), 'b.zip');
    await ingest(ws, [join(FIX, 'notes.txt')]);
    await backupWorkspace(ws.db, ws.id, ws.paths.root, file);
    await ws.close();
    const { readFileSync, writeFileSync } = await import('node:fs');
    const { unzipSync, zipSync } = await import('fflate');
    const entries = unzipSync(readFileSync(file));
    const key = Object.keys(entries).find((k) => k.startsWith('db/documents'))!;
    entries[key] = Buffer.from(Buffer.from(entries[key]!).toString('utf8').replace('Field notes', 'Field nodes'));
    writeFileSync(file, zipSync(entries));
    await expect(restoreWorkspace(loadConfig({}, { home: join(tempDir(), 'r') }), file)).rejects.toThrow(/db\/documents.jsonl in the backup does not match/);
  });
});
