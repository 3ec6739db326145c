/**
 * npm run bench [-- --quick] [--articles N] [--posts N] [--names N] [--api-seconds S] [--api-rate R] [--workers N]
 *
 * Writes bench/results.json and BENCHMARKS.md; exits non-zero when a full run is below a floor of
 * bench/floors.json. Each measurement runs in its own child process (peak memory is its own).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchApi, benchPipeline, benchScreening, type StageFigure } from './sections.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    section: { type: 'string' },
    articles: { type: 'string' },
    posts: { type: 'string' },
    names: { type: 'string' },
    'api-seconds': { type: 'string' },
    'api-rate': { type: 'string' },
    workers: { type: 'string' },
  },
});

const quick = args.quick === true;
const sizes = {
  articles: Number(args.articles ?? (quick ? 200 : 3000)),
  posts: Number(args.posts ?? (quick ? 200 : 3000)),
  names: Number(args.names ?? (quick ? 100_000 : 1_000_000)),
  apiSeconds: Number(args['api-seconds'] ?? (quick ? 3 : 10)),
  apiRate: Number(args['api-rate'] ?? 500),
  apiArticles: quick ? 100 : 500,
};
const workers = args.workers === undefined ? undefined : Number(args.workers);

/** Runs one section in a child process and returns the JSON it prints last. */
function child(section: string, extra: string[] = []): Record<string, unknown> {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(here, 'main.ts'), '--section', section, ...extra], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const last = out.trim().split('\n').pop() ?? '{}';
  return JSON.parse(last) as Record<string, unknown>;
}

async function runSection(name: string): Promise<void> {
  const w = workers;
  let r: Record<string, unknown>;
  if (name === 'articles') r = await benchPipeline(sizes.articles, 0, w);
  else if (name === 'posts') r = await benchPipeline(0, sizes.posts, w);
  else if (name === 'screening') r = benchScreening(sizes.names, quick ? 200 : 500);
  else if (name === 'api') r = await benchApi(sizes.apiArticles, sizes.apiSeconds, sizes.apiRate);
  else throw new Error(`unknown section ${name}`);
  process.stdout.write(JSON.stringify(r) + '\n');
}

