/**
 * Name matching for screening organisations and people against official lists.
 *
 * The score is a weighted alignment of name tokens: names are normalised (case, accents,
 * transliteration, punctuation), legal forms are stripped, abbreviations are expanded, and
 * every token gets a weight so that rare words decide the match and generic words
 * ("Company", "Group", "Technology") barely count. Tokens are aligned one-to-one regardless
 * of order, fuzzy spelling earns partial credit, and tokens left without a partner pull the
 * score down. Pure: imports nothing from the app.
 *
 * On top of that alignment: spelling credit decays with every edit after the first; other
 * readings of a name are tried (acronyms of word runs, split words joined, slash-joined
 * aliases); non-Latin scripts are romanised (Cyrillic, Greek, Arabic, Armenian, Georgian,
 * Brahmic scripts, kana) or, for Chinese and Korean, compared syllable by syllable; and
 * conflicts that mark different parties (legal forms of different kinds, different countries,
 * a different patronymic) lower the score.
 */

/** Scores at or above this are reported as a match. Chosen on cases.csv (see src/eval/names-eval.ts). */
export const NAME_MATCH_THRESHOLD = 0.73;

const FUZZY_EXPONENT = 0.5;
/**
 * Each edit after the first multiplies a spelling variant's credit by this: one slip of the pen
 * is a typo, several are usually another name that happens to look alike (Verhaegen / Verheyden).
 */
const EXTRA_EDIT_DECAY = 0.8;
/** Taken off the score for each word replaced by a different word (Al-Tikriti vs Al-Mosuli). */
const SUBSTITUTION_PENALTY = 0.15;
/** Taken off when the two names carry legal forms of different kinds (AG vs GmbH). */
const LEGAL_FORM_PENALTY = 0.3;
/**
 * Taken off when the names name different countries, or one multi-word name adds a country the
 * other lacks: a national branch is its own registration. A lone brand with a region ("Acme
 * Europe" / "Acme") is left alone.
 */
const PLACE_PENALTY = 0.25;

const NUMBER_WEIGHT = 0.4;
/** A title ("Dr", "Sheikh") is kept so the alignment can pair it, but it hardly counts. */
const TITLE_WEIGHT = 0.1;
const ROMAN = /^(?:i{1,3}|iv|vi{0,3}|ix|xi{0,3}|xiv|xvi{0,3}|xix|xx)$/;

const CYRILLIC: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', ґ: 'g', д: 'd', е: 'e', ё: 'e', є: 'ye', ж: 'zh', з: 'z',
  и: 'i', і: 'i', ї: 'yi', й: 'y', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r',
  с: 's', т: 't', у: 'u', ў: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch',
  ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya', ү: 'u', ө: 'o', қ: 'k', ң: 'ng', ғ: 'g',
  һ: 'h', ә: 'a',
};

const GREEK: Record<string, string> = {
  α: 'a', β: 'v', γ: 'g', δ: 'd', ε: 'e', ζ: 'z', η: 'i', θ: 'th', ι: 'i', κ: 'k', λ: 'l',
  μ: 'm', ν: 'n', ξ: 'x', ο: 'o', π: 'p', ρ: 'r', σ: 's', ς: 's', τ: 't', υ: 'y', φ: 'f',
  χ: 'ch', ψ: 'ps', ω: 'o',
};

// Consonant skeleton plus long vowels: enough to bring Arabic-script names near their
// Latin spellings, which mostly differ in short vowels anyway.
const ARABIC: Record<string, string> = {
  ا: 'a', أ: 'a', إ: 'i', آ: 'a', ب: 'b', ت: 't', ث: 'th', ج: 'j', ح: 'h', خ: 'kh', د: 'd',
  ذ: 'dh', ر: 'r', ز: 'z', س: 's', ش: 'sh', ص: 's', ض: 'd', ط: 't', ظ: 'z', ع: '', غ: 'gh',
  ف: 'f', ق: 'q', ك: 'k', ک: 'k', ل: 'l', م: 'm', ن: 'n', ه: 'h', و: 'w', ي: 'y', ی: 'i',
  ى: 'a', ة: 'a', ء: '', ئ: 'y', ؤ: 'w', پ: 'p', چ: 'ch', ژ: 'zh', گ: 'g',
};

const ARMENIAN: Record<string, string> = {
  ա: 'a', բ: 'b', գ: 'g', դ: 'd', ե: 'e', զ: 'z', է: 'e', ը: 'y', թ: 't', ժ: 'zh', ի: 'i',
  լ: 'l', խ: 'kh', ծ: 'ts', կ: 'k', հ: 'h', ձ: 'dz', ղ: 'gh', ճ: 'ch', մ: 'm', յ: 'y', ն: 'n',
  շ: 'sh', ո: 'o', չ: 'ch', պ: 'p', ջ: 'j', ռ: 'r', ս: 's', վ: 'v', տ: 't', ր: 'r', ց: 'ts',
  ւ: 'v', փ: 'p', ք: 'k', օ: 'o', ֆ: 'f',
};

const GEORGIAN: Record<string, string> = {
  ა: 'a', ბ: 'b', გ: 'g', დ: 'd', ე: 'e', ვ: 'v', ზ: 'z', თ: 't', ი: 'i', კ: 'k', ლ: 'l',
  მ: 'm', ნ: 'n', ო: 'o', პ: 'p', ჟ: 'zh', რ: 'r', ს: 's', ტ: 't', უ: 'u', ფ: 'p', ქ: 'k',
  ღ: 'gh', ყ: 'q', შ: 'sh', ჩ: 'ch', ც: 'ts', ძ: 'dz', წ: 'ts', ჭ: 'ch', ხ: 'kh', ჯ: 'j', ჰ: 'h',
};

const TRANSLIT: Record<string, string> = { ...CYRILLIC, ...GREEK, ...ARABIC, ...ARMENIAN, ...GEORGIAN };

