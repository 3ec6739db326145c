import { availableParallelism, hostname } from 'node:os';
import type PgBoss from 'pg-boss';
import { AppError, errorMessage } from '../errors.js';
import { DocumentsRepo } from '../store/documents-repo.js';
import type { Workspace } from '../store/workspace.js';
import { hasParallelPath, POOL_DEPTH, runClaimsParallel } from './parallel.js';
import { runPipeline, STAGES, type StageReport } from './run.js';
import type { DocumentStage, StageOutcome } from './stages.js';
import { WorkerPool } from './worker-pool.js';

/** One queued unit of work: a document stage to run on one document at one version. */
export interface DocumentJob {
  documentId: string;
  stage: string;
  version: string;
}

export interface EnqueueOptions {
  /** Seconds a job may stay active before it counts as lost (its worker died) and is retried. */
  jobTimeoutSeconds?: number;
  /** Times a lost or failed job is tried again. */
  retryLimit?: number;
}

export interface WorkerOptions {
  /** Worker threads for extraction, and jobs fetched per round. */
  concurrency?: number;
  /** How often this process checks for lost jobs to retry (any one process does it per interval), in seconds. */
  maintenanceIntervalSeconds?: number;
  /** Seconds between polls of an empty queue. */
  pollingIntervalSeconds?: number;
  /** Stop once no job of this workspace is waiting, active or due for retry. */
  exitWhenIdle?: boolean;
  /** Called after each job, with the document and what the stage did. */
  onJob?: (job: DocumentJob, outcome: StageOutcome) => void;
  /** Resolves when the worker should stop (a signal); the job in hand finishes first. */
  stop?: Promise<void>;
}

export const DEFAULT_JOB_TIMEOUT_SECONDS = 15 * 60;

/** Queue names carry the workspace id, so workspaces sharing one PostgreSQL never share jobs. */
export function queueName(ws: Workspace, stage: string): string {
  return `claimtrace-${ws.id}-${stage}`;
}

function documentStages(): DocumentStage[] {
  return STAGES.filter((s): s is DocumentStage => s.scope === 'document');
}

/**
 * Opens the job queue that lives in the workspace's PostgreSQL database (pg-boss keeps it in
 * its own schema there). SQLite workspaces have no queue: `claimtrace run` does the work itself.
 */
export async function openQueue(ws: Workspace, opts: { maintenanceIntervalSeconds?: number; supervise?: boolean } = {}): Promise<PgBoss> {
  if (!ws.config.databaseUrl) {
    throw new AppError('invalid_input', 'the job queue needs PostgreSQL: set DATABASE_URL (on SQLite, `claimtrace run` processes documents itself)');
  }
  // pg-boss loads only when a queue is used: SQLite workspaces never need it.
  const { default: PgBossClass } = await import('pg-boss');
  const boss = new PgBossClass({
    connectionString: ws.config.databaseUrl,
    application_name: `claimtrace-${hostname()}-${process.pid}`,
    max: 4,
    schedule: false,
    supervise: opts.supervise ?? true,
    maintenanceIntervalSeconds: opts.maintenanceIntervalSeconds ?? 60,
  });
  boss.on('error', () => {
    // Connection hiccups are retried by pg-boss itself; a job's own failure is recorded on its document.
  });
  await boss.start();
  return boss;
}

/**
 * Queues every document a document stage has not processed at its current version, one job per
 * document. A document already waiting in the queue is not queued twice (pg-boss `short`
 * policy on a per-document key), and a worker skips a job whose document is already done.
 */
export async function enqueuePending(ws: Workspace, boss: PgBoss, opts: EnqueueOptions = {}): Promise<{ stage: string; queued: number }[]> {
  const docs = new DocumentsRepo(ws.db, ws.id);
  const out: { stage: string; queued: number }[] = [];
  for (const stage of documentStages()) {
    const name = queueName(ws, stage.name);
    await boss.createQueue(name, {
      name,
      policy: 'short',
      retryLimit: opts.retryLimit ?? 3,
      expireInSeconds: opts.jobTimeoutSeconds ?? DEFAULT_JOB_TIMEOUT_SECONDS,
    });
    const pending = await docs.pendingFor(stage.name, stage.version);
    for (let i = 0; i < pending.length; i += 500) {
      await boss.insert(
        pending.slice(i, i + 500).map((documentId) => ({
          name,
          data: { documentId, stage: stage.name, version: stage.version } satisfies DocumentJob,
          singletonKey: `${documentId}@${stage.version}`,
          retryLimit: opts.retryLimit ?? 3,
          expireInSeconds: opts.jobTimeoutSeconds ?? DEFAULT_JOB_TIMEOUT_SECONDS,
        })),
      );
    }
    out.push({ stage: stage.name, queued: pending.length });
  }
  return out;
}

/** Jobs of this workspace still waiting, active, or due for retry. */
export async function outstandingJobs(ws: Workspace, boss: PgBoss): Promise<number> {
  let n = 0;
  for (const stage of documentStages()) {
    const name = queueName(ws, stage.name);
    if (await boss.getQueue(name)) n += await boss.getQueueSize(name, { before: 'completed' });
  }
  return n;
}

