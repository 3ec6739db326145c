import { parsePartialDate } from '../domain/dates.js';
import type { DocumentFormat } from '../domain/document.js';
import { htmlToText, parseFeed, type ParsedFeed } from './formats/feed.js';
import { normalizeText, parseHtml, parseMarkdown, parsePlainText, type ParsedText } from './text.js';

/** Bytes of a markup or text format, already sniffed by the caller. */
export interface MarkupInput {
  bytes: Uint8Array;
  sniffed: 'html' | 'xml-feed' | 'text' | 'json';
  nameHint: string;
  baseUrl: string | null;
}

/** What parsing markup gives: the stored format and text; for a feed, the feed and each item's text. */
export interface ParsedMarkup {
  format: DocumentFormat;
  mediaType: string;
  parsed: ParsedText;
  feed: ParsedFeed | null;
  /** The text of each feed item, in item order; null for everything but feeds. */
  feedItems: ParsedText[] | null;
}

const FEED_MEDIA: Record<ParsedFeed['kind'], string> = { rss: 'application/rss+xml', rdf: 'application/rdf+xml', atom: 'application/atom+xml' };

/** The feed as a reader of it sees it: its title, then each item's title, date and summary. */
export function feedAsText(feed: ParsedFeed): ParsedText {
  const blocks: string[] = [];
  if (feed.title) blocks.push(feed.title);
  for (const item of feed.items) {
    const lines = [item.title, item.published ? item.published.slice(0, 10) : null, item.summaryText].filter((x): x is string => x !== null && x !== '');
    if (lines.length > 0) blocks.push(lines.join('\n'));
  }
  const links = feed.items.map((i) => i.url).filter((u): u is string => u !== null);
  const metadata: Record<string, string> = { 'feed:kind': feed.kind, 'feed:items': String(feed.items.length) };
  if (feed.url) metadata['feed:link'] = feed.url;
  return {
    text: normalizeText(blocks.join('\n\n')),
    title: feed.title,
    author: null,
    publisher: feed.title,
    published: null,
    description: null,
    links: [...new Set(links)],
    metadata,
  };
}

/** Text of one feed item: the full content when the feed carries it, else the summary. */
export function feedItemText(item: ParsedFeed['items'][number]): ParsedText {
  const body = item.contentHtml !== null ? htmlToText(item.contentHtml) : (item.summaryText ?? '');
  const text = normalizeText(body);
  const links = item.contentHtml !== null ? parseHtml(`<html><body>${item.contentHtml}</body></html>`, item.url).links : [];
  return {
    text,
    title: item.title,
    author: item.author,
    publisher: null,
    published: item.published ? parsePartialDate(item.published) : null,
    description: item.summaryText,
    links,
    metadata: item.id ? { 'feed:id': item.id } : {},
  };
}

/**
 * Parses HTML, an RSS or Atom feed, Markdown or plain text. It runs in a sandbox worker (see
 * parseDocumentBytes): linkedom and Readability are quadratic in nesting depth, so hostile HTML
 * must hit the worker's time limit rather than stall the process.
 */
export function parseMarkup(input: MarkupInput): ParsedMarkup {
  const text = (): string => Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength).toString('utf8');
  switch (input.sniffed) {
    case 'html':
      return { format: 'html', mediaType: 'text/html', parsed: parseHtml(text(), input.baseUrl), feed: null, feedItems: null };
    case 'xml-feed': {
      const feed = parseFeed(input.bytes, input.baseUrl ?? undefined);
      return { format: 'feed', mediaType: FEED_MEDIA[feed.kind], parsed: feedAsText(feed), feed, feedItems: feed.items.map(feedItemText) };
    }
    case 'text':
    case 'json':
      if (/\.(md|markdown|mdown)$/i.test(input.nameHint)) return { format: 'markdown', mediaType: 'text/markdown', parsed: parseMarkdown(text()), feed: null, feedItems: null };
      return { format: 'text', mediaType: 'text/plain', parsed: parsePlainText(text()), feed: null, feedItems: null };
  }
}
