import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { canonicalJson } from '../domain/canonical-json.js';
import { parsePartialDate, type PartialDate } from '../domain/dates.js';
import type { DocumentFormat, DocumentInfo, DocumentKind } from '../domain/document.js';
import { newId } from '../domain/ids.js';
import type { ActorKind } from '../domain/subject.js';
import { AppError, errorMessage, isAppError } from '../errors.js';
import type { Db } from '../store/database.js';
import { DocumentsRepo, identityKey, type NewDocument } from '../store/documents-repo.js';
import { RegistryRepo } from '../store/registry-repo.js';
import type { CaptureRow } from '../store/schema.js';
import type { Workspace } from '../store/workspace.js';
import { BlobBatch } from './blobs.js';
import { appendLeaf, appendLeaves, signTreeHead, type CaptureLeaf } from './evidence-log.js';
import type { ParsedFeed } from './formats/feed.js';
import { sniffFormat } from './formats/sniff.js';
import { expandInputs, type IngestItem, type MetadataOverrides } from './inputs.js';
import type { FetchResult } from './net/fetch.js';
import { feedItemText, parseDocumentBytes } from './parse.js';
import { parsePlainText, type ParsedText } from './text.js';
import { fetchForCapture, urlNameHint, writeHttpRecords } from './url-capture.js';
import { sha256Hex, WarcWriter, type WrittenRecord } from './warc.js';

export interface IngestOptions {
  manifest?: string;
  overrides?: MetadataOverrides;
  /** Let URL fetches reach private, loopback and link-local addresses (`--allow-private-network`). */
  allowPrivateNetwork?: boolean;
  onItem?: (result: IngestResult, done: number, total: number) => void;
  onStart?: (total: number) => void;
}

export interface IngestResult {
  location: string;
  status: 'stored' | 'exists' | 'failed';
  documentId: string | null;
  sha256: string | null;
  code: string | null;
  error: string | null;
  /** The feed document an item was read from; null for everything else. */
  parentId?: string | null;
}

/** Text already known before capture (a post, a feed item): stored as given, never parsed. */
interface Preparsed {
  format: DocumentFormat;
  parsed: ParsedText;
  kind: DocumentKind;
  actorKind: ActorKind;
  /** Posts have no title of their own; everything else falls back to its file name. */
  titleFallback: boolean;
  metadata: Record<string, unknown>;
}

/** Bytes fetched or read, with what we know of them before parsing. */
export interface Captured {
  bytes: Buffer;
  location: string;
  url: string | null;
  targetUri: string;
  mediaType: string;
  nameHint: string;
  overrides: MetadataOverrides;
  preparsed?: Preparsed;
  /** Set when the bytes were fetched over HTTP: the exchanges become request/response records. */
  http?: FetchResult;
  parentId?: string;
  /** The WARC record these bytes were cut from (a feed item points at its feed's record). */
  refersTo?: string;
}

/** The WARC records of one capture: the record holding the bytes, and the rest around it. */
export interface CaptureRecords {
  warcFile: string;
  record: WrittenRecord;
  requestRecordId: string | null;
  conversion: WrittenRecord | null;
  ipAddress: string | null;
  httpStatus: number | null;
}

/** One WARC file per run, opened on first use. */
export type WarcWriterSource = () => WarcWriter;

/** Documents per ingest batch: one WARC fsync and one database commit for all of them. */
export const INGEST_BATCH = 64;

/** The rows of one capture, written together in the batch's transaction. */
interface CaptureRows {
  document: NewDocument;
  /** Its leaf_index is set when the batch appends the leaves. */
  capture: CaptureRow;
  leaf: CaptureLeaf;
}

interface PendingCapture {
  documentId: string;
  /** Builds the rows inside the transaction (the actor may have to be registered first). */
  rows: (trx: Db) => Promise<CaptureRows>;
}

/** Inserts the documents, the log leaves (consecutive, in order) and the captures of a batch. */
async function writeCaptureRows(trx: Db, ws: Workspace, rows: CaptureRows[]): Promise<void> {
  const repo = new DocumentsRepo(trx, ws.id);
  await repo.insertMany(rows.map((r) => r.document));
  const first = await appendLeaves(trx, ws.id, rows.map((r) => r.leaf));
  await repo.insertCaptures(rows.map((r, i) => ({ ...r.capture, leaf_index: first + i })));
}

