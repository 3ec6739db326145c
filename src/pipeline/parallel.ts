import type { ExtractedClaim } from '../domain/claim.js';
import { errorMessage } from '../errors.js';
import { EXTRACTOR_VERSION } from '../extract/index.js';
import { DocumentsRepo } from '../store/documents-repo.js';
import type { Workspace } from '../store/workspace.js';
import { extractClaimsTask, loadClaimsContext, prepareClaimsTasks, storeClaims, type ClaimsContext } from './parallel-claims.js';
import type { DocumentStage, StageOutcome } from './stages.js';
import { siblingModuleUrl } from '../capture/sandbox/worker.js';
import { WorkerPool } from './worker-pool.js';

/**
 * Documents per write transaction (and per read and hand-out to the pool). Each commit is an
 * fsync on SQLite that blocks the main thread; a crash loses at most this many documents' work.
 */
export const DOCUMENT_BATCH = 128;

/** Batches handed to the pool beyond the one being written, so threads never wait for a write. */
const BATCHES_AHEAD = 2;

/**
 * Tasks each pool thread holds beyond the one it runs: while the main thread writes a batch (its
 * event loop blocked in SQLite and fsync) the threads go on with what they already hold.
 */
export const POOL_DEPTH = 16;

/**
 * Documents written between two turns of the event loop inside a batch's transaction: SQLite
 * calls are synchronous, and without a turn no worker reply is handled and no task handed out
 * until the whole batch is written.
 */
const WRITES_PER_TURN = 16;

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
  if (pending.length === 0) return;
  const batchSize = run.batchSize ?? DOCUMENT_BATCH;
  const ctx = await loadClaimsContext(ws);
  const pool = run.pool ?? new WorkerPool({ size: run.workers, heapMb: ws.config.limits.workerHeapMb, taskTimeoutMs: ws.config.limits.workerTimeoutMs, depth: POOL_DEPTH });
  // Subjects and actors go to each thread once, not with every document.
  pool.share(ctx.registryKey, ctx.registry);
  const taskUrl = siblingModuleUrl(import.meta.url, 'parallel-claims');
  const batches: string[][] = [];
  for (let i = 0; i < pending.length; i += batchSize) batches.push(pending.slice(i, i + batchSize));
  try {
    // The first batches are marked running in one transaction; every later one in the
    // transaction that writes the batch before it, so each batch costs one commit.
    const first = batches.slice(0, BATCHES_AHEAD + 1);
    await ws.db.transaction().execute((trx) => markRunning(trx, ws, stage, first.flat()));
    const inFlight = first.map((ids) => startBatch(ws, ctx, pool, taskUrl, ids));
    for (let k = 0; k < batches.length; k++) {
      const next = batches[k + BATCHES_AHEAD + 1] ?? [];
      await writeBatch(ws, stage, ctx, await inFlight.shift()!, run, next);
      if (next.length > 0) inFlight.push(startBatch(ws, ctx, pool, taskUrl, next));
    }
  } finally {
    if (!run.pool) await pool.close();
  }
}

async function markRunning(trx: Workspace['db'], ws: Workspace, stage: DocumentStage, ids: readonly string[]): Promise<void> {
  const docs = new DocumentsRepo(trx, ws.id);
  for (const id of ids) await docs.setStage(id, stage.name, 'running', stage.version);
}

/** Reads a batch (already marked running) and hands its documents to the pool. */
function startBatch(ws: Workspace, ctx: ClaimsContext, pool: WorkerPool, taskUrl: string, ids: string[]): Promise<Computed[]> {
  return (async () => {
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

/** Stores a batch's results in one transaction, which also marks the batch `next` as running. */
async function writeBatch(ws: Workspace, stage: DocumentStage, ctx: ClaimsContext, batch: Computed[], run: ParallelRun, next: readonly string[]): Promise<void> {
  let outcomes: StageOutcome[];
  try {
    outcomes = await ws.db.transaction().execute(async (trx) => {
      const out: StageOutcome[] = [];
      for (const [i, c] of batch.entries()) {
        if (i > 0 && i % WRITES_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
        out.push(await writeOne(trx, ws, stage, ctx, c));
      }
      await markRunning(trx, ws, stage, next);
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
    if (next.length > 0) await ws.db.transaction().execute((trx) => markRunning(trx, ws, stage, next));
  }
  batch.forEach((c, i) => run.onOutcome(c.documentId, outcomes[i]!));
}

async function writeOne(trx: Workspace['db'], ws: Workspace, stage: DocumentStage, ctx: ClaimsContext, c: Computed): Promise<StageOutcome> {
  const outcome = 'found' in c ? await storeClaims(trx, ws, ctx, c.documentId, c.found) : c.outcome;
  await new DocumentsRepo(trx, ws.id).setStage(c.documentId, stage.name, outcome.status, stage.version, outcome.status === 'failed' ? outcome.error : null);
  return outcome;
}
