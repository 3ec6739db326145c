/**
 * The measurements, one per child process so each peak RSS belongs to one measurement alone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import winkNLP from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import { ingest } from '../src/capture/ingest.js';
import { importRegistryFile } from '../src/capture/registry-file.js';
import { loadConfig } from '../src/config.js';
import { claimsStage } from '../src/pipeline/claims-stage.js';
import { runPipeline } from '../src/pipeline/run.js';
import { verdictsStage } from '../src/pipeline/verdicts-stage.js';
import { coordinationStage } from '../src/pipeline/coordination-stage.js';
import { narrativesStage } from '../src/pipeline/narratives-stage.js';
import { TokensRepo } from '../src/store/tokens-repo.js';
import { initWorkspace, type Workspace } from '../src/store/workspace.js';
import { buildScreenIndex, screen } from '../src/verify/screen.js';
import { ensureBundledDatasets } from '../src/verify/service.js';
import type { ListRecord } from '../src/verify/types.js';
import { rng, writeCorpus } from './corpus.js';

const CASE = join(import.meta.dirname, '..', 'examples', 'example-case', 'case.json');
const MB = 1024 * 1024;

/** Stages in the end-to-end span: ingest, claims, verdicts (narratives and coordination follow it). */
const END_TO_END_STAGES = 3;

export interface StageFigure {
  stage: string;
  seconds: number;
  docsPerSec: number;
  mbPerSec: number;
  detail: string;
}

function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function freshWorkspace(home: string): Promise<Workspace> {
  const { workspace: ws } = await initWorkspace(loadConfig({}, { home }), 'bench');
  await ensureBundledDatasets(ws, { example: true });
  await importRegistryFile(ws, CASE);
  return ws;
}

/** Tokenises every text with wink-nlp in this thread: the bare lower bound of any NLP pass. */
function tokenizerPass(texts: readonly string[]): { seconds: number; tokens: number } {
  const nlp = winkNLP(model);
  // Warm-up on a slice, so the JIT and the model's lazy tables are ready.
  for (const t of texts.slice(0, Math.min(200, texts.length))) nlp.readDoc(t).tokens().length();
  const start = performance.now();
  let tokens = 0;
  for (const t of texts) tokens += nlp.readDoc(t).tokens().length();
  return { seconds: (performance.now() - start) / 1000, tokens };
}

/**
 * Files on disk to claims with verdicts in SQLite: ingest (capture and text extraction), claims,
 * verdicts, each timed; and the tokenizer pass over the same texts in the same process.
 */
