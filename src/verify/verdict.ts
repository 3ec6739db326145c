import type { Modality, Polarity, Predicate } from '../domain/claim.js';
import { isFactual } from '../domain/claim.js';
import type { DatePrecision, PartialDate } from '../domain/dates.js';
import { dateRange } from '../domain/dates.js';
import { compareNameSets, NAME_MATCH_THRESHOLD } from '../domain/name-match.js';
import type { AsOfBasis, EvidenceRef, Verdict, VerdictLabel } from '../domain/verdict.js';
import { listedOn, screenDetailed } from './screen.js';
import type { ScreenIndex, ScreenMatch } from './screen.js';
import type { CveRecord, ListRecord } from './types.js';

/** The lists a "US government list" claim (us-any) is checked against, when the workspace holds them. */
export const US_LIST_IDS = ['fcc-covered-list', 'us-1260h', 'us-entity-list', 'ofac-sdn', 'ofac-ns-cmic', 'uflpa', 'ndaa-889'] as const;

const LIST_NAMES: Record<string, string> = {
  'fcc-covered-list': 'the FCC Covered List',
  'us-1260h': 'the DoD Section 1260H list of Chinese military companies',
  'us-entity-list': 'the BIS Entity List',
  'ofac-sdn': 'the OFAC SDN list',
  'ofac-ns-cmic': 'the OFAC NS-CMIC list',
  uflpa: 'the UFLPA Entity List',
  'ndaa-889': 'the companies named in NDAA section 889',
};

/** Weaknesses that are a backdoor in the brief's sense: hidden functionality, hard-coded credentials. */
export const BACKDOOR_CWES = ['CWE-912', 'CWE-798'] as const;

/** What a verdict needs to know about the subject of a claim. */
export interface SubjectRefLike {
  name: string;
  aliases?: readonly string[];
  subsidiaries?: readonly string[];
  products?: readonly string[];
}

export interface ClaimToJudge {
  subject: SubjectRefLike;
  predicate: Predicate;
  object: string | null;
  polarity: Polarity;
  modality: Modality;
  /** ISO date at day, month or year precision the sentence gives to the fact. */
  eventDate: string | null;
  published: string | null;
  publishedPrecision: DatePrecision | null;
  /** ISO timestamp or day the document was captured. */
  capturedAt: string | null;
}

/** A stored dataset version, as the verdict rules need it. */
export interface DatasetVersionInfo {
  id: string;
  sourceId: string;
  /** Lists the version holds records for. */
  listIds: readonly string[];
  coverageFrom: string | null;
  coverageTo: string | null;
  complete: boolean;
  sourceUrl: string;
  /** Day retrieved: bounds open coverage (nothing is known about the list after it). */
  retrievedAt?: string | null;
}

export interface VerdictData {
  versions: readonly DatasetVersionInfo[];
  index: ScreenIndex;
  cves: readonly CveRecord[];
  ownership?: (name: string) => readonly string[];
  /** The version a record came from; defaults to a version holding the record's list. */
  versionOf?: (record: ListRecord) => DatasetVersionInfo | undefined;
}

interface Judged {
  label: VerdictLabel;
  evidence: EvidenceRef[];
  reason: string;
}

function versionCovers(v: DatasetVersionInfo, day: string): boolean {
  const from = v.coverageFrom ?? v.retrievedAt?.slice(0, 10) ?? null;
  const to = v.coverageTo ?? v.retrievedAt?.slice(0, 10) ?? null;
  return from !== null && from <= day && (to === null || day <= to);
}

function listName(id: string): string {
  return LIST_NAMES[id] ?? `the ${id} list`;
}

function recordEvidence(m: ScreenMatch, data: VerdictData, note: string): EvidenceRef {
  const v = data.versionOf?.(m.record) ?? data.versions.find((x) => x.listIds.includes(m.listId));
  return {
    type: 'record',
    datasetId: v?.sourceId ?? m.listId,
    datasetVersionId: v?.id ?? null,
    recordId: m.recordKey,
    documentId: null,
    sourceUrl: m.sourceUrl,
    note,
  };
}

function period(m: ScreenMatch): string {
  return `listed from ${m.listedFrom ?? 'an undated entry'}${m.listedUntil ? ` until ${m.listedUntil}` : ''}`;
}