// Brahmic scripts (Devanagari, Bengali, Gurmukhi, Gujarati, Oriya, Tamil, Telugu, Kannada,
// Malayalam) share one layout in 128-code-point blocks, so one table by offset serves all of them.
const INDIC_FIRST = 0x0900;
const INDIC_LAST = 0x0d7f;
const INDIC_VOWELS: Record<number, string> = {
  0x05: 'a', 0x06: 'a', 0x07: 'i', 0x08: 'i', 0x09: 'u', 0x0a: 'u', 0x0b: 'ri', 0x0e: 'e', 0x0f: 'e',
  0x10: 'ai', 0x12: 'o', 0x13: 'o', 0x14: 'au',
};
const INDIC_CONSONANTS: Record<number, string> = {
  0x15: 'k', 0x16: 'kh', 0x17: 'g', 0x18: 'gh', 0x19: 'n', 0x1a: 'ch', 0x1b: 'chh', 0x1c: 'j', 0x1d: 'jh',
  0x1e: 'n', 0x1f: 't', 0x20: 'th', 0x21: 'd', 0x22: 'dh', 0x23: 'n', 0x24: 't', 0x25: 'th', 0x26: 'd',
  0x27: 'dh', 0x28: 'n', 0x29: 'n', 0x2a: 'p', 0x2b: 'ph', 0x2c: 'b', 0x2d: 'bh', 0x2e: 'm', 0x2f: 'y',
  0x30: 'r', 0x31: 'r', 0x32: 'l', 0x33: 'l', 0x34: 'l', 0x35: 'v', 0x36: 'sh', 0x37: 'sh', 0x38: 's', 0x39: 'h',
};
const INDIC_VOWEL_SIGNS: Record<number, string> = {
  0x3e: 'a', 0x3f: 'i', 0x40: 'i', 0x41: 'u', 0x42: 'u', 0x43: 'ri', 0x46: 'e', 0x47: 'e', 0x48: 'ai',
  0x4a: 'o', 0x4b: 'o', 0x4c: 'au',
};
const INDIC_VIRAMA = 0x4d;
const INDIC_NASAL: Record<number, string> = { 0x01: 'n', 0x02: 'n', 0x03: 'h' };

/**
 * Romanises Brahmic-script words: a consonant carries an "a" unless a vowel sign or a virama
 * follows, and a word-final "a" after a single consonant is silent, as in Hindi ("राम" -> "ram").
 */
function romaniseIndic(input: string): string {
  let out = '';
  let pending = false; // a consonant waiting for its vowel
  let cluster = 0; // consonants in the current cluster
  const flush = (final: boolean): void => {
    if (pending && !(final && cluster === 1 && /[aeiou].*[^aeiou]$/.test(out))) out += 'a';
    pending = false;
  };
  for (const ch of input) {
    const cp = ch.codePointAt(0)!;
    if (cp < INDIC_FIRST || cp > INDIC_LAST) {
      flush(/^[\s\p{P}]$/u.test(ch));
      cluster = 0;
      out += ch;
      continue;
    }
    const off = (cp - INDIC_FIRST) % 0x80;
    const consonant = INDIC_CONSONANTS[off];
    if (consonant !== undefined) {
      if (pending) {
        out += 'a';
        cluster = 0;
      }
      out += consonant;
      pending = true;
      cluster += 1;
    } else if (off === INDIC_VIRAMA) {
      pending = false;
    } else if (INDIC_VOWEL_SIGNS[off] !== undefined) {
      out += INDIC_VOWEL_SIGNS[off];
      pending = false;
      cluster = 0;
    } else if (INDIC_VOWELS[off] !== undefined) {
      flush(false);
      out += INDIC_VOWELS[off];
      cluster = 0;
    } else if (INDIC_NASAL[off] !== undefined) {
      flush(false);
      out += INDIC_NASAL[off];
      cluster = 0;
    }
    // Nukta and other signs change a sound slightly; the Latin spelling ignores them.
  }
  flush(true);
  return out;
}

// Katakana in code point order from ァ (U+30A1) to ヴ (U+30F4); small kana are marked with a leading "_".
const KATAKANA = ('_a a _i i _u u _e e _o o ka ga ki gi ku gu ke ge ko go sa za shi ji su zu se ze so zo ' +
  'ta da chi ji _tsu tsu zu te de to do na ni nu ne no ha ba pa hi bi pi fu bu pu he be pe ho bo po ' +
  'ma mi mu me mo _ya ya _yu yu _yo yo ra ri ru re ro _wa wa wi we o n vu').split(' ');

/** Romanises Japanese kana (Hepburn): small ya/yu/yo join the kana before, small tsu doubles the next consonant. */
function romaniseKana(input: string): string {
  let out = '';
  let double = false;
  for (const ch of input) {
    let cp = ch.codePointAt(0)!;
    if (cp >= 0x3041 && cp <= 0x3094) cp += 0x60; // hiragana -> katakana
    const kana = cp >= 0x30a1 && cp <= 0x30f4 ? KATAKANA[cp - 0x30a1] : undefined;
    if (kana === undefined) {
      if (cp !== 0x30fc) out += ch; // the long-vowel mark is not written in Hepburn without macrons
      continue;
    }
    if (kana === '_tsu') {
      double = true;
      continue;
    }
    if (kana.startsWith('_')) {
      const small = kana.slice(1);
      // "shi" + small "ya" -> "sha"; "fu" + small "a" -> "fa".
      if (/^y[auo]$/.test(small) && /[^aeiou]i$/.test(out)) {
        out = out.slice(0, -1);
        out += /(sh|ch|j)$/.test(out) ? small.slice(1) : small;
      } else if (/[aeiou]$/.test(out) && small.length === 1) out = out.slice(0, -1) + small;
      else out += small;
      continue;
    }
    if (double && /^[^aeiou]/.test(kana)) out += kana[0];
    double = false;
    out += kana;
  }
  return out;
}

/**
 * Legal forms, written as normalised token sequences. They say what kind of body a name is,
 * not which one, so they are removed before comparing.
 */
const LEGAL_FORMS: string[][] = [
  'sa de cv', 'limited liability company', 'limited liability partnership', 'limited partnership',
  'joint stock company', 'open joint stock company', 'closed joint stock company',
  'public joint stock company', 'public limited company', 'private limited company',
  'societatea cu raspundere limitata', 'sp z o o', 'sp z oo', 'a s', 'spolka z ograniczona odpowiedzialnoscia',
  'obshchestvo s ogranichennoy otvetstvennostyu', 'aktsionernoe obshchestvo',
  'otkrytoe aktsionernoe obshchestvo', 'zakrytoe aktsionernoe obshchestvo',
  'publichnoe aktsionernoe obshchestvo', 'kabushiki kaisha', 'societe anonyme',
  'sociedad anonima', 'societa per azioni', 'besloten vennootschap', 'naamloze vennootschap',
  'gesellschaft mit beschrankter haftung', 'aktiengesellschaft', 'company limited',
  'co ltd', 'pte ltd', 'pty ltd', 'sdn bhd', 'and co', 'and company',
  'ltd', 'limited', 'inc', 'incorporated', 'llc', 'llp', 'lp', 'plc', 'corp', 'corporation',
  'co', 'company', 'gmbh', 'ag', 'akg', 'sa', 'sas', 'sarl', 'srl', 'spa', 'bv', 'nv', 'oy', 'ab', 'as',
  'asa', 'kk', 'pte', 'pty', 'jsc', 'ojsc', 'cjsc', 'pjsc', 'oao', 'zao', 'pao', 'ooo', 'ao', 'tov',
  'ano', 'se', 'kg', 'ohg', 'kft', 'zrt', 'doo', 'sro', 'ltda', 'bhd', 'tbk', 'pt', 'cv', 'sl', 'slu',
  'the',
].map((f) => f.split(' '));

