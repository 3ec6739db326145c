import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mammoth from 'mammoth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../src/domain/ids.js';
import {
  changeCaseStatus,
  createCase,
  listCases,
  loadCase,
  type CaseFile,
  type CaseStatement,
} from '../src/respond/cases.js';
import { claimReviewJsonLd } from '../src/respond/claimreview.js';
import { DRAFT_NOTICE, renderLetter, type LetterKind } from '../src/respond/letters.js';
import { buildPack, verifyPack } from '../src/respond/pack.js';
import { AuditRepo } from '../src/store/audit-repo.js';
import { ClaimsRepo } from '../src/store/claims-repo.js';
import { RegistryRepo } from '../src/store/registry-repo.js';
import type { Workspace } from '../src/store/workspace.js';
import { tempDir } from './support/databases.js';
import { exampleWorkspace } from './respond-setup.js';

let ws: Workspace;
let cases: CaseFile[];
let tolliver: CaseFile;
let altamesh: CaseFile;
const REVIEWER = 'counsel-reviewer';
const out = tempDir('claimtrace-letters-');

/** Whitespace differs between formats (line wrapping in PDF): compare without it. */
function squash(s: string): string {
  return s
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\s*]+/g, '');
}

beforeAll(async () => {
  ws = await exampleWorkspace();
  // Respondents: everyone who published a REFUTED statement or is quoted as making one, except the subjects themselves.
  const subjects = new Set((await new RegistryRepo(ws.db, ws.id).listSubjects()).map((s) => s.actorId));
  const docs = await ws.db.selectFrom('documents').select(['id', 'actor_id']).execute();
  const docActor = new Map(docs.map((d) => [d.id, d.actor_id]));
  const respondents = new Set<string>();
  for (const c of await new ClaimsRepo(ws.db, ws.id).list({
    verdict: 'REFUTED',
    subject: 'Norvane Wireless',
  })) {
    if (c.modality !== 'asserted' && c.modality !== 'reported') continue;
    const publisher = docActor.get(c.documentId) ?? null;
    if (
      publisher &&
      !subjects.has(publisher) &&
      (c.modality === 'asserted' || c.speakerActorId === publisher)
    )
      respondents.add(publisher);
    if (c.speakerActorId && !subjects.has(c.speakerActorId)) respondents.add(c.speakerActorId);
  }
  for (const id of respondents) await createCase(ws, id, { subject: 'Norvane Wireless' });
  cases = await listCases(ws);
  tolliver = cases.find((c) => c.respondent.name === 'Graham Tolliver')!;
  altamesh = cases.find((c) => c.respondent.name === 'Altamesh Communications')!;
  // An analyst confirms one of Tolliver's statements: letters must show it as a human decision.
  const reviewed = tolliver.statements[0]!;
  await ws.db
    .insertInto('reviews')
    .values({
      id: newId('rev'),
      claim_id: reviewed.claimId,
      verdict_id: null,
      action: 'confirm',
      label: 'REFUTED',
      reason: 'Confirmed against the FCC Covered List and the FCC chair letter of September 2023',
      evidence_document_id: null,
      user: REVIEWER,
      current: 1,
      created_at: new Date().toISOString(),
    })
    .execute();
  tolliver = await loadCase(ws, tolliver.id);
});

afterAll(async () => {
  await ws?.close();
});

