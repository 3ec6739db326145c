import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { basename, join } from 'node:path';
import type { Config } from '../config.js';
import { newId } from '../domain/ids.js';
import { AppError } from '../errors.js';
import { openStore, type Db, type DatabaseTarget, type Store } from './database.js';

export interface WorkspacePaths {
  root: string;
  meta: string;
  database: string;
  blobs: string;
  warc: string;
  keys: string;
  privateKey: string;
  publicKey: string;
  exports: string;
}

/** An open workspace: its folder (blobs, WARC files, keys) and its store. */
export interface Workspace {
  id: string;
  name: string;
  paths: WorkspacePaths;
  config: Config;
  store: Store;
  db: Db;
  close(): Promise<void>;
}

interface WorkspaceMeta {
  id: string;
  name: string;
  createdAt: string;
  format: 1;
}

export function workspacePaths(root: string): WorkspacePaths {
  const keys = join(root, 'keys');
  return {
    root,
    meta: join(root, 'workspace.json'),
    database: join(root, 'claimtrace.db'),
    blobs: join(root, 'blobs'),
    warc: join(root, 'warc'),
    keys,
    privateKey: join(keys, 'log-ed25519.pem'),
    publicKey: join(keys, 'log-ed25519.pub.pem'),
    exports: join(root, 'exports'),
  };
}

function target(config: Config, paths: WorkspacePaths): DatabaseTarget {
  return config.databaseUrl ? { kind: 'postgres', url: config.databaseUrl } : { kind: 'sqlite', path: paths.database };
}

/**
 * Creates a workspace folder (database, blobs, WARC files and the Ed25519 key that signs the
 * evidence log) or opens it when it already exists. Safe to run twice.
 */
export async function initWorkspace(config: Config, name?: string): Promise<{ workspace: Workspace; created: boolean }> {
  const paths = workspacePaths(config.home);
  if (existsSync(paths.meta)) return { workspace: await openWorkspace(config), created: false };
  for (const dir of [paths.root, paths.blobs, paths.warc, paths.keys, paths.exports]) mkdirSync(dir, { recursive: true });
  chmodSync(paths.keys, 0o700);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  writeFileSync(paths.privateKey, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  writeFileSync(paths.publicKey, publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o644 });
  const meta: WorkspaceMeta = { id: newId('ws'), name: name ?? basename(paths.root), createdAt: new Date().toISOString(), format: 1 };
  const store = await openStore(target(config, paths));
  await store.db
    .insertInto('workspaces')
    .values({ id: meta.id, name: meta.name, created_at: meta.createdAt, settings_json: '{}' })
    .execute();
  // The meta file is written last: a workspace without it was never finished and init may run again.
  writeFileSync(paths.meta, JSON.stringify(meta, null, 2) + '\n');
  return { workspace: assemble(meta, paths, config, store), created: true };
}

/** Opens an existing workspace; a clear error tells the user to run `claimtrace init` otherwise. */
export async function openWorkspace(config: Config): Promise<Workspace> {
  const paths = workspacePaths(config.home);
  if (!existsSync(paths.meta)) {
    throw new AppError('workspace_missing', `no claimtrace workspace at ${paths.root}: run \`claimtrace init\` first (or pass --workspace DIR)`);
  }
  const meta = JSON.parse(readFileSync(paths.meta, 'utf8')) as WorkspaceMeta;
  const store = await openStore(target(config, paths));
  const row = await store.db.selectFrom('workspaces').select('id').where('id', '=', meta.id).executeTakeFirst();
  if (!row) {
    await store.db
      .insertInto('workspaces')
      .values({ id: meta.id, name: meta.name, created_at: meta.createdAt, settings_json: '{}' })
      .execute();
  }
  return assemble(meta, paths, config, store);
}

function assemble(meta: WorkspaceMeta, paths: WorkspacePaths, config: Config, store: Store): Workspace {
  return { id: meta.id, name: meta.name, paths, config, store, db: store.db, close: () => store.close() };
}