/**
 * Legal forms that say something specific about the body. Two names with forms from different
 * classes here (an AG and a GmbH) are different registrations even when the words agree.
 * Forms not listed (Ltd, Inc, Co, Corp) are too loosely used to tell anything apart.
 */
const LEGAL_FORM_CLASS: Record<string, string> = {
  ag: 'ag', akg: 'ag', aktiengesellschaft: 'ag', gmbh: 'gmbh',
  'gesellschaft mit beschrankter haftung': 'gmbh', sa: 'sa', 'societe anonyme': 'sa',
  'sociedad anonima': 'sa', sas: 'sas', sarl: 'sarl', 'sa de cv': 'sa', jsc: 'jsc', ojsc: 'jsc',
  cjsc: 'jsc', pjsc: 'jsc', oao: 'jsc', zao: 'jsc', pao: 'jsc', ao: 'jsc', 'joint stock company': 'jsc',
  'open joint stock company': 'jsc', 'closed joint stock company': 'jsc', 'public joint stock company': 'jsc',
  'aktsionernoe obshchestvo': 'jsc', 'otkrytoe aktsionernoe obshchestvo': 'jsc',
  'zakrytoe aktsionernoe obshchestvo': 'jsc', 'publichnoe aktsionernoe obshchestvo': 'jsc',
  llc: 'llc', ooo: 'llc', 'limited liability company': 'llc', tov: 'llc',
  'obshchestvo s ogranichennoy otvetstvennostyu': 'llc', ano: 'nonprofit', lp: 'lp',
  'limited partnership': 'lp', llp: 'llp', 'limited liability partnership': 'llp',
};

/** Abbreviations seen on official lists, expanded to the word they stand for. */
const ABBREVIATIONS: Record<string, string> = {
  grp: 'group', comm: 'communications', comms: 'communications', commun: 'communications',
  srvces: 'services', svcs: 'services', srvcs: 'services', svc: 'services', serv: 'services',
  intl: 'international', int: 'international', internat: 'international', tech: 'technology',
  techn: 'technology', technol: 'technology', mfg: 'manufacturing', mfr: 'manufacturing',
  natl: 'national', nat: 'national', assn: 'association', assoc: 'association', bros: 'brothers',
  hldgs: 'holdings', hldg: 'holding', hold: 'holding', ind: 'industries', inds: 'industries',
  indus: 'industries', eng: 'engineering', engg: 'engineering', elec: 'electronics',
  electr: 'electronics', equip: 'equipment', dev: 'development', devt: 'development',
  dept: 'department', univ: 'university', inst: 'institute', insitute: 'institute', ctr: 'center',
  centre: 'center', mgmt: 'management', mgt: 'management', invest: 'investment',
  invt: 'investment', fin: 'financial', sys: 'systems', syst: 'systems', sci: 'science',
  tel: 'telecommunications', telecom: 'telecommunications', telecomm: 'telecommunications',
  telecoms: 'telecommunications', org: 'organization', organisation: 'organization',
  co_op: 'cooperative', st: 'saint', mt: 'mount', ft: 'fort', dist: 'district', gov: 'government',
  govt: 'government', admin: 'administration', res: 'research', lab: 'laboratory',
  labs: 'laboratory', laboratories: 'laboratory', mil: 'military', def: 'defense',
  defence: 'defense', aero: 'aerospace', pharm: 'pharmaceutical', pharma: 'pharmaceutical',
  chem: 'chemical', petro: 'petroleum', transp: 'transportation', trans: 'transportation',
  shpg: 'shipping', shipg: 'shipping', mngt: 'management', acad: 'academy', fdn: 'foundation',
};

const NUMBER_WORDS: Record<string, string> = {
  one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8',
  nine: '9', ten: '10', eleven: '11', twelve: '12', twenty: '20', thirty: '30', forty: '40',
  fourty: '40', fifty: '50', sixty: '60', seventy: '70', eighty: '80', ninety: '90',
};

/**
 * Words that occur in a great many organisation names: they may not decide a match. The
 * weights are rough inverse frequencies, written by hand because no name corpus ships here.
 */
const GENERIC_WEIGHT: Record<string, number> = {
  group: 0.2, holding: 0.25, holdings: 0.25, technology: 0.3, technologies: 0.3, international: 0.3,
  services: 0.3, service: 0.3, systems: 0.35, solutions: 0.3, industries: 0.35, industry: 0.35,
  trading: 0.35, enterprises: 0.3, enterprise: 0.3, global: 0.35, national: 0.4, china: 0.45,
  chinese: 0.45, usa: 0.9, america: 0.9, americas: 0.9, american: 0.45, united: 0.5, state: 0.5,
  science: 0.4, development: 0.35, investment: 0.4, management: 0.4, import: 0.3, export: 0.3,
  manufacturing: 0.4, electronics: 0.5, engineering: 0.5, communications: 0.45, telecommunications: 0.5,
  digital: 0.5, network: 0.45, networks: 0.45, information: 0.45, electronic: 0.5, products: 0.35,
  product: 0.35, partners: 0.35, associates: 0.35, ventures: 0.35, capital: 0.45, trust: 0.6,
  fund: 0.5, bank: 0.6, financial: 0.5, research: 0.45, institute: 0.45, corporation: 0.2,
  organization: 0.35, association: 0.35, foundation: 0.45, new: 0.4, first: 0.5, general: 0.35,
  world: 0.4, worldwide: 0.3, co: 0.2, wireless: 0.55, solution: 0.3,
  // Places in a name usually mark a branch of the same organisation, not a different one.
  europe: 0.4, asia: 0.4, africa: 0.4, pacific: 0.4, middle: 0.4, east: 0.4, west: 0.4, north: 0.4,
  south: 0.4, us: 0.9, uk: 0.9, hong: 0.4, kong: 0.4, japan: 0.4, germany: 0.4, france: 0.4,
  india: 0.4, russia: 0.4, canada: 0.4, mexico: 0.4, chile: 0.4, brazil: 0.4, sweden: 0.4,
  finland: 0.4, denmark: 0.4, switzerland: 0.4, schweiz: 0.4, london: 0.4, singapore: 0.4,
  // Name particles: they join names rather than tell them apart.
  al: 0.15, el: 0.15, bin: 0.2, ibn: 0.2, bint: 0.2, abu: 0.35, abd: 0.35, abdul: 0.35, de: 0.15,
  da: 0.15, di: 0.15, del: 0.15, della: 0.15, der: 0.15, van: 0.2, von: 0.2, la: 0.2, le: 0.2,
  du: 0.15, dos: 0.15, das: 0.15, y: 0.1, of: 0.05, and: 0.05, for: 0.05, in: 0.05, mv: 0.2,
  ul: 0.1, ud: 0.1, mohammed: 0.5, muhammad: 0.5, mohammad: 0.5, mohamed: 0.5, ali: 0.55,
};

