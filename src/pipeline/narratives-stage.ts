import { decideNarrative, frameKey, narrativeIndex, type NarrativeCandidate } from '../coordinate/narrative-match.js';
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
      let joined = 0;
      let created = 0;
      let suggested = 0;
      for (const claim of await repo.unplaced()) {
        const d = decideNarrative(claim, byFrame, index, byId, ws.config.narratives);
        if (d.kind === 'join') {
          await repo.assign(claim.id, d.narrativeId, claim.date);
          await repo.addEvent(d.narrativeId, 'auto-match', { claimId: claim.id, score: d.score, note: d.why });
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
      return { detail: `${joined} claims joined narratives, ${created} new narratives, ${suggested} suggestions for review` };
    });
  },
};
