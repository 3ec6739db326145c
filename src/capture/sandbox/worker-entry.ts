import { parentPort, workerData } from 'node:worker_threads';
import { describe, type WorkerReply } from './reply.js';

export type { WorkerReply } from './reply.js';

/** What the parent sends: a module to import, the export to call, and its single argument. */
export interface WorkerJob {
  moduleUrl: string;
  exportName: string;
  input: unknown;
}

async function run(): Promise<void> {
  const job = workerData as WorkerJob;
  let reply: WorkerReply;
  try {
    const mod = (await import(job.moduleUrl)) as Record<string, unknown>;
    const fn = mod[job.exportName];
    if (typeof fn !== 'function') throw new Error(`${job.moduleUrl} has no function ${job.exportName}`);
    reply = { ok: true, value: await (fn as (input: unknown) => unknown)(job.input) };
  } catch (err) {
    reply = describe(err);
  }
  parentPort?.postMessage(reply);
}

await run();
