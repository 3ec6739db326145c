/** A date expression found in text, resolved to ISO at its precision. */
export interface DateMention {
  start: number;
  end: number;
  text: string;
  value: string;
  /** How it was resolved, for `why`. */
  how: string;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = String.raw`(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|Aug(?:ust|\.)?|Sep(?:tember|t\.|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)`;
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function monthNo(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;
}

function valid(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** The published date as a day, when it is known to the day. */
export interface Published {
  value: string;
  precision: 'day' | 'month' | 'year';
}

/** Reads an ISO published date (day, month or year; a timestamp counts as its UTC day). */
export function readPublished(s: string | null | undefined): Published | null {
  if (!s) return null;
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(s.trim());
  if (!m) return null;
  if (m[3]) return { value: `${m[1]}-${m[2]}-${m[3]}`, precision: 'day' };
  if (m[2]) return { value: `${m[1]}-${m[2]}`, precision: 'month' };
  return { value: m[1]!, precision: 'year' };
}

function dayOf(p: Published): Date | null {
  if (p.precision !== 'day') return null;
  return new Date(`${p.value}T00:00:00Z`);
}

/** Year for a day-and-month with no year: the latest such day not after publication. */
function inferYear(p: Published | null, month: number, day: number): number | null {
  if (!p) return null;
  const y = Number(p.value.slice(0, 4));
  if (p.precision === 'year') return y;
  const pm = Number(p.value.slice(5, 7));
  const pd = p.precision === 'day' ? Number(p.value.slice(8, 10)) : 31;
  return month < pm || (month === pm && day <= pd) ? y : y - 1;
}

/**
 * Date expressions in text: full dates, month and year, day and month (year from publication),
 * weekdays ("on Monday": the latest such day on or before publication), "today", "yesterday",
 * "last month/year", and years introduced by "in"/"since"/"during" (not "the 2021 ... Act").
 */
export function findDates(text: string, published: Published | null): DateMention[] {
  const out: DateMention[] = [];
  const taken = (s: number, e: number): boolean => out.some((d) => s < d.end && d.start < e);
  const push = (start: number, end: number, value: string | null, how: string): void => {
    if (value === null || taken(start, end)) return;
    out.push({ start, end, text: text.slice(start, end), value, how });
  };
  const all = (re: RegExp, fn: (m: RegExpMatchArray) => void): void => {
    for (const m of text.matchAll(re)) fn(m);
  };
  all(/\b(\d{4})-(\d{2})-(\d{2})\b/g, (m) => {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    push(m.index!, m.index! + m[0].length, valid(y, mo, d) ? m[0] : null, 'ISO date');
  });
  all(new RegExp(String.raw`\b(${MONTH})\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b`, 'g'), (m) => {
    const [mo, d, y] = [monthNo(m[1]!), Number(m[2]), Number(m[3])];
    push(m.index!, m.index! + m[0].length, valid(y, mo, d) ? `${y}-${pad(mo)}-${pad(d)}` : null, 'full date');
  });
  all(new RegExp(String.raw`\b(\d{1,2})(?:st|nd|rd|th)?\s+(${MONTH}),?\s+(\d{4})\b`, 'g'), (m) => {
    const [d, mo, y] = [Number(m[1]), monthNo(m[2]!), Number(m[3])];
    push(m.index!, m.index! + m[0].length, valid(y, mo, d) ? `${y}-${pad(mo)}-${pad(d)}` : null, 'full date');
  });
  all(new RegExp(String.raw`\b(${MONTH})\s+(\d{4})\b`, 'g'), (m) => {
    push(m.index!, m.index! + m[0].length, `${m[2]}-${pad(monthNo(m[1]!))}`, 'month and year');
  });
  const dayMonth = (start: number, end: number, mo: number, d: number): void => {
    const y = inferYear(published, mo, d);
    push(start, end, y !== null && valid(y, mo, d) ? `${y}-${pad(mo)}-${pad(d)}` : null, 'day and month, year from the published date');
  };
  all(new RegExp(String.raw`\b(${MONTH})\s+(\d{1,2})(?:st|nd|rd|th)?\b(?!\s*,?\s*\d{4})`, 'g'), (m) => {
    // "May 12" but not the modal "may": months as words must be capitalised.
    if (!/^[A-Z]/.test(m[1]!)) return;
    dayMonth(m.index!, m.index! + m[0].length, monthNo(m[1]!), Number(m[2]));
  });
  all(new RegExp(String.raw`\b(\d{1,2})(?:st|nd|rd|th)?\s+(${MONTH})\b(?!\s*,?\s*\d{4})`, 'g'), (m) => {
    if (!/^[A-Z]/.test(m[2]!)) return;
    dayMonth(m.index!, m.index! + m[0].length, monthNo(m[2]!), Number(m[1]));
  });
  const day = published ? dayOf(published) : null;
  all(/\b(?:(?:on|last|this|published|from)\s+)?(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b/g, (m) => {
    if (!day) return;
    const want = WEEKDAYS.indexOf(m[1]!.toLowerCase());
    const back = (day.getUTCDay() - want + 7) % 7;
    const d = new Date(day.getTime() - back * 86_400_000);
    push(m.index!, m.index! + m[0].length, d.toISOString().slice(0, 10), `weekday resolved against the published date ${published!.value}`);
  });
  all(/\b(today|yesterday)\b/gi, (m) => {
    if (!day) return;
    const back = m[1]!.toLowerCase() === 'today' ? 0 : 1;
    const d = new Date(day.getTime() - back * 86_400_000);
    push(m.index!, m.index! + m[0].length, d.toISOString().slice(0, 10), `'${m[1]}' resolved against the published date`);
  });
  all(/\blast\s+(month|year)\b/gi, (m) => {
    if (!published) return;
    const y = Number(published.value.slice(0, 4));
    if (m[1]!.toLowerCase() === 'year') {
      push(m.index!, m.index! + m[0].length, String(y - 1), "'last year' resolved against the published date");
    } else if (published.precision !== 'year') {
      const mo = Number(published.value.slice(5, 7));
      const v = mo === 1 ? `${y - 1}-12` : `${y}-${pad(mo - 1)}`;
      push(m.index!, m.index! + m[0].length, v, "'last month' resolved against the published date");
    }
  });
  // A month named alone after a preposition or "the" ("in January", "the January update"): the
  // latest such month not after publication.
  all(new RegExp(String.raw`\b(?:in|since|during|until|by|from|last|this|the|early|late|mid-?)\s+(${MONTH})\b(?!\s*,?\s*\d)`, 'g'), (m) => {
    if (!published || !/^[A-Z]/.test(m[1]!) || /\./.test(m[1]!)) return;
    const mo = monthNo(m[1]!);
    const py = Number(published.value.slice(0, 4));
    const pm = published.precision === 'year' ? 12 : Number(published.value.slice(5, 7));
    const y = mo <= pm ? py : py - 1;
    const start = m.index! + m[0].length - m[1]!.length;
    push(start, start + m[1]!.length, `${y}-${pad(mo)}`, 'month, year from the published date');
  });
  all(/\b(?:in|since|during|throughout|early|late|mid-?)\s+((?:19|20)\d{2})\b(?!\s*[\p{Lu}])/gu, (m) => {
    const yStart = m.index! + m[0].length - 4;
    push(yStart, yStart + 4, m[1]!, 'year');
  });
  return out.sort((a, b) => a.start - b.start);
}
