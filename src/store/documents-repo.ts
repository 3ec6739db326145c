import type { DatePrecision } from '../domain/dates.js';
import type { DocumentFormat, DocumentInfo, DocumentKind, DocumentStatus } from '../domain/document.js';
import { AppError } from '../errors.js';
import type { Db } from './database.js';
import type { CaptureRow, DocumentRow } from './schema.js';

export type NewDocument = Omit<DocumentRow, 'workspace_id' | 'created_at' | 'updated_at'>;
export type CaptureInfo = {
  id: string;
  documentId: string;
  capturedAt: string;
  sha256: string;
  warcFile: string;
  recordId: string;
  recordOffset: number;
  recordLength: number;
  blockDigest: string;
  payloadDigest: string | null;
  requestRecordId: string | null;
  conversionRecordId: string | null;
  conversionOffset: number | null;
  conversionLength: number | null;
  conversionDigest: string | null;
  ipAddress: string | null;
  httpStatus: number | null;
  textSha256: string | null;
  leafIndex: number | null;
};

export interface DocumentWithText extends DocumentInfo {
  text: string | null;
  metadata: Record<string, unknown>;
  errorCode: string | null;
  mediaType: string | null;
  author: string | null;
}

export interface DocumentFilter {
  status?: DocumentStatus;
  limit?: number;
  offset?: number;
}

export type StageStatus = 'pending' | 'running' | 'ok' | 'failed' | 'skipped';

function toInfo(r: DocumentRow & { actor_name?: string | null }): DocumentInfo {
  return {
    id: r.id,
    location: r.location,
    url: r.url,
    title: r.title,
    publisher: r.publisher,
    actor: r.actor_name ?? r.author ?? null,
    actorId: r.actor_id,
    published: r.published,
    publishedPrecision: r.published_precision as DatePrecision | null,
    kind: r.kind as DocumentKind,
    format: r.format as DocumentFormat,
    capturedAt: r.captured_at,
    sha256: r.sha256,
    size: r.size,
    status: r.status as DocumentStatus,
    error: r.error,
    links: JSON.parse(r.links_json) as string[],
    parentId: r.parent_id,
  };
}

export function toCaptureInfo(r: CaptureRow): CaptureInfo {
  return {
    id: r.id,
    documentId: r.document_id,
    capturedAt: r.captured_at,
    sha256: r.sha256,
    warcFile: r.warc_file,
    recordId: r.record_id,
    recordOffset: r.record_offset,
    recordLength: r.record_length,
    blockDigest: r.block_digest,
    payloadDigest: r.payload_digest,
    requestRecordId: r.request_record_id,
    conversionRecordId: r.conversion_record_id,
    conversionOffset: r.conversion_offset,
    conversionLength: r.conversion_length,
    conversionDigest: r.conversion_digest,
    ipAddress: r.ip_address,
    httpStatus: r.http_status,
    textSha256: r.text_sha256,
    leafIndex: r.leaf_index,
  };
}

/** Rows per multi-row INSERT: 25 columns x 100 rows stays far below SQLite's bound-parameter limit. */
const INSERT_CHUNK = 100;
/** Locations per lookup query. */
const LOOKUP_CHUNK = 500;

/** The key findByIdentities() uses for a document's identity. */
export function identityKey(location: string, sha256: string): string {
  return `${location}\u0000${sha256}`;
}

/** Documents, their captures and per-stage status. */
export class DocumentsRepo {
  constructor(private readonly db: Db, private readonly workspaceId: string) {}

  private base() {
    return this.db
      .selectFrom('documents')
      .leftJoin('actors', 'actors.id', 'documents.actor_id')
      .selectAll('documents')
      .select('actors.name as actor_name')
      .where('documents.workspace_id', '=', this.workspaceId);
  }

  async findByIdentity(location: string, sha256: string): Promise<DocumentInfo | null> {
    const row = await this.base().where('documents.location', '=', location).where('documents.sha256', '=', sha256).executeTakeFirst();
    return row ? toInfo(row) : null;
  }

  /**
   * The documents among `identities` (location and sha256) that are already stored, keyed by
   * `location NUL sha256`: one query per chunk instead of one per document.
   */
  async findByIdentities(identities: { location: string; sha256: string }[]): Promise<Map<string, DocumentInfo>> {
    const found = new Map<string, DocumentInfo>();
    const wanted = new Set(identities.map((i) => identityKey(i.location, i.sha256)));
    const locations = [...new Set(identities.map((i) => i.location))];
    for (let i = 0; i < locations.length; i += LOOKUP_CHUNK) {
      const rows = await this.base().where('documents.location', 'in', locations.slice(i, i + LOOKUP_CHUNK)).execute();
      for (const row of rows) {
        const key = identityKey(row.location, row.sha256);
        if (wanted.has(key)) found.set(key, toInfo(row));
      }
    }
    return found;
  }

  async list(filter: DocumentFilter = {}): Promise<DocumentInfo[]> {
    let q = this.base().orderBy('documents.created_at').orderBy('documents.id');
    if (filter.status) q = q.where('documents.status', '=', filter.status);
    if (filter.limit !== undefined) q = q.limit(filter.limit);
    if (filter.offset !== undefined) q = q.offset(filter.offset);
    return (await q.execute()).map(toInfo);
  }

