import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { leafHash, treeRoot } from '../domain/merkle.js';
import { errorMessage } from '../errors.js';
import { DocumentsRepo } from '../store/documents-repo.js';
import { LogRepo } from '../store/log-repo.js';
import { RegistryRepo } from '../store/registry-repo.js';
import type { Workspace } from '../store/workspace.js';
import { checkTreeHeadSignature, loadKeys, parseLeaf, type AmendmentLeaf, type CaptureLeaf } from './evidence-log.js';
import { scanRecords, sha256Hex, type ParsedRecord, type WarcTail } from './warc.js';

export type ProblemKind = 'warc' | 'database' | 'log' | 'signature' | 'missing';

export interface IntegrityProblem {
  kind: ProblemKind;
  message: string;
  documentId: string | null;
  warcFile: string | null;
  recordId: string | null;
  leafIndex: number | null;
  table: string | null;
  field: string | null;
}

export interface AmendmentNote {
  documentId: string;
  leafIndex: number;
  user: string;
  reason: string;
  at: string;
  fields: string[];
}

/**
 * Unreadable bytes at the end of a WARC file that no capture refers to: a write killed before its
 * capture was committed. Reported so nobody mistakes them for evidence, but not a problem.
 */
export interface TrailingFragment {
  warcFile: string;
  offset: number;
  length: number;
  reason: string;
}

export interface EvidenceReport {
  ok: boolean;
  checked: { documents: number; captures: number; warcFiles: number; warcRecords: number; logEntries: number; treeHeads: number };
  treeSize: number;
  rootHash: string | null;
  problems: IntegrityProblem[];
  amendments: AmendmentNote[];
  fragments: TrailingFragment[];
}

function problem(kind: ProblemKind, message: string, at: Partial<Omit<IntegrityProblem, 'kind' | 'message'>> = {}): IntegrityProblem {
  return { kind, message, documentId: null, warcFile: null, recordId: null, leafIndex: null, table: null, field: null, ...at };
}

/**
 * Recomputes every digest and the log's tree heads, and compares the database to what the log
 * vouches for. Each problem names the document and the WARC record, database row or log entry
 * that no longer matches; metadata changed through an amendment is reported as an amendment.
 */
