import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parseInWorker } from '../../src/capture/sandbox/index.js';
import { isAppError } from '../../src/errors.js';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/databases.js';
import { PROJECT_ROOT } from '../support/shared.js';
import { count, recordFigure, SOAK } from './figures.js';
import { writeHostileCorpus } from './hostile-corpus.js';

const CLEAR_CODES = ['too_large', 'zip_bomb', 'parse_failed', 'parse_timeout', 'unsupported_format', 'invalid_input'];
const outcomes: Record<string, string> = {};
const figures = { hostileFiles: 0, stored: 0, refused: 0, binaryMutations: 0, binaryParsed: 0, binaryRefused: 0 };
afterAll(() => recordFigure('hostile-files', { ...figures, outcomes: SOAK ? undefined : outcomes, result: 'every file stored or refused with a clear code; the rest of each batch stored; evidence verifies' }));

describe('a batch of hostile files through the built CLI', () => {
  it('each gives a clear error or a correct result, the rest of the batch is stored, nothing escapes', () => {
    const dir = tempDir('claimtrace-hostile-');
    const home = join(dir, 'ws');
    const corpus = join(dir, 'corpus');
    const copies = SOAK ? 5 : 1;
    const files = Array.from({ length: copies }, (_, i) => writeHostileCorpus(corpus, copies > 1 ? `c${i}` : '')).flat();
    figures.hostileFiles += files.length;
    expect(cli(['--workspace', home, 'init']).code).toBe(0);
    const r = cli(['--workspace', home, 'ingest', corpus, '--no-process', '--json'], { env: { CLAIMTRACE_WORKER_TIMEOUT_MS: '20000' } });
    // Exit 1 means "some inputs failed"; a crash would be a signal or another code.
    expect(r.code, r.stderr).toBe(1);
    const results = r.json<{ location: string; status: string; documentId: string | null; code: string | null; error: string | null }[]>();
    expect(results).toHaveLength(files.length);
    for (const f of files) {
      const res = results.find((x) => basename(x.location) === f.name);
      expect(res, f.name).toBeDefined();
      if (!res) continue;
      outcomes[f.name] = res.status === 'failed' ? (res.code ?? 'failed') : res.status;
      if (res.status === 'failed') {
        figures.refused++;
        expect(f.expect, `${f.name} should have been stored: ${res.error}`).not.toBe('ok');
        expect(CLEAR_CODES, `${f.name}: ${res.code} ${res.error}`).toContain(res.code);
        expect(res.error?.length ?? 0).toBeGreaterThan(10);
      } else {
        figures.stored++;
        expect(f.expect, `${f.name} should have been refused`).not.toBe('error');
      }
      if (f.forbidden && res.documentId) {
        const doc = cli(['--workspace', home, 'documents', 'show', res.documentId, '--json']);
        if (doc.code === 0) expect(doc.stdout, `${f.name} leaked`).not.toContain(f.forbidden);
      }
    }
    expect(existsSync('/tmp/claimtrace-pwned'), 'PDF JavaScript ran').toBe(false);
    // The good file and every stored one went through; the pipeline copes with what was stored.
    expect(results.find((x) => basename(x.location).startsWith('good'))?.status).toBe('stored');
    const run = cli(['--workspace', home, 'run', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const ev = cli(['--workspace', home, 'evidence', 'verify', '--json']);
    expect(ev.json<{ ok: boolean }>().ok, ev.stdout).toBe(true);
  }, 300_000);
});

describe('PDF, DOCX and PPTX parsing in the sandbox on mutated real files', () => {
  const N = count(5, 120);
  for (const file of ['report.pdf', 'letter.docx', 'deck.pptx']) {
    it(`${file}: ${N} mutations each parse or fail with a clear code`, async () => {
      const base = readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'formats', file));
      const format = file.split('.').pop()!;
      const samples = fc.sample(
        fc.oneof(
          fc.array(fc.tuple(fc.nat({ max: base.byteLength - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 40 }).map((flips) => {
            const b = Buffer.from(base);
            for (const [i, v] of flips) b[i] = v;
            return b;
          }),
          fc.nat({ max: base.byteLength - 1 }).map((n) => base.subarray(0, n)),
        ),
        { numRuns: N, seed: 7 },
      );
      for (const bytes of samples) {
        figures.binaryMutations++;
        try {
          const doc = await parseInWorker(bytes, format, { workerTimeoutMs: 15_000, workerHeapMb: 256 });
          expect(typeof doc.text).toBe('string');
          figures.binaryParsed++;
        } catch (err) {
          expect(isAppError(err), String(err)).toBe(true);
          if (isAppError(err)) expect(CLEAR_CODES).toContain(err.code);
          figures.binaryRefused++;
        }
      }
    }, 300_000);
  }
});
