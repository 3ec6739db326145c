import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { parsePartialDate, type PartialDate } from '../domain/dates.js';
import type { DocumentFormat, DocumentKind } from '../domain/document.js';
import { newId } from '../domain/ids.js';
import { AppError, errorMessage, isAppError } from '../errors.js';
import { DocumentsRepo } from '../store/documents-repo.js';
import { RegistryRepo } from '../store/registry-repo.js';
import type { Workspace } from '../store/workspace.js';
import { putBlob } from './blobs.js';
import { appendLeaf, signTreeHead, type CaptureLeaf } from './evidence-log.js';
import { expandInputs, type IngestItem, type MetadataOverrides } from './inputs.js';
import { parseDocumentBytes } from './parse.js';
import { parsePlainText, type ParsedText } from './text.js';
import { sha256Hex, WarcWriter } from './warc.js';

export interface IngestOptions {
  manifest?: string;
  overrides?: MetadataOverrides;
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
}

/** Bytes fetched or read, with what we know of them before parsing. */
interface Captured {
  bytes: Buffer;
  location: string;
  url: string | null;
  targetUri: string;
  mediaType: string;
  nameHint: string;
  overrides: MetadataOverrides;
  post?: { author: string; createdAt: string; text: string; links: string[]; id: string };
}

const TEXTUAL_MEDIA: Record<string, string> = { html: 'text/html', markdown: 'text/markdown', text: 'text/plain', post: 'application/json' };

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

/**
 * Captures every input: raw bytes into the blob store and a WARC file, the extracted text as
 * a conversion record, a document row, a capture row and a leaf of the evidence log. Each item
 * succeeds or fails on its own; a failure is recorded with its reason and the batch goes on.
 */
export async function ingest(ws: Workspace, inputs: string[], opts: IngestOptions = {}): Promise<IngestResult[]> {
  const items = expandInputs(inputs, { overrides: opts.overrides ?? {}, ...(opts.manifest ? { manifest: opts.manifest } : {}) });
  opts.onStart?.(items.length);
  const results: IngestResult[] = [];
  let writer: WarcWriter | null = null;
  const warcWriter = (): WarcWriter => {
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
  };
  try {
    for (const item of items) {
      const result = await ingestOne(ws, item, warcWriter);
      results.push(result);
      opts.onItem?.(result, results.length, items.length);
    }
  } finally {
    const w = writer as WarcWriter | null;
    if (w) w.close();
  }
  await signTreeHead(ws);
  return results;
}

async function ingestOne(ws: Workspace, item: IngestItem, warcWriter: () => WarcWriter): Promise<IngestResult> {
  const location = item.type === 'file' || item.type === 'post' || item.type === 'invalid' ? item.location : item.url;
  const failed = (err: unknown, documentId: string | null = null, sha: string | null = null): IngestResult => ({
    location,
    status: 'failed',
    documentId,
    sha256: sha,
    code: isAppError(err) ? err.code : 'internal',
    error: errorMessage(err),
  });
  if (item.type === 'invalid') return failed(new AppError(item.code, item.message));
  let captured: Captured;
  try {
    if (item.type === 'file') captured = readFileItem(item, ws.config.limits.maxFileBytes);
    else if (item.type === 'post') {
      captured = {
        bytes: item.raw,
        location: item.location,
        url: item.post.url ?? null,
        targetUri: item.post.url ?? `urn:claimtrace:${item.location}`,
        mediaType: 'application/json',
        nameHint: `${item.post.id}.json`,
        overrides: { actor: item.post.author, published: item.post.created_at, kind: 'post' },
        post: { author: item.post.author, createdAt: item.post.created_at, text: item.post.text, links: item.post.links ?? [], id: item.post.id },
      };
    } else throw new AppError('unsupported_format', `capturing URLs (${item.url}) needs the network fetcher, which is not available in this build`);
  } catch (err) {
    return failed(err);
  }
  return storeCaptured(ws, captured, warcWriter);
}