/** Runs one document stage on one document with the same per-document status as `claimtrace run`. */
async function runOne(ws: Workspace, stage: DocumentStage, documentId: string): Promise<StageOutcome> {
  const docs = new DocumentsRepo(ws.db, ws.id);
  await docs.setStage(documentId, stage.name, 'running', stage.version);
  let outcome: StageOutcome;
  try {
    outcome = await stage.run(ws, documentId);
  } catch (err) {
    outcome = { status: 'failed', error: errorMessage(err) };
  }
  await docs.setStage(documentId, stage.name, outcome.status, stage.version, outcome.status === 'failed' ? outcome.error : null);
  return outcome;
}

/** A job is stale when its document is already done at this version (a duplicate) or the rules moved on. */
async function isStillPending(ws: Workspace, stage: DocumentStage, job: DocumentJob): Promise<boolean> {
  if (job.version !== stage.version) return false;
  const s = (await new DocumentsRepo(ws.db, ws.id).stages(job.documentId)).find((x) => x.stage === stage.name);
  return !s || s.version !== stage.version || s.status === 'pending' || s.status === 'running';
}

/**
 * Processes queued document-stage jobs of this workspace until stopped (or, with exitWhenIdle,
 * until none is outstanding). Jobs are fetched in rounds of `concurrency`; extraction runs on as
 * many worker threads and each round's writes share one transaction. pg-boss hands a job to one
 * worker only (SELECT ... FOR UPDATE SKIP LOCKED); a job whose worker died is retried once its
 * timeout has passed.
 */
export async function runWorker(ws: Workspace, opts: WorkerOptions = {}): Promise<{ processed: number; byStatus: Record<string, number> }> {
  const concurrency = Math.max(1, opts.concurrency ?? availableParallelism());
  const boss = await openQueue(ws, { ...(opts.maintenanceIntervalSeconds !== undefined ? { maintenanceIntervalSeconds: opts.maintenanceIntervalSeconds } : {}) });
  const pool = new WorkerPool({ size: concurrency, heapMb: ws.config.limits.workerHeapMb, taskTimeoutMs: ws.config.limits.workerTimeoutMs, depth: POOL_DEPTH });
  const stages = new Map(documentStages().map((s) => [s.name, s]));
  const summary = { processed: 0, byStatus: {} as Record<string, number> };
  let stopping = false;
  void opts.stop?.then(() => {
    stopping = true;
  });
  const poll = (opts.pollingIntervalSeconds ?? 2) * 1000;
  try {
    while (!stopping) {
      let fetched = 0;
      for (const stage of stages.values()) {
        const name = queueName(ws, stage.name);
        if (!(await boss.getQueue(name))) continue;
        const jobs = (await boss.fetch<DocumentJob>(name, { batchSize: concurrency })) ?? [];
        fetched += jobs.length;
        if (jobs.length > 0) await processJobs(ws, boss, stage, name, jobs, pool, summary, opts.onJob);
      }
      if (fetched > 0) continue;
      if (opts.exitWhenIdle && (await outstandingJobs(ws, boss)) === 0) break;
      await Promise.race([new Promise((r) => setTimeout(r, poll)), opts.stop]);
    }
  } finally {
    await pool.close();
    await boss.stop({ graceful: false, wait: true });
  }
  return summary;
}

async function processJobs(
  ws: Workspace,
  boss: PgBoss,
  stage: DocumentStage,
  name: string,
  jobs: PgBoss.Job<DocumentJob>[],
  pool: WorkerPool,
  summary: { processed: number; byStatus: Record<string, number> },
  onJob: WorkerOptions['onJob'],
): Promise<void> {
  const todo: PgBoss.Job<DocumentJob>[] = [];
  const done = (job: PgBoss.Job<DocumentJob>, outcome: StageOutcome): void => {
    summary.processed++;
    summary.byStatus[outcome.status] = (summary.byStatus[outcome.status] ?? 0) + 1;
    onJob?.(job.data, outcome);
  };
  for (const job of jobs) {
    if (await isStillPending(ws, stage, job.data)) todo.push(job);
    else done(job, { status: 'skipped', detail: 'already processed' });
  }
  const outcomes = new Map<string, StageOutcome>();
  if (hasParallelPath(stage) && todo.length > 1) {
    await runClaimsParallel(ws, stage, todo.map((j) => j.data.documentId), { workers: pool.size, pool, onOutcome: (id, o) => outcomes.set(id, o) });
  } else {
    for (const job of todo) outcomes.set(job.data.documentId, await runOne(ws, stage, job.data.documentId));
  }
  for (const job of todo) done(job, outcomes.get(job.data.documentId) ?? { status: 'failed', error: 'no outcome recorded' });
  // The outcome is on the document's row; the job itself is finished either way.
  await boss.complete(name, jobs.map((j) => j.id));
}

/**
 * `claimtrace run --queue`: queues the pending document work, optionally waits until workers
 * have drained it, then runs the workspace stages (verdicts) here, once.
 */
export async function runQueued(ws: Workspace, opts: EnqueueOptions & { wait?: boolean; onWaiting?: (outstanding: number) => void } = {}): Promise<{ queued: { stage: string; queued: number }[]; reports: StageReport[] }> {
  const boss = await openQueue(ws, { supervise: false });
  let queued: { stage: string; queued: number }[];
  try {
    queued = await enqueuePending(ws, boss, opts);
    if (opts.wait === false) return { queued, reports: [] };
    for (;;) {
      const n = await outstandingJobs(ws, boss);
      if (n === 0) break;
      opts.onWaiting?.(n);
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
  const reports = await runPipeline(ws, {}, STAGES.filter((s) => s.scope === 'workspace'));
  return { queued, reports };
}
