import { NOMINAL_REPORT, REBUTTAL_VERB, REPORTING_VERB } from './lexicon.js';
import type { Quotation, Sentence } from './text.js';

const PRONOUNS = /^(?:he|she|they|it|we|i|the\s+company|the\s+firm|the\s+spokes(?:person|man|woman))$/i;
const NP_STOP = new Set([
  'that', 'which', 'who', 'whom', 'and', 'but', 'after', 'when', 'because', 'while', 'as', 'if', 'than',
  'to', 'in', 'on', 'at', 'of', 'by', 'from', 'with', 'also', 'previously', 'falsely', 'wrongly', 'repeatedly',
  'has', 'have', 'had', 'is', 'was', 'were', 'are', 'been', 'it', 'they', 'he', 'she', 'then',
]);
const ADVERBS = new Set([
  'falsely', 'wrongly', 'also', 'previously', 'repeatedly', 'further', 'recently', 'publicly', 'again', 'then', 'later',
  'earlier', 'has', 'have', 'had', 'is', 'are', 'was', 'were', 'been', 'be',
]);
const LEADING_DROP = /^(?:the|a|an|in|on|at|by|according|to)\s+/i;
const TRAILING_ADVERBS = /\s+(?:falsely|wrongly|also|previously|further|recently|repeatedly|publicly|again|had|has|have)$/i;

