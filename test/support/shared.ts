import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
/** The project root (two levels above this file). */
export const PROJECT_ROOT = resolve(here, '..', '..');
/** ../shared beside the project: read-only data we may measure with but never copy. */
export const SHARED_ROOT = resolve(PROJECT_ROOT, '..', 'shared');

/** Absolute path of a file under ../shared, or null when ../shared (or the file) is absent. */
export function sharedPath(rel: string): string | null {
  const p = join(SHARED_ROOT, rel);
  return existsSync(p) ? p : null;
}

/**
 * A describe block that needs files from ../shared. Without them it is skipped with a
 * message saying why; under CI=true a missing ../shared is a failure, not a skip.
 */
export function describeWithShared(name: string, files: string[], fn: (paths: string[]) => void): void {
  const paths = files.map((f) => sharedPath(f));
  const missing = files.filter((_, i) => paths[i] === null);
  if (missing.length === 0) {
    describe(name, () => fn(paths as string[]));
    return;
  }
  const why = `needs ../shared/${missing.join(', ../shared/')} (absent)`;
  if (process.env['CI'] === 'true') {
    describe(name, () => {
      throw new Error(`${name}: ${why}; under CI a missing ../shared is a failure`);
    });
    return;
  }
  console.warn(`[skipped] ${name}: ${why}`);
  describe.skip(`${name} [skipped: ${why}]`, () => fn([]));
}
