import { decideNarrative, frameKey, narrativeIndex, type NarrativeCandidate } from '../coordinate/narrative-match.js';
import { charGrams, sortedJaccard } from '../coordinate/short-text.js';
import { NarrativesRepo } from '../store/narratives-repo.js';
import type { Workspace } from '../store/workspace.js';
import type { WorkspaceStage } from './stages.js';

/**
 * Groups claims that say the same thing into narratives. Every placement is kept as a
 * narrative event (auto-match, suggest, create), so an analyst can see and undo it.
 */
export const narrativesStage: WorkspaceStage = {
  scope: 'workspace',
  name: 'narratives',
  async run(ws: Workspace) {
    return ws.db.transaction().execute(async (trx) => {
      const repo = new NarrativesRepo(trx, ws.id);
      const open = await repo.list();
      const candidates: NarrativeCandidate[] = open.map((n) => ({ ...n }));
      const byFrame = new Map<string, NarrativeCandidate>();
      for (const n of candidates) if (!byFrame.has(frameKey(n))) byFrame.set(frameKey(n), n);
      const byId = new Map(candidates.map((n) => [n.id, n]));
      const index = candidates.length > 0 ? narrativeIndex(candidates) : null;
      const touched = new Set<string>();
      let joined = 0;
      let created = 0;
      let suggested = 0;
      for (const claim of await repo.unplaced()) {
        const d = decideNarrative(claim, byFrame, index, byId, ws.config.narratives);
        if (d.kind === 'join') {
          await repo.assign(claim.id, d.narrativeId, claim.date);
          await repo.addEvent(d.narrativeId, 'auto-match', { claimId: claim.id, score: d.score, note: d.why });
          touched.add(d.narrativeId);
          joined++;
          continue;
        }
        const n = await repo.create({ subjectId: claim.subjectId, predicate: claim.predicate, object: claim.object, polarity: claim.polarity, representative: claim.quote, firstSeen: claim.date, lastSeen: claim.date });
        await repo.assign(claim.id, n.id, claim.date);
        await repo.addEvent(n.id, 'create', { claimId: claim.id, note: 'first claim of this narrative' });
        const cand: NarrativeCandidate = { ...n };
        byFrame.set(frameKey(cand), cand);
        byId.set(n.id, cand);
        created++;
        if (d.suggest) {
          await repo.addEvent(d.suggest.narrativeId, 'suggest', { claimId: claim.id, score: d.suggest.score, note: `${d.suggest.why}; placed in ${n.id} until an analyst decides` });
          suggested++;
        }
      }
      // The first claim's quote named the narrative; once others join, the wording most alike to
      // the rest (among plain assertions, when there are any) names it better.
      for (const id of touched) {
        const text = representativeWording(await repo.wordings(id));
        if (text !== null) await repo.setRepresentative(id, text);
      }
      return { detail: `${joined} claims joined narratives, ${created} new narratives, ${suggested} suggestions for review` };
    });
  },
};

/** Wordings compared per narrative; beyond this the most recent ids are left out (quadratic). */
const MAX_WORDINGS = 80;

/**
 * The medoid wording of a narrative: among asserted claims when there are any (a question or a
 * hypothetical names a narrative badly), the quote with the highest mean character 5-gram
 * similarity to the others; ties go to the shorter quote, then the lower claim id.
 */
export function representativeWording(claims: readonly { id: string; quote: string; modality: string }[]): string | null {
  if (claims.length === 0) return null;
  const asserted = claims.filter((c) => c.modality === 'asserted');
  const pool = (asserted.length > 0 ? asserted : claims).slice(0, MAX_WORDINGS);
  const grams = pool.map((c) => charGrams(c.quote, 5));
  let best = 0;
  let bestScore = -1;
  for (let i = 0; i < pool.length; i++) {
    let sum = 0;
    for (let j = 0; j < pool.length; j++) if (i !== j) sum += sortedJaccard(grams[i]!, grams[j]!);
    const score = pool.length > 1 ? sum / (pool.length - 1) : 1;
    const a = pool[i]!;
    const b = pool[best]!;
    if (score > bestScore + 1e-12 || (Math.abs(score - bestScore) <= 1e-12 && (a.quote.length < b.quote.length || (a.quote.length === b.quote.length && a.id < b.id)))) {
      best = i;
      bestScore = score;
    }
  }
  return pool[best]!.quote;
}
