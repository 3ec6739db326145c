import type { Db } from './database.js';

export interface LogEntry {
  leafIndex: number;
  kind: 'capture' | 'amendment';
  documentId: string;
  captureId: string | null;
  leafJson: string;
  leafHash: string;
  createdAt: string;
}

export interface TreeHead {
  treeSize: number;
  rootHash: string;
  signedAt: string;
  signature: string;
  keyId: string;
}

/** Rows per multi-row INSERT: far below the bound-parameter limits of SQLite and PostgreSQL. */
const INSERT_CHUNK = 200;

/** The append-only evidence log and its signed tree heads. */
export class LogRepo {
  constructor(private readonly db: Db, private readonly workspaceId: string) {}

  async size(): Promise<number> {
    const r = await this.db
      .selectFrom('log_entries')
      .select((eb) => eb.fn.max('leaf_index').as('m'))
      .where('workspace_id', '=', this.workspaceId)
      .executeTakeFirst();
    const m = r?.m;
    return m === null || m === undefined ? 0 : Number(m) + 1;
  }

  async append(entry: LogEntry): Promise<void> {
    await this.db
      .insertInto('log_entries')
      .values({
        workspace_id: this.workspaceId,
        leaf_index: entry.leafIndex,
        kind: entry.kind,
        document_id: entry.documentId,
        capture_id: entry.captureId,
        leaf_json: entry.leafJson,
        leaf_hash: entry.leafHash,
        created_at: entry.createdAt,
      })
      .execute();
  }

  /** Appends entries in one statement per chunk; the caller gives them consecutive leaf indexes. */
  async appendMany(entries: LogEntry[]): Promise<void> {
    for (let i = 0; i < entries.length; i += INSERT_CHUNK) {
      await this.db
        .insertInto('log_entries')
        .values(
          entries.slice(i, i + INSERT_CHUNK).map((e) => ({
            workspace_id: this.workspaceId,
            leaf_index: e.leafIndex,
            kind: e.kind,
            document_id: e.documentId,
            capture_id: e.captureId,
            leaf_json: e.leafJson,
            leaf_hash: e.leafHash,
            created_at: e.createdAt,
          })),
        )
        .execute();
    }
  }

  async entries(): Promise<LogEntry[]> {
    const rows = await this.db.selectFrom('log_entries').selectAll().where('workspace_id', '=', this.workspaceId).orderBy('leaf_index').execute();
    return rows.map((r) => ({
      leafIndex: Number(r.leaf_index),
      kind: r.kind as LogEntry['kind'],
      documentId: r.document_id,
      captureId: r.capture_id,
      leafJson: r.leaf_json,
      leafHash: r.leaf_hash,
      createdAt: r.created_at,
    }));
  }

  async leafHashes(): Promise<string[]> {
    const rows = await this.db.selectFrom('log_entries').select('leaf_hash').where('workspace_id', '=', this.workspaceId).orderBy('leaf_index').execute();
    return rows.map((r) => r.leaf_hash);
  }

  async addTreeHead(head: TreeHead): Promise<void> {
    await this.db
      .insertInto('tree_heads')
      .values({
        workspace_id: this.workspaceId,
        tree_size: head.treeSize,
        root_hash: head.rootHash,
        signed_at: head.signedAt,
        signature: head.signature,
        key_id: head.keyId,
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  async treeHeads(): Promise<TreeHead[]> {
    const rows = await this.db.selectFrom('tree_heads').selectAll().where('workspace_id', '=', this.workspaceId).orderBy('tree_size').execute();
    return rows.map((r) => ({ treeSize: Number(r.tree_size), rootHash: r.root_hash, signedAt: r.signed_at, signature: r.signature, keyId: r.key_id }));
  }
}
