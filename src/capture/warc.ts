import { closeSync, existsSync, fsync, fsyncSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { createHash, randomUUID } from 'node:crypto';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { AppError } from '../errors.js';
import { fsyncDir } from '../store/atomic-file.js';

const fsyncAsync = promisify(fsync);

/** WARC 1.1 record types we write. */
export type WarcType = 'warcinfo' | 'request' | 'response' | 'resource' | 'conversion' | 'metadata';

export interface WarcRecordInput {
  type: WarcType;
  targetUri?: string | null;
  /** WARC-Date: when the capture started. */
  date: string;
  contentType: string;
  block: Uint8Array;
  /** Where the payload starts inside the block (after HTTP headers); omit when block === payload. */
  payloadOffset?: number;
  /** Metadata records have no payload: no WARC-Payload-Digest is written for them. */
  noPayloadDigest?: boolean;
  headers?: Record<string, string>;
  recordId?: string;
  /** sha256 hex of `block`, when the caller has just computed it: saves hashing the same bytes twice. */
  blockSha256?: string;
}

export interface WrittenRecord {
  recordId: string;
  offset: number;
  length: number;
  blockDigest: string;
  payloadDigest: string | null;
}

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export function newRecordId(): string {
  return `<urn:uuid:${randomUUID()}>`;
}

/** Serialises one WARC 1.1 record: version line, named fields, blank line, block, two CRLFs. */
export function serializeRecord(rec: WarcRecordInput): { bytes: Buffer; recordId: string; blockDigest: string; payloadDigest: string | null } {
  const recordId = rec.recordId ?? newRecordId();
  const blockDigest = `sha256:${rec.blockSha256 ?? sha256Hex(rec.block)}`;
  // Without HTTP headers the payload is the block: one hash serves both digests.
  const payloadDigest = rec.noPayloadDigest ? null : rec.payloadOffset ? `sha256:${sha256Hex(rec.block.subarray(rec.payloadOffset))}` : blockDigest;
  const fields: [string, string][] = [
    ['WARC-Type', rec.type],
    ['WARC-Record-ID', recordId],
    ['WARC-Date', rec.date],
  ];
  if (rec.targetUri) fields.push(['WARC-Target-URI', rec.targetUri]);
  for (const [k, v] of Object.entries(rec.headers ?? {})) fields.push([k, v]);
  fields.push(['Content-Type', rec.contentType]);
  fields.push(['WARC-Block-Digest', blockDigest]);
  if (payloadDigest) fields.push(['WARC-Payload-Digest', payloadDigest]);
  fields.push(['Content-Length', String(rec.block.byteLength)]);
  for (const [k, v] of fields) {
    if (/[\r\n]/.test(k) || /[\r\n]/.test(v)) throw new AppError('invalid_input', `WARC header ${k} contains a line break`);
  }
  const head = Buffer.from(`WARC/1.1\r\n${fields.map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`, 'utf8');
  return { bytes: Buffer.concat([head, rec.block, Buffer.from('\r\n\r\n')]), recordId, blockDigest, payloadDigest };
}

/**
 * Appends records to one WARC file. Each record is written whole with one write call and the
 * file is fsynced on `sync()`, so a crash leaves at most a torn tail that verify reports.
 */
export class WarcWriter {
  private fd: number;
  private position: number;
  /** A file this writer created needs its folder synced once, or a crash could lose its name. */
  private dirSynced: boolean;

  constructor(readonly path: string) {
    this.dirSynced = existsSync(path);
    this.fd = openSync(path, 'a');
    this.position = statSync(path).size;
  }

  write(rec: WarcRecordInput): WrittenRecord {
    const { bytes, recordId, blockDigest, payloadDigest } = serializeRecord(rec);
    const offset = this.position;
    writeSync(this.fd, bytes);
    this.position += bytes.byteLength;
    return { recordId, offset, length: bytes.byteLength, blockDigest, payloadDigest };
  }

  sync(): void {
    fsyncSync(this.fd);
    this.syncDir();
  }

  /** sync() without blocking the thread, so parsing and other I/O go on meanwhile. */
  async syncAsync(): Promise<void> {
    await fsyncAsync(this.fd);
    this.syncDir();
  }

  close(): void {
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.syncDir();
  }

  private syncDir(): void {
    if (this.dirSynced) return;
    fsyncDir(dirname(this.path));
    this.dirSynced = true;
  }
}

export interface ParsedRecord {
  offset: number;
  length: number;
  version: string;
  headers: Map<string, string>;
  block: Buffer;
}

/** Parses the record at `offset` in a WARC buffer; throws a clear error when it is malformed. */
export function parseRecordAt(buf: Buffer, offset: number): ParsedRecord {
  const headEnd = buf.indexOf('\r\n\r\n', offset, 'latin1');
  if (headEnd < 0) throw new AppError('integrity_failed', `no WARC header end after byte ${offset}`);
  const lines = buf.toString('utf8', offset, headEnd).split('\r\n');
  const version = lines[0] ?? '';
  if (!/^WARC\/1\.[01]$/.test(version)) throw new AppError('integrity_failed', `no WARC version line at byte ${offset}`);
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
  }
  const len = Number(headers.get('content-length'));
  if (!Number.isInteger(len) || len < 0) throw new AppError('integrity_failed', `bad Content-Length at byte ${offset}`);
  const blockStart = headEnd + 4;
  const blockEnd = blockStart + len;
  if (blockEnd + 4 > buf.byteLength) throw new AppError('integrity_failed', `WARC record at byte ${offset} is truncated`);
  return { offset, length: blockEnd + 4 - offset, version, headers, block: buf.subarray(blockStart, blockEnd) };
}

/** Reads one record from a WARC file by offset and length, without loading the whole file. */
export function readRecord(path: string, offset: number, length: number): ParsedRecord {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    const n = readSync(fd, buf, 0, length, offset);
    const rec = parseRecordAt(buf.subarray(0, n), 0);
    return { ...rec, offset };
  } finally {
    closeSync(fd);
  }
}

/** Bytes at the end of a WARC file that do not parse as a record: what a write killed midway leaves. */
export interface WarcTail {
  offset: number;
  length: number;
  reason: string;
}

/**
 * Every record that parses, in order, and the unreadable rest of the buffer, if any. Records are
 * appended whole, so a crash can only tear the last one; whether the rest of the file is a harmless
 * fragment or damage depends on whether anything refers to records there, which the caller knows.
 */
export function scanRecords(buf: Buffer): { records: ParsedRecord[]; tail: WarcTail | null } {
  const records: ParsedRecord[] = [];
  let offset = 0;
  while (offset < buf.byteLength) {
    let rec: ParsedRecord;
    try {
      rec = parseRecordAt(buf, offset);
    } catch (err) {
      return { records, tail: { offset, length: buf.byteLength - offset, reason: err instanceof Error ? err.message : String(err) } };
    }
    records.push(rec);
    offset += rec.length;
  }
  return { records, tail: null };
}

/** Every record of a WARC buffer in order; stops with an error naming the byte where it breaks. */
export function* iterateRecords(buf: Buffer): Generator<ParsedRecord> {
  let offset = 0;
  while (offset < buf.byteLength) {
    const rec = parseRecordAt(buf, offset);
    yield rec;
    offset += rec.length;
  }
}

/** Payload of an HTTP response block: the bytes after the header section. */
export function httpPayloadOffset(block: Uint8Array): number {
  const i = Buffer.from(block).indexOf('\r\n\r\n');
  return i < 0 ? 0 : i + 4;
}
