import { parentPort } from 'node:worker_threads';

/** A task for a pool thread: call `exportName(input)` from `moduleUrl`. */
export interface PoolTask {
  id: number;
  moduleUrl: string;
  exportName: string;
  input: unknown;
}

export type PoolReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; code: string | null; message: string };

type TaskFn = (input: unknown) => unknown;
const loaded = new Map<string, TaskFn>();

async function taskFn(moduleUrl: string, exportName: string): Promise<TaskFn> {
  const key = `${moduleUrl}#${exportName}`;
  const cached = loaded.get(key);
  if (cached) return cached;
  const mod = (await import(moduleUrl)) as Record<string, unknown>;
  const fn = mod[exportName];
  if (typeof fn !== 'function') throw new Error(`${moduleUrl} has no function ${exportName}`);
  loaded.set(key, fn as TaskFn);
  return fn as TaskFn;
}

// Unlike the parser sandbox, a pool thread lives for the whole run and takes many tasks, so the
// modules it imports (the extractor and its compiled regular expressions) are loaded once.
parentPort?.on('message', (task: PoolTask) => {
  void (async () => {
    let reply: PoolReply;
    try {
      const fn = await taskFn(task.moduleUrl, task.exportName);
      reply = { id: task.id, ok: true, value: await fn(task.input) };
    } catch (err) {
      const rec = typeof err === 'object' && err !== null ? (err as Record<string, unknown>) : {};
      const code = rec['name'] === 'AppError' && typeof rec['code'] === 'string' ? rec['code'] : null;
      reply = { id: task.id, ok: false, code, message: err instanceof Error ? err.message : String(err) };
    }
    parentPort?.postMessage(reply);
  })();
});