/** Given names that stand for each other (hypocoristics and cross-language forms). */
const GIVEN_NAME_GROUPS: string[][] = [
  ['benjamin', 'ben', 'benny', 'binyamin'], ['theodore', 'ted', 'teddy', 'theo'],
  ['william', 'bill', 'billy', 'will', 'willy', 'wilhelm', 'guillaume', 'guillermo'],
  ['robert', 'bob', 'bobby', 'rob', 'robbie', 'roberto'], ['james', 'jim', 'jimmy', 'jamie', 'diego', 'jaime'],
  ['michael', 'mike', 'mick', 'mikhail', 'michel', 'miguel', 'michele'],
  ['john', 'jack', 'johnny', 'juan', 'johann', 'johannes', 'jean', 'giovanni', 'ivan', 'jan', 'hans', 'joao'],
  ['richard', 'dick', 'rick', 'ricardo', 'riccardo'], ['elizabeth', 'liz', 'beth', 'betty', 'elisabeth', 'isabel'],
  ['alexander', 'alex', 'sasha', 'aleksandr', 'alexandre', 'alejandro', 'alessandro', 'oleksandr', 'aliaksandr', 'alyaksandr'],
  ['anthony', 'tony', 'antonio', 'anton', 'antoine'], ['joseph', 'joe', 'jose', 'giuseppe', 'josef', 'iosif'],
  ['peter', 'pete', 'pedro', 'pierre', 'pietro', 'pyotr', 'petr'], ['paul', 'pablo', 'paolo', 'pavel', 'pol'],
  ['george', 'jorge', 'georg', 'georgiy', 'yuri', 'giorgio'], ['nicholas', 'nick', 'nicolas', 'nikolai', 'nikolay', 'niccolo', 'klaus'],
  ['stephen', 'steven', 'steve', 'stefan', 'esteban', 'stepan'], ['charles', 'charlie', 'chuck', 'carlos', 'carl', 'karl', 'carlo'],
  ['edward', 'ed', 'eddie', 'ted', 'eduardo', 'edouard'], ['thomas', 'tom', 'tommy', 'tomas', 'foma'],
  ['andrew', 'andy', 'andreas', 'andre', 'andrei', 'andrey', 'andres', 'andriy'],
  ['daniel', 'dan', 'danny', 'daniil'], ['david', 'dave', 'davide', 'dawid'], ['samuel', 'sam', 'sammy'],
  ['margaret', 'maggie', 'peggy', 'margarita'], ['catherine', 'kate', 'katherine', 'kathy', 'ekaterina', 'yekaterina', 'katarina'],
  ['mary', 'maria', 'marie', 'mariya', 'mariia', 'miriam'], ['francis', 'frank', 'francisco', 'francois', 'franz', 'francesco'],
  ['henry', 'harry', 'enrique', 'henri', 'heinrich'], ['lawrence', 'larry', 'lorenzo', 'laurent'],
  ['osama', 'usama'], ['vladimir', 'volodymyr', 'uladzimir'], ['sergey', 'sergei', 'serhiy'], ['dmitry', 'dmitri', 'dmytro'],
];

const GIVEN_NAME_GROUP = new Map<string, number[]>();
GIVEN_NAME_GROUPS.forEach((group, i) => {
  for (const n of group) GIVEN_NAME_GROUP.set(n, [...(GIVEN_NAME_GROUP.get(n) ?? []), i]);
});

/** One token of a normalised name and how much it counts. */
export interface NameToken {
  text: string;
  weight: number;
}

/** A name after normalisation: its tokens and the legal forms that were removed. */
export interface NormalisedName {
  original: string;
  tokens: NameToken[];
  legalForms: string[];
  /** Words written as acronyms (dotted, or in capitals amid lower case), normalised. */
  acronyms?: string[];
}

/**
 * Words the writer marked as acronyms: dotted ("U.S."), or in capitals in a name that is not
 * all capitals ("PLA China"), or a name that is one capitalised word ("NATO"). A three-letter
 * given name in an all-capitals list entry ("ALI") is not one.
 */
