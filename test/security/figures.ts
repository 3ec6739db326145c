import { appendFileSync } from 'node:fs';

// Figures for SECURITY.md: every reliability and security suite reports what it ran. Under
// `npm run soak` CLAIMTRACE_FIGURES_FILE collects them; in `npm test` they are printed only.

/** True under `npm run soak`: suites use their large counts. */
export const SOAK = process.env['CLAIMTRACE_SOAK'] === '1';

/** `small` in `npm test`, `large` under soak. */
export function count(small: number, large: number): number {
  return SOAK ? large : small;
}

/** Records one figure line: which suite, how many cases, and the outcome. */
export function recordFigure(suite: string, figures: Record<string, unknown>): void {
  const line = JSON.stringify({ suite, soak: SOAK, ...figures });
  console.info(`[figures] ${line}`);
  const file = process.env['CLAIMTRACE_FIGURES_FILE'];
  if (file) appendFileSync(file, line + '\n');
}

/** Runs fn and returns its wall time in ms; used to spot hangs, never to judge speed. */
export async function timed<T>(fn: () => T | Promise<T>): Promise<{ value: T; ms: number }> {
  const t = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t };
}
