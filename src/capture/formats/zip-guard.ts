import { Inflate } from 'fflate';
import { AppError } from '../../errors.js';

/** One entry of a zip central directory, as declared (declared sizes are not trusted). */
export interface ZipEntryInfo {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  declaredSize: number;
  localHeaderOffset: number;
}

export interface ZipGuardOptions {
  /** Cap on the sum of inflated bytes over all entries. */
  maxInflatedBytes: number;
  /** Cap on one entry's inflated bytes (defaults to maxInflatedBytes). */
  maxEntryBytes?: number;
  /** Cap on the number of entries. */
  maxEntries?: number;
  /** Inflated/compressed ratio above which an entry counts as a bomb, once it is past ratioMinBytes. */
  maxRatio?: number;
  /** Entries smaller than this are never judged by ratio: small XML parts compress very well. */
  ratioMinBytes?: number;
  /** Which inflated entries to keep in memory for the caller; all are inflated and counted. */
  keep?: (name: string) => boolean;
}

/** Result of a safe inspection: every entry was really inflated within the caps. */
export interface GuardedZip {
  entries: ZipEntryInfo[];
  /** Inflated contents of the entries selected by `keep`. */
  contents: Map<string, Uint8Array>;
  totalInflated: number;
}

const EOCD_SIG = 0x06054b50;
const CEN_SIG = 0x02014b50;
const LOC_SIG = 0x04034b50;
// 4 KiB of deflate input can inflate to at most ~4 MiB, so a cap is overshot by little.
const FEED_CHUNK = 4096;

const DEFAULT_MAX_ENTRIES = 10_000;
const DEFAULT_MAX_RATIO = 200;
const DEFAULT_RATIO_MIN_BYTES = 1024 * 1024;

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function notZip(message: string): AppError {
  return new AppError('parse_failed', `Not a readable zip container: ${message}`);
}

/** True when the bytes start like a zip (a local file header or an empty archive). */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5);
}

/**
 * Reads the central directory of a zip without inflating anything.
 * Throws AppError `parse_failed` when the bytes are not a well-formed zip, `unsupported_format` for zip64.
 */
