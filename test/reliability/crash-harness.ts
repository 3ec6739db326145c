import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyEvidence } from '../../src/capture/verify-evidence.js';
import { loadConfig } from '../../src/config.js';
import { verifyPackFile } from '../../src/respond/pack.js';
import { openWorkspace } from '../../src/store/workspace.js';
import { PROJECT_ROOT } from '../support/shared.js';
import { mulberry32 } from '../../src/coordinate/hash.js';

// Shared by test/reliability/crash.test.ts (small counts) and scripts/soak.ts (large counts): the
// built CLI is SIGKILLed at seeded random moments, re-run, and the workspace checked after each kill.

export const EXAMPLE = join(PROJECT_ROOT, 'examples', 'example-case');
const BIN = join(PROJECT_ROOT, 'bin', 'claimtrace.js');

/** The project's seeded PRNG (mulberry32), under the name this file's callers use. */
export const prng = mulberry32;

export interface CrashOptions {
  seed: number;
  /** Kills that must land per phase in each round (ingest, run, case pack); at most 3x as many tries. */
  killsPerPhase: number;
  /** Rounds, each on a fresh workspace. */
  rounds: number;
  /** PostgreSQL URL for the workspaces; absent means SQLite. */
  databaseUrl?: string;
  log?: (line: string) => void;
}

export interface CrashReport {
  /** SIGKILLs sent while the process was still running. */
  crashPoints: number;
  /** Kills scheduled after the process had already finished (not counted as crash points). */
  finishedFirst: number;
  byPhase: Record<'ingest' | 'run' | 'pack', number>;
  /** Torn WARC tails reported as unreferenced fragments after the final runs. */
  fragments: number;
  /** Times a kill left stage rows 'running' that the next run picked up again. */
  runningResumed: number;
  /** Every broken invariant, with the phase and kill that broke it; empty means all survived. */
  violations: string[];
}

type Env = Record<string, string>;

function envFor(opts: CrashOptions): Env {
  return {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? '/tmp',
    TZ: 'UTC',
    CLAIMTRACE_USER: 'crash-test',
    ...(opts.databaseUrl ? { DATABASE_URL: opts.databaseUrl } : {}),
  };
}

function cliSync(home: string, env: Env, args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, '--workspace', home, ...args], { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** Starts the CLI and SIGKILLs it after `delayMs`; `landed` when the kill came before it exited. */
function runAndKill(home: string, env: Env, args: string[], delayMs: number): Promise<{ landed: boolean; elapsedMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [BIN, '--workspace', home, ...args], { env, stdio: 'ignore' });
    let exited = false;
    let killed = false;
    const timer = setTimeout(() => {
      if (!exited) killed = child.kill('SIGKILL');
    }, delayMs);
    child.on('error', reject);
    child.on('exit', () => {
      exited = true;
      clearTimeout(timer);
      resolve({ landed: killed, elapsedMs: performance.now() - started });
    });
  });
}

let notesDir: string | null = null;

/**
 * 120 short notes about the example subjects, written once per process at a fixed place so the
 * reference run and every round ingest the same locations: more documents, more moments to die in.
 */
export function notes(): string {
  if (notesDir) return notesDir;
  notesDir = mkdtempSync(join(tmpdir(), 'claimtrace-crash-notes-'));
  const lines = ['Norvane Wireless is on the Entity List.', 'Norvane is not a Chinese military company.', 'Huawei is owned by the Chinese state, the note says.', 'Quectel modules were banned by the FCC.', 'Hikvision is sanctioned.'];
  for (let i = 0; i < 120; i++) writeFileSync(join(notesDir, `note-${String(i).padStart(3, '0')}.txt`), `Note ${i}.\n\n${lines[i % lines.length]} ${lines[(i * 7) % lines.length]}\n`);
  return notesDir;
}

interface ClaimJson {
  url: string;
  subject: string;
  predicate: string;
  object: string | null;
  polarity: string;
  modality: string;
  quote: string;
  start: number;
  end: number;
  verdict: { label: string } | null;
}

/** Claims as a user compares them: what was said where, and the verdict; ids are random per run. */
export function claimKeys(json: string): string[] {
  return (JSON.parse(json) as ClaimJson[])
    .map((c) => [c.url, c.subject, c.predicate, c.object, c.polarity, c.modality, c.start, c.end, c.quote, c.verdict?.label ?? 'NONE'].join('\u241f'))
    .sort();
}

let reference: string[] | null = null;

