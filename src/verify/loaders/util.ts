import { parsePartialDate } from '../../domain/dates.js';
import { normaliseName } from '../../domain/name-match.js';

/** An ISO day from the date shapes lists use ("March 12, 2021", "2021-03-12", timestamps); null otherwise. */
export function isoDayOf(text: string | null | undefined): string | null {
  if (!text) return null;
  const d = parsePartialDate(text.trim());
  // Timestamps come back at a finer precision than a day: their calendar day is what lists need.
  return d && /^\d{4}-\d{2}-\d{2}/.test(d.value) ? d.value.slice(0, 10) : null;
}

/** A short stable key from a name, for record keys. */
export function slug(name: string): string {
  return normaliseName(name).replace(/ /g, '-').slice(0, 80) || 'unnamed';
}

/** Splits a list field ("a; b;c") into trimmed non-empty parts. */
export function splitList(text: string | null | undefined, sep: string | RegExp = ';'): string[] {
  if (!text) return [];
  return text.split(sep).map((s) => s.trim()).filter((s) => s.length > 0);
}

export function uniq<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}