/**
 * Captures whose blobs and WARC records are written but whose rows are not committed yet.
 * flush() makes the blobs and the WARC file durable first (the fsyncs of a whole batch run
 * together, off the main thread) and only then commits the rows (documents, captures,
 * evidence-log leaves) in one transaction, so a crash at any point leaves no row pointing at a
 * blob or record that is not on disk; records without rows are what verify reports as
 * unreferenced, as after any crash.
 */
export class CaptureBatch {
  private pending: PendingCapture[] = [];
  /** Every capture queued in this run, flushed or not: the same input again is `exists`. */
  private readonly identities = new Map<string, string>();
  readonly blobs: BlobBatch;

  constructor(private readonly ws: Workspace, private readonly warc: WarcWriterSource) {
    this.blobs = new BlobBatch(ws.paths.blobs);
  }

  get size(): number {
    return this.pending.length;
  }

  /** The document already queued in this run with that location and content, if any. */
  queued(location: string, sha: string): string | undefined {
    return this.identities.get(identityKey(location, sha));
  }

  add(location: string, sha: string, documentId: string, rows: (trx: Db) => Promise<CaptureRows>): void {
    this.identities.set(identityKey(location, sha), documentId);
    this.pending.push({ documentId, rows });
  }

  async flush(): Promise<void> {
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    await Promise.all([this.blobs.commit(), this.warc().syncAsync()]);
    try {
      await this.ws.db.transaction().execute(async (trx) => {
        const rows: CaptureRows[] = [];
        for (const p of batch) rows.push(await p.rows(trx));
        await writeCaptureRows(trx, this.ws, rows);
      });
    } catch (err) {
      // One row broke the batch (nothing of it was committed): store the others one by one,
      // so only the failing capture is lost, and report it as a single capture would have.
      let first: unknown = null;
      for (const p of batch) {
        try {
          await this.ws.db.transaction().execute(async (trx) => writeCaptureRows(trx, this.ws, [await p.rows(trx)]));
        } catch (e) {
          first ??= e;
        }
      }
      throw first ?? err;
    }
  }

  /** Removes blobs written since the last flush; for a run that stops on an error. */
  discard(): Promise<void> {
    this.pending = [];
    return this.blobs.abort();
  }
}

/** Opens a WARC file lazily in the workspace, starting with a warcinfo record; call close() when done. */
export function lazyWarcWriter(ws: Workspace): { get: WarcWriterSource; close(): void } {
  let writer: WarcWriter | null = null;
  return {
    get() {
      if (writer) return writer;
      const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
      const name = `claimtrace-${stamp}-${randomBytes(3).toString('hex')}.warc`;
      writer = new WarcWriter(join(ws.paths.warc, name));
      writer.write({
        type: 'warcinfo',
        date: new Date().toISOString(),
        contentType: 'application/warc-fields',
        block: Buffer.from(`software: claimtrace\r\nformat: WARC File Format 1.1\r\nworkspace: ${ws.id}\r\n`),
        headers: { 'WARC-Filename': name },
      });
      return writer;
    },
    close() {
      const w = writer as WarcWriter | null;
      if (w) w.close();
      writer = null;
    },
  };
}

function readFileItem(item: Extract<IngestItem, { type: 'file' }>, maxBytes: number): Captured {
  let size: number;
  try {
    size = statSync(item.path).size;
  } catch {
    throw new AppError('not_found', `no such file: ${item.path}`);
  }
  if (size > maxBytes) throw new AppError('too_large', `${item.path} is ${size} bytes, over the ${maxBytes}-byte limit per file`);
  const bytes = readFileSync(item.path);
  return {
    bytes,
    location: item.location,
    url: item.overrides.url ?? null,
    targetUri: item.overrides.url ?? `file://${item.path}`,
    mediaType: 'application/octet-stream',
    nameHint: basename(item.path),
    overrides: item.overrides,
  };
}

function capturedFromPost(item: Extract<IngestItem, { type: 'post' }>): Captured {
  return {
    bytes: item.raw,
    location: item.location,
    url: item.post.url ?? null,
    targetUri: item.post.url ?? `urn:claimtrace:${item.location}`,
    mediaType: 'application/json',
    nameHint: `${item.post.id}.json`,
    overrides: { actor: item.post.author, published: item.post.created_at, kind: 'post' },
    preparsed: {
      format: 'post',
      parsed: { ...parsePlainText(item.post.text), title: null, links: item.post.links ?? [] },
      kind: 'post',
      actorKind: 'account',
      titleFallback: false,
      metadata: { post: { id: item.post.id, author: item.post.author, createdAt: item.post.created_at } },
    },
  };
}

