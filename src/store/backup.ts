import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import { openStore, type Db, type DatabaseTarget } from './database.js';
import type { Tables } from './schema.js';
import { PARTIAL_SUFFIX, writeFileAtomic } from './atomic-file.js';
import { workspacePaths } from './workspace.js';

type TableName = keyof Tables;

/**
 * Tables in the order a restore must insert them (parents first), with how to select the rows
 * of one workspace from each.
 */
const TABLES: { name: TableName; scope: 'workspace' | { via: TableName; fk: string; parentKey?: string } | 'id' }[] = [
  { name: 'workspaces', scope: 'id' },
  { name: 'actors', scope: 'workspace' },
  { name: 'subjects', scope: 'workspace' },
  { name: 'subject_terms', scope: { via: 'subjects', fk: 'subject_id' } },
  { name: 'relationships', scope: 'workspace' },
  { name: 'documents', scope: 'workspace' },
  { name: 'captures', scope: { via: 'documents', fk: 'document_id' } },
  { name: 'log_entries', scope: 'workspace' },
  { name: 'tree_heads', scope: 'workspace' },
  { name: 'document_stages', scope: { via: 'documents', fk: 'document_id' } },
  { name: 'narratives', scope: 'workspace' },
  { name: 'narrative_events', scope: { via: 'narratives', fk: 'narrative_id' } },
  { name: 'claims', scope: 'workspace' },
  { name: 'dataset_versions', scope: 'workspace' },
  { name: 'records', scope: { via: 'dataset_versions', fk: 'dataset_version_id' } },
  { name: 'cve_records', scope: { via: 'dataset_versions', fk: 'dataset_version_id' } },
  { name: 'verdicts', scope: { via: 'claims', fk: 'claim_id' } },
  { name: 'reviews', scope: { via: 'claims', fk: 'claim_id' } },
  { name: 'campaigns', scope: 'workspace' },
  { name: 'campaign_members', scope: { via: 'campaigns', fk: 'campaign_id' } },
  { name: 'cases', scope: 'workspace' },
  { name: 'audit_log', scope: 'workspace' },
  { name: 'api_tokens', scope: 'workspace' },
];

export interface BackupManifest {
  format: 'claimtrace-backup/1';
  workspaceId: string;
  createdAt: string;
  files: Record<string, { sha256: string; bytes: number }>;
  tables: Record<string, number>;
  /** Tables the database holds that this backup does not know how to scope (added by later migrations). */
  skippedTables: string[];
}

function sha(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function walkFiles(root: string, dir: string, out: Record<string, Uint8Array>): void {
  if (!existsSync(dir)) return;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walkFiles(root, p, out);
    else if (e.isFile() && !e.name.endsWith(PARTIAL_SUFFIX)) out[relative(root, p).split(sep).join('/')] = readFileSync(p);
  }
}

async function rowsOf(db: Db, workspaceId: string, t: (typeof TABLES)[number]): Promise<Record<string, unknown>[]> {
  const q = db.selectFrom(t.name as never).selectAll() as unknown as {
    where: (c: string, op: string, v: unknown) => { execute(): Promise<Record<string, unknown>[]> };
    execute(): Promise<Record<string, unknown>[]>;
  };
  if (t.scope === 'id') return q.where('id', '=', workspaceId).execute();
  if (t.scope === 'workspace') return q.where('workspace_id', '=', workspaceId).execute();
  const parents = (await db
    .selectFrom(t.scope.via as never)
    .select('id' as never)
    .where('workspace_id' as never, '=', workspaceId as never)
    .execute()) as { id: string }[];
  if (parents.length === 0) return [];
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < parents.length; i += 500) {
    const ids = parents.slice(i, i + 500).map((p) => p.id);
    const chunk = (await db
      .selectFrom(t.name as never)
      .selectAll()
      .where(t.scope.fk as never, 'in', ids as never)
      .execute()) as Record<string, unknown>[];
    out.push(...chunk);
  }
  return out;
}

/**
 * Writes one file holding the whole workspace: its folder (blobs, WARC files, keys, metadata)
 * and a logical dump of its database rows, with a sha256 for every entry. Works the same on
 * SQLite and PostgreSQL, so a backup can also move a workspace from one engine to the other.
 */
