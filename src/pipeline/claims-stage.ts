import { EXTRACTOR_VERSION } from '../extract/index.js';
import type { Workspace } from '../store/workspace.js';
import { extractClaimsTask, loadClaimsContext, prepareClaimsTasks, storeClaims } from './parallel-claims.js';
import type { DocumentStage, StageOutcome } from './stages.js';

/**
 * Extracts claims about the workspace's subjects from each document's stored text. The same
 * prepare / extract / store pieces run in the parallel path (parallel.ts), there with extraction
 * on worker threads and many documents per transaction.
 */
export const claimsStage: DocumentStage = {
  scope: 'document',
  name: 'claims',
  version: EXTRACTOR_VERSION,
  async run(ws: Workspace, documentId: string): Promise<StageOutcome> {
    const ctx = await loadClaimsContext(ws);
    const task = (await prepareClaimsTasks(ws, ctx, [documentId])).get(documentId)!;
    if ('status' in task) return task;
    const found = extractClaimsTask(task, ctx.shared);
    return ws.db.transaction().execute((trx) => storeClaims(trx, ws, ctx, documentId, found));
  },
};
