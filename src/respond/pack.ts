import { createPublicKey, sign, verify as verifySignature } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { loadKeys, parseLeaf, signTreeHead, treeHeadMessage } from '../capture/evidence-log.js';
import { httpPayloadOffset, iterateRecords, scanRecords, sha256Hex } from '../capture/warc.js';
import { inclusionProof, leafHash, verifyInclusion } from '../domain/merkle.js';
import { AppError, errorMessage } from '../errors.js';
import { DocumentsRepo, type CaptureInfo } from '../store/documents-repo.js';
import { LogRepo } from '../store/log-repo.js';
import type { Workspace } from '../store/workspace.js';
import { loadCase, type CaseFile, type CaseStatement } from './cases.js';
import { DRAFT_NOTICE } from './letters.js';
import { markdownToPdf } from './render.js';

export const WACZ_VERSION = '1.2.0';
const SOFTWARE = 'claimtrace';

/** The machine-readable proofs file: every cited capture's log leaf, its audit path and the signed root. */
export interface PackProofs {
  workspaceId: string;
  /** Ed25519 public key (SPKI, PEM) that signs the log's tree heads and this pack's digest. */
  publicKey: string;
  keyId: string;
  treeHead: { treeSize: number; rootHash: string; signedAt: string; signature: string };
  leaves: {
    documentId: string;
    captureId: string;
    leafIndex: number;
    leafJson: string;
    leafHash: string;
    proof: string[];
  }[];
}

interface Resource {
  name: string;
  path: string;
  hash: string;
  bytes: number;
}

function sha(data: Uint8Array): string {
  return `sha256:${sha256Hex(data)}`;
}

/** Raw bytes of every WARC record that belongs to a capture: its record, request, conversion and what refers to them. */
function captureRecords(ws: Workspace, cap: CaptureInfo, cache: Map<string, Buffer>): Buffer[] {
  let buf = cache.get(cap.warcFile);
  if (!buf) {
    buf = readFileSync(join(ws.paths.root, cap.warcFile));
    cache.set(cap.warcFile, buf);
  }
  const ids = new Set(
    [cap.recordId, cap.requestRecordId, cap.conversionRecordId].filter((x): x is string => x !== null),
  );
  const out: Buffer[] = [];
  // A run killed mid-write leaves a torn tail after the committed records; those still pack.
  for (const rec of scanRecords(buf).records) {
    const id = rec.headers.get('warc-record-id') ?? '';
    const refers = rec.headers.get('warc-refers-to') ?? rec.headers.get('warc-concurrent-to') ?? '';
    if (ids.has(id) || (refers !== '' && ids.has(refers) && rec.headers.get('warc-type') !== 'warcinfo'))
      out.push(buf.subarray(rec.offset, rec.offset + rec.length));
  }
  return out;
}

function summaryMarkdown(
  c: CaseFile,
  caps: Map<string, CaptureInfo[]>,
  proofs: PackProofs,
  resources: Resource[],
): string {
  const lines: string[] = [];
  lines.push(`**${DRAFT_NOTICE}**`, '', `# Evidence pack: case ${c.id}`, '');
  lines.push(
    `Respondent: **${c.respondent.name}**. Subject: **${c.subject.name}**. Status: ${c.status}. Built ${new Date().toISOString()}.`,
    '',
  );
  lines.push(
    'Check this pack offline with `claimtrace evidence verify-pack FILE`: it recomputes every hash below, each WARC record digest and each inclusion proof against the signed log root.',
    '',
  );
  const section = (title: string, list: CaseStatement[]): void => {
    if (list.length === 0) return;
    lines.push(`## ${title}`, '');
    list.forEach((s, i) => {
      lines.push(
        `### ${i + 1}. ${s.kind === 'reported' ? `Reported by ${s.author ?? 'unknown'}` : `Published by ${s.author ?? 'unknown'}`}`,
        '',
      );
      lines.push(`> "${s.quote}"`, '');
      lines.push(
        `- **URL:** ${s.url}`,
        `- **Published:** ${s.published ?? 'unknown'}`,
        `- **Speaker:** ${s.speaker ?? 'unknown'}`,
      );
      const v = s.verdict;
      lines.push(
        `- **Verdict:** ${v.label}${v.asOf ? ` as of ${v.asOf}` : ''}${v.human ? ` (HUMAN DECISION by ${v.reviewer ?? 'an analyst'}: ${v.reviewReason ?? ''})` : ' (automatic)'}`,
      );
      if (v.explanation) lines.push(`- **Explanation:** ${v.explanation}`);
      for (const e of v.evidence)
        lines.push(`- **Evidence:** ${e.note}${e.sourceUrl ? ` (${e.sourceUrl})` : ''}`);
      for (const cap of caps.get(s.documentId) ?? []) {
        lines.push(
          `- **Capture ${cap.id}:** sha256 ${cap.sha256}; WARC record ${cap.recordId}; block digest ${cap.blockDigest}; captured ${cap.capturedAt}; log leaf ${cap.leafIndex ?? 'none'}`,
        );
      }
      lines.push('');
    });
  };
  section('Statements published by the respondent', c.statements);
  section('Statements attributed to the respondent by others', c.reported);
  lines.push('## Signed evidence log root', '');
  lines.push(
    `- **Tree size:** ${proofs.treeHead.treeSize}`,
    `- **Root hash:** ${proofs.treeHead.rootHash}`,
    `- **Signed at:** ${proofs.treeHead.signedAt}`,
  );
  lines.push(`- **Key id:** ${proofs.keyId} (Ed25519)`, `- **Signature:** ${proofs.treeHead.signature}`, '');
  lines.push('## Merkle inclusion proofs (RFC 6962)', '');
  for (const l of proofs.leaves) {
    lines.push(
      `### Leaf ${l.leafIndex} (capture ${l.captureId})`,
      '',
      `- **Leaf hash:** ${l.leafHash}`,
      `- **Audit path (${l.proof.length} hashes):**`,
      '',
    );
    for (const p of l.proof) lines.push(`    ${p}`);
    lines.push('');
  }
  lines.push('## Files in this pack', '');
  for (const r of resources) lines.push(`- ${r.path}: ${r.bytes} bytes, ${r.hash}`);
  return lines.join('\n') + '\n';
}

