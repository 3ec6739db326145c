import { ClaimsRepo } from '../store/claims-repo.js';
import { DatasetsRepo } from '../store/datasets-repo.js';
import type { Workspace } from '../store/workspace.js';
import { ensureBundledDatasets } from '../verify/service.js';
import { judgeStoredClaim, loadVerdictData, type JudgeSummary } from '../verify/verdict-data.js';

/** Claims whose verdicts are written per transaction: large enough to amortise a commit, small enough not to hold the write lock long. */
const VERDICT_BATCH = 500;

/**
 * The verdicts stage with its writes batched: the same judgement as verify's
 * judgeWorkspaceClaims and the same detail line as verdicts-stage.ts, but one commit per
 * VERDICT_BATCH claims instead of one per claim (a commit is an fsync on SQLite).
 */
export async function runVerdictsBatched(ws: Workspace): Promise<{ detail: string }> {
  let bundled = '';
  if ((await new DatasetsRepo(ws.db, ws.id).versions()).length === 0) {
    const r = await ensureBundledDatasets(ws);
    bundled = `imported ${r.filter((x) => x.created).length} bundled list versions; `;
  }
  const data = await loadVerdictData(ws);
  const claims = await new ClaimsRepo(ws.db, ws.id).list();
  const s: JudgeSummary = { judged: 0, changed: 0, unchanged: 0, skipped: 0, labels: {} };
  for (let i = 0; i < claims.length; i += VERDICT_BATCH) {
    const judged = claims.slice(i, i + VERDICT_BATCH).flatMap((c) => {
      const r = judgeStoredClaim(c, data);
      if (!r) s.skipped++;
      return r ? [{ id: c.id, ...r }] : [];
    });
    await ws.db.transaction().execute(async (trx) => {
      const repo = new ClaimsRepo(trx, ws.id);
      for (const j of judged) {
        s.judged++;
        s.labels[j.verdict.label] = (s.labels[j.verdict.label] ?? 0) + 1;
        if ((await repo.saveVerdict(j.id, j.verdict, j.fingerprint)) === 'new') s.changed++;
        else s.unchanged++;
      }
    });
  }
  const labels = Object.entries(s.labels).map(([k, n]) => `${n} ${k}`).join(', ');
  return { detail: `${bundled}${s.judged} claims judged (${labels || 'none'}); ${s.changed} new verdicts, ${s.unchanged} unchanged; ${s.skipped} not statements of fact` };
}
