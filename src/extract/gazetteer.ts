/** A subject as the caller registers it: name plus the other names text may use for it. */
export interface SubjectRef {
  name: string;
  aliases?: string[];
  /** Product names, module families and model numbers (a mention of one is a mention of the subject). */
  products?: string[];
  subsidiaries?: string[];
}

/** A place in the text where a subject is named or referred to. */
export interface Mention {
  subject: string;
  start: number;
  end: number;
  /** The words in the text. */
  text: string;
  /** Which kind of name matched, for `why`. */
  via: 'name' | 'alias' | 'product' | 'subsidiary' | 'abbreviation' | 'anaphor';
}

const LEGAL_FORMS =
  /(?:\s*,)?\s+(?:co\.?|company|corp\.?|corporation|inc\.?|incorporated|ltd\.?|limited|llc|plc|gmbh|ag|s\.?a\.?|n\.?v\.?|b\.?v\.?|holdings?|group|technolog(?:y|ies)|wireless(?:\s+solutions)?|solutions|international|communications|electronics)$/i;

// Names too generic to stand for a company on their own after legal forms are stripped.
const GENERIC = new Set([
  'china', 'chinese', 'us', 'u.s.', 'american', 'national', 'general', 'united', 'global', 'international', 'digital',
  'technology', 'technologies', 'communications', 'wireless', 'group', 'holdings', 'company', 'state', 'the',
]);

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Variants of a name that text commonly uses: without legal forms or generic trailing words. */
export function nameVariants(name: string): string[] {
  const out = new Set<string>([name.trim()]);
  let cur = name.trim();
  for (let i = 0; i < 4; i++) {
    const next = cur.replace(LEGAL_FORMS, '').trim();
    if (next === cur || next.length < 3) break;
    if (!GENERIC.has(next.toLowerCase())) out.add(next);
    cur = next;
  }
  return [...out];
}

/** A pattern matching a name with flexible spacing, hyphens and apostrophes, as a whole word. */
function namePattern(form: string): RegExp {
  const body = form
    .trim()
    .split(/\s+/)
    .map((w) => escape(w).replace(/['’]/g, "['’]").replace(/\\-/g, '[-\\s]?'))
    .join('[\\s\\u00a0]+');
  // Short all-capital acronyms (ZTE, DJI) match case-sensitively so they do not hit ordinary words.
  const caseSensitive = /^[\p{Lu}\p{N}&.-]{2,6}$/u.test(form.trim());
  return new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, caseSensitive ? 'gu' : 'giu');
}

interface Form {
  subject: string;
  form: string;
  via: Mention['via'];
  re: RegExp;
}

/** Builds the gazetteer of a set of subjects. */
export function buildGazetteer(subjects: SubjectRef[]): Form[] {
  const forms: Form[] = [];
  const seen = new Set<string>();
  const add = (subject: string, form: string, via: Mention['via']): void => {
    const key = `${subject}\u0000${form.toLowerCase()}`;
    if (form.trim().length < 2 || seen.has(key)) return;
    seen.add(key);
    forms.push({ subject, form, via, re: namePattern(form) });
  };
  for (const s of subjects) {
    for (const v of nameVariants(s.name)) add(s.name, v, 'name');
    for (const a of s.aliases ?? []) for (const v of nameVariants(a)) add(s.name, v, 'alias');
    for (const p of s.products ?? []) add(s.name, p, 'product');
    for (const sub of s.subsidiaries ?? []) for (const v of nameVariants(sub)) add(s.name, v, 'subsidiary');
  }
  // Longer forms first, so "Telit Cinterion" wins over "Cinterion".
  return forms.sort((a, b) => b.form.length - a.form.length);
}

/**
 * Finds subject mentions in text. Overlapping matches keep the longest; an acronym in brackets
 * right after a mention ("Changxin Memory Technologies (CXMT)") becomes a name for the rest of the text.
 */
export function findMentions(text: string, gazetteer: Form[]): Mention[] {
  const taken: Mention[] = [];
  const overlaps = (s: number, e: number): boolean => taken.some((m) => s < m.end && m.start < e);
  const extra: Form[] = [];
  for (const f of gazetteer) {
    for (const m of text.matchAll(f.re)) {
      const start = m.index;
      const end = start + m[0].length;
      if (overlaps(start, end)) continue;
      taken.push({ subject: f.subject, start, end, text: m[0], via: f.via });
      const abbr = /^\s*\((?:[‘'"“])?([\p{Lu}][\p{Lu}\p{N}&-]{1,7})(?:[’'"”])?\)/u.exec(text.slice(end));
      if (abbr && !extra.some((x) => x.form === abbr[1])) {
        extra.push({ subject: f.subject, form: abbr[1]!, via: 'abbreviation', re: namePattern(abbr[1]!) });
      }
    }
  }
  for (const f of extra) {
    for (const m of text.matchAll(f.re)) {
      if (overlaps(m.index, m.index + m[0].length)) continue;
      taken.push({ subject: f.subject, start: m.index, end: m.index + m[0].length, text: m[0], via: f.via });
    }
  }
  return taken.sort((a, b) => a.start - b.start);
}

/** Phrases that refer back to one subject named earlier. */
export const SINGLE_ANAPHOR =
  /\b(?:the|this)\s+(?:company|firm|vendor|group|(?:Chinese\s+|Chinese-based\s+|Chinese\s+state-owned\s+)?(?:[\w-]+\s+)?(?:maker|manufacturer|supplier|giant|provider))\b/gi;
/** Phrases that refer back to two or more subjects. */
export const PLURAL_ANAPHOR =
  /\b(?:both|the\s+two|these\s+two|the\s+(?:three|four|five))\s+(?:companies|firms|vendors|manufacturers|makers|suppliers)\b|\bboth\s+(?:of\s+them)\b|\b(?:neither|either|each)\s+(?:company|firm|vendor|manufacturer|maker|supplier|of\s+them|of\s+the\s+(?:two|companies|firms))\b/gi;
/** Pronouns as the subject of a clause: sentence-initial, or after an opening phrase. */
export const PRONOUN_SUBJECT = /^(?:[^,;]{0,40},\s*)?(?:it|they)\b(?!\s+(?:is|was)\s+(?:not\s+)?(?:a|an|the)\b)/i;
/** First-person words, for press releases and spokespeople speaking for a subject. */
export const FIRST_PERSON = /\b(?:[Ww]e|[Oo]ur|us)\b/g;