type ParseOutcome = Awaited<ReturnType<typeof parseCaptured>>;

/** What is known of a capture before its turn to be stored: its hash, whether it is stored already, its parse. */
interface KnownCapture {
  sha: string;
  existing: DocumentInfo | null;
  parse: Promise<ParseOutcome> | null;
}

/** An input read ahead of its turn; URLs are fetched only when their turn comes. */
interface Prepared {
  item: IngestItem;
  location: string;
  captured: Captured | null;
  known: KnownCapture | null;
  failure: unknown;
}

/** Inputs read ahead of the one being stored, so their parses run in the sandbox workers meanwhile. */
const LOOKAHEAD = 32;
/** Bytes read ahead at most (one input is always read, whatever its size). */
const LOOKAHEAD_BYTES = 64 * 1024 * 1024;

/**
 * Reads inputs ahead in order, looks up which are stored already (one query per chunk) and starts
 * parsing the new ones in the parse sandbox. Inputs still come out one by one in input order, so
 * storing them keeps document ids and log leaves in the order of a sequential run.
 */
class Lookahead {
  private readonly queue: Prepared[] = [];
  private at = 0;
  private bytes = 0;

  constructor(private readonly ws: Workspace, private readonly items: IngestItem[]) {}

  async next(): Promise<Prepared | undefined> {
    if (this.queue.length <= LOOKAHEAD / 2 && this.at < this.items.length) await this.fill();
    const p = this.queue.shift();
    if (p?.captured) this.bytes -= p.captured.bytes.byteLength;
    return p;
  }

  private async fill(): Promise<void> {
    const fresh: Prepared[] = [];
    while (this.at < this.items.length && this.queue.length + fresh.length < LOOKAHEAD && (this.bytes < LOOKAHEAD_BYTES || this.queue.length + fresh.length === 0)) {
      const p = this.read(this.items[this.at++]!);
      if (p.captured) this.bytes += p.captured.bytes.byteLength;
      fresh.push(p);
    }
    const readable = fresh.filter((p): p is Prepared & { captured: Captured } => p.captured !== null);
    if (readable.length > 0) {
      const shas = readable.map((p) => sha256Hex(p.captured.bytes));
      const stored = await new DocumentsRepo(this.ws.db, this.ws.id).findByIdentities(readable.map((p, i) => ({ location: p.captured.location, sha256: shas[i]! })));
      readable.forEach((p, i) => {
        const sha = shas[i]!;
        const existing = stored.get(identityKey(p.captured.location, sha)) ?? null;
        // A stored feed is read again for its items (see storeCaptured); other stored inputs are not parsed.
        const needsParse = !p.captured.preparsed && (existing === null || existing.format === 'feed');
        p.known = { sha, existing, parse: needsParse ? parseCaptured(this.ws, p.captured) : null };
      });
    }
    this.queue.push(...fresh);
  }

  private read(item: IngestItem): Prepared {
    const location = item.type === 'file' || item.type === 'post' || item.type === 'invalid' ? item.location : item.url;
    const p: Prepared = { item, location, captured: null, known: null, failure: null };
    try {
      if (item.type === 'invalid') p.failure = new AppError(item.code, item.message);
      else if (item.type === 'file') p.captured = readFileItem(item, this.ws.config.limits.maxFileBytes);
      else if (item.type === 'post') p.captured = capturedFromPost(item);
    } catch (err) {
      p.failure = err;
    }
    return p;
  }
}

/** What a URL's fetched bytes are, before parsing: the document's location stays the URL as given. */
export function capturedFromFetch(result: FetchResult, location: string, overrides: MetadataOverrides): Captured {
  const type = result.headers['content-type'];
  return {
    bytes: result.body,
    location,
    url: result.finalUrl,
    targetUri: result.finalUrl,
    mediaType: typeof type === 'string' ? type : 'application/octet-stream',
    nameHint: urlNameHint(result.finalUrl),
    overrides,
    http: result,
  };
}