describe('cases on the example case', () => {
  it('opens one case per respondent with false statements, the campaign voices among them', () => {
    const names = cases.map((c) => c.respondent.name);
    expect(new Set(names).size).toBe(names.length);
    // The campaign's author and the competitor behind it; who else qualifies depends on the extractor and the lists.
    for (const n of ['Graham Tolliver', 'Altamesh Communications']) expect(names).toContain(n);
    expect(names.length).toBeGreaterThanOrEqual(3);
    expect(names).not.toContain('Norvane Wireless');
    for (const c of cases) {
      expect(c.status).toBe('draft');
      expect(c.statements.length + c.reported.length).toBeGreaterThan(0);
      for (const s of [...c.statements, ...c.reported]) expect(s.verdict.label).toBe('REFUTED');
    }
  });

  it("keeps the respondent's own statements apart from those others report it said", async () => {
    const docs = new Map(
      (await ws.db.selectFrom('documents').select(['id', 'actor_id']).execute()).map((d) => [
        d.id,
        d.actor_id,
      ]),
    );
    for (const c of cases) {
      for (const s of c.statements) expect(docs.get(s.documentId)).toBe(c.respondent.id);
      for (const s of c.reported) expect(docs.get(s.documentId)).not.toBe(c.respondent.id);
    }
    expect(altamesh.reported.length).toBeGreaterThan(0);
    expect(altamesh.reported[0]!.author).toBe('Norvane Wireless');
  });

  it('finds undisclosed affiliations within two hops of a competitor', () => {
    expect(tolliver.affiliations.map((a) => a.description)).toContain(
      'Graham Tolliver is a senior fellow of Halberd Defense Forum, which is funded by competitor Altamesh Communications',
    );
    expect(tolliver.affiliations[0]!.path.map((p) => [p.type, p.role])).toEqual([
      ['employment', 'senior fellow'],
      ['funding', null],
    ]);
    expect(altamesh.affiliations.map((a) => a.description)).toContain(
      'Altamesh Communications is itself a competitor of Norvane Wireless',
    );
  });

  it('refuses a second open case against the same respondent, and a case with nothing false', async () => {
    await expect(createCase(ws, 'Graham Tolliver', { subject: 'Norvane Wireless' })).rejects.toThrow(
      /still draft/,
    );
    await expect(createCase(ws, 'Priya Ramanathan')).rejects.toThrow(/no REFUTED statements/);
    await expect(createCase(ws, 'Norvane Wireless', { subject: 'Norvane Wireless' })).rejects.toThrow(
      /subject itself/,
    );
  });

  it('moves along the status machine only, each change in the audit log with date, note and user', async () => {
    const alliance = cases.find((c) => c.id !== tolliver.id && c.id !== altamesh.id)!;
    await expect(changeCaseStatus(ws, alliance.id, 'retracted')).rejects.toThrow(
      /cannot go from draft to retracted/,
    );
    await changeCaseStatus(ws, alliance.id, 'sent', {
      note: 'sent by outside counsel on letterhead',
      user: 'alice',
    });
    const after = await changeCaseStatus(ws, alliance.id, 'responded', {
      note: 'they asked for the evidence',
    });
    expect(after.status).toBe('responded');
    const entries = await new AuditRepo(ws.db, ws.id).list({ targetType: 'case', targetId: alliance.id });
    expect(entries.map((e) => [e.action, e.details['from'] ?? null, e.details['to']])).toEqual([
      ['case.create', null, 'draft'],
      ['case.status', 'draft', 'sent'],
      ['case.status', 'sent', 'responded'],
    ]);
    expect(entries[1]!.user).toBe('alice');
    expect(entries[1]!.details['note']).toBe('sent by outside counsel on letterhead');
    expect(entries[2]!.user).toBe('test-analyst');
    expect(Date.parse(entries[2]!.at)).not.toBeNaN();
    expect(after.history.map((h) => h.to)).toEqual(['draft', 'sent', 'responded']);
  });
});

/** Every element of a letter (domain brief section 10) for one case, as text to look for. */
function requiredElements(c: CaseFile, kind: LetterKind): { name: string; text: string }[] {
  const per = (s: CaseStatement, i: number): { name: string; text: string }[] => [
    { name: `quote ${i}`, text: s.quote },
    { name: `url ${i}`, text: s.url },
    { name: `date ${i}`, text: s.published! },
    { name: `author ${i}`, text: s.author! },
    { name: `meaning ${i}`, text: s.meaning },
    { name: `explanation ${i}`, text: s.verdict.explanation.slice(0, 80) },
    { name: `evidence ${i}`, text: s.verdict.evidence[0]!.note },
  ];
  return [
    { name: 'draft notice', text: DRAFT_NOTICE },
    { name: 'sender', text: 'From: Norvane Wireless Legal, 1 Harbour Road, Suzhou' },
    { name: 'respondent', text: `To: ${c.respondent.name}` },
    ...c.statements.flatMap(per),
    { name: 'verdict', text: 'verdict REFUTED' },
    { name: 'harm', text: 'cause loss of business' },
    {
      name: 'remedy',
      text:
        kind === 'retraction' ? 'as prominent as the original' : 'Stop making the statements quoted above',
    },
    { name: 'no repetition', text: 'not to repeat them' },
    { name: 'deadline', text: 'by 2026-01-19 (14 days from the date of this letter)' },
    { name: 'preservation', text: 'Preserve every document' },
  ];
}

