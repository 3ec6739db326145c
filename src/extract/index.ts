import type { ExtractedClaim, Modality, Polarity, Predicate } from '../domain/claim.js';
import { findDates, readPublished } from './event-date.js';
import type { DateMention, Published } from './event-date.js';
import {
  buildGazetteer,
  findMentions,
  FIRST_PERSON,
  PLURAL_ANAPHOR,
  PRONOUN_SUBJECT,
  SINGLE_ANAPHOR,
} from './gazetteer.js';
import type { Mention, SubjectRef } from './gazetteer.js';
import {
  CLAUSE_BOUNDARY,
  DENIAL_VERB,
  EVENT_BOUNDARY,
  findAuthorities,
  findCves,
  findListRefs,
  findModalityCues,
  findNegators,
  findPredicateCues,
  LIST_ANAPHOR,
} from './lexicon.js';
import type { ListRef, PredicateCue } from './lexicon.js';
import { findOtherSignals } from './other.js';
import { cleanSpeaker, findQuotations, findReports, phraseBefore } from './speech.js';
import type { Report } from './speech.js';
import { splitSentences, wordsBetween } from './text.js';
import type { Quotation, Sentence, Span } from './text.js';

export type { SubjectRef } from './gazetteer.js';

/** An actor as the registry holds it: the name to report, and other names for it. */
export interface KnownActor {
  name: string;
  aliases?: string[];
}

/**
 * Version of the extraction rules. Stored with each document's claims; bump it whenever a rule,
 * lexicon or threshold changes so the pipeline re-runs extraction on stored documents.
 */
export const EXTRACTOR_VERSION = 'rules-2026.11.3';

export interface ExtractOptions {
  /** The organisations to find claims about, with the other names text uses for them. */
  subjects: SubjectRef[];
  /** Publication date (ISO day, month or year), used to resolve "on Monday" and dateless day-months. */
  published?: string | null;
  /** Who speaks in the document; the speaker of everything not attributed to someone else. */
  actor?: string | null;
  /**
   * Known actors (people, organisations, outlets): a bare name, or a registered name with the other
   * names text uses for it. A reported speaker that names one is given as its registered name.
   */
  knownActors?: (string | KnownActor)[];
}

/** Max words between a subject and the cue or list that makes a claim about it. */
const MAX_DISTANCE = 30;
/** Max words between a subject and a loose word that names a list by itself ("blacklisted firms like X"). */
const MAX_LOOSE_DISTANCE = 12;
/** Words before a list in which "on"/"among" must stand to relate a subject to it. */
const PREPOSITION_REACH = 6;

// A listing verb with no list after it, in the passive ("was added the same day") or with a
// pronoun and an edition ("named it in the January update"). Group 1 is the verb.
const IMPLICIT_LISTING =
  /\b(?:was|were|been|is|are|being|got)\s+(?:also\s+|then\s+|later\s+|both\s+)?(added|named|listed|designated|included|placed)\b(?=\s*(?:[.,;:]|$|\b(?:in|on|at|the\s+same|alongside|along|together|too|also|as\s+well|last|this|that|yesterday|today|again|earlier|later)\b))|\b(add(?:s|ed)?|nam(?:es|ed)|list(?:s|ed)|designat(?:es|ed)|includ(?:es|ed))(?=\s+(?:it|them|both)\s+(?:in|on)\s+(?:the|its|their|this|that)\s+(?:[\w-]+\s+){0,2}(?:update|edition|revision|list)\b)/i;

// A relative clause on a generic noun between subject and cue: "a supplier to firms that the DoD listed".
const GENERIC_RELATIVE =
  /\b(?:firms|companies|entities|suppliers|vendors|manufacturers|customers|makers|businesses|partners|clients)\s+(?:that|which|who|whose)\b/gi;

interface Unit extends Span {
  sentence: Sentence;
  /** Quotation that covers the whole unit, when the unit is someone's quoted words. */
  quotation: Quotation | null;
}

interface Candidate {
  subject: string;
  predicate: Exclude<Predicate, 'other'>;
  object: string | null;
  mention: Mention;
  cue: PredicateCue;
  /** Distance in words between mention and cue, to keep the best cue per claim. */
  distance: number;
  list: ListRef | null;
  authority: string | null;
  notes: string[];
}

function inside(pos: number, s: { start: number; end: number }): boolean {
  return pos >= s.start && pos < s.end;
}

/** Splits a sentence where a quotation of someone's words begins after a comma or colon. */
function splitUnits(sentence: Sentence, quotations: Quotation[], text: string): Unit[] {
  const cuts: number[] = [];
  for (const q of quotations) {
    if (q.start <= sentence.start || q.start >= sentence.end) continue;
    const words = q.text.split(/\s+/).length;
    if (words < 5) continue;
    if (!/[,:]\s*$/.test(text.slice(sentence.start, q.start))) continue;
    cuts.push(q.start);
  }
  const bounds = [sentence.start, ...cuts, sentence.end];
  const units: Unit[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    let s = bounds[i]!;
    let e = bounds[i + 1]!;
    while (s < e && /\s/.test(text[s]!)) s++;
    while (e > s && /[\s,;:]/.test(text[e - 1]!)) e--;
    if (e <= s) continue;
    const q = quotations.find((qq) => qq.start <= s + 1 && qq.end >= e - 1 && qq.speaker) ?? null;
    units.push({ start: s, end: e, text: text.slice(s, e), sentence, quotation: q });
  }
  return units;
}

