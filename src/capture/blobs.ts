import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DurableFileBatch, writeFileAtomic } from '../store/atomic-file.js';

/** Content-addressed store of raw bytes: one file per sha256, shared by every document with those bytes. */
export function blobPath(root: string, sha256: string): string {
  return join(root, sha256.slice(0, 2), sha256);
}

export function putBlob(root: string, sha256: string, bytes: Uint8Array): string {
  const p = blobPath(root, sha256);
  if (existsSync(p)) return p;
  mkdirSync(dirname(p), { recursive: true });
  // Written, fsynced and renamed: a crash never leaves a half-written blob under its final name.
  writeFileAtomic(p, bytes);
  return p;
}

/**
 * Blobs of one capture batch: written as they come, made durable together by commit(), which
 * must resolve before any row that names them is committed. A blob under its final name is
 * always whole and on disk, so an existing file is never written again.
 */
export class BlobBatch {
  private readonly files = new DurableFileBatch();

  constructor(private readonly root: string) {}

  put(sha256: string, bytes: Uint8Array): void {
    const p = blobPath(this.root, sha256);
    if (this.files.has(p) || existsSync(p)) return;
    mkdirSync(dirname(p), { recursive: true });
    this.files.write(p, bytes);
  }

  commit(): Promise<void> {
    return this.files.commit();
  }

  abort(): Promise<void> {
    return this.files.abort();
  }
}

export function getBlob(root: string, sha256: string): Buffer {
  return readFileSync(blobPath(root, sha256));
}
