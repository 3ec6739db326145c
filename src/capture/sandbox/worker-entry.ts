import { parentPort, workerData } from 'node:worker_threads';

/** What the parent sends: a module to import, the export to call, and its single argument. */
export interface WorkerJob {
  moduleUrl: string;
  exportName: string;
  input: unknown;
}

/** What the worker sends back. */
export type WorkerReply =
  | { ok: true; value: unknown }
  | { ok: false; error: { code: string | null; message: string; details: unknown } };

function describe(err: unknown): WorkerReply {
  const rec = typeof err === 'object' && err !== null ? (err as Record<string, unknown>) : {};
  // Only AppError codes cross the boundary; a library's own `code` (ENOENT, ...) is not one of ours.
  const code = rec['name'] === 'AppError' && typeof rec['code'] === 'string' ? rec['code'] : null;
  const message = err instanceof Error ? err.message : String(err);
  let details: unknown = null;
  try {
    details = structuredClone(rec['details'] ?? null);
  } catch {
    details = null;
  }
  return { ok: false, error: { code, message, details } };
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