export function readZipDirectory(bytes: Uint8Array, maxEntries = DEFAULT_MAX_ENTRIES): ZipEntryInfo[] {
  const dv = view(bytes);
  let eocd = -1;
  const lowest = Math.max(0, bytes.length - 22 - 0xffff);
  for (let i = bytes.length - 22; i >= lowest; i--) {
    if (dv.getUint32(i, true) === EOCD_SIG) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw notZip('no end-of-central-directory record');
  const count = dv.getUint16(eocd + 10, true);
  const cdSize = dv.getUint32(eocd + 12, true);
  const cdOffset = dv.getUint32(eocd + 16, true);
  if (count === 0xffff || cdOffset === 0xffffffff) {
    throw new AppError('unsupported_format', 'zip64 containers are not supported');
  }
  if (count > maxEntries) {
    throw new AppError('zip_bomb', `Zip has ${count} entries, more than the cap of ${maxEntries}`, { entries: count });
  }
  if (cdOffset + cdSize > eocd) throw notZip('central directory lies outside the file');

  const entries: ZipEntryInfo[] = [];
  const names = new Set<string>();
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > bytes.length || dv.getUint32(p, true) !== CEN_SIG) throw notZip('broken central directory entry');
    const flags = dv.getUint16(p + 8, true);
    const method = dv.getUint16(p + 10, true);
    const compressedSize = dv.getUint32(p + 20, true);
    const declaredSize = dv.getUint32(p + 24, true);
    const nameLen = dv.getUint16(p + 28, true);
    const extraLen = dv.getUint16(p + 30, true);
    const commentLen = dv.getUint16(p + 32, true);
    const localHeaderOffset = dv.getUint32(p + 42, true);
    if (compressedSize === 0xffffffff || declaredSize === 0xffffffff || localHeaderOffset === 0xffffffff) {
      throw new AppError('unsupported_format', 'zip64 entries are not supported');
    }
    const nameBytes = bytes.subarray(p + 46, p + 46 + nameLen);
    // Bit 11 marks UTF-8 names; OOXML part names are ASCII either way.
    const name = new TextDecoder(flags & 0x800 ? 'utf-8' : 'latin1').decode(nameBytes);
    // Two entries with one name let different readers see different documents.
    if (names.has(name)) throw notZip(`duplicate entry name ${JSON.stringify(name)}`);
    names.add(name);
    entries.push({ name, method, flags, compressedSize, declaredSize, localHeaderOffset });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** Names of the entries in a zip's central directory, or null when the bytes are not a readable zip. */
export function zipEntryNames(bytes: Uint8Array): string[] | null {
  try {
    return readZipDirectory(bytes).map((e) => e.name);
  } catch {
    return null;
  }
}

function dataStart(bytes: Uint8Array, entry: ZipEntryInfo): number {
  const dv = view(bytes);
  const at = entry.localHeaderOffset;
  if (at + 30 > bytes.length || dv.getUint32(at, true) !== LOC_SIG) {
    throw notZip(`entry ${JSON.stringify(entry.name)} has no local header`);
  }
  const start = at + 30 + dv.getUint16(at + 26, true) + dv.getUint16(at + 28, true);
  if (start + entry.compressedSize > bytes.length) throw notZip(`entry ${JSON.stringify(entry.name)} is truncated`);
  return start;
}

/**
 * Inflates every entry of a zip while counting the real inflated bytes, and stops as soon as
 * an entry or the whole archive passes its cap or an entry's compression ratio is implausible.
 * Throws AppError `zip_bomb` for any of those, `parse_failed` for a broken or encrypted zip,
 * `unsupported_format` for compression methods other than stored and deflate.
 */
export function inspectZip(bytes: Uint8Array, options: ZipGuardOptions): GuardedZip {
  const maxTotal = options.maxInflatedBytes;
  const maxEntry = Math.min(options.maxEntryBytes ?? maxTotal, maxTotal);
  const maxRatio = options.maxRatio ?? DEFAULT_MAX_RATIO;
  const ratioMin = options.ratioMinBytes ?? DEFAULT_RATIO_MIN_BYTES;
  const entries = readZipDirectory(bytes, options.maxEntries ?? DEFAULT_MAX_ENTRIES);
  const contents = new Map<string, Uint8Array>();
  let total = 0;

  const bomb = (why: string, name: string): AppError =>
    new AppError('zip_bomb', `Zip entry ${JSON.stringify(name)} rejected as a zip bomb: ${why}`, {
      entry: name,
      inflatedSoFar: total,
      maxInflatedBytes: maxTotal,
    });

  // Declared sizes can lie low but never make a file safe; a declared excess is reason enough to stop early.
  const declared = entries.reduce((s, e) => s + e.declaredSize, 0);
  if (declared > maxTotal) throw bomb(`declared inflated size ${declared} bytes exceeds the cap of ${maxTotal}`, '*');

  for (const entry of entries) {
    if (entry.flags & 0x1) throw new AppError('parse_failed', `Zip entry ${JSON.stringify(entry.name)} is encrypted`);
    const start = dataStart(bytes, entry);
    const compressed = bytes.subarray(start, start + entry.compressedSize);
    const keep = options.keep?.(entry.name) ?? false;
    const chunks: Uint8Array[] = [];
    let entryBytes = 0;
    let consumed = 0;

    const count = (chunk: Uint8Array): void => {
      entryBytes += chunk.length;
      total += chunk.length;
      if (entryBytes > maxEntry) throw bomb(`inflates past the per-entry cap of ${maxEntry} bytes`, entry.name);
      if (total > maxTotal) throw bomb(`archive inflates past the cap of ${maxTotal} bytes`, entry.name);
      if (entryBytes > ratioMin && entryBytes / Math.max(consumed, 1) > maxRatio) {
        throw bomb(`compression ratio above ${maxRatio}:1`, entry.name);
      }
      if (keep) chunks.push(chunk);
    };

    if (entry.method === 0) {
      consumed = compressed.length;
      count(compressed);
    } else if (entry.method === 8) {
      const inflater = new Inflate((chunk) => count(chunk));
      try {
        for (let off = 0; off < compressed.length || off === 0; off += FEED_CHUNK) {
          const piece = compressed.subarray(off, off + FEED_CHUNK);
          consumed += piece.length;
          inflater.push(piece, off + FEED_CHUNK >= compressed.length);
          if (compressed.length === 0) break;
        }
      } catch (err) {
        if (err instanceof AppError) throw err;
        throw new AppError('parse_failed', `Zip entry ${JSON.stringify(entry.name)} is corrupt: ${String(err)}`);
      }
    } else {
      throw new AppError('unsupported_format', `Zip entry ${JSON.stringify(entry.name)} uses compression method ${entry.method}`);
    }

    if (keep) contents.set(entry.name, concat(chunks, entryBytes));
  }
  return { entries, contents, totalInflated: total };
}

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
