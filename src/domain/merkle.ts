import { createHash } from 'node:crypto';

/** RFC 6962 Merkle tree hashing: leaves SHA-256(0x00||d), nodes SHA-256(0x01||l||r). */

export function sha256(data: Uint8Array | string): Buffer {
  return createHash('sha256').update(data).digest();
}

export function leafHash(data: Uint8Array): Buffer {
  return createHash('sha256').update(Buffer.from([0])).update(data).digest();
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash('sha256').update(Buffer.from([1])).update(left).update(right).digest();
}

/** Largest power of two strictly less than n (n >= 2). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** Merkle Tree Hash of leaf hashes [from, to). */
function subtreeRoot(leaves: readonly Uint8Array[], from: number, to: number): Buffer {
  const n = to - from;
  if (n === 1) return Buffer.from(leaves[from]!);
  const k = split(n);
  return nodeHash(subtreeRoot(leaves, from, from + k), subtreeRoot(leaves, from + k, to));
}

/** Tree head of a list of leaf hashes (the empty tree hashes the empty string). */
export function treeRoot(leafHashes: readonly Uint8Array[]): Buffer {
  if (leafHashes.length === 0) return sha256(new Uint8Array(0));
  return subtreeRoot(leafHashes, 0, leafHashes.length);
}

/** Audit path for leaf m in a tree of the given leaves (RFC 6962 section 2.1.1). */
export function inclusionProof(leafHashes: readonly Uint8Array[], m: number): Buffer[] {
  if (m < 0 || m >= leafHashes.length) throw new RangeError(`leaf ${m} is outside a tree of ${leafHashes.length}`);
  const path = (from: number, to: number, index: number): Buffer[] => {
    const n = to - from;
    if (n === 1) return [];
    const k = split(n);
    if (index < k) return [...path(from, from + k, index), subtreeRoot(leafHashes, from + k, to)];
    return [...path(from + k, to, index - k), subtreeRoot(leafHashes, from, from + k)];
  };
  return path(0, leafHashes.length, m);
}

/** Checks an audit path (RFC 9162 section 2.1.3.2 algorithm). */
export function verifyInclusion(leaf: Uint8Array, index: number, treeSize: number, proof: readonly Uint8Array[], root: Uint8Array): boolean {
  if (index >= treeSize) return false;
  let fn = index;
  let sn = treeSize - 1;
  let r: Buffer = Buffer.from(leaf);
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn === 0 && r.equals(Buffer.from(root));
}

/** Consistency proof between tree sizes m and n (RFC 6962 section 2.1.2). */
export function consistencyProof(leafHashes: readonly Uint8Array[], m: number): Buffer[] {
  const n = leafHashes.length;
  if (m <= 0 || m > n) throw new RangeError(`cannot prove size ${m} against ${n}`);
  const sub = (mm: number, from: number, to: number, complete: boolean): Buffer[] => {
    const size = to - from;
    if (mm === size) return complete ? [] : [subtreeRoot(leafHashes, from, to)];
    const k = split(size);
    if (mm <= k) return [...sub(mm, from, from + k, complete), subtreeRoot(leafHashes, from + k, to)];
    return [...sub(mm - k, from + k, to, false), subtreeRoot(leafHashes, from, from + k)];
  };
  return sub(m, 0, n, true);
}

/** Checks a consistency proof (RFC 9162 section 2.1.4.2). */
export function verifyConsistency(m: number, n: number, proof: readonly Uint8Array[], oldRoot: Uint8Array, newRoot: Uint8Array): boolean {
  if (m === n) return proof.length === 0 && Buffer.from(oldRoot).equals(Buffer.from(newRoot));
  if (m === 0 || m > n) return false;
  let path: Buffer[] = proof.map((p) => Buffer.from(p));
  if ((m & (m - 1)) === 0) path = [Buffer.from(oldRoot), ...path];
  let fn = m - 1;
  let sn = n - 1;
  while (fn % 2 === 1) {
    fn >>= 1;
    sn >>= 1;
  }
  const first = path[0];
  if (!first) return false;
  let fr: Buffer = first;
  let sr: Buffer = first;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn === 0 && fr.equals(Buffer.from(oldRoot)) && sr.equals(Buffer.from(newRoot));
}
