import { join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { newId } from '../domain/ids.js';
import { AppError, errorMessage, isAppError } from '../errors.js';
import { DocumentsRepo, type CaptureInfo } from '../store/documents-repo.js';
import type { Workspace } from '../store/workspace.js';
import { putBlob } from './blobs.js';
import { signTreeHead } from './evidence-log.js';
import { capturedFromFetch, lazyWarcWriter, parseCaptured, recordCapture, storeFeedItems, writeCaptureRecords, type IngestResult, type WarcWriterSource } from './ingest.js';
import { fetchForCapture } from './url-capture.js';
import { readRecord, sha256Hex } from './warc.js';

export interface RecaptureResult {
  documentId: string;
  location: string;
  /** changed: the text differs from the previous capture; unchanged: same text; failed: nothing stored. */
  status: 'changed' | 'unchanged' | 'failed';
  captureId: string | null;
  capturedAt: string | null;
  httpStatus: number | null;
  previousCaptureId: string | null;
  previousSha256: string | null;
  sha256: string | null;
  bytesChanged: boolean | null;
  textChanged: boolean | null;
  /** Unified diff of the previous capture's text against the new one; null when unchanged or failed. */
  diff: string | null;
  code: string | null;
  error: string | null;
  /** Items of a feed seen for the first time in this capture, stored as new documents. */
  newItems: IngestResult[];
}

export interface RecaptureOptions {
  allowPrivateNetwork?: boolean;
  onItem?: (result: RecaptureResult, done: number, total: number) => void;
}

/** A document can be fetched again when its first capture was fetched over HTTP. */
function wasFetched(caps: CaptureInfo[]): boolean {
  return caps[0]?.requestRecordId != null;
}

function captureText(ws: Workspace, cap: CaptureInfo): string | null {
  if (!cap.conversionRecordId || cap.conversionOffset === null || cap.conversionLength === null) return null;
  return readRecord(join(ws.paths.root, cap.warcFile), cap.conversionOffset, cap.conversionLength).block.toString('utf8');
}

/**
 * Fetches URL documents again and stores each fetch as a new capture of the same document: new
 * WARC request/response and conversion records, a capture row and an evidence-log leaf. The
 * document row keeps its first capture (its sha256, text and the claims read from it); each later
 * version lives in its own capture. Reports per document whether the text changed, with a diff
 * against the previous capture. A feed's new items become documents of their own.
 */
export async function recapture(ws: Workspace, target: { documentId: string } | { all: true }, opts: RecaptureOptions = {}): Promise<RecaptureResult[]> {
  const docs = new DocumentsRepo(ws.db, ws.id);
  let ids: string[];
  if ('documentId' in target) {
    const doc = await docs.get(target.documentId);
    if (!wasFetched(await docs.captures(doc.id))) {
      throw new AppError('invalid_input', `document ${doc.id} (${doc.location}) was captured from a file or a feed, not fetched from a URL: there is nothing to fetch again`);
    }
    ids = [doc.id];
  } else {
    const byDoc = new Map<string, CaptureInfo[]>();
    for (const c of await docs.allCaptures()) byDoc.set(c.documentId, [...(byDoc.get(c.documentId) ?? []), c]);
    ids = [...byDoc.entries()].filter(([, caps]) => wasFetched(caps)).map(([id]) => id);
  }
  const results: RecaptureResult[] = [];
  const warc = lazyWarcWriter(ws);
  try {
    for (const id of ids) {
      const r = await recaptureOne(ws, id, warc.get, opts.allowPrivateNetwork);
      results.push(r);
      opts.onItem?.(r, results.length, ids.length);
    }
  } finally {
    warc.close();
  }
  await signTreeHead(ws);
  return results;
}

async function recaptureOne(ws: Workspace, documentId: string, warcWriter: WarcWriterSource, allowPrivateNetwork: boolean | undefined): Promise<RecaptureResult> {
  const docs = new DocumentsRepo(ws.db, ws.id);
  const doc = await docs.get(documentId);
  const caps = await docs.captures(documentId);
  const previous = caps[caps.length - 1] ?? null;
  const base: RecaptureResult = {
    documentId,
    location: doc.location,
    status: 'failed',
    captureId: null,
    capturedAt: null,
    httpStatus: null,
    previousCaptureId: previous?.id ?? null,
    previousSha256: previous?.sha256 ?? null,
    sha256: null,
    bytesChanged: null,
    textChanged: null,
    diff: null,
    code: null,
    error: null,
    newItems: [],
  };
  let fetched;
  try {
    fetched = await fetchForCapture(ws.config, doc.location, allowPrivateNetwork);
  } catch (err) {
    return { ...base, code: isAppError(err) ? err.code : 'internal', error: errorMessage(err) };
  }
  const captured = capturedFromFetch(fetched, doc.location, {});
  const sha = sha256Hex(captured.bytes);
  const { mediaType, parsed, feed, error: parseError } = await parseCaptured(ws, captured);
  const text = parsed?.text ?? null;
  putBlob(ws.paths.blobs, sha, captured.bytes);
  const records = writeCaptureRecords(ws, warcWriter(), captured, mediaType, text, captured.http?.startedAt ?? new Date().toISOString());
  const captureId = newId('cap');
  const capturedAt = fetched.startedAt;
  await ws.db.transaction().execute(async (trx) => {
    await recordCapture(
      trx,
      ws,
      { id: captureId, documentId, capturedAt, sha256: sha, text, records },
      { location: doc.location, title: doc.title, actor: doc.actorId ? doc.actor : null, published: doc.published },
    );
  });

  const before = previous ? captureText(ws, previous) : doc.text;
  const textChanged = (before ?? '') !== (text ?? '');
  const label = (at: string | null): string => `${doc.location} (captured ${at ?? 'unknown'})`;
  const diff = textChanged ? createTwoFilesPatch(label(previous?.capturedAt ?? null), label(capturedAt), ensureNewline(before ?? ''), ensureNewline(text ?? '')) : null;
  let newItems: IngestResult[] = [];
  if (feed) {
    const items = await storeFeedItems(ws, feed, { parentId: documentId, feedLocation: doc.location, feedRecordId: records.record.recordId, overrides: feedOverrides(doc) }, warcWriter);
    newItems = items.filter((i) => i.status !== 'exists');
  }
  return {
    ...base,
    status: textChanged ? 'changed' : 'unchanged',
    captureId,
    capturedAt,
    httpStatus: fetched.status,
    sha256: sha,
    bytesChanged: previous ? previous.sha256 !== sha : null,
    textChanged,
    diff,
    code: parseError?.code ?? null,
    error: parseError ? `fetched, but the new bytes could not be parsed: ${parseError.message}` : null,
    newItems,
  };
}

function ensureNewline(s: string): string {
  return s.endsWith('\n') ? s : `${s}\n`;
}

function feedOverrides(doc: { actorId: string | null; actor: string | null; publisher: string | null }): { actor?: string; publisher?: string } {
  return {
    ...(doc.actorId && doc.actor ? { actor: doc.actor } : {}),
    ...(doc.publisher ? { publisher: doc.publisher } : {}),
  };
}
