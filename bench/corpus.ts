/**
 * Seeded synthetic corpus for the benchmarks: news-length articles (about 800 words, HTML and
 * plain text files on disk) and short posts. Articles mention the example case's subjects with
 * list, ban and denial sentences mixed into neutral filler, so every stage has real work to do.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32 } from '../src/coordinate/hash.js';

/** The project's seeded PRNG (mulberry32), under the name this file's callers use. */
export const rng = mulberry32;

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

export const BENCH_SUBJECTS = ['Norvane Wireless', 'Huawei', 'Hikvision', 'Quectel', 'DJI'] as const;

const CLAIMS: readonly ((s: string, year: number) => string)[] = [
  (s, y) => `The Pentagon added ${s} to its list of Chinese military companies in ${y}.`,
  (s) => `${s} is on the Commerce Department's Entity List, officials said.`,
  (s, y) => `In ${y} the FCC banned equipment made by ${s}, according to the report.`,
  (s) => `${s} denied that it had ever been placed on any US government list.`,
  (s) => `A spokesperson said ${s} is not on the 1260H list and never has been.`,
  (s, y) => `Critics say ${s} was named a Chinese military company by the Department of Defense in ${y}.`,
  (s) => `Lawmakers want ${s} blacklisted before the end of the session.`,
  (s) => `${s} remains on the FCC Covered List, the filing shows.`,
];

const FILLER_WORDS =
  'the a market industry analysts quarter growth supply chain modules devices network carriers operators customers report annual revenue shipments price margin production factory component demand region partners contract deployment standard testing certification rollout integrators meters trackers sensors cellular wireless firmware update security review procurement budget officials agency committee hearing session statement conference interview board investors shares season forecast estimate survey data figures trend platform service support launch model series version'.split(' ');

const CONNECTORS = ['and', 'while', 'as', 'with', 'for', 'over', 'across', 'in', 'on', 'from'];

function fillerSentence(r: () => number): string {
  const n = 9 + Math.floor(r() * 14);
  const words: string[] = [];
  for (let i = 0; i < n; i++) words.push(i > 0 && i % 5 === 0 ? pick(r, CONNECTORS) : pick(r, FILLER_WORDS));
  const s = words.join(' ');
  return s.charAt(0).toUpperCase() + s.slice(1) + '.';
}

export interface Article {
  name: string;
  format: 'html' | 'text';
  title: string;
  published: string;
  body: string[];
}

/** One article of about `words` words: filler paragraphs with a claim sentence every few sentences. */
export function makeArticle(r: () => number, i: number, words = 800): Article {
  const year = 2019 + Math.floor(r() * 6);
  const month = String(1 + Math.floor(r() * 12)).padStart(2, '0');
  const day = String(1 + Math.floor(r() * 28)).padStart(2, '0');
  const subject = pick(r, BENCH_SUBJECTS);
  const paragraphs: string[] = [];
  let count = 0;
  let para: string[] = [];
  while (count < words) {
    const claim = r() < 0.12;
    const s = claim ? pick(r, CLAIMS)(r() < 0.7 ? subject : pick(r, BENCH_SUBJECTS), 2019 + Math.floor(r() * 6)) : fillerSentence(r);
    para.push(s);
    count += s.split(' ').length;
    if (para.length >= 4 + Math.floor(r() * 3)) {
      paragraphs.push(para.join(' '));
      para = [];
    }
  }
  if (para.length > 0) paragraphs.push(para.join(' '));
  return {
    name: `article-${String(i).padStart(6, '0')}`,
    format: i % 2 === 0 ? 'html' : 'text',
    title: `${subject} and the ${pick(r, FILLER_WORDS)} ${pick(r, FILLER_WORDS)} (${i})`,
    published: `${year}-${month}-${day}`,
    body: paragraphs,
  };
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function renderArticle(a: Article): string {
  if (a.format === 'text') return `${a.title}\n\n${a.body.join('\n\n')}\n`;
  return [
    '<!doctype html><html><head><meta charset="utf-8">',
    `<title>${escapeHtml(a.title)}</title>`,
    `<meta property="article:published_time" content="${a.published}T09:00:00Z">`,
    '</head><body><header><nav><a href="/">Home</a> <a href="/tech">Tech</a></nav></header>',
    `<article><h1>${escapeHtml(a.title)}</h1>`,
    ...a.body.map((p) => `<p>${escapeHtml(p)}</p>`),
    '</article><footer>Copyright the example wire</footer></body></html>',
  ].join('\n');
}

/** A short post (15-40 words) by one of a few hundred accounts. */
export function makePost(r: () => number, i: number): { id: string; author: string; text: string; created_at: string } {
  const subject = pick(r, BENCH_SUBJECTS);
  const claim = r() < 0.4 ? pick(r, CLAIMS)(subject, 2019 + Math.floor(r() * 6)) + ' ' : '';
  const filler = [fillerSentence(r), r() < 0.5 ? fillerSentence(r) : ''].join(' ').trim();
  const day = new Date(Date.UTC(2023, 0, 1) + Math.floor(r() * 700) * 86_400_000 + Math.floor(r() * 86_400_000));
  return { id: `b${i}`, author: `@acct${Math.floor(r() * 300)}`, text: `${claim}${filler}`, created_at: day.toISOString() };
}

export interface CorpusOnDisk {
  dir: string;
  articles: string[];
  postsFile: string | null;
  bytes: number;
  texts: string[];
}

/**
 * Writes `articles` article files (half HTML, half text) and a posts.jsonl of `posts` posts
 * under `dir`; returns their paths, total bytes and the plain texts (for the tokenizer baseline).
 */
export function writeCorpus(dir: string, articles: number, posts: number, seed = 7, words = 800): CorpusOnDisk {
  const r = rng(seed);
  mkdirSync(join(dir, 'articles'), { recursive: true });
  const paths: string[] = [];
  const texts: string[] = [];
  let bytes = 0;
  for (let i = 0; i < articles; i++) {
    const a = makeArticle(r, i, words);
    const content = renderArticle(a);
    const path = join(dir, 'articles', `${a.name}.${a.format === 'html' ? 'html' : 'txt'}`);
    writeFileSync(path, content);
    paths.push(path);
    texts.push(`${a.title}\n\n${a.body.join('\n\n')}`);
    bytes += Buffer.byteLength(content);
  }
  let postsFile: string | null = null;
  if (posts > 0) {
    const lines: string[] = [];
    for (let i = 0; i < posts; i++) {
      const p = makePost(r, i);
      lines.push(JSON.stringify(p));
      texts.push(p.text);
    }
    postsFile = join(dir, 'posts.jsonl');
    const content = lines.join('\n') + '\n';
    writeFileSync(postsFile, content);
    bytes += Buffer.byteLength(content);
  }
  return { dir, articles: paths, postsFile, bytes, texts };
}
