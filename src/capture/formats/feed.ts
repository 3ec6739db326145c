import type { XMLParser } from 'fast-xml-parser';
import { parseHTML } from 'linkedom';
import { AppError } from '../../errors.js';
import { child } from './ooxml.js';
import { assertNoDtd, decodeEntities, decodeXml, safeXmlParser } from './xml-safety.js';

/** One entry of an RSS or Atom feed. */
export interface FeedItem {
  id: string | null;
  /** Absolute URL of the item's page. */
  url: string | null;
  title: string | null;
  /** ISO 8601. */
  published: string | null;
  author: string | null;
  /** Summary (or content) as plain text. */
  summaryText: string | null;
  /** Full content as HTML (content:encoded, Atom content), when the feed carries it. */
  contentHtml: string | null;
}

export interface ParsedFeed {
  kind: 'rss' | 'atom' | 'rdf';
  title: string | null;
  url: string | null;
  items: FeedItem[];
}

// Leaf fields are kept raw so CDATA and escaped HTML can be told apart and decoded exactly once.
// Not `author`: in Atom it has child elements.
const RAW_FIELDS = ['title', 'link', 'guid', 'pubDate', 'dc:creator', 'dc:date', 'description', 'content:encoded', 'summary', 'content', 'id', 'published', 'updated', 'name'];

function parser(): XMLParser {
  return safeXmlParser(false, { trimValues: true, cdataPropName: false, stopNodes: RAW_FIELDS.map((f) => `..${f}`) });
}

/** Text of raw XML content: CDATA sections verbatim, everything else entity-decoded. */
function rawToString(raw: string): string {
  let out = '';
  let last = 0;
  for (const m of raw.matchAll(/<!\[CDATA\[([\s\S]*?)\]\]>/g)) {
    out += decodeEntities(raw.slice(last, m.index)) + (m[1] ?? '');
    last = m.index + m[0].length;
  }
  return out + decodeEntities(raw.slice(last));
}

function rawOf(value: unknown): string | null {
  if (Array.isArray(value)) return rawOf(value[0]);
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) {
    const t = (value as Record<string, unknown>)['#text'];
    return typeof t === 'string' ? t : '';
  }
  return null;
}

function str(value: unknown): string | null {
  const raw = rawOf(value);
  if (raw === null) return null;
  const s = rawToString(raw).trim();
  return s === '' ? null : s;
}

function attr(value: unknown, name: string): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const v = (value as Record<string, unknown>)[`@_${name}`];
  return typeof v === 'string' ? decodeEntities(v) : null;
}

