/** A date as known from a source, with how precise it is. */
/** 'time' is a full instant (posts carry one); the others are calendar precisions. */
export type DatePrecision = 'time' | 'day' | 'month' | 'year';

export interface PartialDate {
  /** ISO form at its precision: 2024, 2024-03 or 2024-03-15. */
  value: string;
  precision: DatePrecision;
}

const MONTHS = [
  'january', 'february', 'march', 'april', 'may', 'june',
  'july', 'august', 'september', 'october', 'november', 'december',
];

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function validDay(y: number, m: number, d: number): boolean {
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

/**
 * Reads a published date in the shapes real metadata uses (ISO date or timestamp,
 * "2024-03", "2024", "March 12, 2021", "12 March 2021", "March 2021") and keeps its precision.
 * Returns null when the text is not a date.
 */
export function parsePartialDate(input: string): PartialDate | null {
  const s = input.trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(s);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (!validDay(y, mo, d)) return null;
    if (s.length > 10) {
      const t = new Date(s);
      if (Number.isNaN(t.getTime())) return null;
      return { value: t.toISOString(), precision: 'time' };
    }
    return { value: `${m[1]}-${m[2]}-${m[3]}`, precision: 'day' };
  }
  m = /^(\d{4})-(\d{2})$/.exec(s);
  if (m) {
    const mo = Number(m[2]);
    return mo >= 1 && mo <= 12 ? { value: s, precision: 'month' } : null;
  }
  if (/^\d{4}$/.test(s)) return { value: s, precision: 'year' };
  m = /^([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$/.exec(s);
  if (m) return monthDay(m[1]!, Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})$/.exec(s);
  if (m) return monthDay(m[2]!, Number(m[1]), Number(m[3]));
  m = /^([A-Za-z]+)\.?\s+(\d{4})$/.exec(s);
  if (m) {
    const mo = monthIndex(m[1]!);
    return mo ? { value: `${m[2]}-${pad(mo)}`, precision: 'month' } : null;
  }
  return null;
}

export function monthIndex(name: string): number | null {
  const n = name.toLowerCase();
  if (n.length < 3) return null;
  const i = MONTHS.findIndex((full) => full.startsWith(n));
  return i < 0 ? null : i + 1;
}

function monthDay(monthName: string, d: number, y: number): PartialDate | null {
  const mo = monthIndex(monthName);
  if (!mo || !validDay(y, mo, d)) return null;
  return { value: `${y}-${pad(mo)}-${pad(d)}`, precision: 'day' };
}

/** First and last calendar day covered by a partial date, as ISO days. */
export function dateRange(d: PartialDate): { first: string; last: string } {
  if (d.precision === 'time') return { first: d.value.slice(0, 10), last: d.value.slice(0, 10) };
  if (d.precision === 'day') return { first: d.value, last: d.value };
  if (d.precision === 'month') {
    const [y, mo] = d.value.split('-').map(Number) as [number, number];
    const last = new Date(Date.UTC(y, mo, 0)).getUTCDate();
    return { first: `${d.value}-01`, last: `${d.value}-${pad(last)}` };
  }
  return { first: `${d.value}-01-01`, last: `${d.value}-12-31` };
}

export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}
