import { parentPort } from 'node:worker_threads';

/** A task for a pool thread: call `exportName(input)` from `moduleUrl`. */
export interface PoolTask {
  id: number;
  moduleUrl: string;
  exportName: string;
  input: unknown;
}

/** A value the pool sends each thread once (when set, and again to a replacement thread); tasks read it by key. */
export interface PoolShare {
  share: string;
  value: unknown;
}

export type PoolReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; code: string | null; message: string };

/** Task functions get their input and the values shared with every thread. */
export type TaskFn = (input: unknown, shared: ReadonlyMap<string, unknown>) => unknown;
const shared = new Map<string, unknown>();
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
// Several tasks may wait in a thread's queue: they run one at a time in arrival order, and a
// share takes effect between the tasks sent before it and those sent after it.
let chain: Promise<void> = Promise.resolve();

parentPort?.on('message', (msg: PoolTask | PoolShare) => {
  chain = chain.then(() => ('share' in msg ? void shared.set(msg.share, msg.value) : runTask(msg)));
});

async function runTask(task: PoolTask): Promise<void> {
  let reply: PoolReply;
  try {
    const fn = await taskFn(task.moduleUrl, task.exportName);
    reply = { id: task.id, ok: true, value: await fn(task.input, shared) };
  } catch (err) {
    const rec = typeof err === 'object' && err !== null ? (err as Record<string, unknown>) : {};
    const code = rec['name'] === 'AppError' && typeof rec['code'] === 'string' ? rec['code'] : null;
    reply = { id: task.id, ok: false, code, message: err instanceof Error ? err.message : String(err) };
  }
  parentPort?.postMessage(reply);
}
