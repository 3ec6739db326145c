import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../errors.js';
import type { Workspace } from '../store/workspace.js';
import { loadCase, type CaseFile, type CaseStatement } from './cases.js';
import { markdownToDocx, markdownToPdf } from './render.js';
import { renderTemplate } from './template.js';

export const LETTER_KINDS = ['cease-and-desist', 'retraction'] as const;
export type LetterKind = (typeof LETTER_KINDS)[number];
export const LETTER_FORMATS = ['md', 'docx', 'pdf'] as const;
export type LetterFormat = (typeof LETTER_FORMATS)[number];

/** The bundled templates: <package>/templates/letters (from src/respond or dist/respond alike). */
export const DEFAULT_TEMPLATE_DIR = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'templates',
  'letters',
);

export const DRAFT_NOTICE =
  'DRAFT FOR COUNSEL - NOT SENT. Prepared by claimtrace for review by a lawyer; the tool never sends letters.';

export interface Sender {
  name: string;
  address?: string;
  contact?: string;
}

export interface LetterOptions {
  kind: LetterKind;
  sender?: Sender;
  /** Days the respondent has to comply (default 14). */
  deadlineDays?: number;
  /** Date of the letter, YYYY-MM-DD (default today). */
  date?: string;
  /** Replaces the default description of harm. */
  harm?: string;
  /** A folder of templates to use instead of the bundled ones. */
  templateDir?: string;
}

export interface Letter {
  kind: LetterKind;
  caseId: string;
  markdown: string;
  /** The values the template was filled with (for tests and for the evidence pack). */
  view: Record<string, unknown>;
}

const REMEDIES: Record<LetterKind, string[]> = {
  'cease-and-desist': [
    'Stop making the statements quoted above, and every statement to the same effect, in any medium.',
    'Remove them from every page, post, document and feed you control, and ask those who republished them at your request to do the same.',
    'Undertake in writing not to repeat them or anything to the same effect.',
  ],
  retraction: [
    'Publish a retraction and correction of each statement quoted above, as prominent as the original: in the same place, with the same reach, and linked from the original location.',
    'Remove the original statements, or mark them clearly as withdrawn and corrected at their original location.',
    'Undertake in writing not to repeat them or anything to the same effect.',
  ],
};

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

function evidenceLines(s: CaseStatement): string[] {
  return s.verdict.evidence.map((e) => {
    const where = [
      e.sourceUrl,
      e.datasetVersionId ? `dataset version ${e.datasetVersionId}` : null,
      e.recordId ? `record ${e.recordId}` : null,
      e.documentId ? `document ${e.documentId}` : null,
    ]
      .filter((x): x is string => x !== null)
      .join(', ');
    return `${e.note}${where ? ` (${where})` : ''}`;
  });
}

function statementView(s: CaseStatement): Record<string, unknown> {
  const v = s.verdict;
  const asOf = v.asOf ? ` as of ${v.asOf}` : '';
  const who = v.human
    ? `decided by a human reviewer (${v.reviewer ?? 'unknown'})`
    : 'automatic verdict from official records';
  return {
    quote: s.quote,
    url: s.url,
    published: s.published,
    publishedText: s.published ?? 'not stated on the page; see the capture date in the evidence pack',
    author: s.author ?? 'unknown',
    speaker: s.speaker ?? 'unknown',
    meaning: s.meaning,
    verdict: v.label,
    verdictLine: `verdict ${v.label}${asOf}, ${who}.`,
    explanation: v.explanation || (v.human ? (v.reviewReason ?? '') : ''),
    humanDecision: v.human,
    humanDecisionText: v.human
      ? `this label was set by ${v.reviewer ?? 'an analyst'} (human review${v.automaticLabel ? `, overriding the automatic ${v.automaticLabel}` : ''}): ${v.reviewReason ?? ''}`
      : '',
    evidence: evidenceLines(s),
    claimId: s.claimId,
    documentId: s.documentId,
  };
}

function defaultHarm(c: CaseFile): string {
  const n = c.statements.length + c.reported.length;
  const campaign =
    c.campaigns.length > 0
      ? ` They were repeated as part of a coordinated campaign (${c.campaigns.map((x) => x.label).join('; ')}), which multiplied their reach.`
      : '';
  return (
    `The ${n === 1 ? 'statement tells' : `${n} statements tell`} customers, distributors and regulators that ${c.subject.name} is restricted, banned or unsafe when it is not. ` +
    `They damage ${c.subject.name}'s reputation and its relationships with customers who rely on a lawful and trustworthy supply, and they cause loss of business.${campaign}`
  );
}

