import { parentPort, workerData } from 'node:worker_threads';
import { describe, type WorkerReply } from './reply.js';

/** One call the pool sends to a long-lived worker. */
export interface PoolTask {
  id: number;
  moduleUrl: string;
  exportName: string;
  input: unknown;
}

/** What a pool worker posts: `ready` once its modules are loaded, then one reply per task. */
export type PoolMessage = { ready: true } | { id: number; reply: WorkerReply };

/** Modules to load before saying ready, so loading a parser never counts against a task's time. */
export interface PoolWorkerData {
  preload: string[];
}

const modules = new Map<string, Record<string, unknown>>();

async function load(url: string): Promise<Record<string, unknown>> {
  let mod = modules.get(url);
  if (!mod) {
    mod = (await import(url)) as Record<string, unknown>;
    modules.set(url, mod);
  }
  return mod;
}

async function handle(task: PoolTask): Promise<void> {
  let reply: WorkerReply;
  try {
    const fn = (await load(task.moduleUrl))[task.exportName];
    if (typeof fn !== 'function') throw new Error(`${task.moduleUrl} has no function ${task.exportName}`);
    reply = { ok: true, value: await (fn as (input: unknown) => unknown)(task.input) };
  } catch (err) {
    reply = describe(err);
  }
  parentPort?.postMessage({ id: task.id, reply } satisfies PoolMessage);
}

const data = workerData as PoolWorkerData;
for (const url of data.preload) await load(url);
parentPort?.on('message', (task: PoolTask) => void handle(task));
parentPort?.postMessage({ ready: true } satisfies PoolMessage);