function list(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function iso(raw: string | null): string | null {
  if (raw === null) return null;
  const t = Date.parse(raw);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

function absolute(href: string | null, base: string | null): string | null {
  if (href === null) return null;
  try {
    return new URL(href, base ?? undefined).href;
  } catch {
    return href;
  }
}

/** Plain text of an HTML fragment, with line breaks where blocks end. */
export function htmlToText(html: string): string {
  const marked = html.replace(/<(br\s*\/?|\/p|\/div|\/li|\/h[1-6]|\/tr|\/blockquote)\s*>/gi, '$&\n');
  const { document } = parseHTML(`<!doctype html><html><body>${marked}</body></html>`);
  for (const el of document.querySelectorAll('script,style')) el.remove();
  return (document.body.textContent ?? '')
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Atom text constructs: type text (default), html (escaped markup) or xhtml (inline markup). */
function atomHtml(value: unknown): string | null {
  const raw = rawOf(value);
  if (raw === null) return null;
  const type = attr(value, 'type') ?? 'text';
  if (type === 'xhtml') return raw.trim() || null;
  const s = rawToString(raw).trim();
  if (s === '') return null;
  return type === 'html' || type === 'text/html' ? s : escapeHtml(s);
}

function atomText(value: unknown): string | null {
  const html = atomHtml(value);
  return html === null ? null : htmlToText(html) || null;
}

function rssAuthor(item: unknown): string | null {
  const creator = str(child(item, 'creator'));
  if (creator) return creator;
  const author = str(child(item, 'author'));
  if (!author) return null;
  // RSS 2.0 wants "email (Name)"; the name is what identifies an actor.
  return /\(([^)]+)\)\s*$/.exec(author)?.[1]?.trim() ?? author;
}

function rssItems(items: unknown[], base: string | null): FeedItem[] {
  return items.map((item) => {
    const description = str(child(item, 'description'));
    const encoded = str(child(item, 'encoded'));
    const link = absolute(str(child(item, 'link')) ?? attr(item, 'rdf:about'), base);
    return {
      id: str(child(item, 'guid')) ?? link,
      url: link,
      title: str(child(item, 'title')),
      published: iso(str(child(item, 'pubDate')) ?? str(child(item, 'date'))),
      author: rssAuthor(item),
      summaryText: description !== null ? htmlToText(description) || null : encoded !== null ? htmlToText(encoded) || null : null,
      contentHtml: encoded ?? description,
    };
  });
}

function atomLink(entry: unknown, base: string | null): string | null {
  const links = list(child(entry, 'link'));
  const alt = links.find((l) => (attr(l, 'rel') ?? 'alternate') === 'alternate') ?? links[0];
  return absolute(attr(alt, 'href'), base);
}

function atomItems(entries: unknown[], base: string | null): FeedItem[] {
  return entries.map((entry) => {
    const content = child(entry, 'content');
    const summary = child(entry, 'summary');
    const author = child(entry, 'author');
    const entryBase = absolute(attr(entry, 'xml:base'), base) ?? base;
    return {
      id: str(child(entry, 'id')),
      url: atomLink(entry, entryBase),
      title: atomText(child(entry, 'title')),
      published: iso(str(child(entry, 'published')) ?? str(child(entry, 'updated'))),
      author: str(child(list(author)[0], 'name')),
      summaryText: atomText(summary ?? content),
      contentHtml: content === undefined ? null : atomHtml(content),
    };
  });
}

/**
 * Parses an RSS 2.0, RSS 1.0 (RDF) or Atom feed with entity processing off and any DOCTYPE refused.
 * Relative RSS links resolve against the channel link, then `baseUrl` (where the feed was fetched);
 * relative Atom links against xml:base, then `baseUrl`, as RFC 4287 says.
 * Throws AppError `parse_failed` for a DTD or malformed XML, `unsupported_format` for other XML.
 */
export function parseFeed(input: Uint8Array | string, baseUrl?: string): ParsedFeed {
  const xml = typeof input === 'string' ? input : decodeXml(input);
  assertNoDtd(xml, 'feed');
  let tree: unknown;
  try {
    tree = parser().parse(xml);
  } catch (err) {
    throw new AppError('parse_failed', `Feed is not well-formed XML: ${String(err)}`);
  }
  const rss = child(tree, 'rss');
  if (rss !== undefined) {
    const channel = child(rss, 'channel');
    const site = absolute(str(child(channel, 'link')), baseUrl ?? null);
    return { kind: 'rss', title: str(child(channel, 'title')), url: site, items: rssItems(list(child(channel, 'item')), site ?? baseUrl ?? null) };
  }
  const rdf = child(tree, 'RDF');
  if (rdf !== undefined) {
    const channel = child(rdf, 'channel');
    const site = absolute(str(child(channel, 'link')), baseUrl ?? null);
    return { kind: 'rdf', title: str(child(channel, 'title')), url: site, items: rssItems(list(child(rdf, 'item')), site ?? baseUrl ?? null) };
  }
  const feed = child(tree, 'feed');
  if (feed !== undefined) {
    const base = absolute(attr(feed, 'xml:base'), baseUrl ?? null) ?? baseUrl ?? null;
    const site = atomLink(feed, base);
    return { kind: 'atom', title: atomText(child(feed, 'title')), url: site, items: atomItems(list(child(feed, 'entry')), base ?? site) };
  }
  throw new AppError('unsupported_format', 'XML is neither an RSS nor an Atom feed');
}