/** Matches that identify the subject on a list (all dates), strongest identity first. */
function subjectMatches(claim: ClaimToJudge, listId: string, data: VerdictData): { usable: ScreenMatch[]; similar: ScreenMatch[] } {
  const opts = { listIds: [listId], aliases: claim.subject.aliases ?? [], ...(data.ownership ? { ownership: data.ownership } : {}) };
  const all = screenDetailed(data.index, claim.subject.name, opts).matches;
  let usable = all.filter((m) => m.basis !== 'name-similar');
  // When the subject's own name is on the list, other names that merely compare close (China
  // Telecom vs China Telecommunications) are different entities.
  if (usable.some((m) => m.basis === 'name' && m.exact)) usable = usable.filter((m) => m.basis !== 'name' || m.exact);
  return { usable, similar: all.filter((m) => m.basis === 'name-similar') };
}

function judgeListAt(claim: ClaimToJudge, listId: string, day: string, data: VerdictData): Judged {
  const { usable, similar } = subjectMatches(claim, listId, data);
  const covering = data.versions.filter((v) => v.listIds.includes(listId) && versionCovers(v, day));
  const on = usable.filter((m) => listedOn(m.record, day) && (m.listedFrom !== null || covering.length > 0));
  if (on.length > 0) {
    return {
      label: 'SUPPORTED',
      evidence: on.map((m) => recordEvidence(m, data, `${m.listedName} on ${listName(listId)}, ${period(m)} (${m.basis === 'name' ? 'name match' : m.basis})`)),
      reason: `${listName(listId)} lists ${claim.subject.name} on ${day}: ${on.map((m) => `"${m.listedName}" (${period(m)}; ${m.explanation})`).join('; ')}.`,
    };
  }
  const other = usable.map((m) => `"${m.listedName}" ${period(m)}`);
  const sim = similar.length ? ` Names that only resemble it (${similar.map((m) => `"${m.listedName}"`).join(', ')}) were not treated as the subject.` : '';
  const complete = covering.filter((v) => v.complete);
  if (complete.length > 0) {
    return {
      label: 'REFUTED',
      evidence: [
        ...complete.map((v) => ({ type: 'record' as const, datasetId: v.sourceId, datasetVersionId: v.id, recordId: null, documentId: null, sourceUrl: v.sourceUrl, note: `complete version covering ${day}: no entry for ${claim.subject.name}` })),
        ...usable.map((m) => recordEvidence(m, data, `${m.listedName}: ${period(m)}, so not listed on ${day}`)),
      ],
      reason:
        `${listName(listId)} as held in a complete version covering ${day} has no entry for ${claim.subject.name} on that day` +
        (other.length ? ` (its entries for the subject: ${other.join('; ')})` : '') + `.${sim}`,
    };
  }
  const why = covering.length > 0
    ? `only a partial version of ${listName(listId)} covers ${day}, and a partial list cannot show that an entity is absent`
    : `no version of ${listName(listId)} held covers ${day}`;
  return {
    label: 'NOT_ENOUGH_INFO',
    evidence: usable.map((m) => recordEvidence(m, data, `${m.listedName}: ${period(m)}`)),
    reason: `${claim.subject.name} is not found on ${listName(listId)} on ${day}, but ${why}.${sim}`,
  };
}

function heldUsLists(data: VerdictData): string[] {
  const held = new Set(data.versions.flatMap((v) => v.listIds));
  return US_LIST_IDS.filter((id) => held.has(id));
}

function judgeUsAnyAt(claim: ClaimToJudge, day: string, data: VerdictData): Judged {
  const lists = heldUsLists(data);
  const results = lists.map((id) => ({ id, j: judgeListAt(claim, id, day, data) }));
  const checked = `Lists checked: ${lists.map(listName).join(', ') || 'none held'}.`;
  const sup = results.filter((r) => r.j.label === 'SUPPORTED');
  if (sup.length > 0) return { label: 'SUPPORTED', evidence: sup.flatMap((r) => r.j.evidence), reason: `${sup.map((r) => r.j.reason).join(' ')} ${checked}` };
  if (results.length > 0 && results.every((r) => r.j.label === 'REFUTED')) {
    return { label: 'REFUTED', evidence: results.flatMap((r) => r.j.evidence), reason: `No US list held places ${claim.subject.name} on ${day}, and each is complete for that day. ${checked}` };
  }
  const open = results.filter((r) => r.j.label !== 'REFUTED').map((r) => listName(r.id));
  return {
    label: 'NOT_ENOUGH_INFO',
    evidence: results.flatMap((r) => r.j.evidence),
    reason: `${claim.subject.name} is on none of the US lists held on ${day}, but ${open.length ? `${open.join(', ')} cannot show absence for that day` : 'no US list is held'}. ${checked}`,
  };
}

