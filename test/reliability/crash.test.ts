import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { PROJECT_ROOT } from '../support/shared.js';
import { crashCampaign, referenceClaims } from './crash-harness.js';

// Runs the built CLI (npm run build first). Five kills per phase and database keeps this file near
// a minute; `npm run soak` runs the same campaign with many more rounds.
const SEED = Number(process.env['CLAIMTRACE_CRASH_SEED'] ?? 20261123);

beforeAll(() => {
  expect(existsSync(join(PROJECT_ROOT, 'dist', 'cli', 'main.js')), 'build the CLI first: npx tsc -p tsconfig.build.json').toBe(true);
  expect(referenceClaims().length).toBeGreaterThan(50);
}, 120_000);

describeEachDatabase('SIGKILL during ingest, run and case pack', (db) => {
  it(
    'leaves nothing half-written; re-runs finish the work; evidence verify passes',
    async () => {
      const url = db.name === 'postgres' ? process.env['TEST_DATABASE_URL'] : undefined;
      const report = await crashCampaign({ seed: SEED + (db.name === 'postgres' ? 1 : 0), killsPerPhase: 5, rounds: 1, ...(url ? { databaseUrl: url } : {}) });
      console.info(`[crash ${db.name}] ${JSON.stringify(report)}`);
      expect(report.violations).toEqual([]);
      // Most kills must land while the command still runs, or the test proves nothing.
      expect(report.crashPoints).toBeGreaterThanOrEqual(10);
      expect(report.byPhase.ingest).toBeGreaterThanOrEqual(3);
      expect(report.byPhase.run).toBeGreaterThanOrEqual(3);
      expect(report.byPhase.pack).toBeGreaterThanOrEqual(2);
    },
    240_000,
  );
});
