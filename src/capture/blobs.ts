import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../store/atomic-file.js';

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

export function getBlob(root: string, sha256: string): Buffer {
  return readFileSync(blobPath(root, sha256));
}