/** Claims of the example case from one uninterrupted run (SQLite), computed once per process. */
export function referenceClaims(): string[] {
  if (reference) return reference;
  const home = join(mkdtempSync(join(tmpdir(), 'claimtrace-crash-ref-')), 'ws');
  const env = envFor({ seed: 0, killsPerPhase: 0, rounds: 0 });
  for (const args of [['init'], ['actor', 'import-registry', join(EXAMPLE, 'case.json')], ['ingest', join(EXAMPLE, 'posts.jsonl'), notes(), '--manifest', join(EXAMPLE, 'manifest.jsonl'), '--json']]) {
    const r = cliSync(home, env, args);
    if (r.code !== 0) throw new Error(`reference ${args[0]} failed: ${r.stderr}`);
  }
  reference = claimKeys(cliSync(home, env, ['claims', '--json']).stdout);
  return reference;
}

/** What a kill may leave for the next run to finish; anything else in verify is damage. */
const INTERRUPTED = /not covered by a signed tree head/;

async function checkAfterKill(home: string, opts: CrashOptions, where: string, report: CrashReport): Promise<{ running: number }> {
  const config = loadConfig(opts.databaseUrl ? { DATABASE_URL: opts.databaseUrl } : {}, { home });
  const ws = await openWorkspace(config);
  try {
    const ev = await verifyEvidence(ws);
    for (const p of ev.problems) if (!INTERRUPTED.test(p.message)) report.violations.push(`${where}: evidence verify: [${p.kind}] ${p.message}`);
    // A document row without its capture and log leaf would show as a 'missing' problem above;
    // count rows directly too, so the check does not rest on verify alone.
    const docs = await ws.db.selectFrom('documents').select('id').where('workspace_id', '=', ws.id).execute();
    const caps = await ws.db.selectFrom('captures').innerJoin('documents', 'documents.id', 'captures.document_id').select(['captures.document_id', 'captures.leaf_index']).where('documents.workspace_id', '=', ws.id).execute();
    const withLeaf = new Set(caps.filter((c) => c.leaf_index !== null).map((c) => c.document_id));
    for (const d of docs) if (!withLeaf.has(d.id)) report.violations.push(`${where}: document ${d.id} has no capture with a log leaf`);
    const running = await ws.db.selectFrom('document_stages').innerJoin('documents', 'documents.id', 'document_stages.document_id').select('document_stages.document_id').where('documents.workspace_id', '=', ws.id).where('document_stages.status', '=', 'running').execute();
    return { running: running.length };
  } finally {
    await ws.close();
  }
}

function finalVerify(home: string, env: Env, where: string, report: CrashReport): void {
  const r = cliSync(home, env, ['evidence', 'verify', '--json']);
  const ev = JSON.parse(r.stdout) as { ok: boolean; problems: { message: string }[]; fragments: unknown[] };
  if (r.code !== 0 || !ev.ok) report.violations.push(`${where}: evidence verify failed after the re-run: ${ev.problems.map((p) => p.message).join('; ')}`);
  report.fragments += ev.fragments.length;
}

/**
 * Runs the crash campaign: per round, a fresh workspace; ingest, `run` and `case pack` are each
 * killed `killsPerPhase` times at random moments and re-run to completion, with checks after each
 * kill (evidence intact, no half-written rows, no truncated pack) and at the end of each phase
 * (evidence verify passes, same documents and claims as an uninterrupted run, pack verifies).
 */