function contextLines(c: CaseFile): string[] {
  const out: string[] = [];
  for (const cm of c.campaigns)
    out.push(
      `You are part of a group of actors found to act in coordination: ${cm.label}. ${cm.explanation}`,
    );
  for (const a of c.affiliations) out.push(`Undisclosed affiliation: ${a.description}.`);
  for (const n of c.narratives) out.push(`Your statements express the narrative "${n.representative}".`);
  return out;
}

/** The values a letter template is filled with; every placeholder in README.md comes from here. */
export function letterView(c: CaseFile, opts: LetterOptions): Record<string, unknown> {
  const date = opts.date ?? new Date().toISOString().slice(0, 10);
  const deadlineDays = opts.deadlineDays ?? 14;
  if (!Number.isInteger(deadlineDays) || deadlineDays < 1)
    throw new AppError('invalid_input', `the deadline must be a whole number of days (got ${deadlineDays})`);
  const sender = opts.sender ?? { name: c.subject.name };
  const context = contextLines(c);
  return {
    draftNotice: DRAFT_NOTICE,
    kind: opts.kind,
    caseId: c.id,
    date,
    sender: { name: sender.name, address: sender.address ?? '', contact: sender.contact ?? '' },
    respondent: c.respondent.name,
    subject: c.subject.name,
    statements: c.statements.map(statementView),
    reported: c.reported.map(statementView),
    hasReported: c.reported.length > 0,
    context,
    hasContext: context.length > 0,
    harm: opts.harm ?? defaultHarm(c),
    remedies: REMEDIES[opts.kind],
    deadline: addDays(date, deadlineDays),
    deadlineDays,
    preservation:
      'Preserve every document, page version, post, draft, message, analytics record and communication relating to these statements and to ' +
      `${c.subject.name}, including those exchanged with any other party named in this letter. Do not delete or alter them: this material may be needed in legal proceedings, and removing a statement from public view must not destroy the record of it.`,
    jurisdictionNote:
      'Check the notice rules of the forum before sending: in California (Civ. Code 48a) a correction demand must be served within 20 days of learning of the publication; in England and Wales the pre-action protocol for media and communications claims expects the words complained of, their meaning and the inaccuracy, and claims must be brought within one year.',
  };
}

function templateFor(kind: LetterKind, dir: string | undefined): { path: string; text: string } {
  const folder = dir ?? DEFAULT_TEMPLATE_DIR;
  const path = join(folder, `${kind}.md`);
  if (!existsSync(path))
    throw new AppError(
      'not_found',
      `no letter template ${path}: a template folder holds cease-and-desist.md and retraction.md`,
    );
  return { path, text: readFileSync(path, 'utf8') };
}

/** Fills the template of the chosen kind for a case; the result is Markdown and always a draft. */
export function buildLetter(c: CaseFile, opts: LetterOptions): Letter {
  if (c.statements.length + c.reported.length === 0) {
    throw new AppError(
      'invalid_input',
      `case ${c.id} has no statement with a verdict left: nothing to write about`,
    );
  }
  const view = letterView(c, opts);
  const t = templateFor(opts.kind, opts.templateDir);
  let md =
    renderTemplate(t.text, view, t.path)
      .replace(/\n{3,}/g, '\n\n')
      .trim() + '\n';
  // An edited template must not drop the draft warning: it is what keeps a letter from going out unreviewed.
  if (!md.includes(DRAFT_NOTICE)) md = `**${DRAFT_NOTICE}**\n\n${md}`;
  return { kind: opts.kind, caseId: c.id, markdown: md, view };
}

/** Builds a letter for a stored case in one of the three formats. */
export async function renderLetter(
  ws: Workspace,
  caseId: string,
  opts: LetterOptions & { format: LetterFormat },
): Promise<{ letter: Letter; bytes: Buffer }> {
  const c = await loadCase(ws, caseId);
  const letter = buildLetter(c, opts);
  const meta = {
    title: `${opts.kind === 'retraction' ? 'Retraction demand' : 'Cease and desist'} - ${c.respondent.name} (DRAFT)`,
    creator: (opts.sender ?? { name: c.subject.name }).name,
  };
  const bytes =
    opts.format === 'md'
      ? Buffer.from(letter.markdown, 'utf8')
      : opts.format === 'docx'
        ? await markdownToDocx(letter.markdown, meta)
        : await markdownToPdf(letter.markdown, meta);
  return { letter, bytes };
}
