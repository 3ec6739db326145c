import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { parseCsv } from '../../src/verify/loaders/csv.js';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { LIST_IDS, MODALITIES, PREDICATES, isFactual } from '../../src/domain/claim.js';
import { parsePartialDate } from '../../src/domain/dates.js';
import { DOCUMENT_KINDS } from '../../src/domain/document.js';
import { ACTOR_KINDS, RELATIONSHIP_TYPES } from '../../src/domain/subject.js';
import { VERDICT_LABELS } from '../../src/domain/verdict.js';
import { describeWithShared } from '../../test/support/shared.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const FICTIONAL_CSV = join(HERE, '..', '..', 'data', 'example', 'example-fictional-1260h.csv');
const EDITION_COLUMNS = ['Name', 'Clean Name', 'Alias', 'Previous Name', 'Parent Name', 'Note', 'Start date', 'End date', 'Source Url'];
const FICTIONAL_SUBJECT = 'Norvane Wireless';
/** Fictional URLs must never point at a real host. */
const FICTIONAL_HOST = /(\.test|\.example)$/;

type Json = Record<string, unknown>;

function readJsonLines(rel: string): Json[] {
  return readFileSync(join(HERE, rel), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Json);
}

function str(v: unknown): string {
  if (typeof v !== 'string') throw new Error(`expected a string, got ${JSON.stringify(v)}`);
  return v;
}