/**
 * Builds a WACZ 1.2 evidence pack for a case: the WARC records of every cited document, a pages
 * index, the log leaves with inclusion proofs and the signed root, a PDF summary, datapackage.json
 * with the sha256 of every file, and datapackage-digest.json signed with the workspace key.
 * Files are stored uncompressed so the WARC can be read in place.
 */
export async function buildPack(
  ws: Workspace,
  caseId: string,
): Promise<{ bytes: Buffer; files: string[]; documents: number; records: number }> {
  const c = await loadCase(ws, caseId);
  const all = [...c.statements, ...c.reported];
  if (all.length === 0)
    throw new AppError('invalid_input', `case ${c.id} cites no statement: nothing to pack`);
  const docs = new DocumentsRepo(ws.db, ws.id);
  const docIds = [...new Set(all.map((s) => s.documentId))];
  const caps = new Map<string, CaptureInfo[]>();
  for (const id of docIds) caps.set(id, await docs.captures(id));

  const head = await signTreeHead(ws);
  if (!head) throw new AppError('integrity_failed', 'the evidence log is empty: nothing was captured');
  const log = new LogRepo(ws.db, ws.id);
  const entries = (await log.entries()).slice(0, head.treeSize);
  const hashes = entries.map((e) => Buffer.from(e.leafHash, 'hex'));
  const keys = loadKeys(ws);
  const proofs: PackProofs = {
    workspaceId: ws.id,
    publicKey: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: keys.keyId,
    treeHead: {
      treeSize: head.treeSize,
      rootHash: head.rootHash,
      signedAt: head.signedAt,
      signature: head.signature,
    },
    leaves: [],
  };
  const warcCache = new Map<string, Buffer>();
  const warcParts: Buffer[] = [];
  const pages: string[] = [
    JSON.stringify({
      format: 'json-pages-1.0',
      id: 'pages',
      title: `claimtrace case ${c.id}: ${c.respondent.name}`,
    }),
  ];
  for (const id of docIds) {
    const doc = await docs.get(id);
    for (const cap of caps.get(id) ?? []) {
      warcParts.push(...captureRecords(ws, cap, warcCache));
      if (cap.leafIndex !== null && cap.leafIndex < head.treeSize) {
        const e = entries[cap.leafIndex]!;
        proofs.leaves.push({
          documentId: id,
          captureId: cap.id,
          leafIndex: cap.leafIndex,
          leafJson: e.leafJson,
          leafHash: e.leafHash,
          proof: inclusionProof(hashes, cap.leafIndex).map((b) => b.toString('hex')),
        });
      }
    }
    const first = caps.get(id)?.[0];
    pages.push(
      JSON.stringify({
        id,
        url: doc.url ?? doc.location,
        ts: first?.capturedAt ?? doc.capturedAt,
        title: doc.title ?? doc.location,
      }),
    );
  }

  const files: Record<string, Uint8Array> = {
    'archive/data.warc': Buffer.concat(warcParts),
    'pages/pages.jsonl': Buffer.from(pages.join('\n') + '\n', 'utf8'),
    'evidence/proofs.json': Buffer.from(JSON.stringify(proofs, null, 2) + '\n', 'utf8'),
    'evidence/case.json': Buffer.from(JSON.stringify({ ...c, history: c.history }, null, 2) + '\n', 'utf8'),
  };
  const describe = (path: string, data: Uint8Array): Resource => ({
    name: path.split('/').pop()!,
    path,
    hash: sha(data),
    bytes: data.byteLength,
  });
  const pre = Object.entries(files).map(([p, d]) => describe(p, d));
  files['evidence/summary.pdf'] = await markdownToPdf(summaryMarkdown(c, caps, proofs, pre), {
    title: `Evidence pack ${c.id} (DRAFT)`,
    creator: SOFTWARE,
  });
  const resources = Object.entries(files).map(([p, d]) => describe(p, d));
  const created = new Date().toISOString();
  const datapackage = Buffer.from(
    JSON.stringify(
      {
        profile: 'data-package',
        wacz_version: WACZ_VERSION,
        title: `claimtrace evidence pack: case ${c.id} (${c.respondent.name})`,
        created,
        modified: created,
        software: SOFTWARE,
        resources,
      },
      null,
      2,
    ) + '\n',
    'utf8',
  );
  const dpHash = sha(datapackage);
  const digest = {
    path: 'datapackage.json',
    hash: dpHash,
    signedData: {
      hash: dpHash,
      created,
      software: SOFTWARE,
      keyId: keys.keyId,
      publicKey: proofs.publicKey,
      signature: sign(null, Buffer.from(dpHash, 'utf8'), keys.privateKey).toString('base64'),
    },
  };
  const zip: Zippable = {};
  for (const [p, d] of Object.entries(files)) zip[p] = [d, { level: 0 }];
  zip['datapackage.json'] = [datapackage, { level: 0 }];
  zip['datapackage-digest.json'] = [
    Buffer.from(JSON.stringify(digest, null, 2) + '\n', 'utf8'),
    { level: 0 },
  ];
  const bytes = Buffer.from(zipSync(zip, { mtime: new Date(created) }));
  return { bytes, files: Object.keys(zip), documents: docIds.length, records: warcParts.length };
}

