/**
 * Coordination and near-duplicate benchmarks. Each measurement runs in its own child process so
 * peak memory (maxRSS) belongs to that measurement alone.
 *   node --import tsx bench/coordinate/run.ts            all sizes, writes bench/coordinate/results.json
 *   node --import tsx bench/coordinate/run.ts coord 1e5  one measurement, prints JSON
 *     (kinds: coord, neardup, neardup-parallel)
 * Wall time depends on what else runs on the machine; cpuSeconds and the load average are
 * recorded beside it so a slow figure can be told apart from a busy machine.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectCampaigns } from '../../src/coordinate/coordination.js';
import { createTokenStream, tokenize } from '../../src/coordinate/hash.js';
import { nearDuplicatePairs, nearDuplicatePairsParallel } from '../../src/coordinate/lsh.js';
import { adjustedRandIndex, generateCoordinationCorpus } from './generate.js';
import { generateNearDupCorpus } from './neardup-corpus.js';

const here = dirname(fileURLToPath(import.meta.url));

function shingleSet(text: string): Set<string> {
  const ts = tokenize(text, createTokenStream());
  const h = Array.from(ts.hashes.subarray(0, ts.count));
  const out = new Set<string>();
  for (let i = 0; i + 3 <= h.length; i++) out.add(`${h[i]},${h[i + 1]},${h[i + 2]}`);
  return out;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}

function measureCoordination(n: number): Record<string, number> {
  const corpus = generateCoordinationCorpus(n, 42);
  const cpu0 = process.cpuUsage();
  const t = performance.now();
  const result = detectCampaigns(corpus.statements, [], { seed: 1 });
  const seconds = (performance.now() - t) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const campaignOf = new Map<string, string>();
  // Members and associates alike: both are what a user is told belongs to the campaign.
  for (const c of result.campaigns) for (const m of [...c.members, ...c.associates.map((x) => x.actorId)]) campaignOf.set(m, c.id);
  const associates = result.campaigns.flatMap((c) => c.associates.map((x) => x.actorId));
  const truth = corpus.actors.map((a) => corpus.groups.get(a) ?? `solo-${a}`);
  const pred = corpus.actors.map((a) => campaignOf.get(a) ?? `solo-${a}`);
  // Also on the actors either side puts in a group, so the many singletons cannot flatter it.
  const involved = corpus.actors.filter((a) => corpus.groups.has(a) || campaignOf.has(a));
  const ari = adjustedRandIndex(truth, pred);
  const ariInvolved = adjustedRandIndex(
    involved.map((a) => corpus.groups.get(a) ?? `solo-${a}`),
    involved.map((a) => campaignOf.get(a) ?? `solo-${a}`),
  );
  const planted = new Set(corpus.groups.values()).size;
  const falseMembers = [...campaignOf.keys()].filter((a) => !corpus.groups.has(a)).length;
  return {
    n,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    ari,
    ariInvolved,
    plantedGroups: planted,
    campaigns: result.campaigns.length,
    edges: result.edges.length,
    falseMembers,
    associates: associates.length,
    falseAssociates: associates.filter((x) => !corpus.groups.has(x)).length,
    tauMinutes: result.tauMs / 60000,
  };
}

async function measureNearDup(n: number, parallel: boolean): Promise<Record<string, number>> {
  const corpus = generateNearDupCorpus(n, 9);
  const opts = { threshold: 0.8, numPerm: 128, shingle: 3 };
  const cpu0 = process.cpuUsage();
  const t = performance.now();
  const res = parallel ? await nearDuplicatePairsParallel(corpus.texts, opts) : nearDuplicatePairs(corpus.texts, opts);
  const seconds = (performance.now() - t) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const maxRssMB = process.resourceUsage().maxRSS / 1024;
  const scale = 2 ** 26;
  const found = new Set<number>();
  for (let i = 0; i < res.count; i++) found.add((res.a[i] as number) * scale + (res.b[i] as number));
  let hit = 0;
  let above = 0;
  let hitAbove = 0;
  for (const [a, b] of corpus.planted) {
    const ok = found.has(Math.min(a, b) * scale + Math.max(a, b));
    if (ok) hit++;
    if (jaccard(shingleSet(corpus.texts[a] as string), shingleSet(corpus.texts[b] as string)) >= 0.8) {
      above++;
      if (ok) hitAbove++;
    }
  }
  return {
    n,
    parallel: parallel ? 1 : 0,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    maxRssMB,
    pairs: res.count,
    planted: corpus.planted.length,
    recallPlanted: hit / corpus.planted.length,
    plantedAtOrAbove08: above,
    recallAtOrAbove08: hitAbove / Math.max(1, above),
  };
}

function child(kind: string, n: number): Record<string, number> {
  const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), kind, String(n)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').at(-1) as string) as Record<string, number>;
}

const [kind, size] = process.argv.slice(2);
if (kind !== undefined && size !== undefined) {
  const n = Number(size);
  const r = kind === 'coord' ? measureCoordination(n) : await measureNearDup(n, kind === 'neardup-parallel');
  process.stdout.write(`${JSON.stringify(r)}\n`);
} else {
  const sizes = [1e4, 1e5, 1e6];
  const coord = sizes.map((n) => {
    const r = child('coord', n);
    console.log('coordination', JSON.stringify(r));
    return r;
  });
  const near = [1e4, 1e6].map((n) => {
    const r = child('neardup', n);
    console.log('near-duplicates (one thread)', JSON.stringify(r));
    return r;
  });
  const nearParallel = child('neardup-parallel', 1e6);
  console.log('near-duplicates (signing on all cores)', JSON.stringify(nearParallel));
  const exp = (a: Record<string, number> | undefined, b: Record<string, number> | undefined): number =>
    Math.log((b?.['seconds'] ?? NaN) / (a?.['seconds'] ?? NaN)) / Math.log((b?.['n'] ?? NaN) / (a?.['n'] ?? NaN));
  const summary = {
    machine: `${process.platform} ${process.arch}, node ${process.version}`,
    coordination: coord,
    coordinationGrowthExponent: exp(coord[0], coord[2]),
    nearDuplicates: near,
    nearDuplicateGrowthExponent: exp(near[0], near[1]),
    nearDuplicatesParallel: nearParallel,
    loadAverageAtEnd: loadavg(),
    anchor: { nearDuplicateSeconds: 130, nearDuplicatePeakGB: 7.1 },
  };
  console.log(`coordination growth exponent 1e4 -> 1e6: ${summary.coordinationGrowthExponent.toFixed(2)}`);
  console.log(`near-duplicate growth exponent 1e4 -> 1e6: ${summary.nearDuplicateGrowthExponent.toFixed(2)}`);
  writeFileSync(join(here, 'results.json'), `${JSON.stringify(summary, null, 2)}\n`);
}
