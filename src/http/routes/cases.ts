import { z } from 'zod';
import { createCase, loadCase } from '../../respond/cases.js';
import { LETTER_FORMATS, LETTER_KINDS, renderLetter, type LetterFormat, type LetterKind } from '../../respond/letters.js';
import { CasesRepo } from '../../store/cases-repo.js';
import { RegistryRepo } from '../../store/registry-repo.js';
import type { Workspace } from '../../store/workspace.js';
import { auditUser, pageQuery, paginate, type Route } from '../router.js';

/** Content types of the letter formats; docx and pdf are served as attachments. */
export const LETTER_CONTENT_TYPES: Readonly<Record<LetterFormat, string>> = {
  md: 'text/markdown; charset=utf-8',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
};

/** The file name a letter is served under: kind and case id, so two drafts never collide. */
export function letterFileName(caseId: string, kind: LetterKind, format: LetterFormat): string {
  return `${kind}-${caseId}.${format}`;
}

/** Statuses after which a new case may be opened against the same respondent (as createCase rules). */
const FINAL = new Set(['retracted', 'refused']);

/** An unfinished case against the respondent (about the subject, when one is named). */
async function openCaseOf(ws: Workspace, respondent: string, subject: string | undefined): Promise<string | null> {
  const registry = new RegistryRepo(ws.db, ws.id);
  const actor = await registry.requireActor(respondent);
  let subjectId: string | undefined;
  if (subject !== undefined) {
    const lower = subject.toLowerCase();
    const s = (await registry.listSubjects()).find((x) => x.id === subject || x.name.toLowerCase() === lower || x.aliases.some((a) => a.toLowerCase() === lower));
    // An unknown subject is createCase's error to report, with its wording.
    if (!s) return null;
    subjectId = s.id;
  }
  const open = (await new CasesRepo(ws.db, ws.id).list()).find(
    (c) => c.respondentActorId === actor.id && !FINAL.has(c.status) && (subjectId === undefined || c.data['subjectId'] === subjectId),
  );
  return open?.id ?? null;
}

export const caseRoutes: Route[] = [
  {
    spec: { operationId: 'listCases', method: 'get', path: '/cases', role: 'counsel', tag: 'cases', summary: 'Response cases (counsel and admin only; every read is audited)', query: pageQuery, paginated: true, auditRead: true, target: 'case' },
    handler: async ({ ws, query }) => paginate(await new CasesRepo(ws.db, ws.id).list(), query),
  },
  {
    spec: {
      operationId: 'createCase', method: 'post', path: '/cases', role: 'counsel', tag: 'cases', target: 'case',
      summary: 'Open a case against a respondent with REFUTED statements; answers 200 with the unfinished case already open against it instead of a second one',
      body: z.object({ respondent: z.string().min(1).max(300), subject: z.string().min(1).max(300).optional() }),
    },
    handler: async ({ c, ws, token, body, note }) => {
      const b = body as { respondent: string; subject?: string };
      const existing = await openCaseOf(ws, b.respondent, b.subject);
      if (existing) {
        note({ targetId: existing, respondent: b.respondent, created: false });
        return c.json({ ...(await loadCase(ws, existing)), created: false }, 200);
      }
      const file = await createCase(ws, b.respondent, { user: auditUser(token), ...(b.subject !== undefined ? { subject: b.subject } : {}) });
      note({ targetId: file.id, respondent: file.respondent.name, subject: file.subject.name, created: true });
      return { ...file, created: true };
    },
  },
  {
    spec: { operationId: 'getCase', method: 'get', path: '/cases/:id', role: 'counsel', tag: 'cases', summary: 'A case file: own and reported statements with current verdicts, narratives, campaigns, affiliations and status history (counsel and admin only; audited)', auditRead: true, target: 'case' },
    handler: async ({ ws, params }) => loadCase(ws, params['id']!),
  },
  {
    spec: {
      operationId: 'getCaseLetter', method: 'get', path: '/cases/:id/letter', role: 'counsel', tag: 'cases', auditRead: true, target: 'case', binary: true, contentTypes: Object.values(LETTER_CONTENT_TYPES),
      summary: 'A draft letter for counsel rendered from the case: Markdown as text/markdown, docx and pdf as attachments (audited)',
      query: z.object({ kind: z.enum(LETTER_KINDS).default('cease-and-desist'), format: z.enum(LETTER_FORMATS).default('md') }),
    },
    handler: async ({ c, ws, params, query, note }) => {
      const kind = query['kind'] as LetterKind;
      const format = query['format'] as LetterFormat;
      const id = params['id']!;
      const { bytes } = await renderLetter(ws, id, { kind, format });
      note({ letter: kind, format, bytes: bytes.length });
      const name = letterFileName(id, kind, format);
      return c.body(new Uint8Array(bytes), 200, {
        'Content-Type': LETTER_CONTENT_TYPES[format],
        'Content-Disposition': `${format === 'md' ? 'inline' : 'attachment'}; filename="${name}"`,
      });
    },
  },
];
