import { posix } from 'node:path';
import { AppError } from '../../errors.js';
import type { ParseLimits } from './types.js';
import { assertNoDtd, decodeEntities, decodeXml, parseXmlPart } from './xml-safety.js';
import { inspectZip, looksLikeZip } from './zip-guard.js';

/** An OOXML package after the zip guard passed and every XML part was checked for DTDs. */
export interface OoxmlPackage {
  /** Inflated XML parts (`*.xml`, `*.rels`) by part name. */
  parts: Map<string, Uint8Array>;
  totalInflated: number;
}

export interface CoreProperties {
  title: string | null;
  author: string | null;
  published: string | null;
  metadata: Record<string, string>;
}

export interface Relationship {
  id: string;
  type: string;
  target: string;
  external: boolean;
}

const isXmlPart = (name: string): boolean => /\.(xml|rels)$/i.test(name);

/**
 * Opens an OOXML file safely: size cap, zip magic, zip-inflation guard over every entry, then a
 * DOCTYPE/ENTITY refusal for every XML part, all before any third-party parser sees the bytes.
 */
export function openOoxml(bytes: Uint8Array, limits: ParseLimits, kind: 'docx' | 'pptx'): OoxmlPackage {
  if (bytes.length > limits.maxFileBytes) {
    throw new AppError('too_large', `File is ${bytes.length} bytes, over the ${limits.maxFileBytes}-byte cap`);
  }
  if (!looksLikeZip(bytes)) {
    throw new AppError('unsupported_format', `Not a ${kind.toUpperCase()} file: the bytes are not a zip container`);
  }
  const zip = inspectZip(bytes, { maxInflatedBytes: limits.maxInflatedBytes, keep: isXmlPart });
  for (const [name, data] of zip.contents) assertNoDtd(decodeXml(data), name);
  return { parts: zip.contents, totalInflated: zip.totalInflated };
}

/** Local name of a possibly prefixed XML name (`dc:title` -> `title`). */
export function localName(key: string): string {
  const i = key.indexOf(':');
  return i < 0 ? key : key.slice(i + 1);
}

/** Text content of a fast-xml-parser (non-ordered) value: a string, or an object with `#text`. */
export function textOf(value: unknown): string | null {
  if (typeof value === 'string') return decodeEntities(value).trim() || null;
  if (Array.isArray(value)) return textOf(value[0]);
  if (typeof value === 'object' && value !== null) {
    const rec = value as Record<string, unknown>;
    const t = rec['#text'] ?? rec['#cdata'];
    if (typeof t === 'string') return (rec['#cdata'] === t ? t : decodeEntities(t)).trim() || null;
  }
  return null;
}

/** The first child of `obj` whose local name is `name`. */
export function child(obj: unknown, name: string): unknown {
  if (typeof obj !== 'object' || obj === null) return undefined;
  for (const [k, v] of Object.entries(obj)) if (localName(k) === name) return v;
  return undefined;
}

function toIso(raw: string | null): string | null {
  if (raw === null) return null;
  const t = Date.parse(raw);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/** Reads docProps/core.xml (Dublin Core title, creator, created and the rest) when present. */
export function readCoreProperties(pkg: OoxmlPackage): CoreProperties {
  const bytes = pkg.parts.get('docProps/core.xml');
  const metadata: Record<string, string> = {};
  if (!bytes) return { title: null, author: null, published: null, metadata };
  const root = child(parseXmlPart(bytes, 'docProps/core.xml'), 'coreProperties');
  if (typeof root === 'object' && root !== null) {
    for (const [k, v] of Object.entries(root)) {
      if (k.startsWith('@_')) continue;
      const t = textOf(v);
      if (t !== null) metadata[localName(k)] = t;
    }
  }
  return {
    title: metadata['title'] ?? null,
    author: metadata['creator'] ?? null,
    published: toIso(metadata['created'] ?? null),
    metadata,
  };
}

/** Relationships of a part (`ppt/presentation.xml` -> `ppt/_rels/presentation.xml.rels`), targets resolved to part names. */
export function readRelationships(pkg: OoxmlPackage, partName: string): Relationship[] {
  const dir = posix.dirname(partName);
  const relsName = posix.join(dir, '_rels', `${posix.basename(partName)}.rels`);
  const bytes = pkg.parts.get(relsName);
  if (!bytes) return [];
  const root = child(parseXmlPart(bytes, relsName), 'Relationships');
  const list = child(root, 'Relationship');
  const items = Array.isArray(list) ? list : list === undefined ? [] : [list];
  const out: Relationship[] = [];
  for (const item of items) {
    if (typeof item !== 'object' || item === null) continue;
    const rec = item as Record<string, unknown>;
    const id = rec['@_Id'];
    const type = rec['@_Type'];
    const rawTarget = rec['@_Target'];
    if (typeof id !== 'string' || typeof rawTarget !== 'string') continue;
    const external = rec['@_TargetMode'] === 'External';
    const target = decodeEntities(rawTarget);
    out.push({
      id,
      type: typeof type === 'string' ? type : '',
      external,
      target: external ? target : target.startsWith('/') ? target.slice(1) : posix.normalize(posix.join(dir, target)),
    });
  }
  return out;
}

/** External hyperlink targets of a part, in relationship order. */
export function externalLinks(pkg: OoxmlPackage, partName: string): string[] {
  return readRelationships(pkg, partName)
    .filter((r) => r.external && r.type.endsWith('/hyperlink'))
    .map((r) => r.target);
}