function subjectCves(claim: ClaimToJudge, cves: readonly CveRecord[]): CveRecord[] {
  const names = [claim.subject.name, ...(claim.subject.aliases ?? [])];
  const products = (claim.subject.products ?? []).map((p) => p.toLowerCase());
  return cves.filter(
    (c) => compareNameSets(names, [c.vendor]).score >= NAME_MATCH_THRESHOLD || c.products.some((p) => products.includes(p.toLowerCase())),
  );
}

function cveEvidence(c: CveRecord, note: string): EvidenceRef {
  return { type: 'cve', datasetId: 'cve', datasetVersionId: null, recordId: c.cveId, documentId: null, sourceUrl: c.sourceUrl, note };
}

function judgeCveAt(claim: ClaimToJudge, day: string, data: VerdictData, backdoor: boolean): Judged {
  let cves = subjectCves(claim, data.cves);
  if (claim.object && /^CVE-\d{4}-\d+$/i.test(claim.object)) cves = cves.filter((c) => c.cveId.toUpperCase() === claim.object!.toUpperCase());
  if (backdoor) cves = cves.filter((c) => c.cwes.some((w) => (BACKDOOR_CWES as readonly string[]).includes(w)));
  const known = cves.filter((c) => c.published === null || c.published <= day);
  const what = backdoor ? 'a hidden-functionality (CWE-912) or hard-coded-credential (CWE-798) weakness' : 'a vulnerability';
  if (known.length > 0) {
    return {
      label: 'SUPPORTED',
      evidence: known.map((c) => cveEvidence(c, `${c.cveId} (${c.vendor} ${c.products.slice(0, 3).join(', ')}; ${c.cwes.join(', ') || 'no CWE'}), published ${c.published ?? 'on an unrecorded date'}`)),
      reason: `${known.map((c) => `${c.cveId} records ${what} in ${c.vendor} ${c.products.slice(0, 3).join(', ')}${c.published ? `, published ${c.published}` : ' (the record does not say when it was published)'}`).join('; ')}.`,
    };
  }
  const later = cves.filter((c) => c.published !== null && c.published > day);
  return {
    label: 'NOT_ENOUGH_INFO',
    evidence: later.map((c) => cveEvidence(c, `${c.cveId}, published ${c.published}, after ${day}`)),
    reason:
      `No vulnerability record held shows ${what} for ${claim.subject.name} by ${day}` +
      (later.length ? ` (${later.map((c) => c.cveId).join(', ')} came later)` : '') +
      '; vulnerability records are never a complete account, so absence decides nothing.',
  };
}

function judgeAt(claim: ClaimToJudge, day: string, data: VerdictData): Judged {
  switch (claim.predicate) {
    case 'listed':
      if (claim.object === 'us-any') return judgeUsAnyAt(claim, day, data);
      if (claim.object && data.versions.some((v) => v.listIds.includes(claim.object!))) return judgeListAt(claim, claim.object, day, data);
      return { label: 'NOT_ENOUGH_INFO', evidence: [], reason: `No version of ${claim.object ? listName(claim.object) : 'the list named'} is held.` };
    case 'banned':
      if (claim.object === 'fcc') {
        const j = judgeListAt(claim, 'fcc-covered-list', day, data);
        return { ...j, reason: `An FCC ban means the Covered List (the bar on equipment authorisation). ${j.reason}` };
      }
      return { label: 'NOT_ENOUGH_INFO', evidence: [], reason: `No official list held decides a ban by ${claim.object ?? 'an unnamed authority'}.` };
    case 'vulnerable':
      return judgeCveAt(claim, day, data, false);
    case 'backdoor':
      return judgeCveAt(claim, day, data, true);
    case 'state-control': {
      const j = judgeListAt(claim, 'us-1260h', day, data);
      const listed = j.label === 'SUPPORTED';
      return {
        label: 'NOT_ENOUGH_INFO',
        evidence: listed ? j.evidence : [],
        reason: listed
          ? `The DoD lists ${claim.subject.name} as a Chinese military company on ${day} (shown as evidence), but a designation is not proof of ownership or control; an analyst has to decide.`
          : `No official record held settles who owns or controls ${claim.subject.name}; an analyst has to decide.`,
      };
    }
    case 'data-access':
      return { label: 'NOT_ENOUGH_INFO', evidence: [], reason: `No official record held settles whether ${claim.subject.name} can reach customer or device data; an analyst has to decide.` };
    case 'other':
      return { label: 'NOT_ENOUGH_INFO', evidence: [], reason: 'The statement falls outside the predicates the official records can check.' };
  }
}

