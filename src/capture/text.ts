import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { parsePartialDate, type PartialDate } from '../domain/dates.js';

/** What a parser gives back for any format: the text we store and quote from, plus metadata. */
export interface ParsedText {
  text: string;
  title: string | null;
  author: string | null;
  publisher: string | null;
  published: PartialDate | null;
  description: string | null;
  links: string[];
  metadata: Record<string, string>;
}

/**
 * The one normalisation every stored text goes through. Offsets of claims point into its
 * output, so it must be deterministic: NFC, LF line ends, no trailing spaces, at most one
 * blank line between paragraphs.
 */
export function normalizeText(input: string): string {
  return input
    .replace(/^\uFEFF/, '')
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/[\t\f\v \u00A0]+/g, (m) => (m.includes('\t') ? ' ' : ' '))
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export function parsePlainText(raw: string): ParsedText {
  const text = normalizeText(raw);
  const firstLine = text.split('\n', 1)[0] ?? '';
  return {
    text,
    title: firstLine.length > 0 && firstLine.length <= 200 ? firstLine : null,
    author: null,
    publisher: null,
    published: null,
    description: null,
    links: extractUrls(text),
    metadata: {},
  };
}

function extractUrls(text: string): string[] {
  return [...new Set(text.match(/https?:\/\/[^\s<>"')\]]+/g) ?? [])].map((u) => u.replace(/[.,;:]+$/, ''));
}

/** Markdown to plain text: keeps the words a reader sees, drops the markup, collects link targets. */
export function parseMarkdown(raw: string): ParsedText {
  const links: string[] = [];
  let title: string | null = null;
  let inFence = false;
  const out: string[] = [];
  for (const line0 of raw.replace(/\r\n?/g, '\n').split('\n')) {
    if (/^\s*(```|~~~)/.test(line0)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) {
      out.push(line0);
      continue;
    }
    let line = line0;
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      line = heading[1] ?? '';
      if (title === null) title = line;
    }
    line = line
      .replace(/^\s{0,3}>\s?/, '')
      .replace(/^\s*(?:[-*+]|\d+[.)])\s+/, '')
      .replace(/^\s*(?:-{3,}|\*{3,}|_{3,})\s*$/, '')
      .replace(/!\[([^\]]*)\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g, '$1')
      .replace(/\[([^\]]+)\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g, (_m, label: string, href: string) => {
        links.push(href);
        return label;
      })
      .replace(/<(https?:\/\/[^>]+)>/g, (_m, href: string) => {
        links.push(href);
        return href;
      })
      .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, '$2')
      .replace(/(^|[^\w*])([*_])(?=\S)(.+?)(?<=\S)\2(?!\w)/g, '$1$3')
      .replace(/`([^`]+)`/g, '$1');
    out.push(line);
  }
  const text = normalizeText(out.join('\n'));
  return {
    text,
    title,
    author: null,
    publisher: null,
    published: null,
    description: null,
    links: [...new Set([...links, ...extractUrls(text)])],
    metadata: {},
  };
}

const BLOCK = new Set([
  'ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'DD', 'DIV', 'DL', 'DT', 'FIGCAPTION', 'FIGURE', 'FOOTER',
  'FORM', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER', 'HR', 'LI', 'MAIN', 'NAV', 'OL', 'P', 'PRE',
  'SECTION', 'TABLE', 'TR', 'UL', 'TD', 'TH',
]);
const SKIP = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'IFRAME', 'OBJECT', 'SVG', 'HEAD']);

interface DomNode {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: ArrayLike<DomNode>;
}

/** Marks where a block element ends in blockText's explicit stack. */
const BLOCK_END = null;

/**
 * Text of a DOM subtree with paragraph breaks where block elements are. Walks with an explicit
 * stack: hostile pages nest tens of thousands of elements, deeper than the call stack goes.
 */
function blockText(node: DomNode): string {
  const parts: string[] = [];
  const stack: (DomNode | typeof BLOCK_END)[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n === BLOCK_END) {
      parts.push('\n\n');
      continue;
    }
    if (n.nodeType === 3) {
      parts.push((n.textContent ?? '').replace(/\s+/g, ' '));
      continue;
    }
    if (n.nodeType !== 1 && n.nodeType !== 9 && n.nodeType !== 11) continue;
    const name = n.nodeName.toUpperCase();
    if (SKIP.has(name)) continue;
    if (name === 'BR') {
      parts.push('\n');
      continue;
    }
    if (BLOCK.has(name)) {
      parts.push('\n\n');
      stack.push(BLOCK_END);
    }
    for (let i = n.childNodes.length - 1; i >= 0; i--) stack.push(n.childNodes[i]!);
  }
  return normalizeText(parts.join(''));
}

/** Deepest element nesting under `node`, counted without recursion. */
function nestingDepth(node: DomNode): number {
  let max = 0;
  const stack: [DomNode, number][] = [[node, 0]];
  while (stack.length > 0) {
    const [n, depth] = stack.pop()!;
    if (depth > max) max = depth;
    for (let i = 0; i < n.childNodes.length; i++) {
      const c = n.childNodes[i]!;
      if (c.nodeType === 1) stack.push([c, depth + 1]);
    }
  }
  return max;
}

/**
 * Readability's cleaning is worse than quadratic in nesting depth (a chain of 3,000 elements took
 * over a minute); real articles nest a few dozen deep, so deeper pages keep their whole body text.
 */
const READABILITY_MAX_DEPTH = 256;

interface JsonLdArticle {
  headline?: string;
  name?: string;
  datePublished?: string;
  author?: { name?: string } | { name?: string }[] | string;
  publisher?: { name?: string } | string;
  '@type'?: string | string[];
  '@graph'?: JsonLdArticle[];
}

function personName(v: JsonLdArticle['author'] | JsonLdArticle['publisher']): string | null {
  if (!v) return null;
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map((x) => x.name).filter(Boolean).join(', ') || null;
  return v.name ?? null;
}

function readJsonLd(doc: Document): JsonLdArticle | null {
  for (const el of Array.from(doc.querySelectorAll('script[type="application/ld+json"]'))) {
    try {
      const data = JSON.parse(el.textContent ?? '') as JsonLdArticle | JsonLdArticle[];
      const items = (Array.isArray(data) ? data : [data]).flatMap((d) => (d['@graph'] ? d['@graph'] : [d]));
      const article = items.find((d) => {
        const t = d['@type'];
        const types = Array.isArray(t) ? t : [t];
        return types.some((x) => typeof x === 'string' && /Article|BlogPosting|Report|PressRelease|WebPage/.test(x));
      });
      if (article) return article;
    } catch {
      // A broken JSON-LD block is common on real pages; the other metadata still counts.
    }
  }
  return null;
}

function absolute(href: string, base: string | null): string | null {
  try {
    const u = base ? new URL(href, base) : new URL(href);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : null;
  } catch {
    return null;
  }
}

/** linkedom gives no root element for input without any element (empty or bare text): wrap it. */
function htmlDocument(raw: string): ReturnType<typeof parseHTML>['document'] {
  const { document } = parseHTML(raw);
  return document.documentElement ? document : parseHTML(`<html><body>${raw}</body></html>`).document;
}

/**
 * HTML to text: metadata from <title>, meta tags, OpenGraph and JSON-LD; the main text through
 * Readability (over linkedom), falling back to the whole body when Readability finds no article.
 */
export function parseHtml(raw: string, baseUrl: string | null = null): ParsedText {
  const document = htmlDocument(raw);
  const meta = (sel: string): string | null => {
    const v = document.querySelector(sel)?.getAttribute('content');
    return v && v.trim() !== '' ? v.trim() : null;
  };
  const ld = readJsonLd(document as unknown as Document);
  const metadata: Record<string, string> = {};
  const put = (k: string, v: string | null): void => {
    if (v) metadata[k] = v;
  };
  const htmlTitle = document.querySelector('title')?.textContent?.trim() || null;
  put('html:title', htmlTitle);
  put('og:title', meta('meta[property="og:title"]'));
  put('og:site_name', meta('meta[property="og:site_name"]'));
  put('article:published_time', meta('meta[property="article:published_time"]'));
  put('author', meta('meta[name="author"]'));
  put('description', meta('meta[name="description"]') ?? meta('meta[property="og:description"]'));
  put('jsonld:headline', ld?.headline ?? null);
  put('jsonld:datePublished', ld?.datePublished ?? null);
  put('jsonld:author', personName(ld?.author));
  put('jsonld:publisher', personName(ld?.publisher));
  const canonical = document.querySelector('link[rel="canonical"]')?.getAttribute('href') ?? null;
  put('canonical', canonical);

  const links = new Set<string>();
  for (const a of Array.from(document.querySelectorAll('a[href]'))) {
    const u = absolute(a.getAttribute('href') ?? '', baseUrl);
    if (u) links.add(u);
  }

  let text = '';
  const body = document.body as unknown as DomNode | null;
  try {
    if (body && nestingDepth(body) > READABILITY_MAX_DEPTH) throw new Error('nested too deep for Readability');
    const clone = htmlDocument(raw) as unknown as Document;
    const article = new Readability(clone, { keepClasses: false }).parse();
    if (article?.content) text = blockText(parseHTML(`<html><body>${article.content}</body></html>`).document as unknown as DomNode);
  } catch {
    text = '';
  }
  // Readability drops short pages (a one-paragraph statement); the body is the honest fallback.
  const bodyText = body ? blockText(body) : '';
  if (text.length < 0.3 * bodyText.length || text.length === 0) text = bodyText;

  const publishedRaw = metadata['jsonld:datePublished'] ?? metadata['article:published_time'] ?? meta('meta[name="date"]') ?? meta('meta[itemprop="datePublished"]');
  return {
    text,
    title: metadata['og:title'] ?? metadata['jsonld:headline'] ?? htmlTitle,
    author: metadata['jsonld:author'] ?? metadata['author'] ?? null,
    publisher: metadata['og:site_name'] ?? metadata['jsonld:publisher'] ?? null,
    published: publishedRaw ? parsePartialDate(publishedRaw) : null,
    description: metadata['description'] ?? null,
    links: [...links],
    metadata,
  };
}
