import type { ExtractedClaim } from '../domain/claim.js';
import { errorMessage } from '../errors.js';
import { EXTRACTOR_VERSION } from '../extract/index.js';
import { DocumentsRepo } from '../store/documents-repo.js';
import type { Workspace } from '../store/workspace.js';
import { extractClaimsTask, loadClaimsContext, prepareClaimsTasks, storeClaims, type ClaimsContext } from './parallel-claims.js';
import type { DocumentStage, StageOutcome } from './stages.js';
import { moduleBeside, WorkerPool } from './worker-pool.js';

/** Documents per write transaction (and per read and hand-out to the pool). */
export const DOCUMENT_BATCH = 64;

/** Batches handed to the pool beyond the one being written, so threads never wait for a write. */
const BATCHES_AHEAD = 2;

/**
 * Tasks each pool thread holds beyond the one it runs: while the main thread writes a batch (its
 * event loop blocked in SQLite and fsync) the threads go on with what they already hold.
 */
export const POOL_DEPTH = 4;

/** The result of one document: what to store, or the outcome to record as it is. */
type Computed = { documentId: string; found: ExtractedClaim[] } | { documentId: string; outcome: StageOutcome };

export interface ParallelRun {
  workers: number;
  /** A pool to reuse (a queue worker keeps one for its lifetime); otherwise one is made for this run. */
  pool?: WorkerPool;
  batchSize?: number;
  onOutcome(documentId: string, outcome: StageOutcome): void;
}

/** True when `stage` has a parallel implementation here (today: claims extraction at the current rules). */
export function hasParallelPath(stage: DocumentStage): boolean {
  return stage.name === 'claims' && stage.version === EXTRACTOR_VERSION;
}

/**
 * Runs the claims stage over `pending` with extraction on a pool of worker threads and the
 * database writes of each batch in one transaction. While one batch is written the next ones
 * are being extracted. Statuses follow the sequential path: a document is `running` before its
 * work starts and gets its own ok/failed/skipped outcome; one failure never stops the batch.
 */
export async function runClaimsParallel(ws: Workspace, stage: DocumentStage, pending: readonly string[], run: ParallelRun): Promise<void> {
  const batchSize = run.batchSize ?? DOCUMENT_BATCH;
  const ctx = await loadClaimsContext(ws);
  const pool = run.pool ?? new WorkerPool({ size: run.workers, heapMb: ws.config.limits.workerHeapMb, taskTimeoutMs: ws.config.limits.workerTimeoutMs, depth: POOL_DEPTH });
  // Subjects and actors go to each thread once, not with every document.
  pool.share(ctx.registryKey, ctx.registry);
  const taskUrl = moduleBeside(import.meta.url, 'parallel-claims');
  try {
    const inFlight: Promise<Computed[]>[] = [];
    for (let i = 0; i < pending.length; i += batchSize) {
      inFlight.push(startBatch(ws, stage, ctx, pool, taskUrl, pending.slice(i, i + batchSize)));
      // Written in order, BATCHES_AHEAD behind the newest batch handed out.
      if (inFlight.length > BATCHES_AHEAD) await writeBatch(ws, stage, ctx, await inFlight.shift()!, run);
    }
    for (const batch of inFlight.splice(0)) await writeBatch(ws, stage, ctx, await batch, run);
  } finally {
    if (!run.pool) await pool.close();
  }
}

function startBatch(ws: Workspace, stage: DocumentStage, ctx: ClaimsContext, pool: WorkerPool, taskUrl: string, ids: string[]): Promise<Computed[]> {
  return (async () => {
    await ws.db.transaction().execute(async (trx) => {
      const docs = new DocumentsRepo(trx, ws.id);
      for (const id of ids) await docs.setStage(id, stage.name, 'running', stage.version);
    });
    let tasks: Awaited<ReturnType<typeof prepareClaimsTasks>>;
    try {
      tasks = await prepareClaimsTasks(ws, ctx, ids);
    } catch (err) {
      const failed: StageOutcome = { status: 'failed', error: errorMessage(err) };
      return ids.map((documentId) => ({ documentId, outcome: failed }));
    }
    const jobs = ids.map((documentId): Promise<Computed> => {
      const task = tasks.get(documentId)!;
      if ('status' in task) return Promise.resolve({ documentId, outcome: task });
      const job = pool.size > 0 ? pool.run<ExtractedClaim[]>(taskUrl, 'extractClaimsTask', task) : Promise.resolve(extractClaimsTask(task, ctx.shared));
      return job.then(
        (found) => ({ documentId, found }),
        (err: unknown) => ({ documentId, outcome: { status: 'failed', error: errorMessage(err) } }),
      );
    });
    return Promise.all(jobs);
  })();
}

async function writeBatch(ws: Workspace, stage: DocumentStage, ctx: ClaimsContext, batch: Computed[], run: ParallelRun): Promise<void> {
  let outcomes: StageOutcome[];
  try {
    outcomes = await ws.db.transaction().execute(async (trx) => {
      const out: StageOutcome[] = [];
      for (const c of batch) out.push(await writeOne(trx, ws, stage, ctx, c));
      return out;
    });
  } catch {
    // One document's write broke the batch: redo it one transaction per document, so that
    // document is recorded as failed and the others are stored.
    outcomes = [];
    for (const c of batch) {
      try {
        outcomes.push(await ws.db.transaction().execute((trx) => writeOne(trx, ws, stage, ctx, c)));
      } catch (err) {
        const failed: StageOutcome = { status: 'failed', error: errorMessage(err) };
        await new DocumentsRepo(ws.db, ws.id).setStage(c.documentId, stage.name, 'failed', stage.version, failed.error);
        outcomes.push(failed);
      }
    }
  }
  batch.forEach((c, i) => run.onOutcome(c.documentId, outcomes[i]!));
}

async function writeOne(trx: Workspace['db'], ws: Workspace, stage: DocumentStage, ctx: ClaimsContext, c: Computed): Promise<StageOutcome> {
  const outcome = 'found' in c ? await storeClaims(trx, ws, ctx, c.documentId, c.found) : c.outcome;
  await new DocumentsRepo(trx, ws.id).setStage(c.documentId, stage.name, outcome.status, stage.version, outcome.status === 'failed' ? outcome.error : null);
  return outcome;
}