function squash(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

const BLOCKS = 'p,h1,h2,h3,h4,li,div,section,article,header,footer,nav,aside,main,ul,ol,br';

/** What a reader sees on the page: no scripts or styles, entities decoded, blocks separated. */
function htmlText(html: string): string {
  const { document } = parseHTML(html);
  for (const el of document.querySelectorAll('script,style,noscript,template')) el.remove();
  for (const el of document.querySelectorAll(BLOCKS)) el.append(document.createTextNode('\n'));
  return squash(document.body.textContent ?? '');
}

/** The article body as the capture stage will see it after a Readability pass. */
function readabilityText(html: string): string {
  const { document } = parseHTML(html);
  const article = new Readability(document as unknown as Document).parse();
  return squash(article?.textContent ?? '');
}

/** Markdown read as prose: markers that are not words are dropped. */
function markdownText(md: string): string {
  return squash(
    md
      .replace(/<!--[\s\S]*?-->/g, ' ')
      .replace(/^#{1,6}\s+/gm, '')
      .replace(/^\s*(?:[-*]|\d+\.)\s+/gm, '')
      .replace(/\*\*|\*/g, ''),
  );
}

function documentText(rel: string): string {
  const raw = readFileSync(join(HERE, rel), 'utf8');
  if (rel.endsWith('.html')) return htmlText(raw);
  if (rel.endsWith('.md')) return markdownText(raw);
  return squash(raw);
}


const caseFile = JSON.parse(readFileSync(join(HERE, 'case.json'), 'utf8')) as {
  subjects: { name: string; aliases: string[]; products: string[]; subsidiaries: string[] }[];
  actors: { name: string; kind: string; aliases: string[]; description: string }[];
  relationships: { from: string; to: string; type: string; share?: number; role?: string; start?: string; end?: string }[];
};
const manifest = readJsonLines('manifest.jsonl');
const posts = readJsonLines('posts.jsonl');
const answerKey = readJsonLines('answer-key.jsonl');
const campaigns = JSON.parse(readFileSync(join(HERE, 'answer-key-campaigns.json'), 'utf8')) as {
  campaigns: { name: string; members: string[]; narratives: string[]; why: string }[];
  independent: string[];
  undisclosed: { actor: string; affiliationPath: { from: string; type: string; to: string }[] }[];
};

const actorNames = new Set(caseFile.actors.map((a) => a.name));
const actorNamesAndAliases = new Set(caseFile.actors.flatMap((a) => [a.name, ...a.aliases]));
const subjectNames = new Set(caseFile.subjects.map((s) => s.name));
const postText = new Map(posts.map((p) => [str(p['id']), str(p['text'])]));

describe('example case registry (case.json)', () => {
  it('registers the fictional subject with aliases, products and a subsidiary, and the real ones by name', () => {
    const norvane = caseFile.subjects.find((s) => s.name === FICTIONAL_SUBJECT);
    expect(norvane?.aliases.length).toBeGreaterThan(0);
    expect(norvane?.products.length).toBeGreaterThanOrEqual(4);
    expect(norvane?.subsidiaries).toContain('Norvane Wireless America, Inc.');
    expect([...subjectNames]).toEqual(expect.arrayContaining(['Huawei', 'Hikvision', 'Quectel', 'DJI']));
  });

  it('uses only known actor kinds and relationship types, between registered parties', () => {
    for (const a of caseFile.actors) expect(ACTOR_KINDS, a.name).toContain(a.kind);
    expect(actorNames.size, 'actor names are unique').toBe(caseFile.actors.length);
    for (const r of caseFile.relationships) {
      expect(RELATIONSHIP_TYPES).toContain(r.type);
      expect(actorNames.has(r.from) || subjectNames.has(r.from), r.from).toBe(true);
      expect(actorNames.has(r.to) || subjectNames.has(r.to), r.to).toBe(true);
      if (r.start !== undefined) expect(parsePartialDate(r.start), r.start).not.toBeNull();
    }
  });

  it('marks every invented actor as fictional in its description', () => {
    for (const a of caseFile.actors.filter((x) => x.kind !== 'government')) {
      expect(a.description, a.name).toMatch(/^Fictional\b/);
    }
  });
});

describe('example case manifest', () => {
  it('lists existing files with valid kinds, dates, registered actors and fictional URLs', () => {
    expect(manifest.length).toBeGreaterThanOrEqual(20);
    for (const m of manifest) {
      const path = str(m['path']);
      expect(existsSync(join(HERE, path)), path).toBe(true);
      expect(DOCUMENT_KINDS, path).toContain(m['kind']);
      if (m['published'] !== undefined) expect(parsePartialDate(str(m['published'])), path).not.toBeNull();
      if (m['actor'] !== undefined) expect(actorNames.has(str(m['actor'])), `${path}: ${String(m['actor'])}`).toBe(true);
      if (m['url'] !== undefined) expect(new URL(str(m['url'])).hostname, path).toMatch(FICTIONAL_HOST);
    }
  });

  it('covers every document file in documents/', () => {
    const listed = new Set(manifest.map((m) => str(m['path'])));
    for (const f of readdirSync(join(HERE, 'documents'))) expect(listed.has(`documents/${f}`), f).toBe(true);
  });

  it('includes one syndicated article: the same file at two different URLs', () => {
    const urlsByPath = new Map<string, Set<string>>();
    for (const m of manifest) {
      if (m['url'] === undefined) continue;
      const set = urlsByPath.get(str(m['path'])) ?? new Set<string>();
      set.add(str(m['url']));
      urlsByPath.set(str(m['path']), set);
    }
    expect([...urlsByPath.values()].some((s) => s.size >= 2)).toBe(true);
  });

  it('gives HTML pages the metadata a capture stage reads', () => {
    for (const m of manifest.filter((x) => str(x['path']).endsWith('.html'))) {
      const html = readFileSync(join(HERE, str(m['path'])), 'utf8');
      for (const needle of ['<title>', 'name="author"', 'name="description"', 'og:title', 'og:site_name', 'article:published_time']) {
        expect(html, `${str(m['path'])} lacks ${needle}`).toContain(needle);
      }
    }
  });
});

describe('example case posts', () => {
  it('parses every post with an id, a registered author, text and a UTC timestamp', () => {
    expect(posts.length).toBeGreaterThanOrEqual(40);
    expect(postText.size, 'post ids are unique').toBe(posts.length);
    for (const p of posts) {
      const id = str(p['id']);
      expect(actorNamesAndAliases.has(str(p['author'])), `${id}: ${String(p['author'])}`).toBe(true);
      expect(str(p['text']).length, id).toBeGreaterThan(0);
      expect(str(p['created_at']), id).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      expect(Number.isNaN(Date.parse(str(p['created_at']))), id).toBe(false);
      for (const link of (p['links'] as string[] | undefined) ?? []) expect(() => new URL(link), id).not.toThrow();
    }
  });

  it('contains a burst: five or more posts sharing one link within fifteen minutes', () => {
    const byLink = new Map<string, number[]>();
    for (const p of posts) {
      for (const link of (p['links'] as string[] | undefined) ?? []) {
        byLink.set(link, [...(byLink.get(link) ?? []), Date.parse(str(p['created_at']))]);
      }
    }
    const bursty = [...byLink.values()].some((times) => {
      const sorted = [...times].sort((a, b) => a - b);
      return sorted.some((t, i) => (sorted[i + 4] ?? Infinity) - t <= 15 * 60_000);
    });
    expect(bursty).toBe(true);
  });
});

describe('example case answer key', () => {
  it('has one line per document file and one per post', () => {
    const files = answerKey.map((k) => str(k['file']));
    expect(new Set(files).size, 'no file twice').toBe(files.length);
    const docs = new Set(manifest.map((m) => str(m['path'])));
    expect(new Set(files.filter((f) => !f.startsWith('posts.jsonl#')))).toEqual(docs);
    expect(new Set(files.filter((f) => f.startsWith('posts.jsonl#')).map((f) => f.slice('posts.jsonl#'.length)))).toEqual(
      new Set(postText.keys()),
    );
  });

  it('uses the eval claim fields and values', () => {
    for (const k of answerKey) {
      const file = str(k['file']);
      expect(actorNamesAndAliases.has(str(k['actor'])), `${file}: ${String(k['actor'])}`).toBe(true);
      expect(parsePartialDate(str(k['published'])), file).not.toBeNull();
      expect(parsePartialDate(str(k['effectivePublished']))?.precision, file).toBe('day');
      for (const c of k['claims'] as Json[]) {
        const where = `${file}: ${String(c['quote'])}`;
        expect(Object.keys(c), where).toEqual(
          expect.arrayContaining(['quote', 'subject', 'predicate', 'object', 'polarity', 'modality', 'attributedTo', 'eventDate', 'verdict']),
        );
        expect(subjectNames.has(str(c['subject'])), where).toBe(true);
        expect(PREDICATES, where).toContain(c['predicate']);
        expect(MODALITIES, where).toContain(c['modality']);
        expect(['affirmed', 'denied'], where).toContain(c['polarity']);
        if (c['predicate'] === 'listed') expect(LIST_IDS, where).toContain(c['object']);
        if (c['eventDate'] !== null) expect(parsePartialDate(str(c['eventDate'])), where).not.toBeNull();
        if (c['modality'] === 'reported') expect(c['attributedTo'], where).not.toBeNull();
        const judged = isFactual(c['modality'] as (typeof MODALITIES)[number]) && c['predicate'] !== 'other';
        if (judged) expect(VERDICT_LABELS, where).toContain(c['verdict']);
        else expect(c['verdict'], where).toBeNull();
      }
    }
  });

  it('quotes every claim and trap verbatim from the text a reader sees', () => {
    const missing: string[] = [];
    for (const k of answerKey) {
      const file = str(k['file']);
      // Binary formats are checked against the text claimtrace parses from them, in test/ingest-example.test.ts.
      if (/\.(pdf|docx|pptx)$/.test(file)) continue;
      const text = file.startsWith('posts.jsonl#') ? postText.get(file.slice('posts.jsonl#'.length)) ?? '' : documentText(file);
      // Markdown may be read raw or rendered; quotes avoid markup so either reading finds them.
      const raw = file.startsWith('posts.jsonl#') ? text : squash(readFileSync(join(HERE, file), 'utf8'));
      const article = file.endsWith('.html') ? readabilityText(readFileSync(join(HERE, file), 'utf8')) : raw;
      for (const c of k['claims'] as Json[]) {
        const q = str(c['quote']);
        if (!text.includes(q)) missing.push(`${file}: claim quote not in text: ${q}`);
        if (!article.includes(q)) missing.push(`${file}: claim quote lost by Readability or raw reading: ${q}`);
      }
      for (const t of k['traps'] as Json[]) {
        if (!text.includes(str(t['sentence']))) missing.push(`${file}: trap not in text: ${str(t['sentence'])}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('holds the claims the story is built on', () => {
    const claims: (Json & { day: string })[] = answerKey.flatMap((k) =>
      (k['claims'] as Json[]).map((c) => ({ ...c, day: str(k['effectivePublished']) })),
    );
    const about = (subject: string, predicate: string, object: string | null) =>
      claims.filter((c) => c['subject'] === subject && c['predicate'] === predicate && c['object'] === object);
    // False ban and listing claims about the fictional vendor, 2023-2024.
    expect(about(FICTIONAL_SUBJECT, 'banned', 'fcc').some((c) => c['verdict'] === 'REFUTED' && c.day < '2025')).toBe(true);
    expect(about(FICTIONAL_SUBJECT, 'listed', 'fcc-covered-list').some((c) => c['verdict'] === 'REFUTED' && c['polarity'] === 'affirmed')).toBe(true);
    // The vendor's "any US list" denial: open in 2023 with partial data, false in 2025.
    const anyDenials = about(FICTIONAL_SUBJECT, 'listed', 'us-any').filter((c) => c['polarity'] === 'denied');
    expect(anyDenials.some((c) => c.day < '2025' && c['verdict'] === 'NOT_ENOUGH_INFO' && c['verdictWithFullLists'] === 'SUPPORTED')).toBe(true);
    expect(anyDenials.some((c) => c.day >= '2025-01-07' && c['verdict'] === 'REFUTED')).toBe(true);
    // True claims about real listed companies, and non-factual modalities.
    for (const real of ['Huawei', 'Hikvision', 'Quectel', 'DJI']) {
      expect(claims.some((c) => c['subject'] === real && c['verdict'] === 'SUPPORTED'), real).toBe(true);
    }
    for (const m of ['demanded', 'hypothetical', 'questioned', 'reported']) {
      expect(claims.some((c) => c['subject'] === FICTIONAL_SUBJECT && c['modality'] === m), m).toBe(true);
    }
  });

  it('embeds one talking point verbatim in three documents by three different campaign actors', () => {
    const talkingPoint = 'Whoever writes that firmware decides what the module can be told to do, and when.';
    const actors = manifest.filter((m) => documentText(str(m['path'])).includes(talkingPoint)).map((m) => str(m['actor']));
    expect(new Set(actors).size).toBeGreaterThanOrEqual(3);
    const members = new Set(campaigns.campaigns.flatMap((c) => c.members));
    for (const a of actors) expect(members.has(a), a).toBe(true);
  });
});

describe('example case campaign key', () => {
  it('names registered actors, keeps independents out of every campaign and traces undisclosed ties', () => {
    const members = campaigns.campaigns.flatMap((c) => c.members);
    for (const a of [...members, ...campaigns.independent]) expect(actorNames.has(a), a).toBe(true);
    for (const a of campaigns.independent) expect(members, a).not.toContain(a);
    for (const u of campaigns.undisclosed) {
      expect(u.affiliationPath.length, u.actor).toBeGreaterThan(0);
      for (const step of u.affiliationPath) {
        const found = caseFile.relationships.some((r) => r.from === step.from && r.to === step.to && r.type === step.type);
        expect(found, `${u.actor}: ${step.from} -${step.type}-> ${step.to}`).toBe(true);
      }
    }
  });
});

describe('fictional 1260H dataset', () => {
  const rows = parseCsv(readFileSync(FICTIONAL_CSV, 'utf8'));
  const header = rows[0] ?? [];
  const body = rows.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
  const norvane = caseFile.subjects.find((s) => s.name === FICTIONAL_SUBJECT);
  const fictionalNames = new Set([FICTIONAL_SUBJECT, ...(norvane?.aliases ?? []), ...(norvane?.subsidiaries ?? [])]);

  it('has the 1260H edition columns and names only the fictional vendor, marked as fictional', () => {
    expect(header).toEqual(EDITION_COLUMNS);
    expect(body.length).toBeGreaterThan(0);
    for (const row of body) {
      const names = [row['Clean Name'] ?? '', row['Parent Name'] ?? '', row['Previous Name'] ?? '', ...(row['Alias'] ?? '').split(',')]
        .map((n) => n.trim())
        .filter((n) => n !== '');
      for (const n of names) expect(fictionalNames.has(n), n).toBe(true);
      expect(row['Note']).toMatch(/FICTIONAL/);
      expect(new URL(row['Source Url'] ?? '').hostname).toMatch(FICTIONAL_HOST);
      expect(row['Start date']).toMatch(/^2025-\d{2}-\d{2}$/);
    }
  });

  describeWithShared('against the real 1260H and Covered List fixtures', ['fixtures/lists/dod-1260h/sanctions.csv', 'fixtures/lists/fcc-covered-list/table.csv'], ([dodPath, fccPath]) => {
    it('shares the real header and no name with any real 1260H row', () => {
      const real = parseCsv(readFileSync(dodPath!, 'utf8'));
      expect(real[0]).toEqual(header);
      const realNames = new Set(real.slice(1).flatMap((r) => [r[0], r[1], ...(r[2] ?? '').split(',')]).map((n) => (n ?? '').trim().toLowerCase()));
      for (const n of fictionalNames) expect(realNames.has(n.toLowerCase()), n).toBe(false);
      expect(real.slice(1).some((r) => /norvane/i.test(r.join(' ')))).toBe(false);
    });

    it('dates the real companies in the story as the official lists do', () => {
      const dod = parseCsv(readFileSync(dodPath!, 'utf8')).slice(1);
      const firstListed = (word: string) =>
        dod.filter((r) => (r[1] ?? '').includes(word)).map((r) => r[6] ?? '').sort()[0];
      expect(firstListed('DJI')).toBe('2022-10-05');
      expect(firstListed('Quectel')).toBe('2025-01-07');
      const fcc = readFileSync(fccPath!, 'utf8');
      for (const company of ['Huawei Technologies Company', 'Hangzhou Hikvision Digital Technology Company']) {
        const line = fcc.split('\n').find((l) => l.includes(company));
        expect(line, company).toContain('March 12, 2021');
      }
      const events = answerKey.flatMap((k) => k['claims'] as Json[]).filter((c) => c['verdict'] === 'SUPPORTED' && c['eventDate'] !== null);
      const expected: Record<string, Record<string, string>> = {
        'fcc-covered-list': { Huawei: '2021-03-12', Hikvision: '2021-03-12' },
        'us-1260h': { DJI: '2022-10-05', Quectel: '2025-01-07', [FICTIONAL_SUBJECT]: str(body[0]?.['Start date']) },
      };
      for (const c of events) {
        const day = expected[str(c['object'])]?.[str(c['subject'])];
        if (day === undefined) continue;
        expect(day.startsWith(str(c['eventDate'])), `${str(c['subject'])} ${str(c['eventDate'])} vs ${day}`).toBe(true);
      }
    });
  });
});
