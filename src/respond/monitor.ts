import { join } from 'node:path';
import { recapture, type RecaptureResult } from '../capture/recapture.js';
import { readRecord } from '../capture/warc.js';
import { errorMessage } from '../errors.js';
import { AuditRepo } from '../store/audit-repo.js';
import { DocumentsRepo, type CaptureInfo } from '../store/documents-repo.js';
import type { Workspace } from '../store/workspace.js';
import {
  caseMonitorState,
  changeCaseStatus,
  listCases,
  OPEN_STATUSES,
  saveCaseMonitorState,
  type CaseFile,
  type CaseStatement,
} from './cases.js';

/** What happened to one statement at its URL since the last capture. */
export type StatementOutcome = 'unchanged' | 'edited' | 'corrected' | 'removed' | 'failed' | 'skipped';

/** Words that say a publisher took something back; added wording counts, wording already there does not. */
export const CORRECTION_WORDING =
  /(\bcorrection:|\beditor['\u2019]s note\b|\bthis (?:article|post|page|statement|story) (?:has been|was) (?:corrected|updated|amended)\b|\bwe (?:have )?(?:corrected|retracted|withdrawn|withdrew|retract)\b|\bretract(?:s|ed|ion)\b|\b(?:was|is|were|has been|have been) (?:withdrawn|incorrect|inaccurate|false|wrong)\b|\bshould not have (?:said|stated|claimed)\b|\ban earlier version of this\b)/i;

export interface MonitoredStatement {
  claimId: string;
  quote: string;
  outcome: StatementOutcome;
}

export interface MonitoredDocument {
  documentId: string;
  url: string;
  outcome: StatementOutcome;
  httpStatus: number | null;
  captureId: string | null;
  diff: string | null;
  reason: string | null;
  statements: MonitoredStatement[];
}

export interface MonitorCaseReport {
  caseId: string;
  respondent: string;
  statusBefore: string;
  statusAfter: string;
  documents: MonitoredDocument[];
}

export interface MonitorOptions {
  allowPrivateNetwork?: boolean;
  user?: string;
}

function normal(s: string): string {
  return s
    .toLowerCase()
    .replace(/[\u2018\u2019\u201c\u201d"'`]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function captureText(ws: Workspace, cap: CaptureInfo | undefined): string | null {
  if (!cap || cap.conversionOffset === null || cap.conversionLength === null) return null;
  return readRecord(
    join(ws.paths.root, cap.warcFile),
    cap.conversionOffset,
    cap.conversionLength,
  ).block.toString('utf8');
}

function isUrl(s: string): boolean {
  return /^https?:\/\//i.test(s);
}

/** Judges one statement against the page as it stands now. */
export function judgeStatement(
  quote: string,
  before: string | null,
  after: string | null,
  httpStatus: number | null,
  textChanged: boolean,
): StatementOutcome {
  if (httpStatus === 404 || httpStatus === 410) return 'removed';
  const present = after !== null && normal(after).includes(normal(quote));
  const newWording =
    after !== null && CORRECTION_WORDING.test(after) && !(before !== null && CORRECTION_WORDING.test(before));
  if (newWording) return 'corrected';
  if (!present) return 'removed';
  return textChanged ? 'edited' : 'unchanged';
}

async function checkDocument(
  ws: Workspace,
  documentId: string,
  url: string,
  statements: CaseStatement[],
  opts: MonitorOptions,
): Promise<MonitoredDocument> {
  const docs = new DocumentsRepo(ws.db, ws.id);
  const base: MonitoredDocument = {
    documentId,
    url,
    outcome: 'skipped',
    httpStatus: null,
    captureId: null,
    diff: null,
    reason: null,
    statements: [],
  };
  const mark = (outcome: StatementOutcome, reason: string | null): MonitoredDocument => ({
    ...base,
    outcome,
    reason,
    statements: statements.map((s) => ({ claimId: s.claimId, quote: s.quote, outcome })),
  });
  if (!isUrl(url)) return mark('skipped', 'not a URL: captured from a file');
  const caps = await docs.captures(documentId);
  const before = captureText(ws, caps[caps.length - 1]) ?? (await docs.get(documentId)).text;
  let r: RecaptureResult | undefined;
  try {
    [r] = await recapture(
      ws,
      { documentId },
      opts.allowPrivateNetwork === undefined ? {} : { allowPrivateNetwork: opts.allowPrivateNetwork },
    );
  } catch (err) {
    return mark('skipped', errorMessage(err));
  }
  if (!r || r.status === 'failed' || !r.captureId) return mark('failed', r?.error ?? 'nothing was captured');
  const after = captureText(
    ws,
    (await docs.captures(documentId)).find((c) => c.id === r.captureId),
  );
  const judged = statements.map((s) => ({
    claimId: s.claimId,
    quote: s.quote,
    outcome: judgeStatement(s.quote, before, after, r.httpStatus, r.textChanged === true),
  }));
  const rank: StatementOutcome[] = ['removed', 'corrected', 'edited', 'unchanged'];
  const outcome = rank.find((o) => judged.some((j) => j.outcome === o)) ?? 'unchanged';
  return {
    ...base,
    outcome,
    httpStatus: r.httpStatus,
    captureId: r.captureId,
    diff: r.diff,
    reason: null,
    statements: judged,
  };
}

/**
 * A case is retracted when every statement the respondent published at a URL we could check is
 * gone (page removed, or the words no longer there) or corrected (retraction wording added).
 * Statements only reported by others cannot be retracted by the respondent, so they decide only
 * when the case has none of its own.
 */
function retracted(c: CaseFile, docs: MonitoredDocument[]): boolean {
  const own = new Set((c.statements.length > 0 ? c.statements : c.reported).map((s) => s.claimId));
  const judged = docs
    .flatMap((d) => d.statements)
    .filter((s) => own.has(s.claimId) && s.outcome !== 'skipped' && s.outcome !== 'failed');
  return judged.length > 0 && judged.every((s) => s.outcome === 'removed' || s.outcome === 'corrected');
}

/**
 * Captures again every URL cited in open cases (sent or responded), through the SSRF-safe
 * fetcher, and records each new capture in the WARC files and the evidence log. Edits, removals
 * and corrections are recorded on the case's audit trail with the diff; a case whose statements
 * are all gone or corrected moves to `retracted`, with the diffs and capture ids as evidence.
 */
export async function monitorCases(ws: Workspace, opts: MonitorOptions = {}): Promise<MonitorCaseReport[]> {
  const reports: MonitorCaseReport[] = [];
  const audit = new AuditRepo(ws.db, ws.id);
  const user = opts.user ?? ws.config.user;
  for (const c of await listCases(ws, { status: OPEN_STATUSES })) {
    const byDoc = new Map<string, { url: string; statements: CaseStatement[] }>();
    for (const s of [...c.statements, ...c.reported]) {
      const entry = byDoc.get(s.documentId) ?? { url: s.url, statements: [] };
      entry.statements.push(s);
      byDoc.set(s.documentId, entry);
    }
    const documents: MonitoredDocument[] = [];
    for (const [documentId, d] of byDoc)
      documents.push(await checkDocument(ws, documentId, d.url, d.statements, opts));
    const evidence = documents
      .filter((d) => d.captureId !== null)
      .map((d) => ({
        documentId: d.documentId,
        url: d.url,
        outcome: d.outcome,
        httpStatus: d.httpStatus,
        captureId: d.captureId,
        diff: d.diff,
        statements: d.statements,
      }));
    let statusAfter: string = c.status;
    if (retracted(c, documents)) {
      const how = documents
        .filter((d) => d.outcome === 'removed' || d.outcome === 'corrected')
        .map((d) => `${d.outcome} at ${d.url}`);
      await changeCaseStatus(ws, c.id, 'retracted', {
        user,
        note: `monitor: statements ${how.join('; ')}`,
        details: { by: 'monitor', evidence },
      });
      statusAfter = 'retracted';
    } else if (documents.some((d) => d.outcome !== 'unchanged')) {
      await audit.record(user, 'case.monitor', 'case', c.id, {
        by: 'monitor',
        evidence,
        skipped: documents
          .filter((d) => d.outcome === 'skipped' || d.outcome === 'failed')
          .map((d) => ({ url: d.url, reason: d.reason })),
      });
    }
    const state = await caseMonitorState(ws, c.id);
    const checks = Array.isArray(state['checks']) ? (state['checks'] as unknown[]) : [];
    await saveCaseMonitorState(ws, c.id, {
      lastCheckedAt: new Date().toISOString(),
      checks: [
        ...checks,
        {
          at: new Date().toISOString(),
          documents: documents.map((d) => ({
            documentId: d.documentId,
            outcome: d.outcome,
            captureId: d.captureId,
            httpStatus: d.httpStatus,
          })),
        },
      ].slice(-50),
    });
    reports.push({
      caseId: c.id,
      respondent: c.respondent.name,
      statusBefore: c.status,
      statusAfter,
      documents,
    });
  }
  return reports;
}