async function letterText(caseId: string, kind: LetterKind, format: 'md' | 'docx' | 'pdf'): Promise<string> {
  const { bytes } = await renderLetter(ws, caseId, {
    kind,
    format,
    date: '2026-01-05',
    sender: { name: 'Norvane Wireless Legal', address: '1 Harbour Road, Suzhou' },
  });
  const file = join(out, `${caseId}-${kind}.${format}`);
  writeFileSync(file, bytes);
  if (format === 'md') return readFileSync(file, 'utf8');
  if (format === 'docx') {
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
    return (await mammoth.extractRawText({ path: file })).value;
  }
  expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

describe('letters', () => {
  for (const format of ['md', 'docx', 'pdf'] as const) {
    for (const kind of ['cease-and-desist', 'retraction'] as const) {
      it(`a ${kind} letter in ${format} holds every required element for each statement`, async () => {
        const text = squash(await letterText(tolliver.id, kind, format));
        for (const e of requiredElements(tolliver, kind))
          expect(text, `${e.name}: ${e.text}`).toContain(squash(e.text.replace(/\*\*/g, '')));
      });
    }
  }

  it('marks the human decision wherever the reviewed verdict appears', async () => {
    for (const format of ['md', 'docx', 'pdf'] as const) {
      const text = squash(await letterText(tolliver.id, 'retraction', format));
      expect(text).toContain(squash(`decided by a human reviewer (${REVIEWER})`));
      expect(text).toContain(squash('Confirmed against the FCC Covered List and the FCC chair letter'));
    }
    const pending = (await letterText(tolliver.id, 'retraction', 'md')).split('### Statement ');
    expect(pending.filter((p) => p.includes('human reviewer')).length).toBe(1);
  });

  it('cites reported statements as reported by the relaying publisher, never as the respondent publication', async () => {
    const md = await letterText(altamesh.id, 'cease-and-desist', 'md');
    const [own, reported] = md.split('## Statements attributed to you by others');
    const r = altamesh.reported[0]!;
    expect(reported).toContain(`"${r.quote}"`);
    expect(reported).toContain(`**Reported by:** Norvane Wireless, in a publication at ${r.url}`);
    expect(own).not.toContain(r.quote);
    expect(own).not.toContain(r.url);
    const docx = await letterText(altamesh.id, 'cease-and-desist', 'docx');
    expect(squash(docx)).toContain(squash(`Reported by: Norvane Wireless, in a publication at ${r.url}`));
  });

  it('fills an edited template from another folder, and fails naming the line of a typo', async () => {
    const dir = tempDir('claimtrace-templates-');
    writeFileSync(
      join(dir, 'retraction.md'),
      'Dear {{respondent}},\n{{#each statements}}\n* "{{quote}}" at {{url}}\n{{/each}}\n',
    );
    const { letter } = await renderLetter(ws, tolliver.id, {
      kind: 'retraction',
      format: 'md',
      templateDir: dir,
    });
    expect(letter.markdown.startsWith(`**${DRAFT_NOTICE}**`)).toBe(true);
    expect(letter.markdown).toContain(`"${tolliver.statements[1]!.quote}" at ${tolliver.statements[1]!.url}`);
    writeFileSync(join(dir, 'retraction.md'), 'Dear {{respondent}},\n\n{{respondant}}\n');
    await expect(
      renderLetter(ws, tolliver.id, { kind: 'retraction', format: 'md', templateDir: dir }),
    ).rejects.toThrow(/retraction\.md line 3: no value named "respondant"/);
  });
});

describe('evidence pack', () => {
  let pack: Buffer;
  beforeAll(async () => {
    pack = (await buildPack(ws, tolliver.id)).bytes;
  });

  it('is a WACZ 1.2 zip that verify-pack accepts, with a record and a proof per cited capture', () => {
    const r = verifyPack(pack);
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
    const docs = new Set([...tolliver.statements, ...tolliver.reported].map((s) => s.documentId));
    expect(r.checked.proofs).toBe(docs.size);
    expect(r.checked.warcRecords).toBeGreaterThanOrEqual(docs.size);
    expect(r.checked.files).toBe(5);
  });

  it('fails naming the file and the record after one byte of a WARC record changes', () => {
    const quote = tolliver.statements[0]!.quote;
    const at = pack.indexOf(Buffer.from(quote.slice(0, 40)));
    expect(at).toBeGreaterThan(0);
    const bad = Buffer.from(pack);
    bad[at + 5] = bad[at + 5]! ^ 0x01;
    const r = verifyPack(bad);
    expect(r.ok).toBe(false);
    expect(
      r.problems.some((p) => p.file === 'archive/data.warc' && /hash .* does not match/.test(p.message)),
    ).toBe(true);
    expect(
      r.problems.some(
        (p) => p.file === 'archive/data.warc' && p.record !== null && /block digest/.test(p.message),
      ),
    ).toBe(true);
  });

  it('fails on a changed datapackage.json and on a changed proof', () => {
    const dp = pack.indexOf(Buffer.from('"wacz_version": "1.2.0"'));
    const bad = Buffer.from(pack);
    bad[dp + 20] = '3'.charCodeAt(0);
    expect(verifyPack(bad).problems.map((p) => p.file)).toContain('datapackage.json');
    const root = pack.indexOf(Buffer.from('"rootHash": "'));
    const bad2 = Buffer.from(pack);
    bad2[root + 14] = bad2[root + 14] === 0x30 ? 0x31 : 0x30;
    const r2 = verifyPack(bad2);
    expect(r2.ok).toBe(false);
    expect(
      r2.problems.some(
        (p) =>
          p.file === 'evidence/proofs.json' && /signature of the log root|inclusion proof/.test(p.message),
      ),
    ).toBe(true);
  });

  it('carries a PDF summary with the statements, verdicts, hashes, proofs and the signed root', () => {
    const file = join(out, 'pack.wacz');
    writeFileSync(file, pack);
    const summaryAt = pack.indexOf(Buffer.from('%PDF-'));
    const end = pack.indexOf(Buffer.from('%%EOF'), summaryAt);
    const pdf = join(out, 'summary.pdf');
    writeFileSync(pdf, pack.subarray(summaryAt, end + 5));
    const text = squash(execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }));
    const proofs = JSON.parse(
      pack
        .subarray(pack.indexOf(Buffer.from('{\n  "workspaceId"')))
        .toString('utf8')
        .split('\n}\n')[0] + '\n}',
    ) as { treeHead: { rootHash: string }; leaves: { leafHash: string }[] };
    expect(text).toContain(squash(tolliver.statements[0]!.quote));
    expect(text).toContain('REFUTED');
    expect(text).toContain(squash(proofs.treeHead.rootHash));
    expect(text).toContain(squash(proofs.leaves[0]!.leafHash));
    expect(text).toContain(squash(`HUMAN DECISION by ${REVIEWER}`));
  });
});

