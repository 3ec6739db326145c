import { createHash } from 'node:crypto';
import type { ExtractedClaim, Modality, Polarity, Predicate } from '../domain/claim.js';
import type { AsOfBasis, EvidenceRef, Verdict, VerdictLabel } from '../domain/verdict.js';
import { newId } from '../domain/ids.js';
import type { Db } from './database.js';
import type { ExpressionBuilder, Expression, SqlBool } from 'kysely';
import type { ClaimRow, Tables, VerdictRow } from './schema.js';

/** A stored claim, with where it was said and its current verdict and review. */
export interface StoredClaim {
  id: string;
  documentId: string;
  url: string | null;
  location: string;
  published: string | null;
  publishedPrecision: string | null;
  capturedAt: string;
  actor: string | null;
  subject: string;
  subjectId: string | null;
  predicate: Predicate;
  object: string | null;
  polarity: Polarity;
  modality: Modality;
  speaker: string | null;
  speakerActorId: string | null;
  eventDate: string | null;
  quote: string;
  start: number;
  end: number;
  why: string;
  score: number;
  verdict: (Verdict & { id: string; createdAt: string }) | null;
  review: ReviewInfo | null;
  narrativeId: string | null;
}

export interface ReviewInfo {
  id: string;
  action: 'confirm' | 'override';
  label: VerdictLabel;
  reason: string;
  user: string;
  evidenceDocumentId: string | null;
  createdAt: string;
  human: true;
}

export interface ClaimFilter {
  subject?: string;
  predicate?: string;
  verdict?: string;
  documentId?: string;
  narrativeId?: string;
  modality?: string;
  q?: string;
  limit?: number;
  offset?: number;
}

export interface ClaimToStore extends ExtractedClaim {
  subjectId: string | null;
  speakerActorId: string | null;
}

/**
 * A claim's id is derived from what it says and where, so re-running the extractor keeps the
 * ids (and with them the verdict history and reviews) of claims it finds again.
 */
export function claimId(documentId: string, c: ExtractedClaim): string {
  const key = [documentId, c.subject, c.predicate, c.object ?? '', c.polarity, c.modality, c.start, c.end].join('\u0000');
  return `clm_${createHash('sha256').update(key).digest('hex').slice(0, 20)}`;
}

/** What claim extraction reads of a document: its text, dating and who speaks in it. */
export interface ExtractionSource {
  id: string;
  text: string | null;
  published: string | null;
  publishedPrecision: string | null;
  /** The registered actor's name, else the author. */
  actor: string | null;
}

/** Rows per multi-row insert: well under SQLite's and PostgreSQL's bound-parameter limits. */
const INSERT_CHUNK = 200;

/** Claims, verdicts and reviews. */
export class ClaimsRepo {
  constructor(private readonly db: Db, private readonly workspaceId: string) {}

  /**
   * The extraction inputs of many documents in one query (the claims stage reads a batch at a
   * time); documents not in this workspace are absent from the result.
   */
  async extractionSources(documentIds: readonly string[]): Promise<Map<string, ExtractionSource>> {
    const out = new Map<string, ExtractionSource>();
    if (documentIds.length === 0) return out;
    const rows = await this.db
      .selectFrom('documents')
      .leftJoin('actors', 'actors.id', 'documents.actor_id')
      .select(['documents.id', 'documents.text', 'documents.published', 'documents.published_precision', 'documents.author', 'actors.name as actor_name'])
      .where('documents.workspace_id', '=', this.workspaceId)
      .where('documents.id', 'in', [...documentIds])
      .execute();
    for (const r of rows) {
      out.set(r.id, { id: r.id, text: r.text, published: r.published, publishedPrecision: r.published_precision, actor: r.actor_name ?? r.author ?? null });
    }
    return out;
  }