/**
 * Captures every input: raw bytes into the blob store and a WARC file (request and response
 * records for URLs), the extracted text as a conversion record, a document row, a capture row and
 * a leaf of the evidence log; an RSS or Atom feed also stores each of its items as a document.
 * Each input succeeds or fails on its own; a failure is recorded with its reason and the batch goes on.
 */
export async function ingest(ws: Workspace, inputs: string[], opts: IngestOptions = {}): Promise<IngestResult[]> {
  const items = expandInputs(inputs, { overrides: opts.overrides ?? {}, ...(opts.manifest ? { manifest: opts.manifest } : {}) });
  opts.onStart?.(items.length);
  const results: IngestResult[] = [];
  const warc = lazyWarcWriter(ws);
  const batch = new CaptureBatch(ws, warc.get);
  const ahead = new Lookahead(ws, items);
  let done = 0;
  // Reported only once their batch is committed, so progress never shows a row that may not exist.
  let unreported: IngestResult[] = [];
  const report = (): void => {
    for (const r of unreported) opts.onItem?.(r, ++done, items.length);
    unreported = [];
  };
  try {
    for (let p = await ahead.next(); p; p = await ahead.next()) {
      const out = await ingestOne(ws, p, warc.get, opts.allowPrivateNetwork, batch);
      results.push(...out);
      if (out[0]) unreported.push(out[0]);
      else done++;
      if (batch.size >= INGEST_BATCH) await batch.flush();
      if (batch.size === 0) report();
    }
    await batch.flush();
    report();
  } catch (err) {
    await batch.discard();
    throw err;
  } finally {
    warc.close();
  }
  await signTreeHead(ws);
  return results;
}

async function ingestOne(ws: Workspace, p: Prepared, warcWriter: WarcWriterSource, allowPrivateNetwork: boolean | undefined, batch: CaptureBatch): Promise<IngestResult[]> {
  const { item, location } = p;
  const failed = (err: unknown): IngestResult[] => [
    { location, status: 'failed', documentId: null, sha256: null, code: isAppError(err) ? err.code : 'internal', error: errorMessage(err) },
  ];
  if (p.failure !== null) return failed(p.failure);
  let captured = p.captured;
  if (!captured) {
    if (item.type !== 'url') return failed(new AppError('internal', `${location} was not read`));
    try {
      captured = capturedFromFetch(await fetchForCapture(ws.config, item.url, allowPrivateNetwork), item.url, item.overrides);
    } catch (err) {
      return failed(err);
    }
  }
  const stored = await storeCaptured(ws, captured, warcWriter, batch, p.known ?? undefined);
  const results = [stored.result];
  if (stored.feed && stored.result.documentId && stored.record) {
    const src: FeedSource = { parentId: stored.result.documentId, feedLocation: captured.location, feedRecordId: stored.record, overrides: captured.overrides };
    results.push(...(await storeFeedItems(ws, stored.feed, src, warcWriter, batch, stored.feedItems ?? undefined)));
  }
  return results;
}

/** Where a feed's items come from, so each item can name its feed. */
export interface FeedSource {
  parentId: string;
  feedLocation: string;
  feedRecordId: string;
  overrides: MetadataOverrides;
}

/**
 * Stores each item of a feed as a document of its own, child of the feed document. An item is
 * identified by its URL, or the feed's location plus its id; its captured bytes are the item as
 * JSON, in a resource record that refers to the feed's record. With a batch, the items' rows
 * are committed when the batch is flushed (by the caller); without, before this returns.
 * `itemTexts` are the items' texts when the feed's parse gave them (parseCaptured).
 */
