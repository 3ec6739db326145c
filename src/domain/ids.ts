import { randomBytes } from 'node:crypto';

/** Time-ordered ids with a readable prefix, e.g. doc_0196f3a2b1c4_9f2e1a7c. */
export function newId(prefix: string): string {
  const t = Date.now().toString(16).padStart(12, '0');
  return `${prefix}_${t}${randomBytes(5).toString('hex')}`;
}