async function storeCaptured(ws: Workspace, c: Captured, warcWriter: () => WarcWriter): Promise<IngestResult> {
  const docs = new DocumentsRepo(ws.db, ws.id);
  const sha = sha256Hex(c.bytes);
  const existing = await docs.findByIdentity(c.location, sha);
  if (existing) return { location: c.location, status: 'exists', documentId: existing.id, sha256: sha, code: null, error: null };

  const capturedAt = new Date().toISOString();
  // Parse first (it may fail), but keep the raw bytes either way: they are the evidence.
  let format: DocumentFormat = c.post ? 'post' : 'text';
  let parsed: ParsedText | null = null;
  let parseError: AppError | null = null;
  try {
    if (c.post) {
      parsed = { ...parsePlainText(c.post.text), title: null, links: c.post.links };
    } else {
      const out = await parseDocumentBytes(c.bytes, c.nameHint, c.url, ws.config.limits);
      format = out.format;
      parsed = out.parsed;
    }
  } catch (err) {
    parseError = isAppError(err) ? err : new AppError('parse_failed', `could not parse ${c.location}: ${errorMessage(err)}`);
  }

  let published: PartialDate | null;
  try {
    published = resolvePublished(c.overrides.published, parsed?.published ?? null);
  } catch (err) {
    return { location: c.location, status: 'failed', documentId: null, sha256: sha, code: 'invalid_input', error: errorMessage(err) };
  }

  putBlob(ws.paths.blobs, sha, c.bytes);
  const writer = warcWriter();
  const warcFile = relative(ws.paths.root, writer.path);
  const resource = writer.write({
    type: 'resource',
    targetUri: c.targetUri,
    date: capturedAt,
    contentType: TEXTUAL_MEDIA[format] ?? c.mediaType,
    block: c.bytes,
  });
  let conversion: ReturnType<WarcWriter['write']> | null = null;
  const text = parsed?.text ?? null;
  if (text !== null) {
    conversion = writer.write({
      type: 'conversion',
      targetUri: c.targetUri,
      date: capturedAt,
      contentType: 'text/plain; charset=utf-8',
      block: Buffer.from(text, 'utf8'),
      headers: { 'WARC-Refers-To': resource.recordId },
    });
  }
  writer.sync();

  const documentId = newId('doc');
  const captureId = newId('cap');
  await ws.db.transaction().execute(async (trx) => {
    const registry = new RegistryRepo(trx, ws.id);
    const actorName = c.overrides.actor ?? null;
    let actorId: string | null = null;
    let actorRegistered: string | null = null;
    if (actorName) {
      const actor =
        (await registry.findActor(actorName)) ??
        (await registry.upsertActor({ name: actorName, kind: c.post ? 'account' : 'organization', description: 'added when a document named it' })).actor;
      actorId = actor.id;
      actorRegistered = actor.name;
    }
    const kind: DocumentKind = c.overrides.kind ?? (c.post ? 'post' : 'other');
    const title = c.overrides.title ?? parsed?.title ?? (c.post ? null : c.nameHint);
    const metadata: Record<string, unknown> = { ...(parsed?.metadata ?? {}) };
    if (parsed?.description) metadata['description'] = parsed.description;
    if (c.post) metadata['post'] = { id: c.post.id, author: c.post.author, createdAt: c.post.createdAt };
    const repo = new DocumentsRepo(trx, ws.id);
    await repo.insert({
      id: documentId,
      location: c.location,
      url: c.url,
      sha256: sha,
      size: c.bytes.byteLength,
      media_type: TEXTUAL_MEDIA[format] ?? c.mediaType,
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
      parent_id: null,
    });
    await repo.insertCapture({
      id: captureId,
      document_id: documentId,
      captured_at: capturedAt,
      sha256: sha,
      warc_file: warcFile,
      record_id: resource.recordId,
      record_offset: resource.offset,
      record_length: resource.length,
      block_digest: resource.blockDigest,
      payload_digest: resource.payloadDigest,
      request_record_id: null,
      conversion_record_id: conversion?.recordId ?? null,
      conversion_offset: conversion?.offset ?? null,
      conversion_length: conversion?.length ?? null,
      conversion_digest: conversion?.blockDigest ?? null,
      ip_address: null,
      http_status: null,
      text_sha256: text === null ? null : sha256Hex(text),
      leaf_index: null,
    });
    const leaf: CaptureLeaf = {
      type: 'capture',
      documentId,
      captureId,
      location: c.location,
      sha256: sha,
      warcFile,
      recordId: resource.recordId,
      blockDigest: resource.blockDigest,
      capturedAt,
      title,
      actor: actorRegistered,
      published: published?.value ?? null,
    };
    const index = await appendLeaf(trx, ws.id, leaf);
    await repo.setCaptureLeaf(captureId, index);
  });
  if (parseError) return { location: c.location, status: 'failed', documentId, sha256: sha, code: parseError.code, error: parseError.message };
  return { location: c.location, status: 'stored', documentId, sha256: sha, code: null, error: null };
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
