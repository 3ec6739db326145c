import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AppError, type ErrorCode } from '../../errors.js';
import type { WorkerJob, WorkerReply } from './worker-entry.js';

export interface WorkerLimits {
  /** Old-generation heap of the worker, in MB. */
  heapMb: number;
  /** Wall-clock time before the worker is terminated, in ms. */
  timeoutMs: number;
}

const PASSED_CODES = new Set<ErrorCode>([
  'parse_failed',
  'parse_timeout',
  'too_large',
  'zip_bomb',
  'unsupported_format',
  'invalid_input',
]);

// Under vitest or tsx this file is TypeScript, and so is the worker entry beside it.
const RUNNING_FROM_SOURCE = import.meta.url.endsWith('.ts');

export interface EntryPoint {
  script: URL | string;
  eval: boolean;
}

/**
 * How to start a worker on the entry module `stem` beside `baseUrl` (by default this file), from
 * source or from dist. Every worker pool of the project starts its threads through this.
 */
export function workerEntry(stem = 'worker-entry', baseUrl: string = import.meta.url): EntryPoint {
  const entry = new URL(siblingModuleUrl(baseUrl, stem));
  if (!RUNNING_FROM_SOURCE) return { script: entry, eval: false };
  // On Node 20 an `--import tsx` in a worker's execArgv does not reach the worker's own entry
  // module, so a tiny bootstrap registers tsx's hooks first and then imports the TS entry.
  const loader = createRequire(import.meta.url).resolve('tsx');
  const api = pathToFileURL(join(dirname(loader), 'esm', 'api', 'index.mjs')).href;
  const script = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); });`;
  return { script, eval: true };
}

/** The AppError a worker's failure reply stands for; only our own codes cross the boundary. */
export function errorFromReply(error: Extract<WorkerReply, { ok: false }>['error']): AppError {
  const code = error.code as ErrorCode | null;
  const details = typeof error.details === 'object' && error.details !== null ? (error.details as Record<string, unknown>) : undefined;
  return new AppError(code !== null && PASSED_CODES.has(code) ? code : 'parse_failed', error.message, details);
}

/** URL of a module beside this one, with the extension the running code uses (.ts from source, .js from dist). */
export function siblingModuleUrl(baseUrl: string, stem: string): string {
  return new URL(`./${stem}${baseUrl.endsWith('.ts') ? '.ts' : '.js'}`, baseUrl).href;
}

/**
 * Calls `exportName(input)` from `moduleUrl` in a fresh worker thread with a heap cap and a
 * wall-clock timeout. Whatever the code does (throw, loop forever, exhaust memory, exit), the
 * caller's process survives and gets an AppError: `parse_timeout` when the time runs out,
 * `too_large` when the heap is exhausted, the worker's own AppError code when it threw one,
 * and `parse_failed` otherwise.
 */
export function runInWorker<T>(
  moduleUrl: string,
  exportName: string,
  input: unknown,
  limits: WorkerLimits,
  transferList: ArrayBuffer[] = [],
): Promise<T> {
  const entry = workerEntry();
  const job: WorkerJob = { moduleUrl, exportName, input };
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const worker = new Worker(entry.script, {
      eval: entry.eval,
      workerData: job,
      transferList,
      execArgv: [],
      // The worker must not see or change the parent's environment.
      env: {},
      stdout: false,
      stderr: false,
      resourceLimits: {
        maxOldGenerationSizeMb: limits.heapMb,
        maxYoungGenerationSizeMb: Math.min(64, Math.max(8, Math.floor(limits.heapMb / 8))),
      },
    });
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
      void worker.terminate();
    };
    const timer = setTimeout(() => {
      finish(() =>
        reject(new AppError('parse_timeout', `Parsing took longer than ${limits.timeoutMs} ms and was stopped`, { timeoutMs: limits.timeoutMs })),
      );
    }, limits.timeoutMs);
    worker.on('message', (reply: WorkerReply) => {
      finish(() => {
        if (reply.ok) {
          resolve(reply.value as T);
          return;
        }
        reject(errorFromReply(reply.error));
      });
    });
    worker.on('error', (err: Error & { code?: string }) => {
      finish(() => {
        if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') {
          reject(new AppError('too_large', `Parsing needed more than the ${limits.heapMb} MB worker heap and was stopped`, { heapMb: limits.heapMb }));
        } else {
          reject(new AppError('parse_failed', `Parser crashed: ${err.message}`));
        }
      });
    });
    worker.on('exit', (exitCode) => {
      finish(() => reject(new AppError('parse_failed', `Parser exited (code ${exitCode}) without a result`)));
    });
  });
}
