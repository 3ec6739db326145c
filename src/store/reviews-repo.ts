import { VERDICT_LABELS, type VerdictLabel } from '../domain/verdict.js';
import { newId } from '../domain/ids.js';
import { AppError } from '../errors.js';
import { ClaimsRepo, type StoredClaim } from './claims-repo.js';
import type { Db } from './database.js';

export type ReviewAction = 'confirm' | 'override';

/** One human decision on a claim's verdict; older ones stay as history (current false). */
export interface Review {
  id: string;
  claimId: string;
  verdictId: string | null;
  action: ReviewAction;
  label: VerdictLabel;
  reason: string;
  evidenceDocumentId: string | null;
  user: string;
  current: boolean;
  createdAt: string;
  human: true;
}

export interface NewReview {
  claimId: string;
  action: ReviewAction;
  /** Required for an override; for a confirm it must equal the automatic verdict when given. */
  label?: VerdictLabel | undefined;
  reason: string;
  evidenceDocumentId?: string | null | undefined;
  user: string;
}

/** How widely the narrative a claim belongs to has spread. */
export interface Spread {
  /** The narrative id, or subject/predicate/object/polarity when narratives are not built yet. */
  key: string;
  byNarrative: boolean;
  actors: number;
  documents: number;
  claims: number;
}

export interface QueueItem {
  claim: StoredClaim;
  spread: Spread;
}

function spreadKey(c: StoredClaim): { key: string; byNarrative: boolean } {
  if (c.narrativeId) return { key: c.narrativeId, byNarrative: true };
  return { key: [c.subjectId ?? c.subject.toLowerCase(), c.predicate, (c.object ?? '').toLowerCase(), c.polarity].join('|'), byNarrative: false };
}

/** Human reviews of verdicts, and the queue of claims waiting for one. */
export class ReviewsRepo {
  private readonly claims: ClaimsRepo;

  constructor(private readonly db: Db, private readonly workspaceId: string) {
    this.claims = new ClaimsRepo(db, workspaceId);
  }

  /**
   * Records a confirm or an override beside the automatic verdict, which is never changed: the
   * previous review of the claim stays as history.
   */
  async add(input: NewReview): Promise<Review> {
    const claim = await this.claims.get(input.claimId);
    if (!claim) throw new AppError('not_found', `no claim with id ${input.claimId}: list them with \`claimtrace claims\``);
    if (input.reason.trim() === '') throw new AppError('invalid_input', 'a review needs a reason');
    if (input.label !== undefined && !(VERDICT_LABELS as readonly string[]).includes(input.label)) {
      throw new AppError('invalid_input', `label must be one of ${VERDICT_LABELS.join(', ')} (got "${String(input.label)}")`);
    }
    let label: VerdictLabel;
    if (input.action === 'confirm') {
      if (!claim.verdict) throw new AppError('conflict', `claim ${claim.id} has no automatic verdict to confirm yet: override it with a label instead`);
      if (input.label !== undefined && input.label !== claim.verdict.label) {
        throw new AppError('invalid_input', `the automatic verdict is ${claim.verdict.label}; to decide ${input.label} use override`);
      }
      label = claim.verdict.label;
    } else {
      if (input.label === undefined) throw new AppError('invalid_input', 'an override needs a label');
      label = input.label;
    }
    const review: Review = {
      id: newId('rev'),
      claimId: claim.id,
      verdictId: claim.verdict?.id ?? null,
      action: input.action,
      label,
      reason: input.reason.trim(),
      evidenceDocumentId: input.evidenceDocumentId ?? null,
      user: input.user,
      current: true,
      createdAt: new Date().toISOString(),
      human: true,
    };
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('reviews').set({ current: 0 }).where('claim_id', '=', claim.id).where('current', '=', 1).execute();
      await trx
        .insertInto('reviews')
        .values({
          id: review.id,
          claim_id: review.claimId,
          verdict_id: review.verdictId,
          action: review.action,
          label: review.label,
          reason: review.reason,
          evidence_document_id: review.evidenceDocumentId,
          user: review.user,
          current: 1,
          created_at: review.createdAt,
        })
        .execute();
    });
    return review;
  }

  /** Every review of a claim, oldest first. */
  async history(claimId: string): Promise<Review[]> {
    const rows = await this.db
      .selectFrom('reviews')
      .innerJoin('claims', 'claims.id', 'reviews.claim_id')
      .selectAll('reviews')
      .where('claims.workspace_id', '=', this.workspaceId)
      .where('reviews.claim_id', '=', claimId)
      .orderBy('reviews.created_at')
      .orderBy('reviews.id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      claimId: r.claim_id,
      verdictId: r.verdict_id,
      action: r.action as ReviewAction,
      label: r.label as VerdictLabel,
      reason: r.reason,
      evidenceDocumentId: r.evidence_document_id,
      user: r.user,
      current: r.current === 1,
      createdAt: r.created_at,
      human: true,
    }));
  }

  /**
   * Claims whose automatic verdict is NOT_ENOUGH_INFO and that no analyst has reviewed yet,
   * widest-spread narrative first (distinct actors, then documents), so the review effort goes
   * where a claim is repeated most.
   */
  async queue(): Promise<QueueItem[]> {
    const all = await this.claims.list();
    const groups = new Map<string, { actors: Set<string>; documents: Set<string>; claims: number }>();
    for (const c of all) {
      const { key } = spreadKey(c);
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { actors: new Set(), documents: new Set(), claims: 0 }));
      g.actors.add(c.actor ?? c.speaker ?? `doc:${c.documentId}`);
      g.documents.add(c.documentId);
      g.claims++;
    }
    const items: QueueItem[] = all
      .filter((c) => c.verdict?.label === 'NOT_ENOUGH_INFO' && c.review === null)
      .map((c) => {
        const { key, byNarrative } = spreadKey(c);
        const g = groups.get(key)!;
        return { claim: c, spread: { key, byNarrative, actors: g.actors.size, documents: g.documents.size, claims: g.claims } };
      });
    items.sort(
      (x, y) =>
        y.spread.actors - x.spread.actors ||
        y.spread.documents - x.spread.documents ||
        (x.claim.published ?? x.claim.capturedAt).localeCompare(y.claim.published ?? y.claim.capturedAt) ||
        x.claim.id.localeCompare(y.claim.id),
    );
    return items;
  }
}