  /** Stores the claims an extractor run found in a document; claims it no longer finds are deactivated, not deleted. */
  async replaceForDocument(documentId: string, claims: ClaimToStore[], version: string): Promise<{ added: number; kept: number; deactivated: number }> {
    const now = new Date().toISOString();
    const existing = await this.db.selectFrom('claims').select(['id', 'active']).where('document_id', '=', documentId).execute();
    const existingIds = new Set(existing.map((r) => r.id));
    const seen = new Set<string>();
    let added = 0;
    let kept = 0;
    const inserts: ClaimRow[] = [];
    for (const c of claims) {
      const id = claimId(documentId, c);
      if (seen.has(id)) continue;
      seen.add(id);
      const row: Omit<ClaimRow, 'id' | 'created_at' | 'narrative_id'> = {
        workspace_id: this.workspaceId,
        document_id: documentId,
        subject_id: c.subjectId,
        subject_name: c.subject,
        predicate: c.predicate,
        object: c.object,
        polarity: c.polarity,
        modality: c.modality,
        speaker: c.speaker,
        speaker_actor_id: c.speakerActorId,
        event_date: c.eventDate,
        quote: c.quote,
        start_offset: c.start,
        end_offset: c.end,
        why: c.why,
        score: c.score,
        extractor_version: version,
        active: 1,
      };
      if (existingIds.has(id)) {
        await this.db.updateTable('claims').set(row).where('id', '=', id).execute();
        kept++;
      } else {
        inserts.push({ ...row, id, created_at: now, narrative_id: null });
        added++;
      }
    }
    // New claims in multi-row inserts: one statement instead of one per claim.
    for (let i = 0; i < inserts.length; i += INSERT_CHUNK) await this.db.insertInto('claims').values(inserts.slice(i, i + INSERT_CHUNK)).execute();
    const stale = existing.filter((r) => !seen.has(r.id) && r.active === 1).map((r) => r.id);
    if (stale.length > 0) await this.db.updateTable('claims').set({ active: 0 }).where('id', 'in', stale).execute();
    return { added, kept, deactivated: stale.length };
  }

  /**
   * The filter's conditions on the claims table alone (everything but the verdict). `byDocument`
   * leaves the workspace to a condition on the claim's document (the same workspace), so that
   * the database starts from the documents rather than from an index of claims by workspace.
   */
  private claimConditions(filter: ClaimFilter, byDocument = false) {
    return (eb: ExpressionBuilder<Tables, 'claims'>) => {
      const conds: Expression<SqlBool>[] = [eb('claims.active', '=', 1)];
      if (!byDocument) conds.push(eb('claims.workspace_id', '=', this.workspaceId));
      if (filter.subject) conds.push(eb.or([eb('claims.subject_name', '=', filter.subject), eb('claims.subject_id', '=', filter.subject)]));
      if (filter.predicate) conds.push(eb('claims.predicate', '=', filter.predicate));
      if (filter.modality) conds.push(eb('claims.modality', '=', filter.modality));
      if (filter.documentId) conds.push(eb('claims.document_id', '=', filter.documentId));
      if (filter.narrativeId) conds.push(eb('claims.narrative_id', '=', filter.narrativeId));
      if (filter.q) {
        const like = `%${filter.q.toLowerCase().replace(/[%_]/g, '')}%`;
        conds.push(eb.or([eb(eb.fn('lower', ['claims.quote']), 'like', like), eb(eb.fn('lower', ['claims.subject_name']), 'like', like)]));
      }
      return eb.and(conds);
    };
  }

  /** Claims with their document, the document's actor, and the current verdict and review. */
  private joined() {
    return this.db
      .selectFrom('claims')
      .innerJoin('documents', 'documents.id', 'claims.document_id')
      .leftJoin('actors', 'actors.id', 'documents.actor_id')
      .leftJoin('verdicts', (j) => j.onRef('verdicts.claim_id', '=', 'claims.id').on('verdicts.current', '=', 1))
      .leftJoin('reviews', (j) => j.onRef('reviews.claim_id', '=', 'claims.id').on('reviews.current', '=', 1));
  }

  /** The joined claims of the workspace narrowed by the filter (no columns, order or paging yet). */
  private filtered(filter: ClaimFilter) {
    let q = this.joined().where(this.claimConditions(filter));
    if (filter.verdict) {
      const v = filter.verdict.toUpperCase();
      q = v === 'NONE' ? q.where('verdicts.label', 'is', null) : q.where((eb) => eb.or([eb('reviews.label', '=', v), eb.and([eb('reviews.label', 'is', null), eb('verdicts.label', '=', v)])]));
    }
    return q;
  }