export async function verifyEvidence(ws: Workspace): Promise<EvidenceReport> {
  const problems: IntegrityProblem[] = [];
  const amendments: AmendmentNote[] = [];
  const docsRepo = new DocumentsRepo(ws.db, ws.id);
  const logRepo = new LogRepo(ws.db, ws.id);
  const entries = await logRepo.entries();
  const heads = await logRepo.treeHeads();
  const captures = await docsRepo.allCaptures();
  const rows = await docsRepo.rawRows();
  const actors = new Map((await new RegistryRepo(ws.db, ws.id).listActors()).map((a) => [a.id, a.name]));

  // 1. Log entries: each stored hash must be the hash of its stored leaf.
  const recomputed: Buffer[] = [];
  const captureLeaves = new Map<string, { leaf: CaptureLeaf; index: number }>();
  const amendmentsByDoc = new Map<string, { leaf: AmendmentLeaf; index: number }[]>();
  entries.forEach((e, i) => {
    if (e.leafIndex !== i) problems.push(problem('log', `log entry ${i} is missing (next entry is ${e.leafIndex})`, { leafIndex: i }));
    const h = leafHash(Buffer.from(e.leafJson, 'utf8'));
    recomputed.push(h);
    if (h.toString('hex') !== e.leafHash) {
      problems.push(problem('log', `log entry ${e.leafIndex} (document ${e.documentId}) was altered: its leaf no longer hashes to the stored value`, { leafIndex: e.leafIndex, documentId: e.documentId }));
    }
    try {
      const leaf = parseLeaf(e.leafJson);
      if (leaf.type === 'capture') captureLeaves.set(leaf.captureId, { leaf, index: e.leafIndex });
      else {
        const list = amendmentsByDoc.get(leaf.documentId) ?? [];
        list.push({ leaf, index: e.leafIndex });
        amendmentsByDoc.set(leaf.documentId, list);
        amendments.push({ documentId: leaf.documentId, leafIndex: e.leafIndex, user: leaf.user, reason: leaf.reason, at: leaf.at, fields: Object.keys(leaf.changes) });
      }
    } catch (err) {
      problems.push(problem('log', `log entry ${e.leafIndex} is not a readable leaf: ${errorMessage(err)}`, { leafIndex: e.leafIndex, documentId: e.documentId }));
    }
  });

  // 2. Signed tree heads: signature, and root over the recomputed leaf hashes.
  let publicKeyOk = true;
  let keys: ReturnType<typeof loadKeys> | null = null;
  try {
    keys = loadKeys(ws);
  } catch (err) {
    publicKeyOk = false;
    problems.push(problem('signature', `the workspace signing key cannot be read: ${errorMessage(err)}`));
  }
  let previousSize = 0;
  for (const head of heads) {
    if (keys && publicKeyOk && !checkTreeHeadSignature(ws, keys.publicKey, head)) {
      problems.push(problem('signature', `the signature of the tree head for ${head.treeSize} entries does not verify: the head was altered or signed by another key`));
    }
    if (head.treeSize > recomputed.length) {
      problems.push(problem('log', `a signed tree head covers ${head.treeSize} entries but the log holds ${recomputed.length}: entries were deleted`, { leafIndex: recomputed.length }));
    } else {
      const root = treeRoot(recomputed.slice(0, head.treeSize)).toString('hex');
      if (root !== head.rootHash) {
        problems.push(
          problem('log', `the log no longer matches the tree head signed at ${head.signedAt}: an entry between ${previousSize} and ${head.treeSize - 1} was altered, replaced or reordered`, {
            leafIndex: previousSize,
          }),
        );
      }
    }
    previousSize = head.treeSize;
  }
  const lastHead = heads[heads.length - 1];
  if (entries.length > 0 && (!lastHead || lastHead.treeSize < entries.length)) {
    problems.push(problem('log', `log entries ${lastHead?.treeSize ?? 0} to ${entries.length - 1} are not covered by a signed tree head (an interrupted run, or entries added outside claimtrace)`, { leafIndex: lastHead?.treeSize ?? 0 }));
  }

  // 3. WARC files: parse every record and check its block digest.
  const records = new Map<string, { rec: ParsedRecord; file: string }>();
  const tails = new Map<string, WarcTail>();
  let warcFiles = 0;
  let warcRecords = 0;
  const warcDir = ws.paths.warc;
  const files = existsSync(warcDir) ? readdirSync(warcDir).filter((f) => f.endsWith('.warc')).sort() : [];
  for (const f of files) {
    warcFiles++;
    const rel = join('warc', f);
    const buf = readFileSync(join(warcDir, f));
    const scan = scanRecords(buf);
    for (const rec of scan.records) {
      warcRecords++;
      const id = rec.headers.get('warc-record-id') ?? '';
      records.set(id, { rec, file: rel });
      const declared = rec.headers.get('warc-block-digest');
      if (declared && declared !== `sha256:${sha256Hex(rec.block)}`) {
        problems.push(problem('warc', `WARC record ${id} in ${rel} (bytes ${rec.offset}-${rec.offset + rec.length}) was altered: its block digest no longer matches`, { warcFile: rel, recordId: id }));
      }
    }
    // Whether the tail is harmless is decided below: only if no capture points into it.
    if (scan.tail) tails.set(rel, scan.tail);
  }
  const damagedTails = new Set<string>();

  // 4. Captures: row vs log leaf vs WARC record.
  const rowsById = new Map(rows.map((r) => [r.id, r]));
  for (const cap of captures) {
    const logged = captureLeaves.get(cap.id);
    const where = { documentId: cap.documentId, warcFile: cap.warcFile, recordId: cap.recordId };
    if (!logged) {
      problems.push(problem('missing', `capture ${cap.id} of document ${cap.documentId} has no entry in the evidence log`, where));
    } else {
      const { leaf, index } = logged;
      const pairs: [string, string | null, string | null][] = [
        ['sha256', cap.sha256, leaf.sha256],
        ['warc_file', cap.warcFile, leaf.warcFile],
        ['record_id', cap.recordId, leaf.recordId],
        ['block_digest', cap.blockDigest, leaf.blockDigest],
        ['captured_at', cap.capturedAt, leaf.capturedAt],
      ];
      for (const [field, have, want] of pairs) {
        if (have !== want) {
          problems.push(problem('database', `database row captures/${cap.id} (document ${cap.documentId}) field ${field} is "${have}" but the log (entry ${index}) recorded "${want}"`, { ...where, table: 'captures', field, leafIndex: index }));
        }
      }
    }
    const found = records.get(cap.recordId);
    if (!found) {
      const tail = tails.get(cap.warcFile);
      if (tail && cap.recordOffset + cap.recordLength > tail.offset) {
        damagedTails.add(cap.warcFile);
        problems.push(problem('warc', `WARC record ${cap.recordId} of document ${cap.documentId} lies in the unreadable part of ${cap.warcFile} (from byte ${tail.offset}: ${tail.reason}): the file was truncated or altered`, where));
      } else {
        problems.push(problem('warc', `WARC record ${cap.recordId} of document ${cap.documentId} is missing from ${cap.warcFile}`, where));
      }
      continue;
    }
    const { rec } = found;
    const blockDigest = `sha256:${sha256Hex(rec.block)}`;
    if (blockDigest !== cap.blockDigest) {
      problems.push(problem('warc', `WARC record ${cap.recordId} in ${cap.warcFile} (document ${cap.documentId}) no longer has the digest recorded at capture`, where));
    }
    const row = rowsById.get(cap.documentId);
    if (cap.conversionRecordId) {
      const conv = records.get(cap.conversionRecordId);
      if (!conv && tails.has(cap.warcFile)) damagedTails.add(cap.warcFile);
      if (!conv) problems.push(problem('warc', `conversion record ${cap.conversionRecordId} of document ${cap.documentId} is missing`, { ...where, recordId: cap.conversionRecordId }));
      else if (`sha256:${sha256Hex(conv.rec.block)}` !== cap.conversionDigest) {
        problems.push(problem('warc', `conversion record ${cap.conversionRecordId} in ${conv.file} (document ${cap.documentId}) was altered`, { ...where, recordId: cap.conversionRecordId }));
      }
    }
    if (row && row.text !== null && cap.textSha256 && row.sha256 === cap.sha256 && isLatestCapture(cap, captures) && sha256Hex(row.text) !== cap.textSha256) {
      problems.push(problem('database', `database row documents/${row.id} field text differs from the text captured in ${cap.conversionRecordId ?? 'the conversion record'}`, { ...where, table: 'documents', field: 'text' }));
    }
  }

  // 5. Documents: metadata must equal the capture leaf plus its amendments, in order.
  const capturesByDoc = new Map<string, typeof captures>();
  for (const c of captures) capturesByDoc.set(c.documentId, [...(capturesByDoc.get(c.documentId) ?? []), c]);
  for (const row of rows) {
    const caps = capturesByDoc.get(row.id) ?? [];
    const first = caps[0];
    if (!first) {
      problems.push(problem('missing', `document ${row.id} (${row.location}) has no capture`, { documentId: row.id, table: 'documents' }));
      continue;
    }
    const logged = captureLeaves.get(first.id);
    if (!logged) continue;
    const expected: Record<string, string | null> = {
      location: logged.leaf.location,
      sha256: logged.leaf.sha256,
      title: logged.leaf.title,
      actor: logged.leaf.actor,
      published: logged.leaf.published,
    };
    const amendedFields = new Set<string>();
    for (const { leaf } of amendmentsByDoc.get(row.id) ?? []) {
      for (const [field, change] of Object.entries(leaf.changes)) {
        if (field in expected) expected[field] = change?.to ?? null;
        amendedFields.add(field);
      }
    }
    const actual: Record<string, string | null> = {
      location: row.location,
      sha256: row.sha256,
      title: row.title,
      actor: row.actor_id ? (actors.get(row.actor_id) ?? null) : null,
      published: row.published,
    };
    for (const field of Object.keys(expected)) {
      if (expected[field] !== actual[field]) {
        problems.push(
          problem('database', `database row documents/${row.id} field ${field} is "${actual[field]}" but the evidence log says "${expected[field]}"${amendedFields.has(field) ? ' after its amendments' : ''}, and no amendment records the change`, {
            documentId: row.id,
            table: 'documents',
            field,
          }),
        );
      }
    }
  }

  const fragments: TrailingFragment[] = [];
  for (const [warcFile, tail] of tails) {
    if (!damagedTails.has(warcFile)) fragments.push({ warcFile, offset: tail.offset, length: tail.length, reason: tail.reason });
  }

  return {
    ok: problems.length === 0,
    checked: { documents: rows.length, captures: captures.length, warcFiles, warcRecords, logEntries: entries.length, treeHeads: heads.length },
    treeSize: entries.length,
    rootHash: entries.length > 0 ? treeRoot(recomputed).toString('hex') : null,
    problems,
    amendments,
    fragments,
  };
}

function isLatestCapture(cap: { id: string; documentId: string }, all: { id: string; documentId: string }[]): boolean {
  const mine = all.filter((c) => c.documentId === cap.documentId);
  return mine[mine.length - 1]?.id === cap.id;
}
