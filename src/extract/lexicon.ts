import type { ListId, Modality, Predicate } from '../domain/claim.js';

/** A cue found in text: where, what it says, and the words that fired it. */
export interface Cue {
  start: number;
  end: number;
  text: string;
}

/** The global copy of each pattern, made once: building a RegExp per call was most of find's cost. */
const globalCopies = new WeakMap<RegExp, RegExp>();

/**
 * A test that is false only when none of `patterns` matches anywhere in a text: one alternation
 * per set of flags. Most sentences name no list, and one pass over them is much cheaper than one
 * per pattern. Callers skip their patterns when it is false.
 */
function anyOf(patterns: readonly RegExp[]): (text: string) => boolean {
  const byFlags = new Map<string, string[]>();
  for (const re of patterns) {
    const flags = re.flags.replace(/[gy]/g, '');
    byFlags.set(flags, [...(byFlags.get(flags) ?? []), `(?:${re.source})`]);
  }
  const tests = [...byFlags].map(([flags, sources]) => new RegExp(sources.join('|'), flags));
  return (text) => tests.some((t) => t.test(text));
}

function find(re: RegExp, text: string): Cue[] {
  let g = globalCopies.get(re);
  if (!g) {
    g = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
    globalCopies.set(re, g);
  }
  const out: Cue[] = [];
  const unicode = g.unicode || g.flags.includes('v');
  g.lastIndex = 0;
  for (let m = g.exec(text); m !== null; m = g.exec(text)) {
    if (m[0].length === 0) {
      // Step past an empty match as matchAll does (by a whole code point in unicode mode).
      const cp = unicode ? text.codePointAt(g.lastIndex) : undefined;
      g.lastIndex += cp !== undefined && cp > 0xffff ? 2 : 1;
      continue;
    }
    out.push({ start: m.index, end: m.index + m[0].length, text: m[0] });
  }
  return out;
}

// Apostrophes and quote marks as they appear in real pages.
const APOS = `['’]`;
const Q = `['‘’"“”]?`;

// ---------------------------------------------------------------------------------------------
// Official lists. Specific lists first; loose wording ("blacklist", "sanctioned", "banned list")
// falls back to us-any, which the verifier checks against every US list it holds.

interface ListPattern {
  id: ListId;
  re: RegExp;
  label: string;
}

// A state, its ruling party or its military, as text names them.
const STATE = String.raw`(?:Chinese|PRC|CCP|Communist|state|government|military|People['’]s Liberation Army|PLA|Beijing|Kremlin|Moscow|Russian|Iranian|Tehran|Pyongyang)\b`;

const GOV = String.raw`(?:U\.S\.|US|American|United States|federal|government|U\.S\. government|US government)`;

