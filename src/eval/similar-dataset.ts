/**
 * Seeded generator of the claim-retrieval evaluation set in data/similar-eval: fact-checked
 * claims (candidates) and social-media posts that repeat some of them (queries), with qrels.
 * Same shape as the public benchmark the issue names (about 200 posts against many fact-checked
 * claims, one or more relevant claims per post). Posts are made by transformations written
 * independently of the matcher: synonyms the matcher does not know, reordering, commentary,
 * hashtags and handles, emoji, links, typos, case and abbreviations.
 *   node --import tsx src/eval/similar-dataset.ts   (rewrites data/similar-eval/*.tsv)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from '../coordinate/hash.js';

const FIRST = ['Maria', 'John', 'Aisha', 'Pedro', 'Elena', 'Tom', 'Yuki', 'Omar', 'Grace', 'Liam', 'Nadia', 'Victor', 'Chen', 'Fatima', 'Hugo', 'Ingrid', 'Kofi', 'Lena', 'Marco', 'Priya', 'Ravi', 'Sofia', 'Tariq', 'Ursula', 'Wen', 'Zara'];
const LAST = ['Alvarez', 'Brennan', 'Castell', 'Dumont', 'Eriksen', 'Farrow', 'Gallo', 'Hartley', 'Ibsen', 'Jovanovic', 'Kowal', 'Lindqvist', 'Moreau', 'Nakamura', 'Okafor', 'Petrov', 'Quinlan', 'Rossi', 'Sandoval', 'Thornton', 'Ulrich', 'Varga', 'Whitfield', 'Yilmaz'];
const ORG_A = ['Northwind', 'Bluepeak', 'Crestline', 'Silverline', 'Redstone', 'Greenfield', 'Ironbridge', 'Suncoast', 'Clearwater', 'Highgate', 'Lakeshore', 'Stonehill', 'Brightwave', 'Oakridge', 'Westmark'];
const ORG_B = ['Pharma', 'Telecom', 'Motors', 'Foods', 'Energy', 'Bank', 'Labs', 'Airlines', 'Media', 'Mining', 'Networks', 'Health'];
const PLACES = ['France', 'Brazil', 'Kenya', 'India', 'Canada', 'Germany', 'Mexico', 'Japan', 'Nigeria', 'Spain', 'Italy', 'Poland', 'Chile', 'Egypt', 'Vietnam', 'Ireland', 'Texas', 'Ohio', 'Florida', 'Ontario', 'Bavaria', 'Lagos', 'Mumbai', 'Sydney'];
const BODIES = ['the WHO', 'the FDA', 'the EU', 'the UN', 'NASA', 'the CDC', 'the FCC', 'the IMF', 'Interpol', 'the Pentagon'];
const THINGS = ['5G towers', 'tap water', 'face masks', 'electric cars', 'smart meters', 'bananas', 'chemtrails', 'wind turbines', 'cash payments', 'home gardens', 'cell phones', 'paper ballots', 'fluoride', 'microchips', 'lab-grown meat', 'solar panels'];
const ILLS = ['cancer', 'autism', 'infertility', 'heart attacks', 'memory loss', 'diabetes', 'asthma', 'blindness'];

type Slot = 'P' | 'P2' | 'O' | 'O2' | 'L' | 'B' | 'T' | 'I' | 'N' | 'Y';

// Claim wordings in the neutral register of fact-checks. Slots: P person, O organisation,
// L place, B public body, T thing, I illness, N number, Y year.
const TEMPLATES: string[] = [
  'P said that T cause I.',
  'B has banned T in L.',
  'O secretly owns a majority stake in O2.',
  'P was arrested in L for fraud in Y.',
  'B confirmed that T contain microchips.',
  'A video shows P collapsing on stage in L.',
  'O paid P N million dollars to promote T.',
  'L will make T mandatory from Y.',
  'P resigned from O after a scandal in Y.',
  'B approved a plan to track citizens through T.',
  'Drinking tap water in L causes I, according to B.',
  'O recalled N thousand T over a safety defect.',
  'P claimed that B is hiding evidence about T.',
  'The government of L is paying citizens N dollars to give up T.',
  'O is on a government banned list in L.',
  'B granted a request from P to ban O.',
  'P died in a car crash in L.',
  'N percent of people in L got I after using T.',
  'O fired N workers in L for refusing T.',
  'P owns N houses in L, bought with public money.',
  'B added O to its list of security threats in Y.',
  'T were invented by O to spread I.',
  'P is the secret owner of O.',
  'L banned P from entering the country in Y.',
  'O modules contain a hidden backdoor used by B.',
  'A photo shows P meeting P2 in L in Y.',
  'P2 said P should be jailed for promoting T.',
  'B warned that T in L are linked to I.',
  'O donated N million dollars to the campaign of P.',
  'Elections in L in Y were rigged using T.',
  'P earned N million dollars from selling T to B.',
  'O was fined N million dollars by B in Y.',
  'The water supply in L was poisoned by O.',
  'P has been replaced by a body double since Y.',
  'B found that T reduce I by N percent.',
  'O is controlled by the military of L.',
  'Schools in L will close for N weeks because of I.',
  'P was born in L, not where official records say.',
  'O data flows directly to the government of L.',
  'B is about to ban T nationwide, P announced.',
];

const SYNONYMS: Record<string, string[]> = {
  said: ['claims', 'admitted', 'says', 'stated'],
  banned: ['outlawed', 'prohibited', 'blocked'],
  ban: ['outlaw', 'block', 'forbid'],
  cause: ['lead to', 'trigger', 'give you'],
  secretly: ['quietly', 'covertly'],
  owns: ['controls', 'holds'],
  arrested: ['detained', 'nabbed', 'busted'],
  confirmed: ['admitted', 'acknowledged'],
  contain: ['have', 'carry'],
  video: ['clip', 'footage'],
  photo: ['picture', 'pic'],
  paid: ['gave', 'handed'],
  promote: ['push', 'advertise'],
  mandatory: ['compulsory', 'required'],
  resigned: ['quit', 'stepped down'],
  scandal: ['controversy'],
  approved: ['signed off', 'greenlit'],
  track: ['spy on', 'monitor'],
  citizens: ['people', 'everyone'],
  recalled: ['pulled'],
  hiding: ['covering up', 'concealing'],
  evidence: ['proof', 'the truth'],
  died: ['was killed', 'passed away'],
  crash: ['accident'],
  fired: ['sacked', 'dismissed'],
  refusing: ['rejecting', 'saying no to'],
  houses: ['homes', 'properties'],
  public: ["taxpayers'"],
  invented: ['created', 'designed'],
  spread: ['cause', 'unleash'],
  secret: ['hidden', 'real'],
  entering: ['coming into'],
  hidden: ['secret'],
  meeting: ['with', 'alongside'],
  jailed: ['locked up', 'imprisoned'],
  warned: ['says', 'admits'],
  linked: ['tied', 'connected'],
  donated: ['gave', 'funneled'],
  rigged: ['stolen', 'fixed'],
  earned: ['made', 'pocketed'],
  fined: ['penalized', 'charged'],
  poisoned: ['contaminated'],
  replaced: ['swapped'],
  found: ['discovered', 'shows'],
  reduce: ['cut', 'lower'],
  controlled: ['run', 'directed'],
  close: ['shut'],
  born: ['actually born'],
  flows: ['goes', 'is sent'],
  announced: ['revealed', 'says'],
  government: ['govt', 'regime', 'authorities'],
  people: ['ppl', 'folks'],
  workers: ['employees', 'staff'],
  list: ['blacklist'],
  threats: ['risks', 'dangers'],
  safety: ['security'],
  plan: ['scheme'],
};

const OPENERS = ['BREAKING:', 'Wow.', 'Unbelievable!', 'They finally admitted it:', 'Share before they delete this!', 'Why is nobody talking about this?', 'So', 'Just saw this -', 'Thread:', 'Wake up people.', 'LOL', 'Not surprised at all.'];
const CLOSERS = ['Share this!', 'Do your own research.', 'The media is silent.', 'Unreal.', 'Spread the word.', 'Who else saw this coming?', 'Disgusting.', 'Think about it.', 'Retweet!!', 'Is this real?'];
const EMOJI = ['😱', '🔥', '👀', '🤯', '😡', '🚨', '💯', '🙄'];

export interface SimilarEvalData {
  candidates: { id: string; text: string }[];
  queries: { id: string; text: string }[];
  qrels: { queryId: string; candidateId: string }[];
}

function makeClaims(rnd: () => number, n: number): string[] {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const person = (): string => `${pick(FIRST)} ${pick(LAST)}`;
  const org = (): string => `${pick(ORG_A)} ${pick(ORG_B)}`;
  const out = new Set<string>();
  const made: { tpl: string; fill: Record<Slot, string> }[] = [];
  const fresh = (): Record<Slot, string> => ({
    P: person(),
    P2: person(),
    O: org(),
    O2: org(),
    L: pick(PLACES),
    B: pick(BODIES),
    T: pick(THINGS),
    I: pick(ILLS),
    N: String(pick([2, 3, 5, 7, 10, 12, 15, 20, 25, 40, 50, 75, 90, 100, 250, 500])),
    Y: String(2015 + Math.floor(rnd() * 11)),
  });
  while (out.size < n) {
    let tpl: string;
    let fill: Record<Slot, string>;
    if (made.length > 0 && rnd() < 0.4) {
      // A variant of an earlier claim with one detail changed: fact-check archives hold many
      // versions of the same story, which is what makes retrieval hard.
      const base = pick(made);
      tpl = base.tpl;
      const other = fresh();
      const slots = (tpl.match(/\b(P2|O2|P|O|L|B|T|I|N|Y)\b/g) ?? []) as Slot[];
      const change = pick(slots.length > 0 ? slots : (['L'] as Slot[]));
      fill = { ...base.fill, [change]: other[change] };
    } else {
      tpl = pick(TEMPLATES);
      fill = fresh();
    }
    let text = tpl.replace(/\b(P2|O2|P|O|L|B|T|I|N|Y)\b/g, (s) => fill[s as Slot]);
    text = text.charAt(0).toUpperCase() + text.slice(1);
    if (!out.has(text)) made.push({ tpl, fill });
    out.add(text);
  }
  return [...out];
}

function typo(rnd: () => number, w: string): string {
  if (w.length < 5) return w;
  const i = 1 + Math.floor(rnd() * (w.length - 3));
  const r = rnd();
  if (r < 0.4) return w.slice(0, i) + (w[i + 1] ?? '') + (w[i] ?? '') + w.slice(i + 2);
  if (r < 0.7) return w.slice(0, i) + w.slice(i + 1);
  return w.slice(0, i) + (w[i] ?? '') + w.slice(i);
}

function toPost(rnd: () => number, claim: string): string {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  let words = claim.replace(/\.$/, '').split(' ');
  // Synonyms for about half of the replaceable words.
  words = words.map((w) => {
    const key = w.toLowerCase().replace(/[^a-z]/g, '');
    const syn = SYNONYMS[key];
    return syn !== undefined && rnd() < 0.7 ? pick(syn) : w;
  });
  // Posts often carry only part of the claim.
  if (rnd() < 0.35 && words.length > 6) {
    const keep = Math.max(5, Math.round(words.length * (0.6 + rnd() * 0.25)));
    const from = Math.floor(rnd() * (words.length - keep + 1));
    words = words.slice(from, from + keep);
  }
  // Drop some small words, as posts do.
  words = words.filter((w) => !(/^(the|a|that|of|in|by|to)$/i.test(w) && rnd() < 0.4));
  // Names as hashtags or handles.
  let text = words.join(' ');
  text = text.replace(/\b([A-Z][a-z]+) ([A-Z][a-z]+)\b/g, (m, a: string, b: string) => {
    const r = rnd();
    if (r < 0.2) return `#${a}${b}`;
    if (r < 0.35) return `@${a.toLowerCase()}_${b.toLowerCase()}`;
    if (r < 0.55) return b;
    return m;
  });
  // Typos and shouting.
  text = text
    .split(' ')
    .map((w) => (rnd() < 0.12 ? typo(rnd, w) : rnd() < 0.05 ? w.toUpperCase() : w))
    .join(' ');
  if (rnd() < 0.3) text = text.toLowerCase();
  const parts: string[] = [];
  if (rnd() < 0.6) parts.push(pick(OPENERS));
  // Context that names other people, places and bodies, as replies and quote-posts do.
  if (rnd() < 0.3) {
    const ctx = [
      `Remember what happened in ${pick(PLACES)}?`,
      `Just like ${pick(FIRST)} ${pick(LAST)} warned.`,
      `First ${pick(BODIES)}, now this.`,
      `Same thing ${pick(ORG_A)} did last year.`,
    ];
    parts.push(pick(ctx));
  }
  parts.push(text);
  if (rnd() < 0.5) parts.push(pick(CLOSERS));
  if (rnd() < 0.4) parts.push(pick(EMOJI) + (rnd() < 0.5 ? pick(EMOJI) : ''));
  if (rnd() < 0.3) parts.push(`#${pick(['truth', 'wakeup', 'news', 'breaking', 'fakenews', 'scandal'])}`);
  if (rnd() < 0.35) parts.push(`https://t.co/${Math.floor(rnd() * 1e9).toString(36)}`);
  return parts.join(' ');
}

/** Generate the evaluation set: `claims` candidates and `posts` queries, deterministically. */
export function generateSimilarEval(seed = 2026, claims = 10000, posts = 200): SimilarEvalData {
  const rnd = mulberry32(seed);
  const texts = makeClaims(rnd, claims);
  const candidates = texts.map((text, i) => ({ id: `fc-${String(i).padStart(5, '0')}`, text }));
  const queries: { id: string; text: string }[] = [];
  const qrels: { queryId: string; candidateId: string }[] = [];
  const used = new Set<number>();
  while (queries.length < posts) {
    const target = Math.floor(rnd() * candidates.length);
    if (used.has(target)) continue;
    used.add(target);
    const id = `post-${String(queries.length).padStart(3, '0')}`;
    queries.push({ id, text: toPost(rnd, (candidates[target] as { text: string }).text) });
    qrels.push({ queryId: id, candidateId: (candidates[target] as { id: string }).id });
  }
  return { candidates, queries, qrels };
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const dir = join(root, 'data', 'similar-eval');
  mkdirSync(dir, { recursive: true });
  const data = generateSimilarEval();
  const clean = (s: string): string => s.replace(/[\t\r\n]+/g, ' ');
  writeFileSync(join(dir, 'candidates.tsv'), data.candidates.map((c) => `${c.id}\t${clean(c.text)}`).join('\n') + '\n');
  writeFileSync(join(dir, 'queries.tsv'), data.queries.map((q) => `${q.id}\t${clean(q.text)}`).join('\n') + '\n');
  writeFileSync(join(dir, 'qrels.tsv'), data.qrels.map((r) => `${r.queryId}\t0\t${r.candidateId}\t1`).join('\n') + '\n');
  console.log(`wrote ${data.candidates.length} candidates, ${data.queries.length} queries to ${dir}`);
}