  async count(): Promise<number> {
    const r = await this.db
      .selectFrom('documents')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('workspace_id', '=', this.workspaceId)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async get(id: string): Promise<DocumentWithText> {
    const row = await this.base().where('documents.id', '=', id).executeTakeFirst();
    if (!row) throw new AppError('not_found', `no document with id ${id}: list them with \`claimtrace documents\``);
    return {
      ...toInfo(row),
      text: row.text,
      metadata: JSON.parse(row.metadata_json) as Record<string, unknown>,
      errorCode: row.error_code,
      mediaType: row.media_type,
      author: row.author,
    };
  }

  async insert(doc: NewDocument): Promise<void> {
    const now = new Date().toISOString();
    await this.db.insertInto('documents').values({ ...doc, workspace_id: this.workspaceId, created_at: now, updated_at: now }).execute();
  }

  /** Inserts documents in one statement per chunk. */
  async insertMany(docs: NewDocument[]): Promise<void> {
    const now = new Date().toISOString();
    for (let i = 0; i < docs.length; i += INSERT_CHUNK) {
      await this.db
        .insertInto('documents')
        .values(docs.slice(i, i + INSERT_CHUNK).map((d) => ({ ...d, workspace_id: this.workspaceId, created_at: now, updated_at: now })))
        .execute();
    }
  }

  async update(id: string, patch: Partial<Omit<DocumentRow, 'id' | 'workspace_id'>>): Promise<void> {
    await this.db
      .updateTable('documents')
      .set({ ...patch, updated_at: new Date().toISOString() })
      .where('id', '=', id)
      .where('workspace_id', '=', this.workspaceId)
      .execute();
  }

  async insertCapture(row: CaptureRow): Promise<void> {
    await this.db.insertInto('captures').values(row).execute();
  }

  /** Inserts captures in one statement per chunk. */
  async insertCaptures(rows: CaptureRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) await this.db.insertInto('captures').values(rows.slice(i, i + INSERT_CHUNK)).execute();
  }

  async setCaptureLeaf(captureId: string, leafIndex: number): Promise<void> {
    await this.db.updateTable('captures').set({ leaf_index: leafIndex }).where('id', '=', captureId).execute();
  }

  async captures(documentId: string): Promise<CaptureInfo[]> {
    const rows = await this.db.selectFrom('captures').selectAll().where('document_id', '=', documentId).orderBy('captured_at').orderBy('id').execute();
    return rows.map(toCaptureInfo);
  }

  async allCaptures(): Promise<CaptureInfo[]> {
    const rows = await this.db
      .selectFrom('captures')
      .innerJoin('documents', 'documents.id', 'captures.document_id')
      .selectAll('captures')
      .where('documents.workspace_id', '=', this.workspaceId)
      .orderBy('captures.captured_at')
      .orderBy('captures.id')
      .execute();
    return rows.map(toCaptureInfo);
  }

  /** What coordination needs of every stored document: who, when, the text and its links. */
  async forCoordination(): Promise<{ id: string; actorId: string | null; published: string | null; precision: string | null; capturedAt: string; text: string; links: string[]; metadata: Record<string, unknown> }[]> {
    const rows = await this.db
      .selectFrom('documents')
      .select(['id', 'actor_id', 'published', 'published_precision', 'captured_at', 'text', 'links_json', 'metadata_json'])
      .where('workspace_id', '=', this.workspaceId)
      .where('status', '!=', 'failed')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      actorId: r.actor_id,
      published: r.published,
      precision: r.published_precision,
      capturedAt: r.captured_at,
      text: r.text ?? '',
      links: JSON.parse(r.links_json) as string[],
      metadata: JSON.parse(r.metadata_json) as Record<string, unknown>,
    }));
  }

  /** Raw rows for integrity checking; the evidence verifier compares them to the log. */
  async rawRows(): Promise<DocumentRow[]> {
    return this.db.selectFrom('documents').selectAll().where('workspace_id', '=', this.workspaceId).execute();
  }

  async setStage(documentId: string, stage: string, status: StageStatus, version: string | null, error: string | null = null): Promise<void> {
    const now = new Date().toISOString();
    await this.db
      .insertInto('document_stages')
      .values({ document_id: documentId, stage, status, version, error, attempts: status === 'running' ? 1 : 0, updated_at: now })
      .onConflict((oc) =>
        oc.columns(['document_id', 'stage']).doUpdateSet((eb) => ({
          status,
          version,
          error,
          updated_at: now,
          attempts: status === 'running' ? eb('document_stages.attempts', '+', 1) : eb.ref('document_stages.attempts'),
        })),
      )
      .execute();
  }

  async stages(documentId: string): Promise<{ stage: string; status: StageStatus; version: string | null; error: string | null; updatedAt: string }[]> {
    const rows = await this.db.selectFrom('document_stages').selectAll().where('document_id', '=', documentId).orderBy('stage').execute();
    return rows.map((r) => ({ stage: r.stage, status: r.status as StageStatus, version: r.version, error: r.error, updatedAt: r.updated_at }));
  }

  /**
   * Documents whose stage has not run at `version`: never run, interrupted while running,
   * or run by an older version of the stage.
   */
  async pendingFor(stage: string, version: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('documents')
      .leftJoin('document_stages', (j) => j.onRef('document_stages.document_id', '=', 'documents.id').on('document_stages.stage', '=', stage))
      .select('documents.id')
      .where('documents.workspace_id', '=', this.workspaceId)
      .where('documents.status', '!=', 'failed')
      .where((eb) =>
        eb.or([
          eb('document_stages.status', 'is', null),
          eb('document_stages.status', 'in', ['pending', 'running']),
          eb('document_stages.version', '!=', version),
        ]),
      )
      .orderBy('documents.created_at')
      .orderBy('documents.id')
      .execute();
    return rows.map((r) => r.id);
  }
}
