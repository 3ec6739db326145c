// `npm run soak`: the reliability and security suites with their large counts (CLAIMTRACE_SOAK=1),
// then a summary of the figures they reported, written to test/reliability/soak-results.json for
// SECURITY.md. Never part of `npm test`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const figuresFile = join(mkdtempSync(join(tmpdir(), 'claimtrace-soak-')), 'figures.jsonl');
const started = Date.now();
const r = spawnSync(process.execPath, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'test/reliability', 'test/security', '--hookTimeout', '600000'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, CLAIMTRACE_SOAK: '1', CLAIMTRACE_FIGURES_FILE: figuresFile, TZ: 'UTC' },
});
const figures = existsSync(figuresFile)
  ? readFileSync(figuresFile, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
  : [];
const summary = {
  measuredAt: new Date().toISOString(),
  minutes: Math.round((Date.now() - started) / 600) / 100,
  postgres: process.env['TEST_DATABASE_URL'] ? 'included' : 'skipped (TEST_DATABASE_URL not set)',
  passed: r.status === 0,
  figures,
};
writeFileSync(join(root, 'test', 'reliability', 'soak-results.json'), JSON.stringify(summary, null, 2) + '\n');
console.log(`soak: ${summary.passed ? 'passed' : 'FAILED'} in ${summary.minutes} min; figures in test/reliability/soak-results.json`);
process.exit(r.status ?? 1);
