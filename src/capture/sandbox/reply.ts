/** What the worker sends back. */
export type WorkerReply =
  | { ok: true; value: unknown }
  | { ok: false; error: { code: string | null; message: string; details: unknown } };

/** A thrown value as a reply the parent turns back into an AppError. */
export function describe(err: unknown): WorkerReply {
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