const f = (n: unknown, digits = 1): string => (typeof n === 'number' && Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

interface PipelineResult {
  corpus: { articles: number; posts: number; bytes: number; tokens: number };
  stages: StageFigure[];
  e2e: { seconds: number; docsPerSec: number; docsPerMinute: number; mbPerSec: number };
  tokenizer: { docsPerSec: number; tokensPerSec: number; mbPerSec: number };
  ratioToTokenizer: number;
  peakRssMB: number;
}

function pipelineRows(label: string, p: PipelineResult): string[] {
  const rows = p.stages.map((s) => `| ${label} | ${s.stage} | ${f(s.seconds, 2)} | ${f(s.docsPerSec)} | ${f(s.mbPerSec, 2)} | ${s.detail} |`);
  rows.push(`| ${label} | **end to end** (files on disk -> claims with verdicts in SQLite) | ${f(p.e2e.seconds, 2)} | **${f(p.e2e.docsPerSec)}** (${f(p.e2e.docsPerMinute, 0)}/min) | ${f(p.e2e.mbPerSec, 2)} | peak RSS ${p.peakRssMB} MB |`);
  rows.push(`| ${label} | bare wink-nlp tokenisation, 1 thread, warmed up (same texts, same run) | | ${f(p.tokenizer.docsPerSec)} | ${f(p.tokenizer.mbPerSec, 2)} | ${f(p.tokenizer.tokensPerSec, 0)} tokens/s |`);
  rows.push(`| ${label} | **distance to the limit** (end to end / tokenizer) | | **${f(p.ratioToTokenizer, 3)}** | | |`);
  return rows;
}

interface CoordinateResults {
  coordination: { n: number; seconds: number; cpuSeconds: number; maxRssMB: number; ari: number; plantedGroups: number; campaigns: number; falseMembers: number; associates?: number; falseAssociates?: number }[];
  coordinationGrowthExponent: number;
  nearDuplicates: { n: number; seconds: number; cpuSeconds: number; maxRssMB: number; recallPlanted: number }[];
  nearDuplicatesParallel: { n: number; seconds: number; cpuSeconds: number; maxRssMB: number; recallPlanted: number };
  nearDuplicateGrowthExponent: number;
  loadAverageAtEnd: number[];
  anchor: { nearDuplicateSeconds: number; nearDuplicatePeakGB: number };
}

/** Rows from bench/coordinate/results.json (written by `node --import tsx bench/coordinate/run.ts`). */
function coordinateSection(raw: unknown): string[] {
  if (raw === null) return ['(bench/coordinate/results.json is absent: run `node --import tsx bench/coordinate/run.ts`)', ''];
  const r = raw as CoordinateResults;
  const anchor = r.anchor;
  return [
    '## Coordination and near-duplicates (bench/coordinate)',
    '',
    `Seeded generated corpora with planted groups (a third pushing a sponsor's publications) and hard negatives (a viral link, a true statement repeated by 300 outlets, news bursts, 50 prolific accounts). ARI counts members and associates. Load average at the end: ${r.loadAverageAtEnd.map((x) => x.toFixed(2)).join(', ')}.`,
    '',
    '| statements | seconds | CPU s | peak RSS MB | ARI | planted groups | campaigns | false members | associates (false) |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...r.coordination.map((c) => `| ${c.n} | ${f(c.seconds, 2)} | ${f(c.cpuSeconds, 2)} | ${f(c.maxRssMB, 0)} | ${f(c.ari, 4)} | ${c.plantedGroups} | ${c.campaigns} | ${c.falseMembers} | ${c.associates ?? 'n/a'} (${c.falseAssociates ?? 'n/a'}) |`),
    '',
    `Growth exponent 10^4 -> 10^6: ${f(r.coordinationGrowthExponent, 2)} (target under 1.2).`,
    '',
    `Near-duplicate statements (128 permutations, threshold 0.8, 3-word shingles, 15-35 words, 5% planted near-duplicates) against the anchor of ${anchor.nearDuplicateSeconds} s and ${anchor.nearDuplicatePeakGB} GB for 10^6 statements:`,
    '',
    '| statements | mode | seconds | CPU s | peak RSS MB | recall of planted pairs | speed-up vs anchor |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: |',
    ...r.nearDuplicates.map((d) => `| ${d.n} | one thread | ${f(d.seconds, 2)} | ${f(d.cpuSeconds, 2)} | ${f(d.maxRssMB, 0)} | ${f(d.recallPlanted, 4)} | ${d.n === 1_000_000 ? `${f(anchor.nearDuplicateSeconds / d.seconds, 1)}x` : ''} |`),
    `| ${r.nearDuplicatesParallel.n} | signing on all cores | ${f(r.nearDuplicatesParallel.seconds, 2)} | ${f(r.nearDuplicatesParallel.cpuSeconds, 2)} | ${f(r.nearDuplicatesParallel.maxRssMB, 0)} | ${f(r.nearDuplicatesParallel.recallPlanted, 4)} | ${f(anchor.nearDuplicateSeconds / r.nearDuplicatesParallel.seconds, 1)}x |`,
    '',
    `Growth exponent 10^4 -> 10^6: ${f(r.nearDuplicateGrowthExponent, 2)}.`,
    '',
  ];
}

async function main(): Promise<number> {
  if (args.section) {
    await runSection(args.section);
    return 0;
  }
  const passArgs = Object.entries({ articles: sizes.articles, posts: sizes.posts, names: sizes.names, 'api-seconds': sizes.apiSeconds, 'api-rate': sizes.apiRate })
    .flatMap(([k, v]) => [`--${k}`, String(v)])
    .concat(quick ? ['--quick'] : [], workers !== undefined ? ['--workers', String(workers)] : []);
  console.error(`bench: ${quick ? 'quick' : 'full'} run on ${availableParallelism()} cores`);
  console.error(`bench: pipeline on ${sizes.articles} news-length articles ...`);
  const articles = child('articles', passArgs) as unknown as PipelineResult;
  console.error(`bench: pipeline on ${sizes.posts} short posts ...`);
  const posts = child('posts', passArgs) as unknown as PipelineResult;
  console.error(`bench: screening against ${sizes.names} names ...`);
  const screening = child('screening', passArgs);
  console.error(`bench: API under autocannon at ${sizes.apiRate} req/s ...`);
  const api = child('api', passArgs) as { claims: Record<string, number>; claimsVaried: Record<string, number>; screening: Record<string, number>; documents: number; claimsInWorkspace: number; peakRssMB: number };
  const coordinatePath = join(here, 'coordinate', 'results.json');
  const coordinate = existsSync(coordinatePath) ? (JSON.parse(readFileSync(coordinatePath, 'utf8')) as unknown) : null;

  const floors = JSON.parse(readFileSync(join(here, 'floors.json'), 'utf8')) as { e2eArticlesPerMinute: number; ratioToTokenizer: number; maxScreenP50Ms: number; maxApiClaimsP99Ms: number };
  const checks = [
    { name: 'end to end, news-length articles per minute (SQLite)', value: articles.e2e.docsPerMinute, floor: floors.e2eArticlesPerMinute, ok: articles.e2e.docsPerMinute >= floors.e2eArticlesPerMinute },
    { name: 'end to end / bare tokenizer (articles)', value: articles.ratioToTokenizer, floor: floors.ratioToTokenizer, ok: articles.ratioToTokenizer >= floors.ratioToTokenizer },
    { name: 'screening p50 ms (max)', value: screening['p50ms'] as number, floor: floors.maxScreenP50Ms, ok: (screening['p50ms'] as number) < floors.maxScreenP50Ms },
    { name: `API claim listing p99 ms at ${sizes.apiRate} req/s, one page repeated (max)`, value: api.claims['p99ms']!, floor: floors.maxApiClaimsP99Ms, ok: api.claims['p99ms']! < floors.maxApiClaimsP99Ms && (api.claims['non2xx'] ?? 0) === 0 },
    { name: `API claim listing p99 ms at ${sizes.apiRate} req/s, random offsets and filters (max)`, value: api.claimsVaried['p99ms']!, floor: floors.maxApiClaimsP99Ms, ok: api.claimsVaried['p99ms']! < floors.maxApiClaimsP99Ms && (api.claimsVaried['non2xx'] ?? 0) === 0 },
  ];
  const machine = { cores: availableParallelism(), cpu: cpus()[0]?.model ?? 'unknown', memoryGB: Math.round(totalmem() / 1024 ** 3), node: process.version };
  const results = { runAt: new Date().toISOString(), quick, sizes, machine, articles, posts, screening, api, coordinate, checks };
  writeFileSync(join(here, 'results.json'), JSON.stringify(results, null, 2) + '\n');

  const md = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\`${quick ? ' (--quick: smoke sizes, floors not enforced)' : ''} on ${results.runAt.slice(0, 10)}: ${machine.cores} cores (${machine.cpu}), ${machine.memoryGB} GB, Node ${machine.node}. Raw figures: bench/results.json; floors: bench/floors.json.`,
    'Seeded synthetic corpus (bench/corpus.ts): news-length articles of about 800 words (half HTML, half plain text files on disk) mixing list, ban and denial sentences about the example case\'s subjects into filler, and short posts (15-40 words) in a JSONL file.',
    'Every stage runs on SQLite in a fresh workspace (bundled lists and the example registry imported first, not timed). MB/s is over the corpus bytes on disk.',
    '',
    '## Pipeline',
    '',
    '| corpus | stage | seconds | documents/s | MB/s | note |',
    '| --- | --- | ---: | ---: | ---: | --- |',
    ...pipelineRows(`${articles.corpus.articles} articles`, articles),
    ...pipelineRows(`${posts.corpus.posts} posts`, posts),
    '',
    'Narratives and coordination run after the end-to-end span (their seconds are not in it); the near-duplicate anchor comparison at 10^6 statements is measured by bench/coordinate (see bench/coordinate/results.json).',
    '',
    ...coordinateSection(coordinate),
    '## Screening',
    '',
    '| names indexed | index build s | queries | queries/s | p50 ms | p99 ms | peak RSS MB |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${screening['names']} | ${f(screening['buildSeconds'], 1)} | ${screening['queries']} (1/3 listed, 1/3 misspelt, 1/3 absent) | ${f(screening['qps'], 0)} | ${f(screening['p50ms'], 3)} | ${f(screening['p99ms'], 3)} | ${screening['peakRssMB']} |`,
    '',
    '## API (loopback, autocannon)',
    '',
    `Load generator (autocannon, 16 connections, fixed rate) and server (a process of its own, as \`claimtrace serve\`) run on the same ${machine.cores} cores, so they compete for CPU (a 2-second warm-up precedes each load). Workspace: ${api.documents} documents, ${api.claimsInWorkspace} claims. The server keeps pages, each filter's ordered claim ids and each claim's JSON while the database's change stamp is unchanged (exactly what a fresh read returns, see ARCHITECTURE.md): the repeated load measures a kept page, the varied load (seeded random offsets, a third filtered) mostly pages assembled from kept parts. A page built cold costs about 2 ms of server CPU. The screening load repeats one name, so after the first request it measures the cached index and the remembered result.`,
    '',
    '| endpoint | target req/s | achieved req/s | p50 ms | p99 ms | non-2xx | errors |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| GET /api/v1/claims?limit=50 (one page repeated) | ${api.claims['targetRate']} | ${f(api.claims['requestsPerSec'], 0)} | ${f(api.claims['p50ms'], 0)} | ${f(api.claims['p99ms'], 0)} | ${api.claims['non2xx']} | ${api.claims['errors']} |`,
    `| GET /api/v1/claims?limit=50&offset=... (random offsets, a third filtered) | ${api.claimsVaried['targetRate']} | ${f(api.claimsVaried['requestsPerSec'], 0)} | ${f(api.claimsVaried['p50ms'], 0)} | ${f(api.claimsVaried['p99ms'], 0)} | ${api.claimsVaried['non2xx']} | ${api.claimsVaried['errors']} |`,
    `| GET /api/v1/lists/screen?name=... | ${api.screening['targetRate']} | ${f(api.screening['requestsPerSec'], 0)} | ${f(api.screening['p50ms'], 0)} | ${f(api.screening['p99ms'], 0)} | ${api.screening['non2xx']} | ${api.screening['errors']} |`,
    '',
    '## Targets',
    '',
    '| target | measured | floor | met |',
    '| --- | ---: | ---: | --- |',
    ...checks.map((c) => `| ${c.name} | ${f(c.value, 3)} | ${c.floor} | ${c.ok ? 'yes' : '**no**'} |`),
    '| two workers against one PostgreSQL process a corpus exactly once each | test/pipeline-queue.test.ts | | see tests |',
    '',
  ].join('\n');
  writeFileSync(join(root, 'BENCHMARKS.md'), md);
  process.stdout.write(md);
  const failed = checks.filter((c) => !c.ok);
  if (failed.length > 0 && !quick) {
    console.error(`bench: below the floor: ${failed.map((c) => c.name).join('; ')}`);
    return 1;
  }
  return 0;
}

process.exitCode = await main();
