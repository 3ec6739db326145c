import { close, closeSync, fsync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';

/** Marks the hidden file a write goes to before it is renamed over its target. */
export const PARTIAL_SUFFIX = '.partial';

const fsyncAsync = promisify(fsync);
const closeAsync = promisify(close);

function partialPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}${PARTIAL_SUFFIX}`);
}

function writeAll(fd: number, data: Uint8Array | string): void {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  for (let at = 0; at < buf.byteLength; ) at += writeSync(fd, buf, at);
}

/** Makes a rename or a new name in `dir` durable: the directory entry is on disk once this returns. */
export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

async function fsyncDirAsync(dir: string): Promise<void> {
  const fd = openSync(dir, 'r');
  try {
    await fsyncAsync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes next to the target, fsyncs, renames over it and fsyncs the folder: a process killed
 * midway leaves at most a hidden `.NAME.PID.partial` file, never a truncated file under the name
 * asked for, and once this returns the file survives a power loss under its final name.
 */
export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  const tmp = partialPath(path);
  try {
    const fd = openSync(tmp, 'w');
    try {
      writeAll(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  fsyncDir(dirname(path));
}

interface StagedFile {
  path: string;
  tmp: string;
  fd: number;
}

/**
 * Many write-then-rename files made durable together, for callers that write a file per item:
 * `write()` puts the bytes in hidden partial files, `commit()` fsyncs them all at once (in
 * parallel, so the file system can group the flushes), renames each to its name and fsyncs the
 * folders. A file is under its final name only after its bytes are on disk, and every name is on
 * disk when commit() resolves. Until then a crash leaves only partial files.
 */
export class DurableFileBatch {
  private staged: StagedFile[] = [];
  private readonly paths = new Set<string>();

  get size(): number {
    return this.staged.length;
  }

  /** Whether `path` is written in this batch and waits for commit(). */
  has(path: string): boolean {
    return this.paths.has(path);
  }

  write(path: string, data: Uint8Array | string): void {
    if (this.paths.has(path)) return;
    const tmp = partialPath(path);
    const fd = openSync(tmp, 'w');
    try {
      writeAll(fd, data);
    } catch (err) {
      closeSync(fd);
      rmSync(tmp, { force: true });
      throw err;
    }
    this.staged.push({ path, tmp, fd });
    this.paths.add(path);
  }

  async commit(): Promise<void> {
    const files = this.staged;
    this.staged = [];
    this.paths.clear();
    if (files.length === 0) return;
    try {
      await Promise.all(files.map((f) => fsyncAsync(f.fd)));
    } catch (err) {
      await this.discard(files);
      throw err;
    }
    await Promise.all(files.map((f) => closeAsync(f.fd)));
    for (const f of files) renameSync(f.tmp, f.path);
    await Promise.all([...new Set(files.map((f) => dirname(f.path)))].map(fsyncDirAsync));
  }

  /** Drops everything written since the last commit. */
  async abort(): Promise<void> {
    const files = this.staged;
    this.staged = [];
    this.paths.clear();
    await this.discard(files);
  }

  private async discard(files: StagedFile[]): Promise<void> {
    await Promise.all(files.map((f) => closeAsync(f.fd).catch(() => undefined)));
    for (const f of files) rmSync(f.tmp, { force: true });
  }
}