function writtenAcronyms(input: string): string[] {
  const out = [...input.matchAll(/(?<!\p{L})(?:\p{L}\.){2,}/gu)].map((m) => m[0].replace(/\./g, ''));
  const words = input.split(/[^\p{L}\p{N}.'’]+/u).filter((w) => w.length > 0);
  const allCaps = !/\p{Ll}/u.test(input);
  for (const w of words) {
    if (/^\p{Lu}{2,6}$/u.test(w) && (!allCaps || words.length === 1)) out.push(w);
  }
  return out.map((w) => normaliseName(w)).filter((w) => w.length > 0);
}

function romaniseScripts(input: string): string {
  // Transliterate before removing accents: decomposing first would turn "й" into "и".
  let s = romaniseKana(romaniseIndic(input.normalize('NFC')));
  // The Arabic article is written joined ("السوداني"); Latin lists write it apart ("al-Sudani").
  s = s.replace(/(?<![\p{L}\p{M}])ال(?=\p{Script=Arabic}{2})/gu, 'ال ');
  // Inside an Arabic word, waw and ya mostly write the long vowels u and i (Mahmud, Sudani).
  s = s.replace(/(?<=\p{Script=Arabic})[وي]/gu, (ch) => (ch === 'و' ? 'u' : 'i'));
  s = Array.from(s, (ch) => TRANSLIT[ch] ?? ch).join('');
  // Recompose afterwards: NFKD splits Hangul syllables into jamo, which are letters, not marks.
  s = s.normalize('NFKD').replace(/\p{M}/gu, '').normalize('NFC');
  s = Array.from(s, (ch) => TRANSLIT[ch] ?? ch).join('');
  return s.replace(/ß/g, 'ss').replace(/æ/g, 'ae').replace(/ø/g, 'o').replace(/œ/g, 'oe').replace(/ł/g, 'l').replace(/đ/g, 'd');
}

/**
 * Lower-cases, removes accents, romanises other scripts (Cyrillic, Greek, Arabic, Armenian,
 * Georgian, Brahmic scripts, kana), spells out "&", and turns punctuation into spaces. Dotted
 * initials ("A.B.C.", "p.l.c.") are joined into one word.
 */
export function normaliseName(input: string): string {
  let s = input.toLowerCase();
  // Most list names are plain ASCII: skip the script work for them (it is most of the cost).
  if (/[^\x00-\x7f]/.test(s)) s = romaniseScripts(s);
  s = s.replace(/&/g, ' and ');
  // Apostrophes inside a word are spelling ("Qa'ida", "Cho'ng"), not separators.
  s = s.replace(/(\p{L})['’‘`ʼ](?=\p{L})/gu, '$1').replace(/['’‘`ʼ]/g, '');
  // Dotted initials: "a.b.c." -> "abc", "l.x.c" -> "lxc".
  s = s.replace(/\b(?:\p{L}\.){1,}\p{L}\b\.?/gu, (m) => m.replace(/\./g, ''));
  s = s.replace(/[^\p{L}\p{N}]+/gu, ' ');
  return s.trim().replace(/\s+/g, ' ');
}

const LONG_FORMS = LEGAL_FORMS.filter((f) => f.length === 1 && f[0]!.length >= 9).map((f) => f[0]!);

/** A long legal-form word with a slip in it ("Aktiengeselschaft") is still that legal form. */
function isMisspeltForm(word: string, form: string): boolean {
  if (form.length < 9 || Math.abs(word.length - form.length) > 2 || word[0] !== form[0]) return false;
  return editDistance(word, form) <= (form.length >= 12 ? 2 : 1);
}

function stripLegalForms(words: string[]): { kept: string[]; removed: string[] } {
  const kept: string[] = [];
  const removed: string[] = [];
  let i = 0;
  outer: while (i < words.length) {
    for (const form of LEGAL_FORMS) {
      if (form.length > words.length - i) continue;
      if (form.every((w, k) => words[i + k] === w)) {
        removed.push(form.join(' '));
        i += form.length;
        continue outer;
      }
    }
    const misspelt = words[i]!.length >= 8 ? LONG_FORMS.find((f) => isMisspeltForm(words[i]!, f)) : undefined;
    if (misspelt !== undefined) {
      removed.push(misspelt);
      i += 1;
      continue;
    }
    kept.push(words[i]!);
    i += 1;
  }
  // A name that is nothing but a legal form ("Management Company" minus "company") keeps its words.
  if (kept.length === 0) return { kept: words.slice(), removed: [] };
  return { kept, removed };
}

function tokenWeight(t: string): number {
  if (TITLES.has(t)) return TITLE_WEIGHT;
  const generic = GENERIC_WEIGHT[t];
  if (generic !== undefined) return generic;
  // Series numbers (Fund III, Trust 2004-1) tell siblings apart but lists write them loosely.
  if (/^\d+$/.test(t) || ROMAN.test(t)) return NUMBER_WEIGHT;
  if (SYLLABLE.test(t)) return 1;
  // Short tokens (initials, acronyms) carry less identity than full words.
  if (t.length === 1) return 0.35;
  if (t.length === 2) return 0.7;
  return 1;
}

/** "forty four" -> "44": number words come through as digits, tens then units. */
function joinNumbers(words: string[]): string[] {
  const out: string[] = [];
  for (const w of words) {
    const prev = out[out.length - 1];
    if (prev && /^[1-9]0$/.test(prev) && /^[1-9]$/.test(w)) out[out.length - 1] = String(Number(prev) + Number(w));
    else out.push(w);
  }
  return out;
}

/** "1st", "2nd", "first", "second": ordinals count as the number they stand for. */
const ORDINAL_WORDS: Record<string, string> = {
  first: '1', second: '2', third: '3', fourth: '4', fifth: '5', sixth: '6', seventh: '7', eighth: '8',
  ninth: '9', tenth: '10',
};

/**
 * Titles and honorifics before a name say how a person is addressed, not who they are.
 * Words that also start company names ("General Motors") are left out on purpose.
 */
const TITLES = new Set([
  'mr', 'mrs', 'ms', 'miss', 'dr', 'prof', 'professor', 'president', 'sheikh', 'shaikh', 'shaykh', 'sheik',
  'sir', 'mullah', 'mawlawi', 'maulvi', 'maulana', 'hon', 'rev',
]);

// Digits written inside a word in place of look-alike letters ("Ig0r", "Sech1n").
const LOOKALIKE_DIGITS: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '9': 'g' };

function undoLookalikeDigits(w: string): string {
  if (!/\p{L}\d+\p{L}/u.test(w) || w.replace(/\d/g, '').length < 3) return w;
  return w.replace(/(?<=\p{L})\d(?=\p{L})/gu, (d) => LOOKALIKE_DIGITS[d] ?? d);
}

function normaliseWord(w: string): string {
  const ordinal = /^(\d+)(?:st|nd|rd|th)$/.exec(w);
  if (ordinal) return ordinal[1]!;
  const u = undoLookalikeDigits(w);
  return ABBREVIATIONS[u] ?? NUMBER_WORDS[u] ?? ORDINAL_WORDS[u] ?? u;
}


// Chinese characters and Hangul blocks are whole syllables written without spaces: each one is
// compared as a word, so one different syllable counts as a different word.
const SYLLABIC = /[\p{Script=Han}\p{Script=Hangul}]/gu;
const SYLLABLE = /^[\p{Script=Han}\p{Script=Hangul}]$/u;

/** Normalises a name into weighted tokens with legal forms removed and abbreviations expanded. */
export function analyseName(input: string): NormalisedName {
  const words = normaliseName(input)
    .replace(SYLLABIC, ' $& ')
    .split(' ')
    .filter((w) => w.length > 0)
    .map(normaliseWord);
  const { kept, removed } = stripLegalForms(joinNumbers(words));
  return {
    original: input,
    tokens: kept.map((text) => ({ text, weight: tokenWeight(text) })),
    legalForms: removed,
    acronyms: writtenAcronyms(input),
  };
}

/**
 * The identity key of a name: its words without legal forms, abbreviations left as written.
 * Two names with the same key are the same name; "China Telecom" and "China Telecommunications"
 * are not, even though they compare as close.
 */
export function nameKey(input: string): string {
  const words = normaliseName(input).split(' ').filter((w) => w.length > 0);
  return stripLegalForms(words).kept.join(' ');
}

/**
 * Edit distance, two-and-a-half rows. With `swaps` a swap of two neighbouring letters counts as
 * one edit (optimal string alignment); without, it is plain Levenshtein distance.
 */
function editDistance(a: string, b: string, swaps = true): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev2 = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (swaps && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur[j] = d;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[b.length]!;
}

/** Levenshtein distance (a swap is two edits). */
function levenshtein(a: string, b: string): number {
  return editDistance(a, b, false);
}

/** A coarse phonetic key: spellings that sound alike across transliterations get the same key. */
function phoneticKey(t: string): string {
  let s = t
    .replace(/^hs/, 's').replace(/^x/, 's').replace(/ph/g, 'f').replace(/ck/g, 'k').replace(/q/g, 'k')
    .replace(/c(?=[eiy])/g, 's').replace(/c/g, 'k').replace(/z/g, 's').replace(/w/g, 'v')
    .replace(/kh/g, 'h').replace(/dh/g, 'd').replace(/th/g, 't').replace(/j/g, 'y').replace(/x/g, 'ks')
    // Arabic script has no p or v: Latin p and v come back from it as b and f.
    .replace(/p/g, 'b').replace(/v/g, 'f');
  s = s[0] + s.slice(1).replace(/[aeiouyh]/g, '');
  return s.replace(/(.)\1+/g, '$1');
}

function sameGivenName(a: string, b: string): boolean {
  const ga = GIVEN_NAME_GROUP.get(a);
  const gb = GIVEN_NAME_GROUP.get(b);
  return !!ga && !!gb && ga.some((g) => gb.includes(g));
}

/** How alike two tokens are, 0..1, and why. */
function tokenSimilarity(a: string, b: string): { sim: number; how: string } {
  if (a === b) return { sim: 1, how: 'same' };
  const numA = /^\d+$/.test(a);
  const numB = /^\d+$/.test(b);
  // Numbers identify (fund I vs fund II, plant 23): a different number is a different thing.
  if (numA || numB) return { sim: 0, how: 'different number' };
  if (sameGivenName(a, b)) return { sim: 0.9, how: 'name variant' };
  if (SYLLABLE.test(a) || SYLLABLE.test(b)) return { sim: 0, how: 'different' };
  if (a.length === 1 || b.length === 1) {
    return a[0] === b[0] ? { sim: 0.7, how: 'initial' } : { sim: 0, how: 'different' };
  }
  const maxLen = Math.max(a.length, b.length);
  const ratio = 1 - levenshtein(a, b) / maxLen;
  let sim = 0;
  let how = 'different';
  if (maxLen >= 4 && ratio > 0.4) {
    // Spelling variants earn partial credit that falls quickly below two edits in six letters.
    sim = ((ratio - 0.4) / 0.6) ** FUZZY_EXPONENT * 0.95 * EXTRA_EDIT_DECAY ** Math.max(0, editDistance(a, b) - 1);
    how = `spelling ${ratio.toFixed(2)}`;
  }
  if (phoneticKey(a) === phoneticKey(b) && sim < 0.85) {
    sim = 0.85;
    how = 'sounds alike';
  }
  return { sim, how };
}

/** One aligned token pair in an explanation. */
export interface TokenPair {
  a: string;
  b: string;
  similarity: number;
  weight: number;
  how: string;
}

/** Why two names got the score they did. */
export interface MatchExplanation {
  score: number;
  a: string[];
  b: string[];
  pairs: TokenPair[];
  unmatchedA: string[];
  unmatchedB: string[];
  removedLegalForms: string[];
  summary: string;
}

interface Alignment {
  score: number;
  pairs: TokenPair[];
  unmatchedA: NameToken[];
  unmatchedB: NameToken[];
  substitutions: number;
}

function align(a: NameToken[], b: NameToken[]): Alignment {
  const cand: { i: number; j: number; sim: number; how: string }[] = [];
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      const { sim, how } = tokenSimilarity(a[i]!.text, b[j]!.text);
      if (sim > 0) cand.push({ i, j, sim, how });
    }
  }
  cand.sort((x, y) => y.sim - x.sim || x.i - y.i || x.j - y.j);
  const usedA = new Set<number>();
  const usedB = new Set<number>();
  const pairs: TokenPair[] = [];
  let matched = 0;
  for (const c of cand) {
    if (usedA.has(c.i) || usedB.has(c.j)) continue;
    usedA.add(c.i);
    usedB.add(c.j);
    const ta = a[c.i]!;
    const tb = b[c.j]!;
    const weight = (ta.weight + tb.weight) / 2;
    matched += 2 * weight * c.sim;
    pairs.push({ a: ta.text, b: tb.text, similarity: c.sim, weight, how: c.how });
  }
  const unmatchedA = a.filter((_, i) => !usedA.has(i));
  const unmatchedB = b.filter((_, j) => !usedB.has(j));
  // A patronymic ("Viktorovich") is often left out: when it is the only word one side lacks,
  // it hardly counts. Two different patronymics still count in full.
  const optional = (mine: NameToken[], theirs: NameToken[]): Set<NameToken> =>
    theirs.some(isSubstitutable) ? new Set() : new Set(mine.filter((t) => PATRONYMIC_SUFFIX.test(t.text)));
  const optionalA = optional(unmatchedA, unmatchedB);
  const optionalB = optional(unmatchedB, unmatchedA);
  const wa = a.reduce((s, t) => s + (optionalA.has(t) ? t.weight * OPTIONAL_WEIGHT : t.weight), 0);
  const wb = b.reduce((s, t) => s + (optionalB.has(t) ? t.weight * OPTIONAL_WEIGHT : t.weight), 0);
  const dice = wa + wb > 0 ? matched / (wa + wb) : 0;
  // Containment: a shorter name whose every word is found in the longer one ("Akhtar Mansour"
  // in a full five-part name) is likely the same party, if it has more than one real word.
  const [short, shortUnmatched, wShort] = wa <= wb ? [a, unmatchedA, wa] : [b, unmatchedB, wb];
  let score = dice;
  const strongShort = short.filter((t) => t.weight >= 0.7).length;
  if (strongShort >= 2 && shortUnmatched.length === 0 && wShort > 0) {
    const covered = pairs.reduce((s, p) => s + p.similarity * (wa <= wb ? tokenWeightOf(a, p.a) : tokenWeightOf(b, p.b)), 0) / wShort;
    score = Math.max(score, 0.5 * dice + 0.5 * covered * 0.95);
  }
  // A brand with generic words around it ("Quectel" / "Quectel Wireless Solutions") names the same
  // party: every word of the shorter name is found and the longer adds only generic words.
  const longUnmatched = wa <= wb ? unmatchedB : unmatchedA;
  if (shortUnmatched.length === 0 && short.length > 0 && longUnmatched.every((t) => t.weight < 0.6 && !PLACES.has(t.text)) && pairs.every((p) => p.similarity >= 0.85)) {
    score = Math.max(score, 0.5 * dice + 0.5 * 0.95);
  }
  // A word on each side with no partner is a substitution: names that differ in one of their
  // distinctive words (a family or tribal name, an initial) are usually different parties.
  const subsA = unmatchedA.filter(isSubstitutable).length + pairs.filter((p) => p.similarity < 0.3).length;
  const subsB = unmatchedB.filter(isSubstitutable).length + pairs.filter((p) => p.similarity < 0.3).length;
  const substitutions = Math.min(subsA, subsB);
  if (substitutions > 0) score -= SUBSTITUTION_PENALTY * Math.min(2, substitutions);
  // "Muhammad bin Salman" is not "Salman bin Muhammad": around a patronymic particle order is meaning.
  if (patronymicSwapped(a, b, pairs)) score -= 0.3;
  // Two different countries in otherwise alike names are two national registrations of a group.
  const placesA = unmatchedA.filter((t) => PLACES.has(t.text));
  const placesB = unmatchedB.filter((t) => PLACES.has(t.text));
  if (placesA.length > 0 && placesB.length > 0) score -= PLACE_PENALTY;
  else if (placesA.length + placesB.length > 0 && Math.min(a.length, b.length) >= 2) score -= PLACE_PENALTY;
  return { score, pairs, unmatchedA, unmatchedB, substitutions };
}

function isSubstitutable(t: NameToken): boolean {
  return t.weight >= 0.35 && t.weight !== NUMBER_WEIGHT;
}

// A place added to a brand names a branch or subsidiary ("Hikvision USA"), a separate registration.
const PLACES = new Set([
  'europe', 'asia', 'africa', 'pacific', 'usa', 'us', 'uk', 'america', 'americas', 'china', 'hong', 'kong',
  'japan', 'germany', 'france', 'india', 'russia', 'canada', 'mexico', 'chile', 'brazil', 'sweden',
  'finland', 'denmark', 'switzerland', 'schweiz', 'london', 'singapore',
]);

/** True for a word naming a country or region ("USA", "Europe"), which marks a branch of an organisation. */
export function isPlaceToken(word: string): boolean {
  return PLACES.has(word);
}

/** East Slavic and Turkic patronymics, by their endings. */
const PATRONYMIC_SUFFIX = /(?:ovich|evich|ovych|evych|ovitch|ovna|evna|ivna|ogly|oglu|kyzy)$/;
/** Share of its weight that a patronymic missing on one side keeps. */
const OPTIONAL_WEIGHT = 0.25;

const PATRONYMIC = new Set(['bin', 'ibn', 'ben', 'bint', 'binti', 'ould', 'ogly', 'oglu', 'kyzy']);

function patronymicSwapped(a: NameToken[], b: NameToken[], pairs: TokenPair[]): boolean {
  const ia = a.findIndex((t) => PATRONYMIC.has(t.text));
  const ib = b.findIndex((t) => PATRONYMIC.has(t.text));
  if (ia < 0 || ib < 0) return false;
  for (const p of pairs) {
    if (PATRONYMIC.has(p.a)) continue;
    const pa = a.findIndex((t) => t.text === p.a);
    const pb = b.findIndex((t) => t.text === p.b);
    if (pa < ia !== pb < ib) return true;
  }
  return false;
}

function tokenWeightOf(tokens: NameToken[], text: string): number {
  return tokens.find((t) => t.text === text)?.weight ?? 0;
}

function joined(tokens: NameToken[]): string {
  return tokens.map((t) => t.text).join('');
}

// Words skipped when reading an acronym off a name ("Bank of China" -> BOC or BC).
const ACRONYM_FILLERS = new Set(['of', 'and', 'the', 'for', 'de', 'du', 'des', 'la', 'y', 'und', 'et']);

/** Another reading of one side's words, and what it joined, for the explanation. */
interface Reading {
  tokens: NameToken[];
  joins: Map<string, string>;
}

/**
 * Replaces a run of words in `other` by a word of `tokens` written as an acronym that spells their initials
 * ("NRF" / "Northern Resistance Front", "JP" / "Jean-Pierre", "US" / "United States").
 * Null when no word of `tokens` is an acronym of a run of at least two words.
 */
function collapseAcronyms(tokens: NameToken[], acronyms: readonly string[], other: NameToken[]): Reading | null {
  let out = other;
  const joins = new Map<string, string>();
  for (const t of tokens) {
    if (!acronyms.includes(t.text) || other.some((o) => o.text === t.text)) continue;
    // Two letters alone ("N.N.", "JD") fit far too many names to stand for one.
    if (t.text.length < 3 && tokens.length < 2) continue;
    for (let start = 0; start < out.length; start++) {
      let initials = '';
      let words = 0;
      let end = start;
      for (; end < out.length && initials.length < t.text.length; end++) {
        const w = out[end]!.text;
        if (ACRONYM_FILLERS.has(w) && end > start) continue;
        initials += w[0];
        words += 1;
      }
      if (words >= 2 && initials === t.text && !ACRONYM_FILLERS.has(out[start]!.text)) {
        const run = out.slice(start, end);
        const weight = Math.max(...run.map((r) => r.weight));
        out = [...out.slice(0, start), { text: t.text, weight }, ...out.slice(end)];
        joins.set(t.text, `acronym of "${run.map((r) => r.text).join(' ')}"`);
        break;
      }
    }
  }
  return joins.size > 0 ? { tokens: out, joins } : null;
}

/**
 * Joins two neighbouring words of `tokens` that the other name writes as one word, give or
 * take a letter ("Vasil yevsky" / "Vasilyevsky", "Mc Donald" / "McDonald").
 */
function joinSplitWords(tokens: NameToken[], other: NameToken[]): Reading | null {
  const out: NameToken[] = [];
  const joins = new Map<string, string>();
  const texts = new Set(other.map((o) => o.text));
  for (let i = 0; i < tokens.length; i++) {
    const x = tokens[i]!;
    const y = tokens[i + 1];
    if (y && !texts.has(x.text) && !texts.has(y.text)) {
      const c = x.text + y.text;
      if (other.some((o) => o.text === c || (c.length >= 6 && Math.abs(o.text.length - c.length) <= 1 && editDistance(o.text, c) <= 1))) {
        out.push({ text: c, weight: Math.max(x.weight, y.weight) });
        joins.set(c, `"${x.text} ${y.text}" written as one word`);
        i += 1;
        continue;
      }
    }
    out.push(x);
  }
  return joins.size > 0 ? { tokens: out, joins } : null;
}

function scoreAnalysed(na: NormalisedName, nb: NormalisedName): Alignment {
  if (na.tokens.length === 0 || nb.tokens.length === 0) {
    return { score: 0, pairs: [], unmatchedA: na.tokens, unmatchedB: nb.tokens, substitutions: 0 };
  }
  let best = align(na.tokens, nb.tokens);
  const a = na.tokens;
  const b = nb.tokens;
  const readings: [NameToken[], NameToken[], Reading | null][] = [];
  const acronymsOfA = collapseAcronyms(a, na.acronyms ?? [], b);
  const acronymsOfB = collapseAcronyms(b, nb.acronyms ?? [], a);
  const joinedA = joinSplitWords(a, b);
  const joinedB = joinSplitWords(b, a);
  if (acronymsOfA) readings.push([a, acronymsOfA.tokens, acronymsOfA]);
  if (acronymsOfB) readings.push([acronymsOfB.tokens, b, acronymsOfB]);
  if (joinedA) readings.push([joinedA.tokens, b, joinedA]);
  if (joinedB) readings.push([a, joinedB.tokens, joinedB]);
  for (const [ta, tb, reading] of readings) {
    const al = align(ta, tb);
    if (al.score <= best.score) continue;
    for (const p of al.pairs) p.how = reading?.joins.get(p.a) ?? reading?.joins.get(p.b) ?? p.how;
    best = al;
  }
  // Words run together or split apart ("SiemensAG", "Good Will" / "Goodwill", "UnitedHealth").
  const whole = (n: NormalisedName): string => normaliseName(n.original).replace(/ /g, '');
  if (whole(na) === whole(nb) && best.score < 0.97) {
    return { score: 0.97, pairs: [{ a: whole(na), b: whole(nb), similarity: 1, weight: 1, how: 'same letters, different spacing' }], unmatchedA: [], unmatchedB: [], substitutions: 0 };
  }
  const ja = joined(na.tokens);
  const jb = joined(nb.tokens);
  if (ja === jb && best.score < 0.97) {
    return { score: 0.97, pairs: [{ a: ja, b: jb, similarity: 1, weight: 1, how: 'same letters, different spacing' }], unmatchedA: [], unmatchedB: [], substitutions: 0 };
  }
  if (na.tokens.length !== nb.tokens.length && Math.min(ja.length, jb.length) >= 6) {
    const ratio = 1 - levenshtein(ja, jb) / Math.max(ja.length, jb.length);
    const s = ratio >= 0.85 ? 0.95 * ((ratio - 0.5) * 2) ** 1.3 : 0;
    if (s > best.score) {
      return { score: s, pairs: [{ a: ja, b: jb, similarity: ratio, weight: 1, how: 'close when spacing is ignored' }], unmatchedA: [], unmatchedB: [], substitutions: 0 };
    }
  }
  return best;
}

function legalFormConflict(na: NormalisedName, nb: NormalisedName): string | null {
  const ca = new Set(na.legalForms.map((f) => LEGAL_FORM_CLASS[f]).filter((c) => c !== undefined));
  const cb = new Set(nb.legalForms.map((f) => LEGAL_FORM_CLASS[f]).filter((c) => c !== undefined));
  if (ca.size === 0 || cb.size === 0) return null;
  for (const c of ca) if (cb.has(c)) return null;
  return `${[...ca].join('/')} vs ${[...cb].join('/')}`;
}

/**
 * "Al-Qa'ida/Islamic Army": lists join a name and its alias with a slash. Each part is a name
 * of its own when both are words; "A/S" and "S/A" are legal forms and stay whole.
 */
function slashAlternatives(name: string): string[] {
  const parts = name.split('/').map((p) => p.trim());
  if (parts.length < 2 || !parts.every((p) => /\p{L}{3}/u.test(p))) return [name];
  return [name, ...parts];
}

interface Scored {
  al: Alignment;
  na: NormalisedName;
  nb: NormalisedName;
  conflict: string | null;
}

function scorePair(a: string, b: string): Scored {
  const na = analyseName(a);
  const nb = analyseName(b);
  const al = scoreAnalysed(na, nb);
  const conflict = legalFormConflict(na, nb);
  if (conflict) al.score -= LEGAL_FORM_PENALTY;
  return { al, na, nb, conflict };
}

function scoreNames(a: string, b: string): Scored {
  let best: Scored | null = null;
  for (const x of slashAlternatives(a)) {
    for (const y of slashAlternatives(b)) {
      const s = scorePair(x, y);
      if (!best || s.al.score > best.al.score) best = s;
    }
  }
  return best ?? scorePair(a, b);
}

/** Similarity of two names, 0..1 (1 only for names that are the same after normalisation). */
export function compareNames(a: string, b: string): number {
  return round(scoreNames(a, b).al.score);
}

function round(x: number): number {
  return Math.round(Math.min(1, Math.max(0, x)) * 1000) / 1000;
}

/** The best score between any name of one party and any name of the other (names plus aliases). */
export function compareNameSets(a: readonly string[], b: readonly string[]): { score: number; a: string; b: string } {
  let best = { score: 0, a: a[0] ?? '', b: b[0] ?? '' };
  for (const x of a) {
    for (const y of b) {
      const score = compareNames(x, y);
      if (score > best.score) best = { score, a: x, b: y };
    }
  }
  return best;
}

/** The score of two names with the token alignment behind it, for an analyst. */
export function explainMatch(a: string, b: string): MatchExplanation {
  const { al, na, nb, conflict } = scoreNames(a, b);
  const score = round(al.score);
  const parts = al.pairs.map((p) =>
    p.a === p.b ? `"${p.a}" matches${p.how === 'same' ? '' : ` (${p.how})`}` : `"${p.a}" ~ "${p.b}" (${p.how})`,
  );
  const missing = [...al.unmatchedA, ...al.unmatchedB].map((t) => `"${t.text}"${t.weight < 0.5 ? ' (generic)' : ''}`);
  const removed = [...na.legalForms, ...nb.legalForms];
  const summary =
    `score ${score.toFixed(3)} (${score >= NAME_MATCH_THRESHOLD ? 'match' : 'no match'} at ${NAME_MATCH_THRESHOLD}): ` +
    (parts.length ? parts.join(', ') : 'no words in common') +
    (missing.length ? `; without a partner: ${missing.join(', ')}` : '') +
    (removed.length ? `; legal forms ignored: ${[...new Set(removed)].join(', ')}` : '') +
    (conflict ? `; different kinds of legal body (${conflict}) lower the score` : '') +
    (al.substitutions > 0 ? `; ${al.substitutions} word(s) replaced by a different word lower the score` : '');
  return {
    score,
    a: na.tokens.map((t) => t.text),
    b: nb.tokens.map((t) => t.text),
    pairs: al.pairs,
    unmatchedA: al.unmatchedA.map((t) => t.text),
    unmatchedB: al.unmatchedB.map((t) => t.text),
    removedLegalForms: [...new Set(removed)],
    summary,
  };
}