describe('ClaimReview export', () => {
  it('writes one ClaimReview per judged claim with the quote, the claim author and place, and the label', async () => {
    const doc = await claimReviewJsonLd(ws, { organisation: 'Norvane Wireless' });
    interface Review {
      '@type': string;
      claimReviewed: string;
      itemReviewed: Record<string, unknown>;
      reviewRating: { ratingValue: number; alternateName: string; ratingExplanation: string };
      author: Record<string, unknown>;
    }
    const graph = doc['@graph'] as Review[];
    const judged = (await new ClaimsRepo(ws.db, ws.id).list()).filter((c) => c.verdict || c.review);
    expect(graph.length).toBe(judged.length);
    const s = tolliver.statements[1]!;
    const item = graph.find((g) => g.claimReviewed === s.quote)!;
    expect(item['@type']).toBe('ClaimReview');
    expect(item['itemReviewed']).toMatchObject({
      '@type': 'Claim',
      author: { '@type': 'Person', name: 'Graham Tolliver' },
      appearance: { url: s.url },
    });
    expect(item['reviewRating']).toMatchObject({
      ratingValue: 1,
      bestRating: 5,
      worstRating: 1,
      alternateName: 'REFUTED',
    });
    expect(item['author']).toEqual({ '@type': 'Organization', name: 'Norvane Wireless' });
    const reviewed = graph.find((g) => g.claimReviewed === tolliver.statements[0]!.quote)!;
    expect(reviewed.reviewRating.ratingExplanation).toMatch(/^Human review by counsel-reviewer/);
    const supported = graph.find((g) => g.reviewRating.alternateName === 'SUPPORTED');
    expect(supported?.reviewRating.ratingValue).toBe(5);
  });
});