export async function benchPipeline(articles: number, posts: number, workers: number | undefined): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'claimtrace-bench-'));
  try {
    const corpus = writeCorpus(join(dir, 'corpus'), articles, posts, 7);
    const docs = articles + posts;
    const mb = corpus.bytes / MB;
    const tok = tokenizerPass(corpus.texts);
    const ws = await freshWorkspace(join(dir, 'ws'));
    const stages: StageFigure[] = [];
    const figure = (stage: string, seconds: number, detail: string): void => {
      stages.push({ stage, seconds, docsPerSec: docs / seconds, mbPerSec: mb / seconds, detail });
    };
    try {
      let t = performance.now();
      const inputs = [join(corpus.dir, 'articles'), ...(corpus.postsFile ? [corpus.postsFile] : [])];
      const ingested = await ingest(ws, inputs);
      const stored = ingested.filter((r) => r.status === 'stored').length;
      figure('extract text (ingest: capture, WARC, evidence log, parse)', (performance.now() - t) / 1000, `${stored} stored`);
      const opts = workers === undefined ? {} : { workers };
      t = performance.now();
      const [claims] = await runPipeline(ws, {}, [claimsStage], opts);
      figure('claims', (performance.now() - t) / 1000, `${claims!.ok} ok, ${claims!.failed} failed`);
      t = performance.now();
      const [verdicts] = await runPipeline(ws, {}, [verdictsStage], opts);
      figure('verdicts', (performance.now() - t) / 1000, verdicts!.detail ?? '');
      // After the end-to-end span (files to claims with verdicts): the workspace-wide stages.
      for (const stage of [narrativesStage, coordinationStage]) {
        t = performance.now();
        const [r] = await runPipeline(ws, {}, [stage], opts);
        figure(stage.name, (performance.now() - t) / 1000, `${r!.detail ?? ''} (not in end to end)`);
      }
    } finally {
      await ws.close();
    }
    const e2eSeconds = stages.slice(0, END_TO_END_STAGES).reduce((s, x) => s + x.seconds, 0);
    const e2e = { seconds: e2eSeconds, docsPerSec: docs / e2eSeconds, docsPerMinute: (docs / e2eSeconds) * 60, mbPerSec: mb / e2eSeconds };
    const tokenizer = { seconds: tok.seconds, docsPerSec: docs / tok.seconds, tokensPerSec: tok.tokens / tok.seconds, mbPerSec: mb / tok.seconds };
    // News-length articles alone, which is what the 10,000 per minute target is about.
    return {
      corpus: { articles, posts, bytes: corpus.bytes, tokens: tok.tokens },
      workers: workers ?? 'one per core',
      stages,
      e2e,
      tokenizer,
      ratioToTokenizer: e2e.docsPerSec / tokenizer.docsPerSec,
      peakRssMB: peakRssMb(),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const SYLLABLES = ['an', 'bel', 'cor', 'dan', 'el', 'fen', 'gar', 'hol', 'is', 'jun', 'kal', 'lor', 'mar', 'nor', 'ol', 'pen', 'quin', 'ros', 'sal', 'tor', 'ul', 'van', 'wes', 'xi', 'yor', 'zen', 'tek', 'tron', 'vio', 'lux'];
const SUFFIXES = ['Technologies Co., Ltd.', 'Holdings Limited', 'Industries', 'Group', 'Electronics', 'Systems Inc.', 'Trading LLC', 'Logistics', 'Shipping S.A.', ''];

function word(r: () => number): string {
  const n = 2 + Math.floor(r() * 2);
  let w = '';
  for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(r() * SYLLABLES.length)];
  return w.charAt(0).toUpperCase() + w.slice(1);
}

/** `n` generated entity names (two or three words plus a legal form), seeded. */
export function generateNames(n: number, seed = 3): string[] {
  const r = rng(seed);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const words = 1 + Math.floor(r() * 3);
    const parts: string[] = [];
    for (let k = 0; k < words; k++) parts.push(word(r));
    const suffix = SUFFIXES[Math.floor(r() * SUFFIXES.length)]!;
    out.push(suffix ? `${parts.join(' ')} ${suffix}` : parts.join(' '));
  }
  return out;
}

/** Screening latency against an index of `n` names: listed names, misspellings and absent names. */
export function benchScreening(n: number, queries: number): Record<string, unknown> {
  const names = generateNames(n);
  const records: ListRecord[] = names.map((name, i) => ({
    listId: 'bench', recordKey: `k${i}`, name, aliases: [], entityType: 'company', listedFrom: '2020-01-01', listedUntil: null,
    programs: [], country: null, parentName: null, coversSubsidiaries: false, category: false, sourceUrl: '', raw: {},
  }));
  let t = performance.now();
  const index = buildScreenIndex(records);
  const buildSeconds = (performance.now() - t) / 1000;
  const r = rng(99);
  const qs: string[] = [];
  for (let i = 0; i < queries; i++) {
    const kind = i % 3;
    const base = names[Math.floor(r() * names.length)]!;
    if (kind === 0) qs.push(base);
    else if (kind === 1) {
      // One letter dropped: a typical misspelling.
      const p = 1 + Math.floor(r() * (base.length - 2));
      qs.push(base.slice(0, p) + base.slice(p + 1));
    } else qs.push(generateNames(1, 100_000 + i)[0]!);
  }
  // Warm-up on names outside the measured set: screen() remembers results, and a repeated query would be a cache hit.
  for (let i = 0; i < 50; i++) screen(index, generateNames(1, 900_000 + i)[0]!);
  const lat: number[] = [];
  let hits = 0;
  t = performance.now();
  for (const q of qs) {
    const s = performance.now();
    hits += screen(index, q).length > 0 ? 1 : 0;
    lat.push(performance.now() - s);
  }
  const seconds = (performance.now() - t) / 1000;
  lat.sort((a, b) => a - b);
  return { names: n, queries, buildSeconds, qps: queries / seconds, p50ms: percentile(lat, 50), p99ms: percentile(lat, 99), hitRate: hits / queries, peakRssMB: peakRssMb() };
}