export async function storeFeedItems(ws: Workspace, feed: ParsedFeed, src: FeedSource, warcWriter: WarcWriterSource, batch?: CaptureBatch, itemTexts?: ParsedText[]): Promise<IngestResult[]> {
  const out: IngestResult[] = [];
  for (const [i, item] of feed.items.entries()) {
    const location = item.url ?? `${src.feedLocation}#${encodeURIComponent(item.id ?? String(i + 1))}`;
    // The sandbox worker that parsed the feed has read each item's HTML already.
    const parsed = itemTexts?.[i] ?? feedItemText(item);
    const overrides: MetadataOverrides = {
      kind: 'article',
      ...(src.overrides.actor !== undefined ? { actor: src.overrides.actor } : {}),
      ...(src.overrides.publisher !== undefined ? { publisher: src.overrides.publisher } : feed.title ? { publisher: feed.title } : {}),
    };
    const captured: Captured = {
      bytes: Buffer.from(canonicalJson(item), 'utf8'),
      location,
      url: item.url,
      targetUri: item.url ?? `urn:claimtrace:${location}`,
      mediaType: 'application/json',
      nameHint: `${item.id ?? i + 1}.json`,
      overrides,
      preparsed: { format: 'feed-item', parsed, kind: 'article', actorKind: 'organization', titleFallback: false, metadata: { feedItem: { id: item.id, feed: src.feedLocation } } },
      parentId: src.parentId,
      refersTo: src.feedRecordId,
    };
    const stored = await storeCaptured(ws, captured, warcWriter, batch);
    out.push({ ...stored.result, parentId: src.parentId });
    // A long feed is committed batch by batch too, not as one transaction of every item.
    if (batch && batch.size >= INGEST_BATCH) await batch.flush();
  }
  return out;
}

interface Stored {
  result: IngestResult;
  /** Record id of the bytes' WARC record, when stored now. */
  record: string | null;
  feed: ParsedFeed | null;
  feedItems: ParsedText[] | null;
}

/** Parses captured bytes (unless their text is already known); a failure is returned, not thrown. */
export async function parseCaptured(
  ws: Workspace,
  c: Captured,
): Promise<{ format: DocumentFormat; mediaType: string; parsed: ParsedText | null; feed: ParsedFeed | null; feedItems: ParsedText[] | null; error: AppError | null }> {
  if (c.preparsed) return { format: c.preparsed.format, mediaType: c.mediaType, parsed: c.preparsed.parsed, feed: null, feedItems: null, error: null };
  try {
    const out = await parseDocumentBytes(c.bytes, c.nameHint, c.url, ws.config.limits);
    return { format: out.format, mediaType: out.mediaType, parsed: out.parsed, feed: out.feed, feedItems: out.feedItems, error: null };
  } catch (err) {
    const error = isAppError(err) ? err : new AppError('parse_failed', `could not parse ${c.location}: ${errorMessage(err)}`);
    // The row still says what the bytes looked like, so a failed PDF is listed as a PDF.
    const sniffed = sniffFormat(c.bytes, c.nameHint);
    const format: DocumentFormat = sniffed === 'pdf' || sniffed === 'docx' || sniffed === 'pptx' || sniffed === 'html' ? sniffed : 'text';
    return { format, mediaType: c.mediaType, parsed: null, feed: null, feedItems: null, error };
  }
}

/**
 * Writes the WARC records of one capture: request/response records for every HTTP hop (or one
 * resource record for bytes read from disk), then the extracted text as a conversion record.
 */
export function writeCaptureRecords(ws: Workspace, writer: WarcWriter, c: Captured, mediaType: string, text: string | null, capturedAt: string, opts: { sync?: boolean; sha256?: string } = {}): CaptureRecords {
  const warcFile = relative(ws.paths.root, writer.path);
  let record: WrittenRecord;
  let requestRecordId: string | null = null;
  if (c.http) {
    const http = writeHttpRecords(writer, c.http);
    record = http.response;
    requestRecordId = http.request.recordId;
  } else {
    record = writer.write({
      type: 'resource',
      targetUri: c.targetUri,
      date: capturedAt,
      contentType: mediaType,
      block: c.bytes,
      ...(opts.sha256 !== undefined ? { blockSha256: opts.sha256 } : {}),
      ...(c.refersTo ? { headers: { 'WARC-Refers-To': c.refersTo } } : {}),
    });
  }
  let conversion: WrittenRecord | null = null;
  if (text !== null) {
    conversion = writer.write({
      type: 'conversion',
      targetUri: c.targetUri,
      date: capturedAt,
      contentType: 'text/plain; charset=utf-8',
      block: Buffer.from(text, 'utf8'),
      headers: { 'WARC-Refers-To': record.recordId },
    });
  }
  // A batch syncs once for all its captures (CaptureBatch.flush), before their rows commit.
  if (opts.sync !== false) writer.sync();
  return { warcFile, record, requestRecordId, conversion, ipAddress: c.http?.ipAddress ?? null, httpStatus: c.http?.status ?? null };
}