/** Cleans a noun phrase naming a speaker: drops articles and adverbs, keeps "X spokesperson". */
export function cleanSpeaker(np: string): string | null {
  // Drop a dateline ("WASHINGTON (Reuters) – ") in front of the speaker.
  let s = np.replace(/^.*?\s[–—-]\s+/u, '').replace(/[“”"‘’,]+/g, ' ').replace(/\s+/g, ' ').trim();
  for (let i = 0; i < 3; i++) s = s.replace(LEADING_DROP, '').replace(TRAILING_ADVERBS, '');
  const spokes = /\bspokes(?:person|man|woman)\s+(?:for|of)\s+(?:the\s+)?([\p{Lu}][\p{L}\p{N}.&'’ -]*)/u.exec(s);
  if (spokes) return `${spokes[1]!.trim()} spokesperson`;
  s = trimSpeakerModifiers(s);
  s = s.replace(/\s+(?:document|documents|presentation|slide deck|letter|report|statement|complaint|notice)$/i, '');
  if (s.length === 0 || s.length > 90) return null;
  return s;
}

const DOC_NOUN = String.raw`(?:notice|letter|report|statement|filing|complaint|document|memo|brief|order|ruling|release|rule)`;
const DATE_LEAD = new RegExp(
  String.raw`^(?:(?:\d{1,2}\s+)?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?(?:\s+\d{1,2}(?:st|nd|rd|th)?)?,?(?:\s+\d{4})?|(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?:['’]s)?|(?:yesterday|today)(?:['’]s)?)\s+`,
  'i',
);

/**
 * Keeps the head of a speaker noun phrase: drops a leading date ("7 January Federal Register
 * notice") and a participle or relative modifier after the head ("notice explaining ...", "a
 * notice published Monday in the Federal Register" -> "Federal Register notice").
 */
function trimSpeakerModifiers(np: string): string {
  let s = np.replace(DATE_LEAD, '');
  const participle = new RegExp(String.raw`^(.*?\b${DOC_NOUN})\s+(?:published|issued|released|posted|filed|dated|signed|sent|seen|obtained)\b(.*)$`, 'i').exec(s);
  if (participle) {
    const source = /\b(?:in|by|from)\s+(?:the\s+)?((?:[\p{Lu}][\p{L}\p{N}.&'’-]*\s*)+)$/u.exec(participle[2]!.trim());
    const head = participle[1]!.replace(/^(?:a|an|the)\s+/i, '');
    s = source ? `${source[1]!.trim()} ${head.split(/\s+/).at(-1)}` : head;
  }
  // "notice explaining the list is updated", "researchers studying the modules": head only.
  const ing = /^((?:[\p{L}\p{N}.&'’-]+\s+){0,5}?[\p{L}\p{N}.&'’-]+)\s+(?:[\p{Ll}]+ing|who|which|that)\s+\S.*$/u.exec(s);
  if (ing) s = ing[1]!;
  return s.trim();
}

/** The noun phrase just before `pos` in `text` (walking back over words until a clause mark). */
export function phraseBefore(text: string, pos: number): string {
  const before = text.slice(0, pos);
  const words = before.split(/(\s+)/);
  const kept: string[] = [];
  for (let i = words.length - 1; i >= 0; i--) {
    const w = words[i]!;
    if (/^\s+$/.test(w) || w === '') {
      kept.unshift(w);
      continue;
    }
    const bare = w.replace(/[“”"‘’(),.]+$/g, '');
    if (/[,;:“”"(]$/.test(w) || /[”"]$/.test(w)) break;
    // Adverbs right before the verb ("falsely asserts") belong to the verb, not the speaker.
    if (!kept.some((k) => k.trim()) && ADVERBS.has(bare.toLowerCase())) continue;
    if (NP_STOP.has(bare.toLowerCase())) break;
    kept.unshift(w);
    if (kept.filter((k) => k.trim()).length >= 10) break;
  }
  return kept.join('').trim();
}

/** The noun phrase just after `pos` (for "said the U.S. agency", "according to a notice ..."). */
export function phraseAfter(text: string, pos: number): string {
  // Titles and initials keep their dots: "according to Dr. Jane Roe".
  const m = /^\s*((?:[^,;:.“”"]|(?<=\b(?:Dr|Mr|Mrs|Ms|Prof|Sen|Rep|Gen|St|Jr|Sr|Inc|Co|Ltd|Corp|[A-Z]))\.)+?)(?=\s*(?:[,;:“”"]|(?<!\b(?:Dr|Mr|Mrs|Ms|Prof|Sen|Rep|Gen|St|Jr|Sr|Inc|Co|Ltd|Corp|[A-Z]))\.(?:\s|$)|$|\s+(?:that|which|who|on\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))\b))/.exec(
    text.slice(pos),
  );
  return m ? m[1]!.trim() : '';
}

/** Finds quotations (curly or straight double quotes, long single-quoted utterances) and their speakers. */
export function findQuotations(text: string, sentences: Sentence[]): Quotation[] {
  const out: Quotation[] = [];
  const pairs: [number, number][] = [];
  // Pages mix curly and straight marks: an opening “ may close with a straight ".
  for (const m of text.matchAll(/“[^“”"]*[”"]|"[^"\n]*"|‘[^‘\n]{20,}?’(?![\p{L}])/gu)) {
    pairs.push([m.index, m.index + m[0].length]);
  }
  const paragraphOf = (pos: number): number => sentences.find((s) => pos >= s.start && pos < s.end + 2)?.paragraph ?? -1;
  let lastSpeaker: { speaker: string; paragraph: number; cue: string } | null = null;
  for (const [start, end] of pairs) {
    const after = text.slice(end, end + 160).split('\n')[0]!;
    const lineStart = text.lastIndexOf('\n', start) + 1;
    const before = text.slice(Math.max(lineStart, start - 160), start);
    let speaker: string | null = null;
    let cue: string | null = null;
    // Post-posed: ”, said Norbert Smith, ...  /  ” Friedman wrote.  /  ” he warned.
    let m = /^\s*,?\s*(said|says|added|adds|wrote|writes|warned|told|stated|explained|noted|according\s+to)\s+([^,.;“”"]{1,80})/i.exec(after);
    if (m && !/^(?:in|on|at|that)\b/i.test(m[2]!)) {
      speaker = cleanSpeaker(m[2]!);
      cue = m[1]!;
    } else {
      m = /^\s*,?\s*([\p{Lu}][^,.;“”"]{0,60}?|he|she|they|it|we)\s+(said|says|added|adds|wrote|writes|warned|warns|told|stated|explained|noted)\b/u.exec(after);
      if (m) {
        speaker = cleanSpeaker(m[1]!);
        cue = m[2]!;
      }
    }
    if (!speaker) {
      // Pre-posed: X said, “...”  /  writing, “...”  /  X wrote: “...”
      const pre = /([^.;“”"]{0,120}?)\b(said|says|wrote|writes|writing|added|stated|states|told\s+\w+|warned|saying|declared|explained)\s*(?:that\s*)?[,:]?\s*$/i.exec(before);
      if (pre) {
        cue = pre[2]!;
        speaker = cleanSpeaker(phraseBefore(pre[1]!, pre[1]!.length)) ?? null;
      }
    }
    const paragraph = paragraphOf(start);
    if (speaker && PRONOUNS.test(speaker) && lastSpeaker && lastSpeaker.paragraph >= paragraph - 2) speaker = lastSpeaker.speaker;
    if (!speaker && lastSpeaker && lastSpeaker.paragraph === paragraph && end - start > 40) {
      // A second quotation in the same paragraph continues the last speaker's words.
      speaker = lastSpeaker.speaker;
      cue = lastSpeaker.cue;
    }
    if (speaker && cue) lastSpeaker = { speaker, paragraph, cue };
    out.push({ start, end, text: text.slice(start, end), innerStart: start + 1, innerEnd: end - 1, speaker, cue });
  }
  return out;
}

/** A reporting verb in a unit of text, with the speaker it names. */
export interface Report {
  start: number;
  end: number;
  verb: string;
  speaker: string | null;
  /** True when the verb comes after what it reports (", researchers warned."). */
  postposed: boolean;
  /** True for a noun that reports ("the claims that ..."), which needs no complement check. */
  nominal?: boolean;
}

/**
 * Nouns that relay someone else's statement: "the claims that X", "reports by Y that X". The
 * speaker is whoever the noun names ("by Y"), else unnamed; a rebuttal verb in front ("rejected the
 * claims that") makes the rebutter the speaker, denying what follows.
 */
function nominalReports(unit: string): Report[] {
  const out: Report[] = [];
  for (const m of unit.matchAll(new RegExp(NOMINAL_REPORT.source, 'gi'))) {
    const start = m.index;
    const end = start + m[0].length;
    const by = m[1] ? cleanSpeaker(m[1]) : null;
    const before = unit.slice(0, start);
    const rebut = new RegExp(String.raw`\b(${REBUTTAL_VERB.source})\s+(?:(?:the|these|those|such|all|any|earlier|recent|false|repeated)\s+){0,3}$`, 'i').exec(before);
    if (rebut) {
      const speaker = cleanSpeaker(phraseBefore(unit, rebut.index));
      out.push({ start: rebut.index, end, verb: rebut[1]!, speaker: speaker === '' ? null : speaker, postposed: false, nominal: true });
      continue;
    }
    out.push({ start, end, verb: m[0].split(/\s+/)[0]!, speaker: by, postposed: false, nominal: true });
  }
  return out;
}

/** Reporting verbs in a unit and the noun phrase that is their speaker. */
export function findReports(unit: string): Report[] {
  const out: Report[] = nominalReports(unit);
  // ", per IoT Ledger." at the end of a post or headline names its source.
  const per = /,?\s+\b(per|via)\s+([\p{Lu}@][^,;.!?]{0,60}?)[.!?]?(?:\s+(?:https?:\/\/\S+|[#@][\w-]+))*\s*$/u.exec(unit);
  if (per) out.push({ start: per.index, end: per.index + per[0].length, verb: per[1]!, speaker: cleanSpeaker(per[2]!), postposed: true });
  const nominal = [...out];
  for (const m of unit.matchAll(new RegExp(REPORTING_VERB.source, 'gi'))) {
    const verb = m[0];
    const start = m.index;
    const end = start + verb.length;
    if (nominal.some((n) => start >= n.start && start < n.end)) continue;
    // "United States", "Notes": a capitalised word inside a sentence is a name, not a verb.
    if (/^\p{Lu}/u.test(verb) && start > 0 && !/^according/i.test(verb)) continue;
    const rest = unit.slice(end);
    if (/^according\s+to$/i.test(verb.replace(/\s+/g, ' '))) {
      out.push({ start, end, verb, speaker: cleanSpeaker(phraseAfter(unit, end)), postposed: false });
      continue;
    }
    // Postposed attribution at the end of the unit: ", researchers warned." / ", said the agency."
    const before = unit.slice(0, start);
    const npThenVerb = /[,”"]\s*((?:[\p{L}\p{N}.'’&-]+\s+){1,6}?)$/u.exec(before);
    // ", an agency spokesperson confirmed on Friday.": a time after the verb still ends the unit.
    const restBare = rest.replace(/^\s+(?:on|in|last|this|late|early|earlier)\s+[\p{L}\p{N} ,]{1,30}?(?=[\s.!?”"’]*$)|^\s+(?:yesterday|today|on\s+\w+)/u, '');
    if (npThenVerb && /^[\s.!?”"’]*$/.test(restBare) && !/\b(?:among|that|which|who|it|are|is|to|of)\s*$/i.test(npThenVerb[1]!)) {
      out.push({ start, end, verb, speaker: cleanSpeaker(npThenVerb[1]!), postposed: true });
      continue;
    }
    if (/[,”"]\s*$/.test(before) && /^(?:said|says|added|wrote|warned|stated|told|noted|explained)$/i.test(verb)) {
      const np = /^\s+([^,;“”"]{1,80}?)[.!?”"’]*\s*$/.exec(rest);
      if (np) {
        out.push({ start, end, verb, speaker: cleanSpeaker(np[1]!), postposed: true });
        continue;
      }
    }
    // "wrote to the FCC" addresses someone; it does not report a statement.
    if (/^\s+to\b/i.test(rest) && /^(?:wrote|writes|writing|said|says)$/i.test(verb)) continue;
    let np = phraseBefore(unit, start);
    if (np === '' && /\band\s*$/i.test(before)) {
      // "DJI called the decision unlawful and stated that ...": the subject of the first verb.
      const subj = /^(?:(?:In|On|At|After|Before|During|Meanwhile|However|Separately|Earlier)\b[^,]{0,60},\s*)?((?:[\p{Lu}][\p{L}\p{N}.’'&-]*\s+){1,5})/u.exec(unit);
      if (subj) np = subj[1]!.trim();
    }
    out.push({ start, end, verb, speaker: cleanSpeaker(np), postposed: false });
  }
  return out.sort((a, b) => a.start - b.start);
}