/** Offsets (relative to the unit) where clauses break. */
function boundaries(unit: string, forPairing: boolean, mentionStarts: number[] = []): number[] {
  const out: number[] = [];
  for (const m of unit.matchAll(new RegExp(CLAUSE_BOUNDARY.source, 'gi'))) {
    const tok = m[0];
    if (forPairing && tok.startsWith(':')) continue;
    // ", and (5) Dahua", ", and other companies", ", and shipping giant COSCO": list items, not new clauses.
    if (/^,\s+and$/i.test(tok.trim())) {
      const rest = unit.slice(m.index + tok.length);
      if (/^\s*(?:\(?\d|other\b|many\b|several\b)/i.test(rest)) continue;
      // A new clause needs a new subject; ", and never have been," is a parenthesis.
      if (!/^\s*(?:the|a|an|this|that|these|those|it|they|he|she|we|its|their|some|many|[\p{Lu}])/u.test(rest)) continue;
      if (mentionStarts.some((p) => p >= m.index + tok.length && wordsBetween(unit, m.index + tok.length, p) <= 4)) continue;
    }
    out.push(m.index + tok.length - (tok.endsWith(' ') ? 1 : 0));
  }
  return out;
}

function sameClause(bounds: number[], a: number, b: number): boolean {
  const [s, e] = a <= b ? [a, b] : [b, a];
  return !bounds.some((x) => x > s && x <= e);
}

function clauseStart(bounds: number[], pos: number): number {
  let s = 0;
  for (const b of bounds) if (b <= pos) s = b;
  return s;
}

/** Groups mentions that form one coordinated list ("Tencent, CATL and drone maker Autel"). */
function groupOf(mentions: Mention[], m: Mention, unit: Unit): Mention[] {
  const sorted = [...mentions].sort((a, b) => a.start - b.start);
  const i = sorted.indexOf(m);
  const linked = (a: Mention, b: Mention): boolean => {
    const between = unit.text.slice(a.end - unit.start, b.start - unit.start);
    return /^[\s,;()\d‘’'"“”s]*(?:(?:and|or|as well as|&)\s+)?[\s,()\d‘’'"“”]*(?:[\p{L}-]+\s+){0,4}$/u.test(between);
  };
  const group = [m];
  for (let j = i - 1; j >= 0 && linked(sorted[j]!, sorted[j + 1]!); j--) group.unshift(sorted[j]!);
  for (let j = i + 1; j < sorted.length && linked(sorted[j - 1]!, sorted[j]!); j++) group.push(sorted[j]!);
  return group;
}

/** The first list of a coordinated run ("the Covered List or any other U.S. government list"). */
function chainHead(lists: ListRef[], list: ListRef, text: string): ListRef {
  let head = list;
  for (;;) {
    const prev = lists.filter((l) => l.end <= head.start).at(-1);
    if (!prev) return head;
    const between = text.slice(prev.end, head.start);
    if (!/^[\s,]*(?:or|and|nor|as well as)?\s+(?:(?:any|other|a|an|the|its|their)\s+){0,3}$/i.test(between)) return head;
    head = prev;
  }
}

function blocked(unit: string, a: number, b: number): boolean {
  const [s, e] = a <= b ? [a, b] : [b, a];
  for (const m of unit.matchAll(GENERIC_RELATIVE)) if (m.index > s && m.index < e) return true;
  return false;
}

interface DocState {
  text: string;
  sentences: Sentence[];
  mentions: Mention[];
  quotations: Quotation[];
  published: Published | null;
  actor: string | null;
  subjects: SubjectRef[];
  /** Last list named explicitly, for "the list" and "it" later on. */
  listContext: ListRef | null;
  /** Index of the sentence that named listContext. */
  listContextSentence: number;
  /** Subjects named in each sentence (by sentence index). */
  sentenceSubjects: Map<number, Mention[]>;
  prepared: Prepared;
  /** findReports per unit text: frame and eventDate ask again for every candidate of a unit. */
  reports: Map<string, Report[]>;
  /** findPredicateCues per unit text, for the same reason. */
  cues: Map<string, PredicateCue[]>;
}

function reportsOf(st: DocState, unit: string): Report[] {
  let r = st.reports.get(unit);
  if (!r) {
    r = findReports(unit);
    st.reports.set(unit, r);
  }
  return r;
}

function cuesOf(st: DocState, unit: string): PredicateCue[] {
  let c = st.cues.get(unit);
  if (!c) {
    c = findPredicateCues(unit);
    st.cues.set(unit, c);
  }
  return c;
}

/** Mentions of subjects in a unit, resolving "the company", "both companies", "they", "we". */
function unitMentions(unit: Unit, st: DocState): { mentions: Mention[]; resolved: boolean } {
  const direct = st.mentions.filter((m) => m.start >= unit.start && m.end <= unit.end);
  const firstPerson = firstPersonMentions(unit, st);
  if (direct.length > 0) {
    const pronouns = clausePronouns(unit, direct, st);
    return { mentions: [...direct, ...firstPerson, ...pronouns].sort((a, b) => a.start - b.start), resolved: false };
  }
  if (firstPerson.length > 0) return { mentions: firstPerson, resolved: true };
  const prev = (): Mention[] => {
    for (let i = unit.sentence.index - 1; i >= Math.max(0, unit.sentence.index - 1); i--) {
      const ms = st.sentenceSubjects.get(i) ?? [];
      if (ms.length > 0) return ms;
    }
    return [];
  };
  const anaphor = (re: RegExp, pick: (ms: Mention[]) => Mention[]): Mention[] => {
    for (const m of unit.text.matchAll(new RegExp(re.source, 'gi'))) {
      const ms = pick(prev());
      if (ms.length === 0) return [];
      return ms.map((x) => ({
        subject: x.subject,
        start: unit.start + m.index,
        end: unit.start + m.index + m[0].length,
        text: m[0],
        via: 'anaphor' as const,
      }));
    }
    return [];
  };
  const uniq = (ms: Mention[]): Mention[] => ms.filter((m, i) => ms.findIndex((x) => x.subject === m.subject) === i);
  // "Neither company" may gather subjects named over the last few sentences.
  const recent = (): Mention[] => {
    const out: Mention[] = [];
    for (let i = unit.sentence.index - 1; i >= Math.max(0, unit.sentence.index - 3); i--) {
      out.push(...(st.sentenceSubjects.get(i) ?? []));
      if (uniq(out).length >= 2) break;
    }
    return out;
  };
  let found = anaphor(PLURAL_ANAPHOR, (ms) => (uniq(ms).length >= 2 ? uniq(ms) : uniq(recent()).length === 2 ? uniq(recent()) : []));
  if (found.length === 0) found = anaphor(SINGLE_ANAPHOR, (ms) => (uniq(ms).length === 1 ? uniq(ms) : []));
  if (found.length === 0) {
    const pm = PRONOUN_SUBJECT.exec(unit.text);
    if (pm) {
      const ms = uniq(prev());
      const isPlural = /\bthey\s*$/i.test(pm[0]);
      if ((isPlural && ms.length >= 1) || (!isPlural && ms.length === 1)) {
        const at = unit.start + pm[0].length - (isPlural ? 4 : 2);
        found = ms.map((x) => ({ subject: x.subject, start: at, end: unit.start + pm[0].length, text: pm[0].slice(-4).trim(), via: 'anaphor' as const }));
      }
    }
  }
  if (found.length === 0) found = clausePronouns(unit, [], st);
  return { mentions: found, resolved: found.length > 0 };
}

// A pronoun right after a verb that lists, bans or restricts: "banned them", "named it".
const OBJECT_PRONOUN =
  /\b(?:ban(?:s|ned)?|barr?(?:s|ed)|block(?:s|ed)|restrict(?:s|ed)|add(?:s|ed)|nam(?:es|ed)|list(?:s|ed)|designat(?:es|ed)|plac(?:es|ed)|put|includ(?:es|ed)|sanction(?:s|ed)|blacklist(?:s|ed)|approv(?:es|ed)|authori[sz](?:es|ed))\s+(?:(?:now|also|since|later|even)\s+)?(it|its|them|their)\b/gi;
// A pronoun opening a clause: "..., and they answer to ...".
const CLAUSE_SUBJECT = /^[\s,;:]*(?:(?:and|but|yet|so|now|also|still|while)\s+)?(it|they)\b(?!\s+(?:is|was)\s+(?:not\s+)?(?:a|an|the)\b)/i;

/**
 * Pronouns standing for subjects in clauses that name none: a clause-opening "it"/"they", or
 * "them"/"it"/"their" after a listing or banning verb. They refer to the subjects of the nearest
 * earlier clause of the unit, else (when nothing before them in the unit names a subject) to those
 * of the previous sentence; "it" needs exactly one subject, "they" one or more.
 */
function clausePronouns(unit: Unit, direct: Mention[], st: DocState): Mention[] {
  const bounds = boundaries(unit.text, true, direct.map((m) => m.start - unit.start));
  const clauses = [0, ...bounds].map((b, i, all) => ({ start: b, end: all[i + 1] ?? unit.text.length }));
  const out: Mention[] = [];
  const uniq = (ms: Mention[]): string[] => [...new Set(ms.map((m) => m.subject))];
  const resolve = (word: string, rel: number, object: boolean): void => {
    const clause = clauses.find((c) => rel >= c.start && rel < c.end)!;
    // A subject named in the pronoun's own clause (before an object pronoun) is already its referent.
    const limit = object ? rel : clause.end;
    if (direct.some((m) => m.start - unit.start >= clause.start && m.start - unit.start < limit)) return;
    const earlier = direct.filter((m) => m.end - unit.start <= clause.start);
    let subjects: string[] = [];
    if (earlier.length > 0) {
      const last = clauses.filter((c) => c.end <= clause.start && earlier.some((m) => m.start - unit.start >= c.start)).at(-1);
      subjects = uniq(earlier.filter((m) => last && m.start - unit.start >= last.start));
    } else if (!direct.some((m) => m.start - unit.start < rel)) {
      subjects = uniq(st.sentenceSubjects.get(unit.sentence.index - 1) ?? []);
    }
    const plural = /^(?:they|them|their)$/i.test(word);
    if (subjects.length === 0 || (!plural && subjects.length !== 1)) return;
    for (const subject of subjects) {
      out.push({ subject, start: unit.start + rel, end: unit.start + rel + word.length, text: word, via: 'anaphor' });
    }
  };
  for (const c of clauses) {
    if (c.start === 0) continue;
    const m = CLAUSE_SUBJECT.exec(unit.text.slice(c.start, c.end));
    if (m) resolve(m[1]!, c.start + m.index + m[0].length - m[1]!.length, false);
  }
  for (const m of unit.text.matchAll(OBJECT_PRONOUN)) {
    const at = m.index + m[0].length - m[1]!.length;
    if (!out.some((o) => o.start === unit.start + at)) resolve(m[1]!, at, true);
  }
  return out;
}

const FIRST_PERSON_ALL = new RegExp(FIRST_PERSON.source, 'g');

/** "We"/"our" in a subject's own words (its spokesperson, its press release) stand for the subject. */
function firstPersonMentions(unit: Unit, st: DocState): Mention[] {
  const out: Mention[] = [];
  let reports: Report[] | null = null;
  for (const m of unit.text.matchAll(FIRST_PERSON_ALL)) {
    reports ??= reportsOf(st, unit.text);
    const pos = unit.start + m.index;
    const quote = st.quotations.find((q) => pos >= q.innerStart && pos < q.innerEnd);
    const report = reports.filter((r) => r.end <= m.index && !r.postposed).at(-1);
    const who = quote?.speaker ?? report?.speaker ?? null;
    // Outside anyone's quoted words, "we" is the document's own voice: a subject only in its own release.
    const subject = who
      ? st.subjects.find((s) => who.toLowerCase().includes(s.name.toLowerCase()))
      : st.subjects.find((s) => st.actor !== null && st.actor.toLowerCase().startsWith(s.name.toLowerCase()));
    if (!subject) continue;
    out.push({ subject: subject.name, start: pos, end: pos + m[0].length, text: m[0], via: 'anaphor' });
  }
  return out;
}

/** Lists a unit names, with "the list"/"it" resolved to the list named last. */
function unitLists(unit: Unit, st: DocState): ListRef[] {
  const explicit = findListRefs(unit.text).map((r) => ({ ...r, start: r.start + unit.start, end: r.end + unit.start }));
  const out = [...explicit];
  for (const m of unit.text.matchAll(new RegExp(LIST_ANAPHOR.source, 'gi'))) {
    const start = unit.start + m.index;
    const end = start + m[0].length;
    if (explicit.some((r) => start < r.end + 2 && r.start < end + 2)) continue;
    const target = [...explicit].reverse().find((r) => r.start < start) ?? explicit[0] ?? st.listContext;
    if (!target) continue;
    out.push({ start, end, text: m[0], id: target.id, label: target.label, anaphoric: true });
  }
  if (out.length === 0 && st.listContext) {
    // "The notice also removed six entities": a removal points at the list under discussion.
    const rm = /\b(?:remov(?:e|es|ed|ing)|delist(?:s|ed|ing)?)\b/i.exec(unit.text);
    if (rm) {
      const start = unit.start + rm.index;
      const ctx = st.listContext;
      out.push({ start, end: start + rm[0].length, text: rm[0], id: ctx.id, label: ctx.label, anaphoric: true });
    }
  }
  if (out.length === 0 && st.listContext && unit.sentence.index - st.listContextSentence <= 2) {
    // "X was added the same day", "the department named it in its January update": a listing with
    // no list named continues the list of the sentences just before.
    const im = IMPLICIT_LISTING.exec(unit.text);
    if (im) {
      const verb = im[1] ?? im[2]!;
      const start = unit.start + im.index + im[0].length - verb.length;
      const ctx = st.listContext;
      out.push({ start, end: start + verb.length, text: verb, id: ctx.id, label: ctx.label, anaphoric: true });
    }
  }
  const specific = explicit.filter((r) => r.id !== 'us-any');
  const last = (specific.length > 0 ? specific : explicit).at(-1);
  if (last) {
    st.listContext = last;
    st.listContextSentence = unit.sentence.index;
  }
  return out.sort((a, b) => a.start - b.start);
}

function dist(unitText: string, unitStart: number, a: { start: number; end: number }, b: { start: number; end: number }): number {
  if (a.end <= b.start) return wordsBetween(unitText, a.end - unitStart, b.start - unitStart);
  if (b.end <= a.start) return wordsBetween(unitText, b.end - unitStart, a.start - unitStart);
  return 0;
}

/** Candidate claims in one unit: subject mentions paired with predicate cues in the same clause. */
function candidates(unit: Unit, mentions: Mention[], lists: ListRef[], st: DocState): Candidate[] {
  const rel = (x: { start: number; end: number }): { start: number; end: number } => ({ start: x.start - unit.start, end: x.end - unit.start });
  const pairBounds = boundaries(unit.text, true, mentions.map((m) => m.start - unit.start));
  const cues = cuesOf(st, unit.text).map((c) => ({ ...c, start: c.start + unit.start, end: c.end + unit.start }));
  const cveRefs = findCves(unit.text);
  const authorities = findAuthorities(unit.text);
  const out: Candidate[] = [];
  const near = (group: Mention[], x: { start: number; end: number }): { m: Mention; d: number } => {
    let best = { m: group[0]!, d: Infinity };
    for (const g of group) {
      const d = dist(unit.text, unit.start, g, x);
      if (d < best.d) best = { m: g, d };
    }
    return best;
  };
  for (const m of mentions) {
    const group = groupOf(mentions, m, unit);
    // Mentions inside a cue phrase ("Chinese military companies" in a list name) are not subjects.
    for (const cue of cues) {
      if (cue.start < m.end && m.start < cue.end) continue;
      const rm = rel(m);
      const rc = rel(cue);
      if (!sameClause(pairBounds, Math.min(rm.start, rc.start), Math.max(rm.end, rc.end) - 1)) continue;
      const { d } = near(group, cue);
      if (blocked(unit.text, rm.start, rc.start)) continue;
      if (cue.predicate === 'listed') {
        for (const list of lists) {
          const rl = rel(list);
          if (!sameClause(pairBounds, Math.min(rm.start, rl.start), Math.max(rm.end, rl.end) - 1)) continue;
          if (blocked(unit.text, rm.start, rl.start)) continue;
          const dl = near(group, list).d;
          const selfNaming = !cue.needsObject;
          if (selfNaming) {
            // Loose wording names its own list: pair only with the list it is part of.
            if (!(list.start <= cue.start && list.end >= cue.end) || d > MAX_LOOSE_DISTANCE) continue;
          } else {
            if (dl > MAX_DISTANCE) continue;
            const gStart = Math.min(...group.map((g) => g.start));
            const gEnd = Math.max(...group.map((g) => g.end));
            const head = chainHead(lists, list, st.text);
            const lo = Math.min(gStart, head.start);
            const hi = Math.max(gEnd, list.end);
            const isPrep = /^(?:on|onto|among|remains?\s+on|remained\s+on|stays?\s+on)$/i.test(cue.text);
            if (isPrep) {
              if (cue.end > head.start || wordsBetween(st.text, cue.end, head.start) > PREPOSITION_REACH) continue;
              if (cue.start < gStart && head.start > gStart) continue;
            } else if (!(cue.start >= lo - 60 && cue.end <= hi + 2)) {
              continue;
            } else if (cue.end <= lo && wordsBetween(st.text, cue.end, lo) > 6) {
              continue;
            }
            // The list name itself contains words like "list of": those are not the relation.
            if (cue.start >= list.start && cue.end <= list.end && !list.anaphoric && !/^(?:on|among)$/i.test(cue.text)) {
              if (!/^(?:designat|black|sanction|add)/i.test(cue.text)) continue;
            }
          }
          out.push({
            subject: m.subject,
            predicate: 'listed',
            object: list.id,
            mention: m,
            cue,
            distance: Math.min(d, dl) + (selfNaming ? 1 : 0),
            list,
            authority: null,
            notes: [],
          });
        }
        continue;
      }
      if (d > (cue.predicate === 'banned' ? MAX_DISTANCE : 20)) continue;
      if (cue.predicate === 'banned') {
        // "a list of prohibited investments" names a list; it bans nothing by itself.
        if (lists.some((l) => !l.anaphoric && cue.start >= l.start && cue.end <= l.end)) continue;
        const inClause = authorities.filter((a) => sameClause(pairBounds, Math.min(a.start, rc.start), Math.max(a.end, rc.end) - 1));
        const before = inClause.filter((a) => a.end <= rc.start);
        const after = inClause.filter((a) => a.start >= rc.end && wordsBetween(unit.text, rc.end, a.start) <= 8);
        // "can no longer receive new FCC authorisations": the authority sits inside the cue.
        const within = inClause.filter((a) => a.start >= rc.start && a.end <= rc.end);
        const pool = within.length > 0 ? within : before.length > 0 ? before : after;
        if (pool.length === 0) continue;
        const best = [...pool].sort((a, b) => b.rank - a.rank || Math.abs(a.start - rc.start) - Math.abs(b.start - rc.start))[0]!;
        // A bare "bar"/"block"/"exclude" needs a named authority; "ban" may come from unnamed countries.
        if (best.id === null && !/^ban/i.test(cue.text)) continue;
        out.push({ subject: m.subject, predicate: 'banned', object: best.id, mention: m, cue, distance: d, list: null, authority: best.text, notes: [] });
        continue;
      }
      let object: string | null = null;
      if (cue.predicate === 'vulnerable') {
        const cve = [...cveRefs].sort((a, b) => Math.abs(a.start - rc.start) - Math.abs(b.start - rc.start))[0];
        object = cve ? cve.text : null;
      }
      out.push({ subject: m.subject, predicate: cue.predicate, object, mention: m, cue, distance: d, list: null, authority: null, notes: [] });
    }
  }
  // One candidate per claim key: the closest cue wins.
  const best = new Map<string, Candidate>();
  for (const c of out) {
    const key = `${c.subject}|${c.predicate}|${c.object ?? ''}|${clauseStart(pairBounds, c.cue.start - unit.start)}`;
    const cur = best.get(key);
    if (!cur || c.distance < cur.distance || (c.distance === cur.distance && c.cue.negates && !cur.cue.negates)) best.set(key, c);
  }
  return [...best.values()];
}

interface Framing {
  modality: Modality;
  polarity: Polarity;
  speaker: string | null;
  notes: string[];
  /** Asserted or reported, before demand, hypothesis or question cues were applied. */
  factModality: 'asserted' | 'reported';
  factSpeaker: string | null;
}

/** Modality, polarity and speaker of a candidate, from cues in its clause up to the predicate cue. */
function frame(unit: Unit, c: Candidate, st: DocState): Framing {
  const notes: string[] = [];
  const modBounds = boundaries(unit.text, false, st.mentions.filter((m) => m.start >= unit.start && m.end <= unit.end).map((m) => m.start - unit.start));
  const cueStart = c.cue.start - unit.start;
  const cueEnd = c.cue.end - unit.start;
  const anchor = Math.min(c.mention.start - unit.start, cueStart);
  const from = clauseStart(modBounds, Math.max(0, anchor));
  const window = { start: from, end: Math.max(cueEnd, c.list && c.list.start < c.cue.start ? c.list.end - unit.start : cueEnd) };

  // Reported speech.
  let speaker: string | null = st.actor;
  let modality: Modality = 'asserted';
  let complementStart = from;
  let denialVerb = false;
  const reports = reportsOf(st, unit.text).filter((r) => acceptReport(unit.text, r));
  const quoted = st.quotations.find((q) => q.speaker && inside(c.cue.start, { start: q.innerStart, end: q.innerEnd }));
  const pre = reports.filter((r) => !r.postposed && r.end <= cueStart && (r.start >= from || /according/i.test(r.verb) || r.start < anchor));
  const post = reports.filter((r) => r.postposed && r.start >= cueEnd);
  const according = reports.filter((r) => /according/i.test(r.verb));
  if (quoted) {
    modality = 'reported';
    speaker = resolveSpeaker(quoted.speaker, unit, st);
    notes.push(`reported: inside a quotation attributed to ${speaker ?? 'an unnamed speaker'} (${quoted.cue ?? 'quoted'})`);
  } else if (unit.quotation?.speaker) {
    modality = 'reported';
    speaker = resolveSpeaker(unit.quotation.speaker, unit, st);
    notes.push(`reported: quoted words of ${speaker}`);
  } else if (pre.length > 0) {
    const r = pre.at(-1)!;
    modality = 'reported';
    // "the claims that ...": an unnamed source stays unnamed rather than borrowing a nearby name.
    speaker = r.nominal && r.speaker === null ? null : resolveSpeaker(r.speaker, unit, st);
    complementStart = Math.max(complementStart, r.end);
    denialVerb = DENIAL_VERB.test(r.verb);
    notes.push(`reported: '${r.verb}' introduces the statement (speaker: ${speaker ?? 'unnamed'})`);
  } else if (post.length > 0 || according.length > 0) {
    const r = (post[0] ?? according[0])!;
    modality = 'reported';
    speaker = resolveSpeaker(r.speaker, unit, st);
    notes.push(`reported: attributed with '${r.verb}' (speaker: ${speaker ?? 'unnamed'})`);
  }

  const factModality = modality as 'asserted' | 'reported';
  const factSpeaker = speaker;
  // Not a statement of fact: questioned > demanded > hypothetical.
  const mods = findModalityCues(unit.text).filter((m) => m.start >= window.start && m.end <= window.end);
  // A demand and a question: the outer one, said first, governs ("should consider whether X belongs").
  const firstOuter = mods.find((m) => m.modality === 'questioned' || m.modality === 'demanded');
  const hit = firstOuter ?? mods.find((m) => m.modality === 'hypothetical');
  if (hit) {
    modality = hit.modality;
    notes.push(`${hit.modality}: '${hit.text}' governs the statement`);
  }
  if (modality === 'demanded' && unit.quotation === null && !quoted && pre.length === 0) {
    // Whoever urges or asks is the one demanding: the noun phrase before the demand.
    const cue = mods.find((m) => m.modality === 'demanded')!;
    const np = cleanSpeaker(phraseBefore(unit.text, cue.start));
    speaker = np && /^[\p{Lu}]|^(?:lawmakers|officials|members|senators|critics|the\s)/iu.test(np) ? np : st.actor;
  }
  if (unit.text.trim().endsWith('?') && modality !== 'demanded') {
    modality = 'questioned';
    notes.push('questioned: the sentence is a question');
  }

  // Polarity: negators shortly before the cue, after any reporting verb; removal cues deny.
  const negFrom = Math.max(complementStart, from);
  const negs = findNegators(unit.text).filter((n) => n.start >= negFrom && n.end <= cueStart && wordsBetween(unit.text, n.end, cueStart) <= 8);
  let polarity: Polarity = 'affirmed';
  let flips = negs.length > 0 ? 1 : 0;
  if (c.cue.negates) flips++;
  if (denialVerb) flips++;
  if (flips % 2 === 1) polarity = 'denied';
  if (negs.length > 0) notes.push(`negated by '${negs.map((n) => n.text).join("', '")}'`);
  if (c.cue.negates) notes.push(`'${c.cue.text}' states a removal`);
  if (denialVerb) notes.push('the speaker denies what follows');
  return { modality, polarity, speaker, notes, factModality, factSpeaker };
}

// Verbs that are also ordinary verbs ("added Quectel to the list") report speech only when a
// complement, a comma or a quotation follows them.
function acceptReport(unit: string, r: Report): boolean {
  if (!/^(?:added|adds|found|finds|determined|reported|reports|announced|announces|noted|notes|states|state|say|concluded|concludes|ruled|accused|accuses)$/i.test(r.verb)) return true;
  if (r.postposed || r.nominal) return true;
  return /^\s*(?:that\b|,|:|“|"|‘)/.test(unit.slice(r.end));
}

// Compiling the pattern was most of knownActor's time; without the g flag test() keeps no state.
const wordPatterns = new Map<string, RegExp>();
const MAX_WORD_PATTERNS = 4096;

/** Whole-word, case-insensitive containment. */
function containsWords(hay: string, needle: string): boolean {
  let re = wordPatterns.get(needle);
  if (!re) {
    const esc = needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    re = new RegExp(`(?<![\\p{L}\\p{N}])${esc}(?![\\p{L}\\p{N}])`, 'iu');
    // Speakers come from the text, so the cache is bounded.
    if (wordPatterns.size >= MAX_WORD_PATTERNS) wordPatterns.clear();
    wordPatterns.set(needle, re);
  }
  return re.test(hay);
}

/** The registered actor a speaker phrase names ("an Altamesh spokesperson" -> Altamesh Communications). */
function knownActor(speaker: string, st: DocState): string | null {
  const memo = st.prepared.speakers;
  const hit = memo.get(speaker);
  if (hit !== undefined) return hit;
  const name = matchKnownActor(speaker, st.prepared.actorForms);
  if (memo.size >= MAX_WORD_PATTERNS) memo.clear();
  memo.set(speaker, name);
  return name;
}

function matchKnownActor(speaker: string, actorForms: readonly ActorForm[]): string | null {
  let best: { name: string; len: number } | null = null;
  for (const { name, form } of actorForms) {
    // The speaker names the actor, or is a shorter form of its name ("Tolliver").
    const hit = containsWords(speaker, form) || (speaker.length >= 4 && /^[\p{Lu}]/u.test(speaker) && containsWords(form, speaker));
    if (hit && (!best || form.length > best.len)) best = { name, len: form.length };
  }
  return best?.name ?? null;
}

function resolveSpeaker(speaker: string | null, unit: Unit, st: DocState): string | null {
  // "the laboratory", "the agency": a common noun standing for an actor named shortly before.
  const description = speaker !== null && /^[\p{Ll}\s-]+$/u.test(speaker) && speaker.split(/\s+/).length <= 3;
  if (speaker && !/^(?:he|she|they|it|we|i)$/i.test(speaker)) {
    const known = knownActor(speaker, st);
    if (known || !description) return known ?? speaker;
  }
  // A pronoun: the last known actor or capitalised name before this unit.
  const before = st.text.slice(Math.max(0, unit.start - 800), unit.start).toLowerCase();
  let best: { pos: number; name: string } | null = null;
  for (const { name, lower } of st.prepared.actorForms) {
    const i = before.lastIndexOf(lower);
    if (i >= 0 && (!best || i > best.pos)) best = { pos: i, name };
  }
  if (best) return best.name;
  if (description) return speaker;
  // Otherwise the grammatical subject of the closest earlier sentence that opens with a name.
  for (let i = unit.sentence.index - 1; i >= Math.max(0, unit.sentence.index - 3); i--) {
    const subj = /^(?:(?:In|On|At|After|Before|During|Meanwhile|However|Separately|Earlier)\b[^,]{0,60},\s*)?((?:[\p{Lu}][\p{L}\p{N}.’'&-]*\s+){1,4})(?:[\p{Ll}]+)/u.exec(st.sentences[i]!.text);
    if (subj && !/^(?:The|A|An|This|That|It|They|He|She)\s/.test(subj[1]!)) return subj[1]!.trim();
  }
  return speaker;
}

/**
 * Date the sentence gives to the fact: the date of a change ("added in January 2025"), else a
 * date a status is said to hold from or at ("on it since March 2021", "controlled by the state
 * since 2019"). A vulnerability is dated only by "since"/"as of": "reported in February" dates the
 * report, not the flaw.
 */
function eventDate(unit: Unit, c: Candidate, st: DocState): { value: string; note: string } | null {
  const rel = c.cue.start - unit.start;
  // Only a change in the claim's own clause dates it ("..., and agencies have been removing its drones").
  const clauseBounds = boundaries(unit.text, true);
  const changes =
    c.predicate === 'listed' || c.predicate === 'banned'
      ? cuesOf(st, unit.text).filter(
          (x) => x.change && x.predicate === c.predicate && !/^(?:black|sanction)/i.test(x.text) && sameClause(clauseBounds, Math.min(x.start, rel), Math.max(x.start, rel)),
        )
      : [];
  // "X told buyers in March 2024 that ...": a date before the reporting verb dates the telling.
  const told = reportsOf(st, unit.text)
    .filter((r) => acceptReport(unit.text, r) && !r.postposed && !r.nominal && r.end <= rel && !/^(?:according|per|via)/i.test(r.verb))
    .at(-1);
  const that = told ? /^[^,;]{0,60}?\bthat\b/i.exec(unit.text.slice(told.end)) : null;
  const floor = told ? told.end + (that ? that[0].length : 0) : 0;
  const datesNear = (anchor: number, status: boolean): DateMention[] => {
    const cuts = [0, ...[...unit.text.matchAll(new RegExp(EVENT_BOUNDARY.source, 'gi'))].map((m) => m.index), unit.text.length];
    let segStart = 0;
    let segEnd = unit.text.length;
    for (let i = 0; i + 1 < cuts.length; i++) {
      if (anchor >= cuts[i]! && anchor < cuts[i + 1]!) {
        segStart = cuts[i]!;
        segEnd = cuts[i + 1]!;
      }
    }
    segStart = Math.max(segStart, floor);
    const found = findDates(unit.text, st.published).filter((d) => d.start >= segStart && d.end <= segEnd);
    if (!status) return found;
    const lead = c.predicate === 'vulnerable' ? /\b(?:since|as\s+of)\s+(?:the\s+)?$/i : /\b(?:since|as\s+of|in|on|from|during|throughout)\s+(?:the\s+)?(?:(?:early|late|mid-?)\s*)?$/i;
    return found.filter((d) => lead.test(unit.text.slice(Math.max(0, d.start - 20), d.start)));
  };
  let anchor = rel;
  let kind = 'status';
  let dates: DateMention[] = [];
  if (changes.length > 0) {
    anchor = [...changes].sort((a, b) => Math.abs(a.start - rel) - Math.abs(b.start - rel))[0]!.start;
    kind = 'change';
    dates = datesNear(anchor, false);
  }
  if (dates.length === 0) {
    anchor = rel;
    kind = 'status';
    dates = datesNear(rel, true);
  }
  if (dates.length === 0) return null;
  const d = [...dates].sort((a, b) => Math.abs(a.start - anchor) - Math.abs(b.start - anchor))[0]!;
  return { value: d.value, note: `eventDate ${d.value} from '${d.text}' (${d.how}; dates the ${kind})` };
}

const BASE_SCORE: Record<Exclude<Predicate, 'other'>, number> = {
  listed: 0.8,
  banned: 0.7,
  vulnerable: 0.75,
  backdoor: 0.6,
  'data-access': 0.6,
  'state-control': 0.65,
};

interface ActorForm {
  /** Registered name reported for the actor. */
  name: string;
  /** One of its names, at least three characters long. */
  form: string;
  lower: string;
}

/** What extraction derives from the subjects and actors alone, kept while they stay the same. */
interface Prepared {
  gazetteer: ReturnType<typeof buildGazetteer>;
  actorForms: ActorForm[];
  /** knownActor(speaker) results: speakers repeat across the documents of a run. */
  speakers: Map<string, string | null>;
}

const byIdentity = new WeakMap<SubjectRef[], WeakMap<object, Prepared>>();
const byContent = new Map<string, Prepared>();
const NO_ACTORS: (string | KnownActor)[] = [];
const MAX_PREPARED = 8;

/**
 * The gazetteer and actor names for a set of subjects and actors, built once and reused by later
 * calls with the same arrays (a pipeline worker) or the same contents (callers that rebuild them).
 */
function prepare(options: ExtractOptions): Prepared {
  const actors = options.knownActors ?? NO_ACTORS;
  let forActors = byIdentity.get(options.subjects);
  const known = forActors?.get(actors);
  if (known) return known;
  const key = JSON.stringify([options.subjects, actors]);
  let p = byContent.get(key);
  if (!p) {
    const actorForms: ActorForm[] = [];
    for (const a of actors) {
      const actor = typeof a === 'string' ? { name: a } : a;
      for (const form of [actor.name, ...(actor.aliases ?? [])]) {
        if (form.trim().length < 3) continue;
        actorForms.push({ name: actor.name, form, lower: form.toLowerCase() });
      }
    }
    p = { gazetteer: buildGazetteer(options.subjects), actorForms, speakers: new Map() };
    if (byContent.size >= MAX_PREPARED) byContent.clear();
    byContent.set(key, p);
  }
  if (!forActors) {
    forActors = new WeakMap();
    byIdentity.set(options.subjects, forActors);
  }
  forActors.set(actors, p);
  return p;
}

/**
 * Extracts claims about the given subjects from a document's text. Pure and offline: sentences,
 * gazetteer linking, cue lexicons and clause-scoped rules. Every claim's quote is
 * `text.slice(start, end)`, and `why` names the rules that produced it.
 */
export function extractClaims(text: string, options: ExtractOptions): ExtractedClaim[] {
  const prepared = prepare(options);
  const sentences = splitSentences(text);
  const mentions = findMentions(text, prepared.gazetteer);
  const st: DocState = {
    text,
    sentences,
    mentions,
    quotations: findQuotations(text, sentences),
    published: readPublished(options.published ?? null),
    actor: options.actor ?? null,
    subjects: options.subjects,
    listContext: null,
    listContextSentence: -1,
    sentenceSubjects: new Map(),
    prepared,
    reports: new Map(),
    cues: new Map(),
  };
  const claims: ExtractedClaim[] = [];
  let lastFacts: { sentence: number; claims: ExtractedClaim[] } | null = null;
  for (const sentence of sentences) {
    const factualSubjects = new Set<string>();
    const seenInSentence: Mention[] = [];
    for (const unit of splitUnits(sentence, st.quotations, text)) {
      const { mentions: ms, resolved } = unitMentions(unit, st);
      seenInSentence.push(...ms);
      const lists = unitLists(unit, st);
      if (ms.length === 0) continue;
      for (const c of candidates(unit, ms, lists, st)) {
        const f = frame(unit, c, st);
        const date = f.modality === 'asserted' || f.modality === 'reported' ? eventDate(unit, c, st) : null;
        const why = [
          `${c.predicate}${c.object ? ` ${c.object}` : ''}: cue '${c.cue.text}'`,
          c.list ? `list '${c.list.text}' -> ${c.list.id}${c.list.anaphoric ? ` (refers back to ${c.list.label})` : ` (${c.list.label})`}` : null,
          c.authority ? `authority '${c.authority}' -> ${c.object ?? 'unnamed governments'}` : null,
          `subject '${c.mention.text}' -> ${c.subject} (${c.mention.via})`,
          ...f.notes,
          date?.note ?? null,
        ].filter((x): x is string => x !== null);
        let score = BASE_SCORE[c.predicate] - Math.min(0.3, c.distance * 0.01);
        if (resolved) score -= 0.15;
        if (c.list?.id === 'us-any' || c.list?.anaphoric) score -= 0.1;
        claims.push({
          subject: c.subject,
          predicate: c.predicate,
          object: c.object,
          polarity: f.polarity,
          modality: f.modality,
          speaker: f.speaker,
          eventDate: date?.value ?? null,
          quote: unit.text,
          start: unit.start,
          end: unit.end,
          why: why.join('; '),
          score: Math.round(Math.max(0.1, Math.min(0.99, score)) * 100) / 100,
        });
        factualSubjects.add(c.subject);
        const granted = f.modality === 'demanded' ? grantedAfter(unit.text, c.cue.end - unit.start) : null;
        if (granted) {
          // "X asked the FCC to ban Y, and the FCC granted the request": the demand was met.
          claims.push({
            ...claims.at(-1)!,
            modality: f.factModality,
            speaker: f.factSpeaker,
            why: `${why.join('; ')}; ${f.factModality}: '${granted}' says the demand was met`,
          });
        }
      }
    }
    const own = claims.filter((c) => c.start >= sentence.start && c.end <= sentence.end && c.predicate !== 'other');
    if (own.length === 0 && lastFacts && sentence.index - lastFacts.sentence <= 2) {
      claims.push(...ellipsis(sentence, mentions, lastFacts.claims));
    }
    const factual = claims.filter((c) => c.start >= sentence.start && c.end <= sentence.end && c.predicate !== 'other' && (c.modality === 'asserted' || c.modality === 'reported'));
    if (factual.length > 0) lastFacts = { sentence: sentence.index, claims: factual };
    st.sentenceSubjects.set(sentence.index, seenInSentence);
    // Other checkable facts about a subject (market share, numbers, ownership): kept for review.
    const direct = mentions.filter((m) => m.start >= sentence.start && m.end <= sentence.end);
    for (const subject of new Set(direct.map((m) => m.subject))) {
      if (factualSubjects.has(subject)) continue;
      const signals = findOtherSignals(sentence.text);
      if (signals.length === 0) continue;
      claims.push({
        subject,
        predicate: 'other',
        object: null,
        polarity: 'affirmed',
        modality: 'asserted',
        speaker: st.actor,
        eventDate: null,
        quote: sentence.text,
        start: sentence.start,
        end: sentence.end,
        why: `other: checkable fact (${signals.map((s) => s.label).join(', ')}); not verified, kept for review`,
        score: Math.min(0.95, 0.3 + 0.2 * signals.length),
      });
    }
  }
  return dedupe(claims);
}

// "..., and the FCC granted the request": a later clause saying a demand was met.
const GRANTED =
  /\b(?<!not\s|never\s)(?:granted|approved|accepted|fulfilled|honou?red|agreed\s+to|complied\s+with)\s+(?:the|that|this|their|its|his|her|a)\s+(?:request|demand|petition|call|appeal)s?\b|\b(?<!not\s|never\s)did\s+(?:just\s+)?so\b/i;

/** The words saying a demand was met, when a clause after the demand says so. */
function grantedAfter(unit: string, from: number): string | null {
  const m = GRANTED.exec(unit.slice(from));
  return m ? m[0] : null;
}

// Verb-phrase ellipsis: "Huawei is.", "Norvane is not.", "Hikvision too.", "Neither is Norvane."
const ELLIPSIS_TAIL =
  /^\s*(?:(?:is|are|was|were|has|have|had|does|do|did)(\s+not|n['’]t|\s+never)?(\s+(?:too|also|either|as\s+well))?|(,?\s*(?:too|also|as\s+well)))\s*[.!]*\s*$/i;
const ELLIPSIS_HEAD = /^\s*(?:(so|nor|neither)\s+(?:is|are|was|were|has|have|does|did)\s+)$/i;

/**
 * A short sentence that repeats the previous statement for another subject: the claims of the
 * last factual sentence are copied with the new subject, denied when the ellipsis is negated and
 * keeping their polarity for "too" and "so is".
 */
function ellipsis(sentence: Sentence, mentions: Mention[], previous: ExtractedClaim[]): ExtractedClaim[] {
  const ms = mentions.filter((m) => m.start >= sentence.start && m.end <= sentence.end);
  if (ms.length === 0) return [];
  const first = ms[0]!;
  const last = ms.at(-1)!;
  const between = sentence.text.slice(first.end - sentence.start, last.start - sentence.start);
  if (!/^(?:\s*(?:,|and|&)\s*)*$/.test(between)) return [];
  const head = sentence.text.slice(0, first.start - sentence.start).replace(/^(?:and|but|while|whereas)\s+/i, '');
  // Posts end with links, hashtags and handles that belong to no sentence.
  const tail = sentence.text.slice(last.end - sentence.start).replace(/(?:\s+(?:https?:\/\/\S+|[#@][\w-]+))+\s*$/u, '');
  let polarityOf: (p: Polarity) => Polarity;
  const t = /^(?:['’]s\s+\w+)?/.exec(tail)![0];
  const tm = ELLIPSIS_TAIL.exec(tail.slice(t.length));
  const hm = ELLIPSIS_HEAD.exec(head);
  if (head.trim() === '' && tm) {
    if (tm[1]) polarityOf = () => 'denied';
    else if (tm[2] || tm[3]) polarityOf = (p) => p;
    else polarityOf = () => 'affirmed';
  } else if (hm && tail.trim().replace(/[.!]/g, '') === '') {
    polarityOf = /^so$/i.test(hm[1]!) ? (p) => p : () => 'denied';
  } else {
    return [];
  }
  const out: ExtractedClaim[] = [];
  const seen = new Set<string>();
  for (const subject of new Set(ms.map((m) => m.subject))) {
    for (const p of previous) {
      const key = `${subject}|${p.predicate}|${p.object ?? ''}`;
      if (seen.has(key) || previous.some((x) => x.subject === subject && x.predicate === p.predicate && x.object === p.object)) continue;
      seen.add(key);
      out.push({
        ...p,
        subject,
        polarity: polarityOf(p.polarity),
        eventDate: null,
        quote: sentence.text,
        start: sentence.start,
        end: sentence.end,
        why: `ellipsis: '${sentence.text}' repeats '${p.quote.slice(0, 60)}' (${p.predicate}${p.object ? ` ${p.object}` : ''}) for ${subject}`,
        score: Math.max(0.1, Math.round((p.score - 0.15) * 100) / 100),
      });
    }
  }
  return out;
}

function dedupe(claims: ExtractedClaim[]): ExtractedClaim[] {
  const seen = new Set<string>();
  const out: ExtractedClaim[] = [];
  for (const c of claims) {
    const key = [c.subject, c.predicate, c.object, c.polarity, c.modality, c.quote].join('\u0000');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(c);
  }
  return out;
}
