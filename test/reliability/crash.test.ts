import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { count, recordFigure } from '../security/figures.js';
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
      const report = await crashCampaign({ seed: SEED + (db.name === 'postgres' ? 1 : 0), killsPerPhase: 5, rounds: count(1, 9), ...(url ? { databaseUrl: url } : {}) });
      recordFigure(`crash-${db.name}`, { ...report, violations: report.violations.length, firstViolations: report.violations.slice(0, 3) });
      expect(report.violations).toEqual([]);
      // Kills must land while the command still runs in every phase, or the test proves nothing.
      expect(report.byPhase.ingest).toBeGreaterThanOrEqual(count(4, 40));
      expect(report.byPhase.run).toBeGreaterThanOrEqual(count(4, 40));
      expect(report.byPhase.pack).toBeGreaterThanOrEqual(count(4, 40));
    },
    count(240_000, 3_600_000),
  );
});