  /** How many active claims the filter matches (limit and offset ignored), counted in SQL. */
  async count(filter: ClaimFilter = {}): Promise<number> {
    const n = (eb: ExpressionBuilder<Tables, 'claims'>) => eb.fn.countAll<number | string | bigint>().as('n');
    // Without a verdict filter the joins cannot change the count (a claim has one document and
    // at most one current verdict and review), so the claims table alone answers.
    const row = filter.verdict
      ? await this.filtered(filter).select(n).executeTakeFirst()
      : await this.db.selectFrom('claims').where(this.claimConditions(filter)).select(n).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** One page of list(filter) and the total it was cut from, both in SQL (the API's claim listing). */
  async page(filter: ClaimFilter, limit: number, offset: number): Promise<{ items: StoredClaim[]; total: number }> {
    const [items, total] = await Promise.all([this.list({ ...filter, limit, offset }), this.count(filter)]);
    return { items, total };
  }

  /**
   * The ids of one page of list(filter), in list order. Only the narrow id rows are ordered and
   * cut; sorting every joined row with its quote and evidence was most of an API request.
   */
  private async pageIds(filter: ClaimFilter, limit: number | null, offset: number): Promise<string[]> {
    // documents.id is claims.document_id here; naming it (and the workspace on documents) lets
    // the database walk documents_published in order instead of sorting every claim.
    const base = filter.verdict
      ? this.filtered(filter)
      : this.db.selectFrom('claims').innerJoin('documents', 'documents.id', 'claims.document_id').where(this.claimConditions(filter, true));
    const ordered = base
      .where('documents.workspace_id', '=', this.workspaceId)
      .select('claims.id')
      .orderBy('documents.published')
      .orderBy('documents.id')
      .orderBy('claims.start_offset')
      .orderBy('claims.id');
    const rows = await (limit === null ? ordered : ordered.limit(limit).offset(offset)).execute();
    return rows.map((r) => r.id);
  }

  /**
   * The ids of every claim list(filter) returns (the first `limit` when given), in list order: a caller paging through one
   * filter many times (the API under an unchanged database) cuts pages from it instead of walking
   * the offset in SQL for each page.
   */
  async orderedIds(filter: ClaimFilter, limit: number | null = null): Promise<string[]> {
    return this.pageIds(filter, limit, 0);
  }

  /** The claims with these ids, in list order (ids not in the workspace are left out). */
  async byIds(ids: readonly string[]): Promise<StoredClaim[]> {
    if (ids.length === 0) return [];
    return this.list({ ids });
  }

  async list(filter: ClaimFilter & { ids?: readonly string[] } = {}): Promise<StoredClaim[]> {
    const page = filter.ids ?? (filter.limit === undefined ? null : await this.pageIds(filter, filter.limit, filter.offset ?? 0));
    if (page?.length === 0) return [];
    // A page is read by id alone: the ids were chosen under the filter already.
    let q = (page ? this.joined().where('claims.workspace_id', '=', this.workspaceId).where('claims.id', 'in', page) : this.filtered(filter))
      .select([
        'claims.id', 'claims.document_id', 'claims.subject_name', 'claims.subject_id', 'claims.predicate', 'claims.object',
        'claims.polarity', 'claims.modality', 'claims.speaker', 'claims.speaker_actor_id', 'claims.event_date', 'claims.quote',
        'claims.start_offset', 'claims.end_offset', 'claims.why', 'claims.score', 'claims.narrative_id',
        'documents.url', 'documents.location', 'documents.published', 'documents.published_precision', 'documents.captured_at',
        'actors.name as actor_name', 'documents.author',
        'verdicts.id as v_id', 'verdicts.label as v_label', 'verdicts.as_of as v_as_of', 'verdicts.as_of_basis as v_basis',
        'verdicts.explanation as v_explanation', 'verdicts.evidence_json as v_evidence', 'verdicts.created_at as v_created',
        'reviews.id as r_id', 'reviews.action as r_action', 'reviews.label as r_label', 'reviews.reason as r_reason',
        'reviews.user as r_user', 'reviews.evidence_document_id as r_doc', 'reviews.created_at as r_created',
      ])
      .orderBy('documents.published')
      .orderBy('claims.document_id')
      .orderBy('claims.start_offset')
      .orderBy('claims.id');
    if (!page && filter.offset !== undefined) q = q.offset(filter.offset);
    const rows = await q.execute();
    return rows.map((r) => ({
      id: r.id,
      documentId: r.document_id,
      url: r.url,
      location: r.location,
      published: r.published,
      publishedPrecision: r.published_precision,
      capturedAt: r.captured_at,
      actor: r.actor_name ?? r.author ?? null,
      subject: r.subject_name,
      subjectId: r.subject_id,
      predicate: r.predicate as Predicate,
      object: r.object,
      polarity: r.polarity as Polarity,
      modality: r.modality as Modality,
      speaker: r.speaker,
      speakerActorId: r.speaker_actor_id,
      eventDate: r.event_date,
      quote: r.quote,
      start: Number(r.start_offset),
      end: Number(r.end_offset),
      why: r.why,
      score: Number(r.score),
      verdict: r.v_id
        ? {
            id: r.v_id,
            label: r.v_label as VerdictLabel,
            asOf: r.v_as_of!,
            asOfBasis: r.v_basis as AsOfBasis,
            explanation: r.v_explanation!,
            evidence: JSON.parse(r.v_evidence ?? '[]') as EvidenceRef[],
            createdAt: r.v_created!,
          }
        : null,
      review: r.r_id
        ? {
            id: r.r_id,
            action: r.r_action as ReviewInfo['action'],
            label: r.r_label as VerdictLabel,
            reason: r.r_reason!,
            user: r.r_user!,
            evidenceDocumentId: r.r_doc,
            createdAt: r.r_created!,
            human: true,
          }
        : null,
      narrativeId: r.narrative_id,
    }));
  }

  async get(id: string): Promise<StoredClaim | null> {
    const row = await this.db.selectFrom('claims').select('document_id').where('id', '=', id).where('workspace_id', '=', this.workspaceId).executeTakeFirst();
    if (!row) return null;
    return (await this.list({ documentId: row.document_id })).find((c) => c.id === id) ?? null;
  }

  /**
   * Records a verdict unless the current one was reached from the same data; an older verdict
   * stays as history (current = 0), never overwritten.
   */
  async saveVerdict(claimId: string, v: Verdict, fingerprint: string): Promise<'new' | 'unchanged'> {
    const [outcome] = await this.saveVerdicts([{ claimId, verdict: v, fingerprint }]);
    return outcome ?? 'unchanged';
  }

  /**
   * saveVerdict for many claims at once (each claim at most once): the current verdicts are read
   * in one query and the new ones written in multi-row inserts. Returns each claim's outcome in
   * input order.
   */
  async saveVerdicts(items: readonly { claimId: string; verdict: Verdict; fingerprint: string }[]): Promise<('new' | 'unchanged')[]> {
    const out: ('new' | 'unchanged')[] = [];
    for (let i = 0; i < items.length; i += INSERT_CHUNK) {
      const chunk = items.slice(i, i + INSERT_CHUNK);
      const current = await this.db
        .selectFrom('verdicts')
        .select(['id', 'claim_id', 'data_fingerprint'])
        .where('claim_id', 'in', chunk.map((c) => c.claimId))
        .where('current', '=', 1)
        .execute();
      const byClaim = new Map(current.map((r) => [r.claim_id, r]));
      const retire: string[] = [];
      const rows: VerdictRow[] = [];
      for (const { claimId, verdict: v, fingerprint } of chunk) {
        const cur = byClaim.get(claimId);
        if (cur && cur.data_fingerprint === fingerprint) {
          out.push('unchanged');
          continue;
        }
        if (cur) retire.push(cur.id);
        rows.push({
          id: newId('vdt'),
          claim_id: claimId,
          label: v.label,
          as_of: v.asOf,
          as_of_basis: v.asOfBasis,
          explanation: v.explanation,
          evidence_json: JSON.stringify(v.evidence),
          data_fingerprint: fingerprint,
          current: 1,
          created_at: new Date().toISOString(),
        });
        out.push('new');
      }
      if (retire.length > 0) await this.db.updateTable('verdicts').set({ current: 0 }).where('id', 'in', retire).execute();
      if (rows.length > 0) await this.db.insertInto('verdicts').values(rows).execute();
    }
    return out;
  }

  async verdictHistory(claimId: string): Promise<(Verdict & { id: string; createdAt: string; current: boolean })[]> {
    const rows = await this.db.selectFrom('verdicts').selectAll().where('claim_id', '=', claimId).orderBy('created_at').orderBy('id').execute();
    return rows.map((r) => ({
      id: r.id,
      label: r.label as VerdictLabel,
      asOf: r.as_of,
      asOfBasis: r.as_of_basis as AsOfBasis,
      explanation: r.explanation,
      evidence: JSON.parse(r.evidence_json) as EvidenceRef[],
      createdAt: r.created_at,
      current: r.current === 1,
    }));
  }
}