export interface PackProblem {
  file: string;
  record: string | null;
  message: string;
}

export interface PackReport {
  ok: boolean;
  problems: PackProblem[];
  checked: { files: number; warcRecords: number; proofs: number };
  keyId: string | null;
  rootHash: string | null;
  treeSize: number | null;
}

/**
 * Checks a pack offline: every file against datapackage.json (sha256 and size), the digest file
 * and its signature, each WARC record's block and payload digests, and each log leaf's inclusion
 * proof against the signed root. Never throws for a damaged pack: every problem is reported with
 * the file (and record) it is in.
 */
export function verifyPack(bytes: Uint8Array): PackReport {
  const problems: PackProblem[] = [];
  const report: PackReport = {
    ok: false,
    problems,
    checked: { files: 0, warcRecords: 0, proofs: 0 },
    keyId: null,
    rootHash: null,
    treeSize: null,
  };
  const fail = (file: string, message: string, record: string | null = null): void => {
    problems.push({ file, record, message });
  };
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (err) {
    fail('(zip)', `not a readable zip file: ${errorMessage(err)}`);
    return report;
  }
  const text = (name: string): string | null =>
    entries[name] ? Buffer.from(entries[name]).toString('utf8') : null;
  const json = <T>(name: string): T | null => {
    const t = text(name);
    if (t === null) {
      fail(name, 'missing from the pack');
      return null;
    }
    try {
      return JSON.parse(t) as T;
    } catch (err) {
      fail(name, `not valid JSON: ${errorMessage(err)}`);
      return null;
    }
  };

  const dpBytes = entries['datapackage.json'];
  const digest = json<{
    path?: string;
    hash?: string;
    signedData?: { hash?: string; signature?: string; publicKey?: string; keyId?: string };
  }>('datapackage-digest.json');
  if (dpBytes && digest) {
    const actual = sha(dpBytes);
    if (digest.hash !== actual)
      fail(
        'datapackage.json',
        `hash ${actual} does not match ${String(digest.hash)} in datapackage-digest.json`,
      );
    const sd = digest.signedData;
    if (!sd?.signature || !sd.publicKey || !sd.hash) fail('datapackage-digest.json', 'has no signature');
    else {
      report.keyId = sd.keyId ?? null;
      let good = false;
      try {
        good =
          sd.hash === actual &&
          verifySignature(
            null,
            Buffer.from(sd.hash, 'utf8'),
            createPublicKey(sd.publicKey),
            Buffer.from(sd.signature, 'base64'),
          );
      } catch {
        good = false;
      }
      if (!good)
        fail('datapackage-digest.json', 'the signature over the datapackage.json hash does not verify');
    }
  }
  const dp = json<{ profile?: string; wacz_version?: string; resources?: Resource[] }>('datapackage.json');
  if (dp) {
    if (dp.profile !== 'data-package')
      fail('datapackage.json', `profile is ${String(dp.profile)}, not data-package`);
    if (dp.wacz_version !== WACZ_VERSION)
      fail('datapackage.json', `wacz_version is ${String(dp.wacz_version)}, not ${WACZ_VERSION}`);
    const listed = new Set<string>();
    for (const r of dp.resources ?? []) {
      listed.add(r.path);
      const data = entries[r.path];
      report.checked.files++;
      if (!data) {
        fail(r.path, 'listed in datapackage.json but missing from the pack');
        continue;
      }
      if (data.byteLength !== r.bytes)
        fail(r.path, `is ${data.byteLength} bytes, datapackage.json says ${r.bytes}`);
      const h = sha(data);
      if (h !== r.hash) fail(r.path, `hash ${h} does not match ${r.hash} in datapackage.json`);
    }
    for (const name of Object.keys(entries)) {
      if (!listed.has(name) && name !== 'datapackage.json' && name !== 'datapackage-digest.json')
        fail(name, 'is in the pack but not listed in datapackage.json');
    }
  }

  // Block digests of the WARC records, by record id, for matching the log leaves.
  const digests = new Map<string, string>();
  const warc = entries['archive/data.warc'];
  if (!warc) fail('archive/data.warc', 'missing from the pack');
  else {
    try {
      for (const rec of iterateRecords(Buffer.from(warc))) {
        report.checked.warcRecords++;
        const id = rec.headers.get('warc-record-id') ?? `(record at byte ${rec.offset})`;
        const block = `sha256:${sha256Hex(rec.block)}`;
        const claimed = rec.headers.get('warc-block-digest');
        if (claimed !== block)
          fail(
            'archive/data.warc',
            `record ${id} at byte ${rec.offset}: block digest is ${block}, the header says ${String(claimed)}`,
            id,
          );
        const payloadClaimed = rec.headers.get('warc-payload-digest');
        if (payloadClaimed) {
          const start = rec.headers.get('warc-type') === 'response' ? httpPayloadOffset(rec.block) : 0;
          const payload = `sha256:${sha256Hex(rec.block.subarray(start))}`;
          if (payload !== payloadClaimed)
            fail(
              'archive/data.warc',
              `record ${id}: payload digest is ${payload}, the header says ${payloadClaimed}`,
              id,
            );
        }
        digests.set(id, claimed ?? '');
      }
    } catch (err) {
      fail('archive/data.warc', errorMessage(err));
    }
  }

  const proofs = json<PackProofs>('evidence/proofs.json');
  if (proofs) {
    const th = proofs.treeHead;
    report.rootHash = th.rootHash;
    report.treeSize = th.treeSize;
    report.keyId = report.keyId ?? proofs.keyId;
    let headOk = false;
    try {
      headOk = verifySignature(
        null,
        treeHeadMessage(proofs.workspaceId, th.treeSize, th.rootHash, th.signedAt),
        createPublicKey(proofs.publicKey),
        Buffer.from(th.signature, 'base64'),
      );
    } catch {
      headOk = false;
    }
    if (!headOk)
      fail('evidence/proofs.json', `the signature of the log root (size ${th.treeSize}) does not verify`);
    const root = Buffer.from(th.rootHash, 'hex');
    for (const l of proofs.leaves) {
      report.checked.proofs++;
      const lh = leafHash(Buffer.from(l.leafJson, 'utf8'));
      if (lh.toString('hex') !== l.leafHash)
        fail('evidence/proofs.json', `leaf ${l.leafIndex}: its JSON does not hash to ${l.leafHash}`, null);
      if (
        !verifyInclusion(
          lh,
          l.leafIndex,
          th.treeSize,
          l.proof.map((p) => Buffer.from(p, 'hex')),
          root,
        )
      ) {
        fail(
          'evidence/proofs.json',
          `leaf ${l.leafIndex} (capture ${l.captureId}): the inclusion proof does not lead to the signed root ${th.rootHash}`,
        );
      }
      try {
        const leaf = parseLeaf(l.leafJson);
        if (leaf.type === 'capture') {
          const inWarc = digests.get(leaf.recordId);
          if (inWarc === undefined)
            fail(
              'archive/data.warc',
              `record ${leaf.recordId} of capture ${l.captureId} is missing`,
              leaf.recordId,
            );
          else if (inWarc !== leaf.blockDigest)
            fail(
              'archive/data.warc',
              `record ${leaf.recordId}: block digest ${inWarc} differs from ${leaf.blockDigest} in the log`,
              leaf.recordId,
            );
        }
      } catch (err) {
        fail('evidence/proofs.json', `leaf ${l.leafIndex}: ${errorMessage(err)}`);
      }
    }
  }
  report.ok = problems.length === 0;
  return report;
}

/** Reads and checks a pack file. */
export function verifyPackFile(path: string): PackReport {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new AppError('not_found', `no such file: ${path}`);
  }
  return verifyPack(bytes);
}
