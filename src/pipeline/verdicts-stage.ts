import type { Workspace } from '../store/workspace.js';
import { DatasetsRepo } from '../store/datasets-repo.js';
import { ensureBundledDatasets } from '../verify/service.js';
import { judgeWorkspaceClaims, loadVerdictData } from '../verify/verdict-data.js';
import type { WorkspaceStage } from './stages.js';

/**
 * Judges every active claim stated as fact (asserted or reported, predicate other than `other`)
 * against the official records as of its date. A verdict is stored only when the claim or the
 * data changed since the current one, so a re-run adds nothing and new data adds history.
 */
export const verdictsStage: WorkspaceStage = {
  scope: 'workspace',
  name: 'verdicts',
  run: runVerdicts,
};

/**
 * The verdicts stage's work, shared by the sequential and the parallel pipeline (verdicts are
 * CPU-light per claim and written in batches, so both paths run this in the main thread).
 */
export async function runVerdicts(ws: Workspace): Promise<{ detail: string }> {
  // A workspace made before lists were bundled still gets the offline snapshot.
  let bundled = '';
  if ((await new DatasetsRepo(ws.db, ws.id).versions()).length === 0) {
    const r = await ensureBundledDatasets(ws);
    bundled = `imported ${r.filter((x) => x.created).length} bundled list versions; `;
  }
  const s = await judgeWorkspaceClaims(ws, await loadVerdictData(ws));
  const labels = Object.entries(s.labels).map(([k, n]) => `${n} ${k}`).join(', ');
  return { detail: `${bundled}${s.judged} claims judged (${labels || 'none'}); ${s.changed} new verdicts, ${s.unchanged} unchanged; ${s.skipped} not statements of fact` };
}