/** The capture row for these records, before its leaf is appended. */
function captureRow(c: { id: string; documentId: string; capturedAt: string; sha256: string; records: CaptureRecords }): CaptureRow {
  const r = c.records;
  return {
    id: c.id,
    document_id: c.documentId,
    captured_at: c.capturedAt,
    sha256: c.sha256,
    warc_file: r.warcFile,
    record_id: r.record.recordId,
    record_offset: r.record.offset,
    record_length: r.record.length,
    block_digest: r.record.blockDigest,
    payload_digest: r.record.payloadDigest,
    request_record_id: r.requestRecordId,
    conversion_record_id: r.conversion?.recordId ?? null,
    conversion_offset: r.conversion?.offset ?? null,
    conversion_length: r.conversion?.length ?? null,
    conversion_digest: r.conversion?.blockDigest ?? null,
    ip_address: r.ipAddress,
    http_status: r.httpStatus,
    // The conversion record's block is the text's UTF-8 bytes, already hashed when it was written.
    text_sha256: r.conversion ? r.conversion.blockDigest.slice('sha256:'.length) : null,
    leaf_index: null,
  };
}

/** Inserts the capture row and its evidence-log leaf inside the caller's transaction. */
export async function recordCapture(
  trx: Db,
  ws: Workspace,
  capture: { id: string; documentId: string; capturedAt: string; sha256: string; text: string | null; records: CaptureRecords },
  leafMeta: { location: string; title: string | null; actor: string | null; published: string | null },
): Promise<number> {
  const { records: r } = capture;
  const repo = new DocumentsRepo(trx, ws.id);
  await repo.insertCapture(captureRow({ id: capture.id, documentId: capture.documentId, capturedAt: capture.capturedAt, sha256: capture.sha256, records: r }));
  const leaf: CaptureLeaf = {
    type: 'capture',
    documentId: capture.documentId,
    captureId: capture.id,
    location: leafMeta.location,
    sha256: capture.sha256,
    warcFile: r.warcFile,
    recordId: r.record.recordId,
    blockDigest: r.record.blockDigest,
    capturedAt: capture.capturedAt,
    title: leafMeta.title,
    actor: leafMeta.actor,
    published: leafMeta.published,
  };
  const index = await appendLeaf(trx, ws.id, leaf);
  await repo.setCaptureLeaf(capture.id, index);
  return index;
}

/**
 * Stores one capture; with a batch its rows wait for the batch's flush, without one they are
 * committed here. `known` is what the lookahead found out already (hash, stored row, parse).
 */