export async function crashCampaign(opts: CrashOptions): Promise<CrashReport> {
  const rand = prng(opts.seed);
  const env = envFor(opts);
  const log = opts.log ?? (() => {});
  const report: CrashReport = { crashPoints: 0, finishedFirst: 0, byPhase: { ingest: 0, run: 0, pack: 0 }, fragments: 0, runningResumed: 0, violations: [] };
  const expectedClaims = referenceClaims();
  const ingestArgs = ['ingest', join(EXAMPLE, 'posts.jsonl'), notes(), '--manifest', join(EXAMPLE, 'manifest.jsonl'), '--no-process', '--json'];

  for (let round = 0; round < opts.rounds; round++) {
    const dir = mkdtempSync(join(tmpdir(), 'claimtrace-crash-'));
    const home = join(dir, 'ws');
    for (const args of [['init'], ['actor', 'import-registry', join(EXAMPLE, 'case.json')]]) {
      const r = cliSync(home, env, args);
      if (r.code !== 0) throw new Error(`round ${round}: ${args[0]} failed: ${r.stderr}`);
    }

    const phase = async (name: 'ingest' | 'run' | 'pack', args: string[], minMs: number, maxMs: number, after: (where: string) => Promise<void>): Promise<void> => {
      // The window shrinks to what a run took when one finished before its kill, so kills keep landing.
      let upper = maxMs;
      // Kills that come after the command finished prove nothing: try again, up to a bound.
      let landedHere = 0;
      for (let k = 0; landedHere < opts.killsPerPhase && k < opts.killsPerPhase * 3; k++) {
        const delay = Math.round(minMs + rand() * (upper - minMs));
        const { landed, elapsedMs } = await runAndKill(home, env, args, delay);
        if (!landed) upper = Math.max(minMs + 100, elapsedMs * 0.95);
        const where = `round ${round} ${name} kill ${k} at ${delay} ms`;
        if (landed) {
          landedHere++;
          report.crashPoints++;
          report.byPhase[name]++;
        } else report.finishedFirst++;
        await after(where);
        log(`${where}: ${landed ? 'killed' : 'had finished'}`);
      }
    };

    // Ingest: kill, check, and let the next start be the re-run.
    await phase('ingest', ingestArgs, 400, 3000, async (where) => {
      await checkAfterKill(home, opts, where, report);
    });
    const ing = cliSync(home, env, ingestArgs);
    const results = JSON.parse(ing.stdout) as { status: string; documentId: string | null; location: string }[];
    const bad = results.filter((r) => r.status === 'failed');
    if (bad.length > 0) report.violations.push(`round ${round}: ingest re-run failed for ${bad.map((b) => b.location).join(', ')}`);
    const docs = JSON.parse(cliSync(home, env, ['documents', '--json']).stdout) as { id: string; location: string }[];
    const ids = new Set(results.map((r) => r.documentId));
    if (docs.length !== ids.size || docs.some((d) => !ids.has(d.id))) {
      report.violations.push(`round ${round}: ${docs.length} document rows after the re-run, but the inputs map to ${ids.size} documents (lost or duplicated)`);
    }
    finalVerify(home, env, `round ${round} ingest`, report);

    // Run (claims extraction and verdicts): interrupted stage rows must be picked up again.
    let sawRunning = false;
    await phase('run', ['run', '--json'], 400, 3000, async (where) => {
      const { running } = await checkAfterKill(home, opts, where, report);
      if (running > 0) sawRunning = true;
    });
    const fin = cliSync(home, env, ['run', '--json']);
    if (fin.code !== 0) report.violations.push(`round ${round}: run after kills exited ${fin.code}: ${fin.stderr}`);
    const { running } = await checkAfterKill(home, opts, `round ${round} run final`, report);
    if (running > 0) report.violations.push(`round ${round}: ${running} stage rows still 'running' after a complete run`);
    else if (sawRunning) report.runningResumed++;
    const claims = claimKeys(cliSync(home, env, ['claims', '--json']).stdout);
    if (claims.join('\n') !== expectedClaims.join('\n')) {
      const missing = expectedClaims.filter((c) => !claims.includes(c)).length;
      const extra = claims.filter((c) => !expectedClaims.includes(c)).length;
      report.violations.push(`round ${round}: claims differ from an uninterrupted run (${missing} missing, ${extra} extra, ${claims.length} vs ${expectedClaims.length})`);
    }
    finalVerify(home, env, `round ${round} run`, report);

    // Case pack: the final name holds a whole, verifiable pack or nothing.
    const created = cliSync(home, env, ['case', 'create', '--respondent', 'Graham Tolliver', '--json']);
    if (created.code !== 0) throw new Error(`round ${round}: case create failed: ${created.stderr}`);
    const caseId = (JSON.parse(created.stdout) as { id: string }).id;
    const out = join(dir, 'evidence.wacz');
    await phase('pack', ['case', 'pack', caseId, '--out', out], 400, 1600, async (where) => {
      if (!existsSync(out)) return;
      const r = verifyPackFile(out);
      if (!r.ok) report.violations.push(`${where}: ${out} exists but does not verify: ${r.problems.map((p) => p.message).join('; ')}`);
    });
    const packed = cliSync(home, env, ['case', 'pack', caseId, '--out', out]);
    if (packed.code !== 0) report.violations.push(`round ${round}: case pack after kills exited ${packed.code}: ${packed.stderr}`);
    else if (!verifyPackFile(out).ok) report.violations.push(`round ${round}: the final pack does not verify`);
    const stray = readdirSync(dir).filter((f) => f !== 'ws' && f !== 'evidence.wacz' && !/^\.evidence\.wacz\.\d+\.partial$/.test(f));
    if (stray.length > 0) report.violations.push(`round ${round}: unexpected files beside the pack: ${stray.join(', ')}`);
    finalVerify(home, env, `round ${round} pack`, report);
  }
  return report;
}
