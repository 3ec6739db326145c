import { randomBytes } from 'node:crypto';

let lastMs = 0;
let seq = 0;

/**
 * Time-ordered ids with a readable prefix (doc_0196f3a2b1c40000a1b2c3). Within one process ids
 * sort in creation order even in the same millisecond, so "order by id" is insertion order.
 */
export function newId(prefix: string): string {
  const now = Date.now();
  if (now === lastMs) seq++;
  else {
    lastMs = now;
    seq = 0;
  }
  return `${prefix}_${now.toString(16).padStart(12, '0')}${seq.toString(16).padStart(4, '0')}${randomBytes(3).toString('hex')}`;
}