async function storeCaptured(ws: Workspace, c: Captured, warcWriter: WarcWriterSource, batch?: CaptureBatch, known?: KnownCapture): Promise<Stored> {
  if (!batch) {
    const own = new CaptureBatch(ws, warcWriter);
    const stored = await storeCaptured(ws, c, warcWriter, own, known);
    await own.flush();
    return stored;
  }
  const docs = new DocumentsRepo(ws.db, ws.id);
  const sha = known?.sha ?? sha256Hex(c.bytes);
  const none = { record: null, feed: null, feedItems: null };
  const queued = batch.queued(c.location, sha);
  if (queued) return { result: { location: c.location, status: 'exists', documentId: queued, sha256: sha, code: null, error: null }, ...none };
  const existing = known ? known.existing : await docs.findByIdentity(c.location, sha);
  if (existing) {
    // A run killed after storing a feed but before all its items would otherwise lose those items
    // for good: a known feed is read again and its items stored (each one already there is skipped).
    let feed: ParsedFeed | null = null;
    let feedItems: ParsedText[] | null = null;
    let record: string | null = null;
    if (existing.format === 'feed' && !c.preparsed) {
      const again = await (known?.parse ?? parseCaptured(ws, c));
      const cap = (await docs.captures(existing.id)).find((x) => x.sha256 === sha);
      if (again.feed && cap) {
        feed = again.feed;
        feedItems = again.feedItems;
        record = cap.recordId;
      }
    }
    return { result: { location: c.location, status: 'exists', documentId: existing.id, sha256: sha, code: null, error: null }, record, feed, feedItems };
  }

  const capturedAt = c.http?.startedAt ?? new Date().toISOString();
  // Parse first (it may fail), but keep the raw bytes either way: they are the evidence.
  const { format, mediaType, parsed: parsedBytes, feed, feedItems, error: parsedError } = await (known?.parse ?? parseCaptured(ws, c));
  // An error page is kept as evidence of what the server said, but it is not the document asked for.
  const httpError = c.http && c.http.status >= 400 ? new AppError('fetch_failed', `${c.location} answered HTTP ${c.http.status}${c.http.statusText ? ` ${c.http.statusText}` : ''}`) : null;
  const parseError = httpError ?? parsedError;
  const parsed = httpError ? null : parsedBytes;

  let published: PartialDate | null;
  try {
    published = resolvePublished(c.overrides.published, parsed?.published ?? null);
  } catch (err) {
    return { result: { location: c.location, status: 'failed', documentId: null, sha256: sha, code: 'invalid_input', error: errorMessage(err) }, ...none };
  }

  // Durable only when the batch flushes, which it does before committing this capture's rows.
  batch.blobs.put(sha, c.bytes);
  const text = parsed?.text ?? null;
  const records = writeCaptureRecords(ws, warcWriter(), c, mediaType, text, capturedAt, { sync: false, sha256: sha });

  const documentId = newId('doc');
  const captureId = newId('cap');
  batch.add(c.location, sha, documentId, async (trx) => {
    const registry = new RegistryRepo(trx, ws.id);
    const actorName = c.overrides.actor ?? null;
    let actorId: string | null = null;
    let actorRegistered: string | null = null;
    if (actorName) {
      const actor =
        (await registry.findActor(actorName)) ??
        (await registry.upsertActor({ name: actorName, kind: c.preparsed?.actorKind ?? 'organization', description: 'added when a document named it' })).actor;
      actorId = actor.id;
      actorRegistered = actor.name;
    }
    const kind: DocumentKind = c.overrides.kind ?? c.preparsed?.kind ?? 'other';
    const titleFallback = c.preparsed ? (c.preparsed.titleFallback ? c.nameHint : null) : c.http ? c.location : c.nameHint;
    const title = c.overrides.title ?? parsed?.title ?? titleFallback;
    const metadata: Record<string, unknown> = { ...(parsed?.metadata ?? {}), ...(c.preparsed?.metadata ?? {}) };
    if (parsed?.description) metadata['description'] = parsed.description;
    if (c.http && c.http.redirects.length > 0) metadata['redirects'] = c.http.redirects.map((h) => ({ url: h.url, status: h.status }));
    const document: NewDocument = {
      id: documentId,
      location: c.location,
      url: c.url,
      sha256: sha,
      size: c.bytes.byteLength,
      media_type: mediaType,
      format,
      kind,
      title,
      publisher: c.overrides.publisher ?? parsed?.publisher ?? null,
      actor_id: actorId,
      author: parsed?.author ?? actorName,
      published: published?.value ?? null,
      published_precision: published?.precision ?? null,
      captured_at: capturedAt,
      status: parseError ? 'failed' : 'stored',
      error: parseError?.message ?? null,
      error_code: parseError?.code ?? null,
      text,
      links_json: JSON.stringify(parsed?.links ?? []),
      metadata_json: JSON.stringify(metadata),
      parent_id: c.parentId ?? null,
    };
    return {
      document,
      capture: captureRow({ id: captureId, documentId, capturedAt, sha256: sha, records }),
      leaf: {
        type: 'capture',
        documentId,
        captureId,
        location: c.location,
        sha256: sha,
        warcFile: records.warcFile,
        recordId: records.record.recordId,
        blockDigest: records.record.blockDigest,
        capturedAt,
        title,
        actor: actorRegistered,
        published: published?.value ?? null,
      },
    };
  });
  const result: IngestResult = parseError
    ? { location: c.location, status: 'failed', documentId, sha256: sha, code: parseError.code, error: parseError.message }
    : { location: c.location, status: 'stored', documentId, sha256: sha, code: null, error: null };
  return { result, record: records.record.recordId, feed: httpError ? null : feed, feedItems: httpError ? null : feedItems };
}

/** A date given by the user wins over the document's own; either keeps its precision. */
function resolvePublished(given: string | undefined, fromDocument: PartialDate | null): PartialDate | null {
  if (given !== undefined) {
    const d = parsePartialDate(given);
    if (!d) throw new AppError('invalid_input', `published date "${given}" is not a date (use 2024-03-15, 2024-03 or 2024)`);
    return d;
  }
  return fromDocument;
}