/** Days inside [first, last] where a judgement could change: coverage and listing boundaries. */
function changeDays(first: string, last: string, data: VerdictData): string[] {
  const days = new Set([first, last]);
  const add = (d: string | null | undefined): void => {
    if (d && d > first && d <= last) days.add(d);
  };
  for (const r of data.index.records) {
    add(r.listedFrom);
    add(r.listedUntil);
  }
  for (const v of data.versions) {
    add(v.coverageFrom);
    add(v.coverageTo);
  }
  for (const c of data.cves) add(c.published);
  return [...days].sort();
}

const FLIP: Record<VerdictLabel, VerdictLabel> = { SUPPORTED: 'REFUTED', REFUTED: 'SUPPORTED', NOT_ENOUGH_INFO: 'NOT_ENOUGH_INFO' };

function claimText(claim: ClaimToJudge): string {
  const obj = claim.object ? ` ${claim.object}` : '';
  return `"${claim.subject.name} ${claim.predicate}${obj}"${claim.polarity === 'denied' ? ' (denied)' : ''}`;
}

/**
 * Judges a factual claim against the official records as of its date (domain brief section 4).
 * Returns null for demanded, hypothetical and questioned statements, which are not statements
 * of fact. A denial gets the opposite label of the claim it denies.
 */
export function judgeClaim(claim: ClaimToJudge, data: VerdictData): Verdict | null {
  if (!isFactual(claim.modality)) return null;
  let basis: AsOfBasis;
  let pd: PartialDate;
  let dateNote: string;
  if (claim.eventDate) {
    basis = 'event-date';
    pd = { value: claim.eventDate, precision: claim.eventDate.length === 4 ? 'year' : claim.eventDate.length === 7 ? 'month' : 'day' };
    dateNote = pd.precision === 'day'
      ? `The sentence dates the fact to ${pd.value}, so it is judged as of that day.`
      : `The sentence dates the change to ${pd.value}, so it is judged as the records stood at the end of that period.`;
  } else if (claim.published) {
    basis = 'published';
    pd = { value: claim.published.slice(0, claim.publishedPrecision === 'year' ? 4 : claim.publishedPrecision === 'month' ? 7 : 10), precision: claim.publishedPrecision ?? 'day' };
    dateNote = `Judged as of the publication date${pd.precision === 'day' ? ` ${pd.value}` : ` (known only as ${pd.value})`}.`;
  } else if (claim.capturedAt) {
    basis = 'captured';
    pd = { value: claim.capturedAt.slice(0, 10), precision: 'day' };
    dateNote = `Publication date unknown: judged as the page stood when captured on ${pd.value}.`;
  } else {
    return { label: 'NOT_ENOUGH_INFO', asOf: '', asOfBasis: 'captured', explanation: `${claimText(claim)} has no event, publication or capture date, so it cannot be judged as of any day.`, evidence: [] };
  }
  const { first, last } = dateRange(pd);
  let judged: Judged;
  if (pd.precision !== 'day' && basis === 'published') {
    const byDay = changeDays(first, last, data).map((d) => ({ d, j: judgeAt(claim, d, data) }));
    const labels = new Set(byDay.map((x) => x.j.label));
    if (labels.size === 1) {
      judged = byDay[byDay.length - 1]!.j;
      dateNote += ` The answer is the same for every day of ${pd.value}, so it is given as of ${last}.`;
    } else {
      const change = byDay.map((x) => `${x.d}: ${x.j.label}`).join(', ');
      judged = { label: 'NOT_ENOUGH_INFO', evidence: byDay.flatMap((x) => x.j.evidence), reason: `The answer changes within ${pd.value} (${change}), and the document does not say on which day it was published.` };
    }
  } else {
    judged = judgeAt(claim, last, data);
  }
  const label = claim.polarity === 'denied' ? FLIP[judged.label] : judged.label;
  const denial = claim.polarity === 'denied' && judged.label !== 'NOT_ENOUGH_INFO'
    ? ` The statement denies this, so the denial is ${label === 'SUPPORTED' ? 'true' : 'false'} as of that day.`
    : '';
  return {
    label,
    asOf: last,
    asOfBasis: basis,
    explanation: `${label} for ${claimText(claim)}. ${dateNote} ${judged.reason}${denial}`,
    evidence: judged.evidence,
  };
}