export async function backupWorkspace(db: Db, workspaceId: string, root: string, outFile: string): Promise<BackupManifest> {
  const files: Record<string, Uint8Array> = {};
  const paths = workspacePaths(root);
  files['workspace.json'] = readFileSync(paths.meta);
  for (const dir of [paths.blobs, paths.warc, paths.keys]) walkFiles(root, dir, files);
  const tables: Record<string, number> = {};
  for (const t of TABLES) {
    const rows = await rowsOf(db, workspaceId, t);
    tables[t.name] = rows.length;
    files[`db/${t.name}.jsonl`] = Buffer.from(rows.map((r) => JSON.stringify(r)).join('\n'), 'utf8');
  }
  const known = new Set<string>(TABLES.map((t) => t.name));
  const present = (await db.introspection.getTables()).map((t) => t.name).filter((n) => !n.startsWith('kysely_'));
  const skippedTables = present.filter((n) => !known.has(n)).sort();
  const manifest: BackupManifest = {
    format: 'claimtrace-backup/1',
    workspaceId,
    createdAt: new Date().toISOString(),
    files: Object.fromEntries(Object.entries(files).map(([k, v]) => [k, { sha256: sha(v), bytes: v.byteLength }])),
    tables,
    skippedTables,
  };
  const zippable: Zippable = { 'backup-manifest.json': Buffer.from(JSON.stringify(manifest, null, 2)) };
  for (const [k, v] of Object.entries(files)) zippable[k] = [v, { level: k.startsWith('warc/') || k.startsWith('blobs/') ? 1 : 6 }];
  mkdirSync(dirname(outFile), { recursive: true });
  // Renamed into place last, so an interrupted backup never leaves a file that looks complete.
  writeFileAtomic(outFile, zipSync(zippable));
  return manifest;
}

/**
 * Restores a backup into a new workspace folder (which must not exist yet) on the configured
 * database. Every file is checked against the backup's manifest before anything is written.
 */
export async function restoreWorkspace(config: Config, backupFile: string): Promise<{ workspaceId: string; tables: Record<string, number> }> {
  const paths = workspacePaths(config.home);
  if (existsSync(paths.meta)) throw new AppError('conflict', `${paths.root} already holds a workspace: restore into a new folder (--workspace DIR)`);
  if (!existsSync(backupFile) || !statSync(backupFile).isFile()) throw new AppError('not_found', `no backup file at ${backupFile}`);
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(readFileSync(backupFile));
  } catch (err) {
    throw new AppError('invalid_input', `${backupFile} is not a claimtrace backup (not a readable zip): ${err instanceof Error ? err.message : String(err)}`);
  }
  const rawManifest = entries['backup-manifest.json'];
  if (!rawManifest) throw new AppError('invalid_input', `${backupFile} has no backup-manifest.json`);
  const manifest = JSON.parse(Buffer.from(rawManifest).toString('utf8')) as BackupManifest;
  if (manifest.format !== 'claimtrace-backup/1') throw new AppError('invalid_input', `unknown backup format ${String(manifest.format)}`);
  for (const [name, meta] of Object.entries(manifest.files)) {
    const data = entries[name];
    if (!data) throw new AppError('integrity_failed', `the backup lacks ${name}`);
    if (sha(data) !== meta.sha256) throw new AppError('integrity_failed', `${name} in the backup does not match its sha256: the backup is damaged`);
  }
  for (const name of Object.keys(manifest.files)) {
    if (name.startsWith('db/')) continue;
    if (name.includes('..') || name.startsWith('/')) throw new AppError('integrity_failed', `unsafe path ${name} in the backup`);
    const dest = join(paths.root, name);
    mkdirSync(dirname(dest), { recursive: true });
    if (name !== 'workspace.json') writeFileSync(dest, entries[name]!, name.startsWith('keys/') && name.endsWith('ed25519.pem') ? { mode: 0o600 } : {});
  }
  if (existsSync(paths.keys)) chmodSync(paths.keys, 0o700);
  const target: DatabaseTarget = config.databaseUrl ? { kind: 'postgres', url: config.databaseUrl } : { kind: 'sqlite', path: paths.database };
  const store = await openStore(target);
  try {
    const exists = await store.db.selectFrom('workspaces').select('id').where('id', '=', manifest.workspaceId).executeTakeFirst();
    if (exists) throw new AppError('conflict', `workspace ${manifest.workspaceId} already exists in the target database`);
    await store.db.transaction().execute(async (trx) => {
      for (const t of TABLES) {
        const data = entries[`db/${t.name}.jsonl`];
        if (!data) continue;
        const rows = Buffer.from(data).toString('utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
        for (let i = 0; i < rows.length; i += 200) await trx.insertInto(t.name as never).values(rows.slice(i, i + 200) as never).execute();
      }
    });
  } finally {
    await store.close();
  }
  // The metadata file goes last: a folder without it is an unfinished restore.
  writeFileSync(paths.meta, entries['workspace.json']!);
  return { workspaceId: manifest.workspaceId, tables: manifest.tables };
}
