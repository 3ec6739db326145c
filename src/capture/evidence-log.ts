import { createPrivateKey, createPublicKey, sign, verify as verifySignature, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { canonicalJson } from '../domain/canonical-json.js';
import { leafHash, sha256, treeRoot } from '../domain/merkle.js';
import { AppError } from '../errors.js';
import type { Db } from '../store/database.js';
import { LogRepo, type TreeHead } from '../store/log-repo.js';
import type { Workspace } from '../store/workspace.js';

/** The facts about one capture that matter in court; a leaf of the evidence log. */
export interface CaptureLeaf {
  type: 'capture';
  documentId: string;
  captureId: string;
  location: string;
  sha256: string;
  warcFile: string;
  recordId: string;
  blockDigest: string;
  capturedAt: string;
  title: string | null;
  actor: string | null;
  published: string | null;
}

/** Metadata fields an amendment may correct. */
export const AMENDABLE_FIELDS = ['title', 'actor', 'published', 'publisher', 'kind', 'url'] as const;
export type AmendableField = (typeof AMENDABLE_FIELDS)[number];

/** A later correction of a document's metadata: what changed, who changed it, and why. */
export interface AmendmentLeaf {
  type: 'amendment';
  documentId: string;
  changes: Partial<Record<AmendableField, { from: string | null; to: string | null }>>;
  user: string;
  reason: string;
  at: string;
}

export type Leaf = CaptureLeaf | AmendmentLeaf;

export function leafBytes(leaf: Leaf): Buffer {
  return Buffer.from(canonicalJson(leaf), 'utf8');
}

/** Appends a leaf inside the caller's transaction, so the leaf and the rows it vouches for commit together. */
export async function appendLeaf(trx: Db, workspaceId: string, leaf: Leaf): Promise<number> {
  const repo = new LogRepo(trx, workspaceId);
  const index = await repo.size();
  const bytes = leafBytes(leaf);
  await repo.append({
    leafIndex: index,
    kind: leaf.type,
    documentId: leaf.documentId,
    captureId: leaf.type === 'capture' ? leaf.captureId : null,
    leafJson: bytes.toString('utf8'),
    leafHash: leafHash(bytes).toString('hex'),
    createdAt: new Date().toISOString(),
  });
  return index;
}

/**
 * Appends leaves in order inside the caller's transaction, with one size query and one insert per
 * chunk for the lot; returns the index of the first.
 */
export async function appendLeaves(trx: Db, workspaceId: string, leaves: Leaf[]): Promise<number> {
  const repo = new LogRepo(trx, workspaceId);
  const first = await repo.size();
  const createdAt = new Date().toISOString();
  await repo.appendMany(
    leaves.map((leaf, i) => {
      const bytes = leafBytes(leaf);
      return {
        leafIndex: first + i,
        kind: leaf.type,
        documentId: leaf.documentId,
        captureId: leaf.type === 'capture' ? leaf.captureId : null,
        leafJson: bytes.toString('utf8'),
        leafHash: leafHash(bytes).toString('hex'),
        createdAt,
      };
    }),
  );
  return first;
}

function keyId(publicKey: KeyObject): string {
  return sha256(publicKey.export({ type: 'spki', format: 'der' })).toString('hex').slice(0, 16);
}

export function loadKeys(ws: Workspace): { privateKey: KeyObject; publicKey: KeyObject; keyId: string } {
  const privateKey = createPrivateKey(readFileSync(ws.paths.privateKey));
  const publicKey = createPublicKey(readFileSync(ws.paths.publicKey));
  return { privateKey, publicKey, keyId: keyId(publicKey) };
}

/** The bytes a tree head signature covers. */
export function treeHeadMessage(workspaceId: string, treeSize: number, rootHash: string, signedAt: string): Buffer {
  return Buffer.from(canonicalJson({ workspaceId, treeSize, rootHash, signedAt }), 'utf8');
}

/** Signs the current tree head with the workspace key (Ed25519); no-op when the head is already signed. */
export async function signTreeHead(ws: Workspace): Promise<TreeHead | null> {
  const repo = new LogRepo(ws.db, ws.id);
  const hashes = await repo.leafHashes();
  if (hashes.length === 0) return null;
  const heads = await repo.treeHeads();
  const last = heads[heads.length - 1];
  if (last && last.treeSize === hashes.length) return last;
  const rootHash = treeRoot(hashes.map((h) => Buffer.from(h, 'hex'))).toString('hex');
  const { privateKey, keyId: kid } = loadKeys(ws);
  const signedAt = new Date().toISOString();
  const signature = sign(null, treeHeadMessage(ws.id, hashes.length, rootHash, signedAt), privateKey).toString('base64');
  const head: TreeHead = { treeSize: hashes.length, rootHash, signedAt, signature, keyId: kid };
  await repo.addTreeHead(head);
  return head;
}

export function checkTreeHeadSignature(ws: Workspace, publicKey: KeyObject, head: TreeHead): boolean {
  try {
    return verifySignature(null, treeHeadMessage(ws.id, head.treeSize, head.rootHash, head.signedAt), publicKey, Buffer.from(head.signature, 'base64'));
  } catch {
    return false;
  }
}

export function parseLeaf(json: string): Leaf {
  const v = JSON.parse(json) as Leaf;
  if (v.type !== 'capture' && v.type !== 'amendment') throw new AppError('integrity_failed', `log leaf of unknown type ${String((v as { type?: unknown }).type)}`);
  return v;
}
