import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ingest } from '../capture/ingest.js';
import { importRegistryFile } from '../capture/registry-file.js';
import { loadConfig } from '../config.js';
import { runPipeline } from '../pipeline/run.js';
import { ClaimsRepo, type StoredClaim } from '../store/claims-repo.js';
import { DocumentsRepo } from '../store/documents-repo.js';
import { initWorkspace, type Workspace } from '../store/workspace.js';
import { ensureBundledDatasets } from '../verify/service.js';
import type { GoldClaim, GoldDocument, PredictedClaim } from './claims-score.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The bundled example case, found from dist/eval or src/eval alike. */
export const EXAMPLE_DIR = resolve(here, '..', '..', 'examples', 'example-case');

interface KeyLine {
  file: string;
  actor: string | null;
  published: string | null;
  effectivePublished: string | null;
  claims: GoldClaim[];
  traps: { sentence: string; why: string; unsure?: boolean }[];
}

/** Builds a fresh embedded workspace from the example case the way the demo does (bundled lists, the fictional dataset, registry, documents, posts) and runs the pipeline. */
export async function buildExampleWorkspace(): Promise<Workspace> {
  const home = join(mkdtempSync(join(tmpdir(), 'claimtrace-eval-')), 'ws');
  const { workspace } = await initWorkspace(loadConfig({}, { home }), 'example case (eval)');
  await ensureBundledDatasets(workspace, { example: true });
  await importRegistryFile(workspace, join(EXAMPLE_DIR, 'case.json'));
  await ingest(workspace, [join(EXAMPLE_DIR, 'posts.jsonl')], { manifest: join(EXAMPLE_DIR, 'manifest.jsonl') });
  await runPipeline(workspace);
  return workspace;
}

/**
 * The answer key as gold documents over the texts the workspace stored, and the stored claims
 * as predictions per file: the example case is scored exactly like the shared dev set.
 */
export async function exampleGoldAndPredictions(ws: Workspace): Promise<{ gold: GoldDocument[]; predictions: Record<string, (PredictedClaim & { explanation: string })[]> }> {
  const keyPath = join(EXAMPLE_DIR, 'answer-key.jsonl');
  if (!existsSync(keyPath)) return { gold: [], predictions: {} };
  const key = readFileSync(keyPath, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as KeyLine);
  const manifest = readFileSync(join(EXAMPLE_DIR, 'manifest.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as { path: string; url?: string });
  const docsRepo = new DocumentsRepo(ws.db, ws.id);
  const docs = await docsRepo.list();
  const claims = await new ClaimsRepo(ws.db, ws.id).list();
  const claimsByDoc = new Map<string, StoredClaim[]>();
  for (const c of claims) claimsByDoc.set(c.documentId, [...(claimsByDoc.get(c.documentId) ?? []), c]);

  const gold: GoldDocument[] = [];
  const predictions: Record<string, (PredictedClaim & { explanation: string })[]> = {};
  for (const line of key) {
    let docId: string | undefined;
    if (line.file.startsWith('posts.jsonl#')) {
      const postId = line.file.slice('posts.jsonl#'.length);
      for (const d of docs.filter((x) => x.format === 'post')) {
        const full = await docsRepo.get(d.id);
        if ((full.metadata['post'] as { id?: string } | undefined)?.id === postId) docId = d.id;
      }
    } else {
      // A syndicated file is listed twice in the manifest: its first capture is the one keyed.
      const m = manifest.find((x) => x.path === line.file);
      const location = m?.url ?? resolve(EXAMPLE_DIR, line.file);
      docId = docs.find((d) => d.location === location)?.id;
    }
    if (!docId) continue;
    const doc = await docsRepo.get(docId);
    gold.push({
      file: line.file,
      text: doc.text ?? '',
      actor: line.actor,
      published: line.published,
      effectivePublished: line.effectivePublished,
      claims: line.claims,
      traps: line.traps.filter((t) => !t.unsure).map((t) => ({ quote: t.sentence, why: t.why })),
    });
    // Claim ids hash the document id, which differs from run to run: order by content instead,
    // so the scorer's greedy matching (and so each figure) is the same on every run.
    const ordered = [...(claimsByDoc.get(docId) ?? [])].sort(
      (x, y) =>
        x.start - y.start ||
        x.end - y.end ||
        [x.predicate, x.object ?? '', x.polarity, x.modality, x.subject].join('\u0000').localeCompare([y.predicate, y.object ?? '', y.polarity, y.modality, y.subject].join('\u0000')),
    );
    predictions[line.file] = ordered.map((c) => ({
      subject: c.subject,
      predicate: c.predicate,
      object: c.object,
      polarity: c.polarity,
      modality: c.modality,
      quote: c.quote,
      speaker: c.speaker,
      eventDate: c.eventDate,
      verdict: c.review ? { label: c.review.label } : c.verdict ? { label: c.verdict.label } : null,
      explanation: c.review ? `human review: ${c.review.reason}` : (c.verdict?.explanation ?? ''),
    }));
  }
  return { gold, predictions };
}