const LIST_PATTERNS: ListPattern[] = [
  { id: 'fcc-covered-list', re: /\bcovered list\b/i, label: 'FCC Covered List' },
  { id: 'fcc-covered-list', re: new RegExp(String.raw`\bFCC${APOS}?s?\s+(?:black)?list\b`), label: "FCC's list" },
  { id: 'us-1260h', re: /\b1260H\b/i, label: 'Section 1260H list' },
  {
    id: 'us-1260h',
    re: new RegExp(String.raw`\b(?:list|designation)s?\s+(?:of\s+)?${Q}(?:the\s+)?Chinese military[- ]compan(?:y|ies)`, 'i'),
    label: 'list of Chinese military companies',
  },
  { id: 'us-1260h', re: new RegExp(String.raw`Chinese military[- ]compan(?:y|ies)${Q}\s+list`, 'i'), label: 'Chinese military company list' },
  {
    id: 'us-1260h',
    re: new RegExp(
      String.raw`\b(?:designat\w*|black-?list\w*|list(?:ed|ing)?|nam(?:e|ed|ing)|identif\w*|add(?:ed|ing)?|plac\w*)\s+(?:[\w’'-]+\s+){0,6}?as\s+(?:a\s+|an\s+)?${Q}Chinese military[- ]compan(?:y|ies)`,
      'i',
    ),
    label: 'designated a Chinese military company',
  },
  {
    id: 'us-1260h',
    re: new RegExp(
      String.raw`\b(?:Pentagon|Defen[cs]e Department|Department of Defen[cs]e|DoD|DOD)(?:${APOS}s)?\s+(?:[\w‘’'"“”-]+\s+){0,3}(?:black)?list`,
      'i',
    ),
    label: "Pentagon's list",
  },
  {
    id: 'us-1260h',
    re: /\b(?:list|blacklist|designation)\s+of\s+(?:[\w-]+\s+){0,3}(?:compan(?:y|ies)|firms|entities)\s+(?:(?:it|that|which|the \w+)\s+)?(?:says?\s+|said\s+|believes?\s+)?(?:are|is|were|as)?\s*(?:linked|tied|collaborating|working|affiliated|connected|associated)\s+(?:with|to)\s+(?:[\w’']+\s+){0,2}(?:military|army|PLA)/i,
    label: 'list of companies linked to the Chinese military',
  },
  {
    id: 'us-1260h',
    re: /\b(?:among|as)\s+(?:[\w-]+\s+){0,2}(?:compan(?:y|ies)|firms|entities)\s+(?:(?:it|that|which)\s+)?(?:says?\s+|said\s+|believes?\s+)?(?:are|is|were)\s+(?:linked|tied|collaborating|working|affiliated|connected)\s+(?:with|to)\s+(?:[\w’']+\s+){0,2}military/i,
    label: 'designation as a company linked to the Chinese military',
  },
  { id: 'us-entity-list', re: /\bentity list\b/i, label: 'Entity List' },
  {
    id: 'us-entity-list',
    re: new RegExp(
      String.raw`\b(?:Commerce Department|Department of Commerce|Commerce|BIS)(?:${APOS}s)?\s+(?:[\w-]+\s+){0,2}(?:black)?list`,
      'i',
    ),
    label: "Commerce Department's list",
  },
  { id: 'us-entity-list', re: /\b(?:export[- ]control|trade|export)\s+(?:black)?list\b/i, label: 'export blacklist' },
  { id: 'ofac-ns-cmic', re: /\bNS-?CMIC\b|\bmilitary[- ]industrial complex compan/i, label: 'NS-CMIC list' },
  {
    id: 'ofac-ns-cmic',
    re: /\b(?:Treasury|OFAC)(?:['’]s)?\s+(?:Department\s+)?(?:[\w-]+\s+){0,2}list\s+of\s+(?:[\w-]+\s+){0,2}investments?\b/i,
    label: 'Treasury investment ban list',
  },
  {
    id: 'ofac-ns-cmic',
    re: /\binvestment\s+(?:ban|restriction|black)\s*list\b|\binvestment\s+blacklist\b/i,
    label: 'investment ban list',
  },
  { id: 'ofac-sdn', re: /\bSDN\s+list\b|\bSpecially Designated Nationals\b/i, label: 'SDN list' },
  // "the Treasury's sanctions lists": OFAC's sanctions, which the SDN list stands for.
  {
    id: 'ofac-sdn',
    re: new RegExp(String.raw`\b(?:Treasury|OFAC)(?:${APOS}s)?\s+(?:Department(?:${APOS}s)?\s+)?(?:[\w-]+\s+){0,2}?sanctions?\s+lists?\b`, 'i'),
    label: "Treasury's sanctions list",
  },
  { id: 'uflpa', re: /\bUFLPA\b|\bforced[- ]labou?r\s+(?:entity\s+)?list\b/i, label: 'UFLPA Entity List' },
  { id: 'ndaa-889', re: /\bSection 889\b/i, label: 'NDAA section 889' },
  {
    id: 'us-any',
    re: new RegExp(
      String.raw`\b${GOV}(?:\s+(?:government|agency|trade|sanctions?|banned|restriction|restricted|entity|national[- ]security))*\s+(?:black)?list\b`,
      'i',
    ),
    label: 'a US government list',
  },
  { id: 'us-any', re: /\b(?:ban|banned)[- ]list\b/i, label: 'banned list (loose wording)' },
  { id: 'us-any', re: /\bblack-?list(?:ed|ing|s)?\b/i, label: 'blacklist (loose wording)' },
  { id: 'us-any', re: /\bsanction(?:s|ed|ing)?\s+list\b/i, label: 'sanctions list (loose wording)' },
  { id: 'us-any', re: /\b(?:sanctioned|sanctioning)\b/i, label: 'sanctioned (loose wording)' },
];
const mayNameList = anyOf(LIST_PATTERNS.map((p) => p.re));

/** A mention of an official list in text. */
export interface ListRef extends Cue {
  id: ListId;
  label: string;
  /** True for "the list", "it" and the like, resolved from earlier sentences. */
  anaphoric: boolean;
}

/** Lists named in a piece of text; us-any is dropped where a specific list covers the same words. */
export function findListRefs(text: string): ListRef[] {
  if (!mayNameList(text)) return [];
  const specific: ListRef[] = [];
  const loose: ListRef[] = [];
  for (const p of LIST_PATTERNS) {
    for (const c of find(p.re, text)) {
      const ref = { ...c, id: p.id, label: p.label, anaphoric: false };
      (p.id === 'us-any' ? loose : specific).push(ref);
    }
  }
  const overlaps = (a: Cue, b: Cue): boolean => a.start < b.end + 3 && b.start < a.end + 3;
  // A loose word next to a specific list ("the Pentagon's blacklist") names that list.
  const kept = loose.filter((l) => !specific.some((s) => overlaps(s, l)));
  const all = [...specific, ...kept].sort((a, b) => a.start - b.start);
  // Several patterns can fire on one phrase: keep one ref per id and stretch of words.
  const out: ListRef[] = [];
  for (const r of all) {
    const dup = out.find((o) => o.id === r.id && overlaps(o, r));
    if (dup) {
      dup.start = Math.min(dup.start, r.start);
      dup.end = Math.max(dup.end, r.end);
      continue;
    }
    out.push({ ...r });
  }
  return out;
}

/**
 * Words that point back to a list named earlier: "the list", "the updated list", "it" after a
 * preposition. The span of "on it" is the pronoun alone, so "on" stays free to relate a subject to it.
 */
export const LIST_ANAPHOR = /\b(?:the|this|that|its|their|same|updated)\s+(?:(?:updated|same|new|latest|revised|annual|growing)\s+)?list\b|(?<=\b(?:to|on|onto|from|in)\s+)it\b/gi;

// ---------------------------------------------------------------------------------------------
// Predicate cues.

/** A predicate cue with how it bears on the claim. */
export interface PredicateCue extends Cue {
  predicate: Exclude<Predicate, 'other'>;
  /** The cue itself denies (removed from a list). */
  negates: boolean;
  /** The cue marks a change of status, which a date in the sentence can date. */
  change: boolean;
  /** The cue needs a named list (listed) or an authority (banned) beside it. */
  needsObject: boolean;
}

interface CueDef {
  predicate: Exclude<Predicate, 'other'>;
  re: RegExp;
  negates?: boolean;
  change?: boolean;
  needsObject?: boolean;
}

const CUE_DEFS: CueDef[] = [
  // listed: a relation word between a subject and a list.
  {
    predicate: 'listed',
    re: /\b(?:add(?:s|ed|ing)?|addition(?:s)?|plac(?:e|es|ed|ing)|put(?:s|ting)?|designat(?:e|es|ed|ing)|includ(?:e|es|ed)|inclusion|contain(?:s|ed)?|(?<!(?:previously|formerly)\s)list(?:s|ed|ing)|(?<=\b(?:to|should|must|will|would|could|may|might|shall|not)\s+)list|nam(?:e|es|ed|ing)|enter(?:s|ed)?)\b/i,
    change: true,
    needsObject: true,
  },
  { predicate: 'listed', re: /\b(?:on|onto|remains?\s+on|remained\s+on|stays?\s+on|among)\b/i, needsObject: true },
  // "meets the criteria for the Covered List", "consider Norvane for the list".
  {
    predicate: 'listed',
    re: /\b(?:criteria|requirements?|test|threshold)\s+for\b|(?<=\bconsider(?:s|ed|ing)?\s+(?:[\w’'-]+\s+){1,4})for\b/i,
    needsObject: true,
  },
  {
    predicate: 'listed',
    re: /\b(?:remov(?:e|es|ed|ing|al)|delist(?:s|ed|ing)?|taken\s+off|took\s+off|dropp(?:ed|ing)\s+from|struck\s+from|strik(?:e|es|ing)\s+from|no\s+longer\s+on)\b/i,
    negates: true,
    change: true,
    needsObject: true,
  },
  // Loose wording that names the list by itself.
  { predicate: 'listed', re: /\bblack-?list(?:ed|ing|s)?\b|\bsanction(?:s|ed|ing)?\b/i, change: true },
  // banned: an authority bars the subject's products. "banned list" is a list, not a ban.
  {
    predicate: 'banned',
    re: /\b(?:ban(?:s|ned|ning)?|prohibit(?:s|ed|ing|ion)?|bar(?:s|red|ring)?|forb(?:id|ids|idden|ade)|outlaw(?:s|ed)?|exclud(?:e|es|ed|ing)|block(?:s|ed|ing)?|restrict(?:s|ed|ing)?)\b(?![- ]list)/i,
    change: true,
    needsObject: true,
  },
  // The same bar said through the approval it withholds: "no longer approves", "can no longer
  // receive new authorisations", "revoked its licences". The negation is part of the meaning.
  {
    predicate: 'banned',
    re: /\bno\s+longer\s+(?:approv|authori[sz]|certif|licen[cs]|permit|allow)\w*\b|\b(?:can\s+no\s+longer|cannot|can['’]t|barred\s+from|prohibited\s+from)\s+(?:receive|get|obtain|win|be\s+granted)\s+(?:[\w-]+\s+){0,3}?(?:authori[sz]ations?|approvals?|certifications?|licen[cs]es?)\b|\b(?:revok|withdr[ae]w|cancel+)\w*\s+(?:[\w’'-]+\s+){0,3}?(?:authori[sz]ations?|approvals?|certifications?|licen[cs]es?)\b/i,
    change: true,
    needsObject: true,
  },
  // vulnerable
  {
    predicate: 'vulnerable',
    re: /\bvulnerab(?:le|ility|ilities)\b|\bflaws?\b|\bzero-days?\b|\bsecurity\s+(?:holes?|bugs?|weakness(?:es)?|defects?)\b|\bexploit(?:s|ed|able)?\b|\b(?:can|could)\s+be\s+(?:compromised|hacked|hijacked|exploited|taken\s+over)\b|\bCVE-\d{4}-\d{4,}\b/i,
  },
  // backdoor: hidden access, and remote control or shut-off of devices in the field.
  {
    predicate: 'backdoor',
    re: /\bback-?\s?doors?\b|\bkill[- ]?switch(?:es)?\b|\b(?:hidden|undocumented|secret|covert|undisclosed)\s+(?:remote\s+)?(?:access|functionality|functions?|features?|commands?|capabilit(?:y|ies)|accounts?|control)\b|\bremote(?:ly)?\s+(?:control(?:led|s)?|shut\s*down|disabl(?:e|ed|ing)|deactivat(?:e|ed|ing)|brick(?:ed)?)\b|\b(?:controlled|disabled|deactivated|shut\s+down|bricked|accessed\s+and\s+controlled)\s+remotely\b|\b(?:switch|turn|shut|power)(?:s|ed|es|ing|ting)?\s+(?:[\w’'-]+\s+){0,3}?(?:off|down)\s+remotely\b|\bremotely\s+(?:switch|turn|shut|power)(?:s|ed|es|ing|ting)?\s+(?:[\w’'-]+\s+){0,3}?(?:off|down)\b|\bweaponi[sz](?:e|es|ed|ing)\b|\bsabotag(?:e|es|ed|ing)\b|\bbrick(?:s|ed|ing)?\b|\b(?:possess(?:es)?|ha(?:ve|s|d)|retains?|exercises?)\s+(?:any\s+|no\s+)?(?:remote\s+)?control\b/i,
  },
  // data-access: reaching the data, or the data leaving for a state or a foreign server.
  {
    predicate: 'data-access',
    re: new RegExp(
      [
        String.raw`\baccess(?:ing)?\s+(?:to\s+)?(?:any\s+(?:of\s+)?)?(?:the\s+)?(?:customer\s+|user\s+|users['’]\s+|device\s+|personal\s+|sensitive\s+|private\s+)?data\b`,
        String.raw`\b(?:read|reach|see|view|collect|intercept|obtain|harvest|capture|monitor|siphon|copy|extract)(?:s|es|ed|ing)?\s+(?:(?:any|all|the|that|this|their|its|customer|customers['’]?|user|users['’]?|device|personal|sensitive|private|application|location|diagnostic|telemetry|such)\s+){0,3}(?:data|traffic|communications)\b`,
        String.raw`\bexfiltrat\w*|\bspy(?:ing)?\b|\bespionage\b|\beavesdrop\w*`,
        // "video-surveillance firms": an industry, not an act of spying.
        String.raw`\bsurveil\w*\b(?![- ](?:firms?|compan(?:y|ies)|makers?|manufacturers?|cameras?|equipment|gear|products?|industry|sector|vendors?|systems?))`,
        String.raw`\btrack(?:s|ed|ing)?\b(?!\s+record)`,
        String.raw`\bdata\s+(?:flows?|is\s+sent|are\s+sent|transfers?)\s+to\b`,
        String.raw`\bsend(?:s|ing)?\s+(?:\w+\s+){0,2}data\s+to\b`,
        String.raw`\bharvest(?:s|ed|ing)?\s+(?:\w+\s+){0,2}data\b`,
        // Passive flows: "data from X can be routed to servers in China".
        String.raw`(?<=\b(?:data|information|traffic|telemetry)\b[^.;]{0,80})\b(?:routed|sent|transmitted|forwarded|transferred|uploaded|relayed|funnell?ed)\s+(?:back\s+)?to\s+(?:(?:servers?|data\s+cent(?:er|re)s?)\s+(?:in|operated\s+by|controlled\s+by|run\s+by)\s+(?:the\s+)?)?(?:China|Beijing|Moscow|Russia|Chinese|Russian|Iran|foreign|a\s+foreign|the\s+(?:Chinese|Russian)|the\s+(?:vendor|manufacturer))\b`,
      ].join('|'),
      'i',
    ),
  },
  // state-control: ownership, control or direction by a state, party or military.
  {
    predicate: 'state-control',
    re: new RegExp(
      String.raw`\b(?:owned|controlled|directed|run|operated)(?:\s+(?:or|nor|and)\s+(?:owned|controlled|directed|run))?\s+by\s+(?:(?:the|any|a|a\s+foreign|foreign)\s+)?${STATE}`,
      'i',
    ),
  },
  { predicate: 'state-control', re: /\b(?:state|government|party|military|CCP|PLA)-(?:owned|controlled|directed|run)\b/i },
  // Subordination: "answers to Beijing", "takes orders from the party", "an arm of the Chinese state".
  {
    predicate: 'state-control',
    re: new RegExp(
      String.raw`\b(?:answer(?:s|ed|ing)?\s+(?:directly\s+|ultimately\s+)?to|beholden\s+to|subordinate\s+to|tak(?:e|es|ing)\s+(?:its\s+|their\s+)?orders\s+from|(?:is|are|was|were|as)\s+(?:an?|the)\s+(?:[\w-]+\s+)?(?:arm|instrument|proxy|extension|tool)\s+of)\s+(?:(?:the|a)\s+)?${STATE}`,
      'i',
    ),
  },
  {
    // "X is a Chinese military company", "X and other Chinese military companies", but not the list's name.
    predicate: 'state-control',
    re: new RegExp(
      String.raw`(?:\b(?:is|are|was|were|other)|,\s+(?:a|an))\s+${Q}Chinese military[- ]compan(?:y|ies)\b(?!${Q}\s*(?:list|operating))`,
      'i',
    ),
  },
];

/** Predicate cues in a piece of text. */
export function findPredicateCues(text: string): PredicateCue[] {
  const out: PredicateCue[] = [];
  for (const d of CUE_DEFS) {
    for (const c of find(d.re, text)) {
      out.push({
        ...c,
        predicate: d.predicate,
        negates: d.negates ?? false,
        change: d.change ?? false,
        needsObject: d.needsObject ?? false,
      });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** CVE identifiers in text. */
export function findCves(text: string): Cue[] {
  return find(/\bCVE-\d{4}-\d{4,}\b/i, text).map((c) => ({ ...c, text: c.text.toUpperCase() }));
}

// ---------------------------------------------------------------------------------------------
// Authorities (the object of `banned`). Agencies outrank countries: "the FCC granted a request
// from the U.S. House to ban" is an FCC ban.

export interface AuthorityRef extends Cue {
  id: string | null;
  rank: number;
}

const AUTHORITIES: { id: string | null; rank: number; re: RegExp }[] = [
  { id: 'fcc', rank: 3, re: /\bFCC\b|\bFederal Communications Commission\b/ },
  { id: 'dod', rank: 3, re: /\bDoD\b|\bDOD\b|\bPentagon\b|\bDefen[cs]e Department\b|\bDepartment of Defen[cs]e\b/ },
  { id: 'commerce', rank: 3, re: /\bCommerce Department\b|\bDepartment of Commerce\b|\bBIS\b/ },
  { id: 'treasury', rank: 3, re: /\bTreasury\b|\bOFAC\b/ },
  {
    id: 'us',
    rank: 2,
    re: /\bU\.S\.(?!\s+(?:House|Senate|Congress|lawmakers))|\bUS\b(?!\s+(?:House|Senate|Congress|lawmakers))|\bUnited States\b|\bAmerica\b|\bWashington\b|\bfederal government\b|\b(?:Biden|Trump) administration\b/,
  },
  { id: 'uk', rank: 2, re: /\bUK\b|\bU\.K\.|\bUnited Kingdom\b|\bBritain\b|\bBritish government\b/ },
  { id: 'eu', rank: 2, re: /\bEU\b|\bEuropean Union\b/ },
  { id: 'in', rank: 2, re: /\bIndia\b/ },
  { id: 'au', rank: 2, re: /\bAustralia\b/ },
  { id: 'ca', rank: 2, re: /\bCanada\b/ },
  // Several unnamed governments: a ban, but by no one authority the verifier could check.
  { id: null, rank: 1, re: /\b(?:multiple|several|many|some|other|numerous|various)\s+(?:countries|governments|nations|states)\b/i },
];

/** Authorities named in text (FCC, DoD, US, UK, ...). */
export function findAuthorities(text: string): AuthorityRef[] {
  const out: AuthorityRef[] = [];
  for (const a of AUTHORITIES) for (const c of find(a.re, text)) out.push({ ...c, id: a.id, rank: a.rank });
  return out.sort((a, b) => a.start - b.start);
}

// ---------------------------------------------------------------------------------------------
// Modality and polarity cues.

export interface ModalityCue extends Cue {
  modality: Exclude<Modality, 'asserted' | 'reported'>;
}

const MODALITY_DEFS: { modality: ModalityCue['modality']; re: RegExp }[] = [
  {
    modality: 'questioned',
    re: /\bwhether\b|\bquestions?\s+(?:about|over|regarding|whether|if)\b|\bquestioning\s+(?:if|whether)\b|\bcan(?:not|['’]t)\s+conclude\b|\b(?:unclear|not clear|unknown)\s+(?:if|whether)\b|\basked\s+(?:if|whether)\b|\bdoubts?\s+(?:about|whether|that)\b|\binvestigat\w+\s+whether\b/i,
  },
  {
    modality: 'demanded',
    re: /\burg(?:e|es|ed|ing)\b|\bcall(?:s|ed|ing)?\s+(?:on|upon|for)\b|\brequest(?:s|ed|ing)?\s+(?:that|to)\b|\brequest\s+(?:from\s+[^,.;]{0,80}?\s+)?to\b|\bask(?:s|ed|ing)?\s+(?:[^.;]{0,80}?)\bto\s+(?:consider\s+)?(?:add|adding|place|placing|put|list|ban|banning|designate|blacklist|include|sanction|bar|prohibit|restrict)\b|\bdemand(?:s|ed|ing)?\s+(?:that|the)\b|\b(?:should|must|ought\s+to)\s+(?:be|also\s+be)\s+(?:added|placed|put|listed|banned|designated|blacklisted|included|sanctioned|barred|prohibited)\b|\bpress(?:ed|ing|ures?d?|uring)\b|\blobb(?:y|ied|ying)\b|\bpush(?:es|ed|ing)?\s+(?:for|to)\b|\brecommend(?:s|ed|ing)?\b|\bseek(?:s|ing)?\s+to\s+(?:add|ban|list|place)\b|\bwant(?:s|ed|ing)?\b|\b(?:should|must|ought\s+to|needs?\s+to)\b(?!\s+(?:not\s+)?have\s+(?:said|claimed|written|told|stated))/i,
  },
  {
    modality: 'hypothetical',
    re: /\bcould\b|\bwould\b|\bmight\b|\bmay\b(?!\s+\d)|\bif\b|\bunless\b|\bpotential(?:ly)?\b|\bpossib(?:le|ly|ility)\b|\bconsider(?:s|ed|ing|ation)?\b|\bedging\s+closer\b|\bpoised\s+to\b|\blikely\s+to\b|\bexpected\s+to\b|\bplan(?:s|ned)?\s+to\b|\bpropos(?:e|es|ed|al|als)\b|\bconcerns?\s+(?:about|over|that)\b|\bconcerned\s+(?:about|that)\b|\bability\s+to\b|\bcapable\s+of\b|\bthreat\s+of\b|\bfears?\s+(?:that|of)\b|\brisk\s+of\b/i,
  },
];

/** Cues that make a statement something other than a statement of fact. */
export function findModalityCues(text: string): ModalityCue[] {
  const out: ModalityCue[] = [];
  for (const d of MODALITY_DEFS) for (const c of find(d.re, text)) out.push({ ...c, modality: d.modality });
  // "granted a request to ban" reports a decision, not a demand.
  const granted = find(/\b(?:granted|approved|accepted|fulfilled|honou?red)\s+(?:a|the|their|its)\s+request\b/i, text);
  return out
    .filter((c) => !(c.modality === 'demanded' && granted.some((g) => c.start >= g.start && c.start <= g.end + 2)))
    .sort((a, b) => a.start - b.start);
}

/** Negators: "not", "never", "no", "neither ... nor", "n't", "denies that". */
export function findNegators(text: string): Cue[] {
  return find(
    /\bnot\b|\bcannot\b|\bnever\b|\bno\b(?!\s+longer\b)|\bneither\b|\bnor\b|n['’]t\b|\bwithout\b|\bden(?:y|ies|ied|ying)\b|\bfree\s+(?:of|from)\b|\bnone\b/i,
    text,
  );
}

// ---------------------------------------------------------------------------------------------
// Reported speech.

/** Verbs and phrases that attribute a statement to someone else. */
export const REPORTING_VERB =
  /\b(?:said|says|say|saying|stated|states|state|told|tells|wrote|writes|writing|added|adds|warned|warns|asserts?|asserted|asserting|claims?|claimed|claiming|alleges?|alleged|alleging|argues?|argued|insists?|insisted|maintains?|maintained|acknowledges?|acknowledged|explained|explains|noted|notes|reported|reports|announced|announces|declared|declares|contends?|contended|suggests?|suggested|believes?|believed|concluded|concludes|found|finds|determined|ruled|testified|accused|accuses|denied|denies|deny|rejected|rejects|confirmed|confirms|according\s+to)\b/gi;

/** Verbs whose complement the speaker rejects (their polarity flips the claim). */
export const DENIAL_VERB = /^(?:denied|denies|deny|rejected|rejects|dismissed|dismisses|refuted|refutes|disputed|disputes|debunked|debunks|rebutted|rebuts|contested|contests)$/i;

/** Verbs that reject a reported statement named by a noun ("dismissed the reports that"). */
export const REBUTTAL_VERB = /denied|denies|deny|rejected|rejects|dismissed|dismisses|refuted|refutes|disputed|disputes|debunked|debunks|rebutted|rebuts|contested|contests/;

/**
 * Nouns that relay a statement, after a determiner or adjective: "the claims that", "reports by
 * local media that". Group 1 is the source named with "by"/"from", if any.
 */
export const NOMINAL_REPORT =
  /(?<=\b(?:the|these|those|such|its|their|his|her|our|recent|earlier|repeated|false|unfounded|baseless|widespread|online|media|press|persistent|denied|denies|deny|rejected|rejects|dismissed|dismisses|refuted|refutes|disputed|disputes|debunked|debunks|rebutted|rebuts|contested|contests)\s+)(?:claims?|allegations?|assertions?|accusations?|reports?|rumou?rs?|suggestions?|insinuations?)\s+(?:(?:by|from|of)\s+([^,;“”"]{1,60}?)\s+)?that\b/gi;

/** Cues that make a clause boundary for modality scope. */
export const CLAUSE_BOUNDARY =
  /;|:\s|,\s+(?:and|but|while|whereas|although|though)\b|\s(?:but|whereas|even\s+though|although)\s|\sand\s+with\b/gi;

/** Subordinators that separate events for dating ("filed a lawsuit after it was placed on"). */
export const EVENT_BOUNDARY = /[;]|\b(?:after|before|when|while|because|although|though|once|whereas|but)\b|,\s+and\b/gi;