/**
 * Drives `url` at a fixed rate. With `paths`, each request asks for the next path of that
 * rotation instead (shared by all connections), so the load is not one repeated request.
 */
async function load(url: string, token: string, rate: number, seconds: number, paths?: readonly string[]): Promise<Record<string, number>> {
  let next = 0;
  const requests = paths && [{ setupRequest: (req: { path?: string }) => ({ ...req, path: paths[next++ % paths.length]! }) }];
  // bench/autocannon.d.ts declares only the options used elsewhere; `requests` passes through.
  const options = { url, connections: 16, overallRate: rate, duration: seconds, headers: { authorization: `Bearer ${token}` }, ...(requests ? { requests } : {}) };
  const res = await autocannon(options);
  return {
    targetRate: rate,
    requestsPerSec: res.requests.average,
    p50ms: res.latency.p50,
    p99ms: res.latency.p99,
    non2xx: res.non2xx,
    errors: res.errors,
    timeouts: res.timeouts,
  };
}

/** Starts bench/serve-child.ts on the workspace and resolves with its URL once it listens. */
function serveInChild(home: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'serve-child.ts'), home], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve({ url: (JSON.parse(line) as { url: string }).url, child });
    });
    child.on('exit', (code) => reject(new Error(`the API server exited with code ${code} before listening`)));
  });
}

/**
 * API latency on loopback under autocannon. The server runs in a process of its own (as
 * `claimtrace serve` would), the load generator in this one; both share this machine's cores.
 */
export async function benchApi(articles: number, seconds: number, rate: number): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'claimtrace-bench-api-'));
  try {
    const corpus = writeCorpus(join(dir, 'corpus'), articles, articles, 8);
    const home = join(dir, 'ws');
    const ws = await freshWorkspace(home);
    let token: string;
    try {
      await ingest(ws, [join(corpus.dir, 'articles'), corpus.postsFile!]);
      await runPipeline(ws);
      token = (await new TokensRepo(ws.db, ws.id).create('bench', 'viewer')).token;
    } finally {
      await ws.close();
    }
    const server = await serveInChild(home);
    try {
      const claimCount = (await (await fetch(`${server.url}api/v1/claims?limit=1`, { headers: { authorization: `Bearer ${token}` } })).json()) as { total?: number };
      // Every page of the listing at a random offset (seeded), several with a filter: the server
      // reuses an unchanged page, and this load mostly asks for pages it has not built yet.
      const total = claimCount.total ?? 0;
      const filters = ['', '', '', '&predicate=listed', '&modality=asserted', '&q=wireless'];
      const pages = (seed: number): string[] => {
        const r = rng(seed);
        return Array.from({ length: 20_000 }, () => {
          const filter = filters[Math.floor(r() * filters.length)]!;
          return `/api/v1/claims?limit=50&offset=${Math.floor(r() * (filter ? 100 : total))}${filter}`;
        });
      };
      // A freshly started server compiles its hot paths during the first requests; measure after.
      await load(server.url, token, rate, Math.min(2, seconds), pages(12));
      const claims = await load(`${server.url}api/v1/claims?limit=50`, token, rate, seconds);
      const claimsVaried = await load(server.url, token, rate, seconds, pages(11));
      const screening = await load(`${server.url}api/v1/lists/screen?name=Norvane%20Wireless`, token, rate, seconds);
      return { documents: articles * 2, claimsInWorkspace: claimCount.total ?? null, claims, claimsVaried, screening, server: 'separate process', peakRssMB: peakRssMb() };
    } finally {
      const exited = new Promise((r) => server.child.once('exit', r));
      server.child.kill('SIGTERM');
      await exited;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
