import { newId } from '../domain/ids.js';
import { AppError } from '../errors.js';
import type { Db } from './database.js';
import type { NarrativeRow } from './schema.js';

export interface Narrative {
  id: string;
  subjectId: string | null;
  predicate: string;
  object: string | null;
  polarity: string;
  representative: string;
  firstSeen: string | null;
  lastSeen: string | null;
  status: 'open' | 'merged';
  mergedInto: string | null;
}

export interface NarrativeEvent {
  id: string;
  claimId: string | null;
  action: string;
  score: number | null;
  user: string | null;
  note: string | null;
  createdAt: string;
}

export type NarrativeAction = 'create' | 'auto-match' | 'suggest' | 'confirm' | 'reject' | 'merge';

/** A claim the narrative stage has yet to place, with what matching needs. */
export interface UnplacedClaim {
  id: string;
  subjectId: string | null;
  predicate: string;
  object: string | null;
  polarity: string;
  quote: string;
  date: string | null;
}

/** A narratives row as the rest of the code sees it. */
export function toNarrative(r: NarrativeRow): Narrative {
  return {
    id: r.id,
    subjectId: r.subject_id,
    predicate: r.predicate,
    object: r.object,
    polarity: r.polarity,
    representative: r.representative,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    status: r.status as Narrative['status'],
    mergedInto: r.merged_into,
  };
}

/** Narratives, which claims express them, and the history of every grouping decision. */
export class NarrativesRepo {
  constructor(private readonly db: Db, private readonly workspaceId: string) {}

  async list(includeMerged = false): Promise<Narrative[]> {
    let q = this.db.selectFrom('narratives').selectAll().where('workspace_id', '=', this.workspaceId).orderBy('first_seen').orderBy('id');
    if (!includeMerged) q = q.where('status', '=', 'open');
    return (await q.execute()).map(toNarrative);
  }

  async require(id: string): Promise<Narrative> {
    const row = await this.db.selectFrom('narratives').selectAll().where('workspace_id', '=', this.workspaceId).where('id', '=', id).executeTakeFirst();
    if (!row) throw new AppError('not_found', `no narrative with id ${id}: list them with \`claimtrace narratives\``);
    return toNarrative(row);
  }

  /** Active factual-predicate claims not yet placed in a narrative, oldest first. */
  async unplaced(): Promise<UnplacedClaim[]> {
    const rows = await this.db
      .selectFrom('claims')
      .innerJoin('documents', 'documents.id', 'claims.document_id')
      .select(['claims.id', 'claims.subject_id', 'claims.predicate', 'claims.object', 'claims.polarity', 'claims.quote', 'documents.published', 'documents.captured_at'])
      .where('claims.workspace_id', '=', this.workspaceId)
      .where('claims.active', '=', 1)
      .where('claims.narrative_id', 'is', null)
      .where('claims.predicate', '!=', 'other')
      .orderBy('documents.published')
      .orderBy('claims.id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      subjectId: r.subject_id,
      predicate: r.predicate,
      object: r.object,
      polarity: r.polarity,
      quote: r.quote,
      // Narratives are seen by the day: a feed item's full timestamp would sort apart from dates.
      date: (r.published ?? r.captured_at).slice(0, 10),
    }));
  }

  async create(n: Omit<Narrative, 'id' | 'status' | 'mergedInto'>): Promise<Narrative> {
    const row: NarrativeRow = {
      id: newId('nar'),
      workspace_id: this.workspaceId,
      subject_id: n.subjectId,
      predicate: n.predicate,
      object: n.object,
      polarity: n.polarity,
      representative: n.representative,
      first_seen: n.firstSeen,
      last_seen: n.lastSeen,
      status: 'open',
      merged_into: null,
      created_at: new Date().toISOString(),
    };
    await this.db.insertInto('narratives').values(row).execute();
    return toNarrative(row);
  }

  /** Puts a claim in a narrative and widens the narrative's first/last seen to the claim's date. */
  async assign(claimId: string, narrativeId: string, date: string | null): Promise<void> {
    await this.db.updateTable('claims').set({ narrative_id: narrativeId }).where('id', '=', claimId).execute();
    if (!date) return;
    const n = await this.require(narrativeId);
    const first = n.firstSeen === null || date < n.firstSeen ? date : n.firstSeen;
    const last = n.lastSeen === null || date > n.lastSeen ? date : n.lastSeen;
    await this.db.updateTable('narratives').set({ first_seen: first, last_seen: last }).where('id', '=', narrativeId).execute();
  }

  /** The active claims of a narrative as its wording is chosen from them: quote and modality. */
  async wordings(narrativeId: string): Promise<{ id: string; quote: string; modality: string }[]> {
    return this.db
      .selectFrom('claims')
      .select(['id', 'quote', 'modality'])
      .where('workspace_id', '=', this.workspaceId)
      .where('narrative_id', '=', narrativeId)
      .where('active', '=', 1)
      .orderBy('id')
      .execute();
  }

  async setRepresentative(narrativeId: string, text: string): Promise<void> {
    await this.db.updateTable('narratives').set({ representative: text }).where('workspace_id', '=', this.workspaceId).where('id', '=', narrativeId).execute();
  }

  async addEvent(narrativeId: string, action: NarrativeAction, e: { claimId?: string | null; score?: number | null; user?: string | null; note?: string | null }): Promise<void> {
    await this.db
      .insertInto('narrative_events')
      .values({
        id: newId('nev'),
        narrative_id: narrativeId,
        claim_id: e.claimId ?? null,
        action,
        score: e.score ?? null,
        user: e.user ?? null,
        note: e.note ?? null,
        created_at: new Date().toISOString(),
      })
      .execute();
  }

  /** Every grouping decision taken on a narrative, oldest first. */
  async events(narrativeId: string): Promise<NarrativeEvent[]> {
    const rows = await this.db
      .selectFrom('narrative_events')
      .innerJoin('narratives', 'narratives.id', 'narrative_events.narrative_id')
      .selectAll('narrative_events')
      .where('narratives.workspace_id', '=', this.workspaceId)
      .where('narrative_events.narrative_id', '=', narrativeId)
      .orderBy('narrative_events.created_at')
      .orderBy('narrative_events.id')
      .execute();
    return rows.map((r) => ({ id: r.id, claimId: r.claim_id, action: r.action, score: r.score === null ? null : Number(r.score), user: r.user, note: r.note, createdAt: r.created_at }));
  }

  async claimIds(narrativeId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('claims').select('id').where('narrative_id', '=', narrativeId).where('active', '=', 1).orderBy('id').execute();
    return rows.map((r) => r.id);
  }

  /** Merges `from` into `into`: its claims move, it stays as a merged record for the history. */
  async merge(into: string, from: string): Promise<void> {
    await this.db.updateTable('claims').set({ narrative_id: into }).where('narrative_id', '=', from).execute();
    await this.db.updateTable('narratives').set({ status: 'merged', merged_into: into }).where('id', '=', from).execute();
    const a = await this.require(into);
    const b = await this.require(from);
    const first = [a.firstSeen, b.firstSeen].filter((x): x is string => x !== null).sort()[0] ?? null;
    const last = [a.lastSeen, b.lastSeen].filter((x): x is string => x !== null).sort().pop() ?? null;
    await this.db.updateTable('narratives').set({ first_seen: first, last_seen: last }).where('id', '=', into).execute();
  }
}
