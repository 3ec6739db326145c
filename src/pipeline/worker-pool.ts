import { Worker } from 'node:worker_threads';
import { workerEntry } from '../capture/sandbox/worker.js';
import { AppError, type ErrorCode } from '../errors.js';
import type { PoolReply, PoolShare, PoolTask } from './worker-thread.js';

export interface PoolOptions {
  /** Number of threads. */
  size: number;
  /** Old-generation heap of each thread, in MB. */
  heapMb: number;
  /** Wall-clock time one task may take before its thread is replaced, in ms. */
  taskTimeoutMs: number;
  /**
   * Tasks sent to a thread ahead of the one it runs (default 1: none ahead). More keeps threads
   * busy while the main thread is blocked (a database write), at the price of re-queueing the
   * waiting tasks when the running one takes its thread down.
   */
  depth?: number;
}

interface Pending {
  task: PoolTask;
  resolve(value: unknown): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker;
  /** Tasks sent to the thread, in the order it runs them; the first is running. */
  sent: Pending[];
  timer: NodeJS.Timeout | null;
}

/**
 * A fixed pool of long-lived worker threads running exported functions, one task per thread at a
 * time. A task that throws rejects alone; a task that runs out of time or memory takes its thread
 * down with it, and a fresh thread takes its place, so one bad document never stops a batch.
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private readonly shared = new Map<string, unknown>();
  private readonly depth: number;
  private nextId = 1;
  private closed = false;

  constructor(private readonly opts: PoolOptions) {
    this.depth = Math.max(1, opts.depth ?? 1);
    for (let i = 0; i < Math.max(1, opts.size); i++) this.slots.push(this.spawn());
  }

  get size(): number {
    return this.slots.length;
  }

  /** Runs `exportName(input)` from `moduleUrl` on a free thread. */
  run<T>(moduleUrl: string, exportName: string, input: unknown): Promise<T> {
    if (this.closed) return Promise.reject(new AppError('internal', 'worker pool is closed'));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ task: { id: this.nextId++, moduleUrl, exportName, input }, resolve: resolve as (v: unknown) => void, reject });
      this.dispatch();
    });
  }

  /**
   * Gives every thread (and every thread that replaces one later) `value` under `key`, once, for
   * tasks to read instead of carrying it in each input. Tasks run after it was set are the ones
   * sent after this call.
   */
  share(key: string, value: unknown): void {
    this.shared.set(key, value);
    const msg: PoolShare = { share: key, value };
    for (const slot of this.slots) slot.worker.postMessage(msg);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new AppError('internal', 'worker pool closed'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    for (const s of this.slots) {
      if (s.timer) clearTimeout(s.timer);
      for (const p of s.sent.splice(0)) p.reject(new AppError('internal', 'worker pool closed'));
    }
  }

  private spawn(): Slot {
    const entry = workerEntry('worker-thread', import.meta.url);
    const worker = new Worker(entry.script, {
      eval: entry.eval,
      // Only profiling flags reach a pool thread, so `node --cpu-prof` profiles extraction too.
      execArgv: process.execArgv.filter((a) => a.startsWith('--cpu-prof')),
      env: {},
      resourceLimits: { maxOldGenerationSizeMb: this.opts.heapMb, maxYoungGenerationSizeMb: Math.min(64, Math.max(8, Math.floor(this.opts.heapMb / 8))) },
    });
    for (const [share, value] of this.shared) worker.postMessage({ share, value } satisfies PoolShare);
    const slot: Slot = { worker, sent: [], timer: null };
    worker.on('message', (reply: PoolReply) => {
      const p = slot.sent[0];
      if (!p || p.task.id !== reply.id) return;
      slot.sent.shift();
      this.startClock(slot);
      if (reply.ok) p.resolve(reply.value);
      else p.reject(new AppError(knownCode(reply.code), reply.message));
      this.dispatch();
    });
    worker.on('error', (err: Error & { code?: string }) => {
      this.replace(slot, err.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? new AppError('too_large', `processing needed more than the ${this.opts.heapMb} MB worker heap and was stopped`)
        : new AppError('internal', `worker thread crashed: ${err.message}`));
    });
    worker.on('exit', (code) => {
      if (!this.closed) this.replace(slot, new AppError('internal', `worker thread exited (code ${code})`));
    });
    return slot;
  }

  /**
   * Times the slot's running task. A waiting task's clock starts when the reply before it is
   * handled, never before the thread started it, so a task is never stopped early.
   */
  private startClock(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    if (slot.sent.length === 0) return;
    slot.timer = setTimeout(() => {
      this.replace(slot, new AppError('parse_timeout', `processing took longer than ${this.opts.taskTimeoutMs} ms and was stopped`));
    }, this.opts.taskTimeoutMs);
  }

  /**
   * Fails the slot's running task (if any) and puts a fresh thread in its place; tasks waiting
   * behind it go back to the front of the queue, since they never ran.
   */
  private replace(slot: Slot, err: AppError): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    const [p, ...waiting] = slot.sent;
    slot.sent = [];
    this.startClock(slot);
    slot.worker.removeAllListeners();
    void slot.worker.terminate();
    if (this.closed) {
      p?.reject(err);
      for (const w of waiting) w.reject(err);
      return;
    }
    this.queue.unshift(...waiting);
    this.slots[i] = this.spawn();
    p?.reject(err);
    this.dispatch();
  }

  private dispatch(): void {
    // One task per thread first, then more up to the depth, so a short queue is spread evenly.
    for (let level = 1; level <= this.depth; level++) {
      for (const slot of this.slots) {
        if (slot.sent.length >= level) continue;
        const next = this.queue.shift();
        if (!next) return;
        slot.sent.push(next);
        if (slot.sent.length === 1) this.startClock(slot);
        slot.worker.postMessage(next.task);
      }
    }
  }
}

const CODES = new Set<string>(['invalid_input', 'not_found', 'unsupported_format', 'too_large', 'zip_bomb', 'parse_failed', 'parse_timeout', 'internal']);

function knownCode(code: string | null): ErrorCode {
  return code !== null && CODES.has(code) ? (code as ErrorCode) : 'internal';
}
