import type { CoordinationStatement } from '../../src/coordinate/coordination.js';
import { mulberry32 } from '../../src/coordinate/hash.js';
import { vocabulary, zipfSampler } from './neardup-corpus.js';

/** A synthetic coordination corpus with its ground truth. */
export interface CoordinationCorpus {
  statements: CoordinationStatement[];
  /** actorId -> planted group id, for planted members only. */
  groups: Map<string, string>;
  actors: string[];
}

const MIN = 60_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 1);

/**
 * Seeded corpus of `n` statements over 30 days with planted coordinated groups and the hard
 * negatives that fool co-action counting:
 * - planted groups of 4-12 accounts that post near-identical texts with the group's narrative
 *   and link in 3-6 bursts of under 40 minutes, days apart (about 3% of statements); a third of
 *   them also push a sponsor's publications (it publishes first, twice), which only the
 *   group-level associates step can tie to them;
 * - background accounts posting their own texts with Zipf-popular narratives and links;
 * - one news link shared by 2% of all statements, by unrelated accounts at random times;
 * - a true statement repeated word for word by 300 outlets, each at its own time;
 * - bursts from real news events: 100-300 accounts posting on the same link within an hour;
 * - 50 prolific accounts producing a quarter of the background and joining every news burst.
 */
export function generateCoordinationCorpus(n: number, seed = 1): CoordinationCorpus {
  const rnd = mulberry32(seed);
  const vocab = vocabulary(30000, seed + 7);
  const word = zipfSampler(rnd, vocab.length);
  const nActors = Math.max(200, Math.floor(n / 20));
  const actors = Array.from({ length: nActors }, (_, i) => `acct-${i}`);
  const prolific = actors.slice(0, 50);
  const outlets = actors.slice(50, 350);
  const statements: CoordinationStatement[] = [];
  const groups = new Map<string, string>();
  let id = 0;
  const text = (len: number): string => {
    const w: string[] = [];
    for (let k = 0; k < len; k++) w.push(vocab[word()] as string);
    return w.join(' ');
  };
  const push = (actorId: string, time: number, t: string, narrativeKey: string | null, urls: string[]): void => {
    statements.push({ id: `s${id++}`, actorId, time, text: t, narrativeKey, urls });
  };

  // Planted groups, drawn from accounts that are not outlets or prolific.
  const plantedBudget = Math.floor(n * 0.03);
  let planted = 0;
  let g = 0;
  const free = actors.slice(350);
  let cursor = 0;
  while (planted < plantedBudget && cursor + 12 < free.length) {
    const size = 4 + Math.floor(rnd() * 9);
    const members = free.slice(cursor, cursor + size);
    // About a third of the groups push the publications of a sponsor (an organisation that is not
    // itself one of the posting accounts): it publishes first, the members follow within the burst.
    const sponsor = rnd() < 0.3 ? free[cursor + size] : undefined;
    cursor += size + (sponsor === undefined ? 0 : 1) + Math.floor(rnd() * 20);
    const gid = `group-${g++}`;
    for (const m of members) groups.set(m, gid);
    if (sponsor !== undefined) groups.set(sponsor, gid);
    const bursts = 3 + Math.floor(rnd() * 4);
    const narrative = `planted-${gid}`;
    for (let b = 0; b < bursts; b++) {
      const start = T0 + Math.floor(rnd() * 29 * DAY);
      const template = text(15 + Math.floor(rnd() * 15));
      const link = `https://www.campaign-${g}.test/post/${b}?utm_source=share`;
      if (sponsor !== undefined && b < 2) {
        push(sponsor, start - Math.floor(rnd() * 30 * MIN), text(40), null, [link.replace('?utm_source=share', '')]);
        planted++;
      }
      for (const m of members) {
        const t = rnd() < 0.5 ? template : `${template} ${vocab[word()]}`;
        push(m, start + Math.floor(rnd() * 40 * MIN), t, narrative, rnd() < 0.8 ? [link] : []);
        planted++;
      }
    }
  }

  // News events: many accounts, one link, one narrative, within an hour.
  const events = Math.max(3, Math.floor(n / 20000));
  for (let e = 0; e < events; e++) {
    const start = T0 + Math.floor(rnd() * 29 * DAY);
    const headline = text(12);
    const k = 100 + Math.floor(rnd() * 200);
    const seen = new Set<string>();
    for (let i = 0; i < k; i++) {
      const who = i < prolific.length ? (prolific[i] as string) : (actors[Math.floor(rnd() * nActors)] as string);
      if (seen.has(who) || groups.has(who)) continue;
      seen.add(who);
      push(who, start + Math.floor(rnd() * 60 * MIN), `${headline} ${text(6)}`, `news-${e}`, [`https://news.test/event/${e}`]);
    }
  }

  // A true statement repeated independently by outlets.
  for (const o of outlets) {
    push(o, T0 + Math.floor(rnd() * 30 * DAY), 'the regulator lists this equipment maker on its covered list since march 2021 according to the official register', 'true-covered-list', [
      'https://regulator.test/covered-list',
    ]);
  }

  // Background.
  const topics = zipfSampler(rnd, 2000);
  const links = zipfSampler(rnd, 50000);
  while (statements.length < n) {
    const who =
      rnd() < 0.25 ? (prolific[Math.floor(rnd() * prolific.length)] as string) : (actors[350 + Math.floor(rnd() * (nActors - 350))] as string);
    if (groups.has(who)) continue;
    const r = rnd();
    const urls = r < 0.02 ? ['https://popular-news.test/story?utm_medium=social'] : r < 0.5 ? [`https://site${links()}.test/a`] : [];
    push(who, T0 + Math.floor(rnd() * 30 * DAY), text(15 + Math.floor(rnd() * 21)), rnd() < 0.4 ? `topic-${topics()}` : null, urls);
  }
  return { statements, groups, actors };
}

/** Adjusted Rand index of two labelings of the same items. */
export function adjustedRandIndex(truth: readonly string[], pred: readonly string[]): number {
  const comb2 = (x: number): number => (x * (x - 1)) / 2;
  const joint = new Map<string, number>();
  const a = new Map<string, number>();
  const b = new Map<string, number>();
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i] as string;
    const p = pred[i] as string;
    joint.set(`${t}\u0000${p}`, (joint.get(`${t}\u0000${p}`) ?? 0) + 1);
    a.set(t, (a.get(t) ?? 0) + 1);
    b.set(p, (b.get(p) ?? 0) + 1);
  }
  let index = 0;
  for (const v of joint.values()) index += comb2(v);
  let sa = 0;
  for (const v of a.values()) sa += comb2(v);
  let sb = 0;
  for (const v of b.values()) sb += comb2(v);
  const expected = (sa * sb) / comb2(truth.length);
  const max = (sa + sb) / 2;
  return max === expected ? 1 : (index - expected) / (max - expected);
}
