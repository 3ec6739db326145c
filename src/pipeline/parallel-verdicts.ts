import type { Workspace } from '../store/workspace.js';
import { runVerdicts } from './verdicts-stage.js';

/**
 * The verdicts stage as the parallel pipeline runs it: the very same code as the sequential
 * stage (judgeWorkspaceClaims already writes one transaction per VERDICT_BATCH claims).
 */
export async function runVerdictsBatched(ws: Workspace): Promise<{ detail: string }> {
  return runVerdicts(ws);
}
