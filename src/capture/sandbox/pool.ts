import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../errors.js';
import type { PoolMessage, PoolTask, PoolWorkerData } from './pool-entry.js';
import { errorFromReply, workerEntry, type WorkerLimits } from './worker.js';

interface Job {
  id: number;
  moduleUrl: string;
  exportName: string;
  input: unknown;
  transfer: ArrayBuffer[];
  timeoutMs: number;
  resolve: (value: unknown) => void;
  reject: (err: AppError) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job: Job | null;
  timer: NodeJS.Timeout | null;
  idle: NodeJS.Timeout | null;
}

/** An idle worker is kept this long for the next task, then ended to give its memory back. */
const IDLE_MS = 5_000;

/**
 * Long-lived sandbox workers for parsers cheap enough that starting a thread per document would
 * cost more than parsing it (HTML, feeds, text). Each worker runs one task at a time under the
 * same heap cap and wall-clock limit as a one-shot worker; a worker that times out, runs out of
 * memory or crashes is ended and replaced, and only its task fails. Idle workers do not keep the
 * process alive.
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;

  constructor(
    private readonly size: number,
    private readonly heapMb: number,
    private readonly preload: string[],
  ) {}

  /** Calls `exportName(input)` from `moduleUrl` in a pool worker; errors as in runInWorker. */
  run<T>(moduleUrl: string, exportName: string, input: unknown, timeoutMs: number, transfer: ArrayBuffer[] = []): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, moduleUrl, exportName, input, transfer, timeoutMs, resolve: resolve as (v: unknown) => void, reject });
      this.dispatch();
    });
  }

  /** Ends every worker; queued and running tasks fail. */
  async close(): Promise<void> {
    for (const job of this.queue.splice(0)) job.reject(new AppError('parse_failed', 'parser pool closed'));
    await Promise.all(this.slots.splice(0).map((s) => this.retire(s, new AppError('parse_failed', 'parser pool closed'))));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const slot = this.slots.find((s) => s.ready && s.job === null);
      if (!slot) {
        if (this.slots.length < this.size) this.spawn();
        return;
      }
      const job = this.queue.shift()!;
      this.start(slot, job);
    }
  }

  private start(slot: Slot, job: Job): void {
    if (slot.idle) clearTimeout(slot.idle);
    slot.idle = null;
    slot.job = job;
    slot.worker.ref();
    slot.timer = setTimeout(() => {
      void this.retire(slot, new AppError('parse_timeout', `Parsing took longer than ${job.timeoutMs} ms and was stopped`, { timeoutMs: job.timeoutMs }));
    }, job.timeoutMs);
    const task: PoolTask = { id: job.id, moduleUrl: job.moduleUrl, exportName: job.exportName, input: job.input };
    slot.worker.postMessage(task, job.transfer);
  }

  private spawn(): void {
    const entry = workerEntry('pool-entry');
    const data: PoolWorkerData = { preload: this.preload };
    const worker = new Worker(entry.script, {
      eval: entry.eval,
      workerData: data,
      execArgv: [],
      // The worker must not see or change the parent's environment.
      env: {},
      stdout: false,
      stderr: false,
      resourceLimits: {
        maxOldGenerationSizeMb: this.heapMb,
        maxYoungGenerationSizeMb: Math.min(64, Math.max(8, Math.floor(this.heapMb / 8))),
      },
    });
    const slot: Slot = { worker, ready: false, job: null, timer: null, idle: null };
    this.slots.push(slot);
    worker.on('message', (msg: PoolMessage) => {
      if ('ready' in msg) {
        slot.ready = true;
        this.settleIdle(slot);
        return;
      }
      const job = slot.job;
      if (!job || job.id !== msg.id) return;
      if (slot.timer) clearTimeout(slot.timer);
      slot.timer = null;
      slot.job = null;
      if (msg.reply.ok) job.resolve(msg.reply.value);
      else job.reject(errorFromReply(msg.reply.error));
      this.settleIdle(slot);
    });
    worker.on('error', (err: Error & { code?: string }) => {
      const error =
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new AppError('too_large', `Parsing needed more than the ${this.heapMb} MB worker heap and was stopped`, { heapMb: this.heapMb })
          : new AppError('parse_failed', `Parser crashed: ${err.message}`);
      void this.retire(slot, error);
    });
    worker.on('exit', (exitCode) => {
      void this.retire(slot, new AppError('parse_failed', `Parser exited (code ${exitCode}) without a result`));
    });
  }

  /** Hands the worker the next task, or lets it idle without holding the process open. */
  private settleIdle(slot: Slot): void {
    this.dispatch();
    if (slot.job !== null || !this.slots.includes(slot)) return;
    slot.worker.unref();
    slot.idle = setTimeout(() => void this.retire(slot, null), IDLE_MS);
    slot.idle.unref();
  }

  /**
   * Ends a worker and fails its task with `error`. A worker that dies before it was ready fails
   * the oldest queued task instead, so a worker that cannot start never respawns for ever.
   */
  private async retire(slot: Slot, error: AppError | null): Promise<void> {
    const at = this.slots.indexOf(slot);
    if (at < 0) return;
    this.slots.splice(at, 1);
    if (slot.timer) clearTimeout(slot.timer);
    if (slot.idle) clearTimeout(slot.idle);
    const job = slot.job ?? (slot.ready || !error ? null : (this.queue.shift() ?? null));
    slot.job = null;
    if (job && error) job.reject(error);
    this.dispatch();
    await slot.worker.terminate();
  }
}

const pools = new Map<string, WorkerPool>();

/** Workers per pool: enough to use every core beside the main thread's own work. */
export const POOL_SIZE = Math.max(1, Math.min(4, availableParallelism()));

/**
 * The process's pool for these limits and preloaded modules, started on first use. Parses of
 * different heap caps run in different pools, because a worker's heap cap is fixed at start.
 */
export function sharedPool(limits: Pick<WorkerLimits, 'heapMb'>, preload: string[]): WorkerPool {
  const key = `${limits.heapMb}\u0000${preload.join('\u0000')}`;
  let pool = pools.get(key);
  if (!pool) {
    pool = new WorkerPool(POOL_SIZE, limits.heapMb, preload);
    pools.set(key, pool);
  }
  return pool;
}
