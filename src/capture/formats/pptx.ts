import { AppError } from '../../errors.js';
import { child, externalLinks, localName, openOoxml, readCoreProperties, readRelationships } from './ooxml.js';
import type { OoxmlPackage } from './ooxml.js';
import type { DocumentPart, ParsedDocument, ParseLimits } from './types.js';
import { DEFAULT_LIMITS } from './types.js';
import { decodeEntities, parseXmlPart } from './xml-safety.js';

const SLIDE_TYPE = /\/relationships\/slide$/;

/** Slide part names in presentation order (p:sldIdLst), falling back to numeric file order. */
function slideOrder(pkg: OoxmlPackage): string[] {
  const bytes = pkg.parts.get('ppt/presentation.xml');
  if (!bytes) throw new AppError('parse_failed', 'PPTX has no ppt/presentation.xml part');
  const rels = new Map(readRelationships(pkg, 'ppt/presentation.xml').map((r) => [r.id, r]));
  const list = child(child(child(parseXmlPart(bytes, 'ppt/presentation.xml'), 'presentation'), 'sldIdLst'), 'sldId');
  const ids = Array.isArray(list) ? list : list === undefined ? [] : [list];
  const ordered: string[] = [];
  for (const sld of ids) {
    if (typeof sld !== 'object' || sld === null) continue;
    // The relationship id is the namespaced `r:id`; the bare `id` is a numeric slide id.
    const relId = Object.entries(sld).find(([k]) => k.startsWith('@_') && k.includes(':') && localName(k) === 'id')?.[1];
    const rel = typeof relId === 'string' ? rels.get(relId) : undefined;
    if (rel && SLIDE_TYPE.test(rel.type) && pkg.parts.has(rel.target)) ordered.push(rel.target);
  }
  if (ordered.length > 0) return ordered;
  const slideNo = (name: string): number => Number(/slide(\d+)\.xml$/.exec(name)?.[1] ?? 0);
  return [...pkg.parts.keys()].filter((n) => /^ppt\/slides\/slide\d+\.xml$/.test(n)).sort((a, b) => slideNo(a) - slideNo(b));
}

type Ordered = Record<string, unknown>;

/** Concatenates DrawingML text in document order: runs joined, a line per paragraph. */
function slideText(nodes: unknown, out: string[]): void {
  if (!Array.isArray(nodes)) return;
  for (const node of nodes as Ordered[]) {
    for (const [key, value] of Object.entries(node)) {
      if (key === ':@') continue;
      const name = localName(key);
      if (key === '#text' && typeof value === 'string') continue;
      if (name === 't') {
        for (const t of Array.isArray(value) ? (value as Ordered[]) : []) {
          const s = t['#text'];
          if (typeof s === 'string') out.push(decodeEntities(s));
        }
      } else if (name === 'br') {
        out.push('\n');
      } else if (name === 'tab') {
        out.push('\t');
      } else {
        slideText(value, out);
        if (name === 'p') out.push('\n');
      }
    }
  }
}

/**
 * Extracts slide text in presentation order (parts are slide spans), hyperlinks and core properties
 * from a PPTX by reading the slide XML itself, after the zip guard and the DOCTYPE/ENTITY refusal.
 * Throws AppError `too_large`, `zip_bomb`, `unsupported_format` (not a zip) or `parse_failed`.
 */
export async function parsePptx(bytes: Uint8Array, limits: ParseLimits = DEFAULT_LIMITS): Promise<ParsedDocument> {
  const pkg = openOoxml(bytes, limits, 'pptx');
  const core = readCoreProperties(pkg);
  const slides = slideOrder(pkg);
  const parts: DocumentPart[] = [];
  const links = new Set<string>();
  let text = '';
  slides.forEach((name, i) => {
    const data = pkg.parts.get(name);
    if (!data) return;
    const out: string[] = [];
    slideText(parseXmlPart(data, name, true), out);
    const body = out.join('').replace(/[ \t]+\n/g, '\n').replace(/\n{2,}/g, '\n').trim();
    if (text !== '') text += '\n\n';
    parts.push({ label: `slide ${i + 1}`, start: text.length, end: text.length + body.length });
    text += body;
    for (const l of externalLinks(pkg, name)) links.add(l);
  });
  return {
    text,
    title: core.title,
    author: core.author,
    published: core.published,
    metadata: { ...core.metadata, slides: String(parts.length) },
    links: [...links],
    parts,
  };
}
