import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Marks the hidden file a write goes to before it is renamed over its target. */
export const PARTIAL_SUFFIX = '.partial';

/**
 * Writes next to the target, fsyncs, and renames over it: a process killed midway leaves at most
 * a hidden `.NAME.PID.partial` file, never a truncated file under the name asked for.
 */
export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}${PARTIAL_SUFFIX}`);
  try {
    const fd = openSync(tmp, 'w');
    try {
      const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      for (let at = 0; at < buf.byteLength; ) at += writeSync(fd, buf, at);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
