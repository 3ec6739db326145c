import { availableParallelism } from 'node:os';
import { errorMessage } from '../errors.js';
import { DocumentsRepo } from '../store/documents-repo.js';
import type { Workspace } from '../store/workspace.js';
import { claimsStage } from './claims-stage.js';
import { coordinationStage } from './coordination-stage.js';
import { narrativesStage } from './narratives-stage.js';
import { hasParallelPath, runClaimsParallel } from './parallel.js';
import { runVerdictsBatched } from './parallel-verdicts.js';
import type { Stage, StageOutcome } from './stages.js';
import { verdictsStage } from './verdicts-stage.js';

export interface StageReport {
  stage: string;
  processed: number;
  ok: number;
  failed: number;
  skipped: number;
  detail: string | null;
  failures: { documentId: string; error: string }[];
}

export interface RunProgress {
  onStageStart?: (stage: string, total: number) => void;
  onItem?: (stage: string, done: number, total: number) => void;
}

export interface RunOptions {
  /**
   * Worker threads for document stages that have a parallel path (claims extraction); 0 runs
   * every document in this thread, one transaction each. Defaults to one thread per core.
   */
  workers?: number;
}

/**
 * Even one document goes to the worker pool: only there does extraction run under a heap cap and a
 * time limit, so a hostile text (thousands of subject mentions in one sentence) cannot stall `run`.
 */
const MIN_PARALLEL_DOCUMENTS = 1;

/** The stages `claimtrace run` executes, in order. Later stages read what earlier ones stored. */
export const STAGES: Stage[] = [claimsStage, verdictsStage, narrativesStage, coordinationStage];

/**
 * Runs every pending stage over the workspace. A document stage handles only documents it has
 * not processed at its current version (new, interrupted, or done by older rules); one failing
 * document is recorded as failed and the rest go on.
 */
export async function runPipeline(ws: Workspace, progress: RunProgress = {}, stages: Stage[] = STAGES, options: RunOptions = {}): Promise<StageReport[]> {
  const workers = options.workers ?? availableParallelism();
  const reports: StageReport[] = [];
  const docs = new DocumentsRepo(ws.db, ws.id);
  for (const stage of stages) {
    const report: StageReport = { stage: stage.name, processed: 0, ok: 0, failed: 0, skipped: 0, detail: null, failures: [] };
    if (stage.scope === 'workspace') {
      progress.onStageStart?.(stage.name, 1);
      // Same work as the stage, with its writes committed in batches instead of one per claim.
      const { detail } = stage === verdictsStage && workers > 0 ? await runVerdictsBatched(ws) : await stage.run(ws);
      report.processed = 1;
      report.ok = 1;
      report.detail = detail;
      progress.onItem?.(stage.name, 1, 1);
      reports.push(report);
      continue;
    }
    const pending = await docs.pendingFor(stage.name, stage.version);
    progress.onStageStart?.(stage.name, pending.length);
    const record = (id: string, outcome: StageOutcome): void => {
      report.processed++;
      if (outcome.status === 'ok') report.ok++;
      else if (outcome.status === 'skipped') report.skipped++;
      else {
        report.failed++;
        report.failures.push({ documentId: id, error: outcome.error });
      }
      progress.onItem?.(stage.name, report.processed, pending.length);
    };
    if (workers > 0 && pending.length >= MIN_PARALLEL_DOCUMENTS && hasParallelPath(stage)) {
      await runClaimsParallel(ws, stage, pending, { workers: Math.min(workers, pending.length), onOutcome: record });
      reports.push(report);
      continue;
    }
    for (const id of pending) {
      await docs.setStage(id, stage.name, 'running', stage.version);
      let outcome: StageOutcome;
      try {
        outcome = await stage.run(ws, id);
      } catch (err) {
        outcome = { status: 'failed', error: errorMessage(err) };
      }
      await docs.setStage(id, stage.name, outcome.status, stage.version, outcome.status === 'failed' ? outcome.error : null);
      record(id, outcome);
    }
    reports.push(report);
  }
  // A run writes in bulk: the planner's statistics are refreshed for the reads that follow.
  await ws.store.optimize();
  return reports;
}
