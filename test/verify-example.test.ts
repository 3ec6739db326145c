import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateDevVerdicts, VERDICT_FLOORS } from '../src/eval/verdicts-eval.js';
import { buildExampleWorkspace, exampleGoldAndPredictions } from '../src/eval/example-case.js';
import { scoreClaims } from '../src/eval/claims-score.js';
import { aliasIndex } from '../src/eval/claims-eval.js';
import { ClaimsRepo, type StoredClaim } from '../src/store/claims-repo.js';
import type { Workspace } from '../src/store/workspace.js';
import { describeWithShared, SHARED_ROOT } from './support/shared.js';

describe('verdicts on the example case (bundled lists + fictional dataset, through the pipeline)', () => {
  let ws: Workspace;
  let claims: StoredClaim[];
  beforeAll(async () => {
    ws = await buildExampleWorkspace();
    claims = await new ClaimsRepo(ws.db, ws.id).list();
  });
  afterAll(async () => {
    await ws.close();
  });

  it('gets every answer-key verdict it matches right, with no overclaim', async () => {
    const { gold, predictions } = await exampleGoldAndPredictions(ws);
    const v = scoreClaims(gold, predictions, { aliases: aliasIndex() }).verdicts;
    expect(v.scored).toBeGreaterThan(60);
    expect(v.correct).toBe(v.scored);
    expect(v.overclaims).toBe(0);
  });

  it('gives statements that are not facts no verdict, and every factual claim one with an explanation', () => {
    for (const c of claims) {
      const factual = (c.modality === 'asserted' || c.modality === 'reported') && c.predicate !== 'other';
      if (!factual) expect(c.verdict, c.quote).toBeNull();
      else {
        expect(c.verdict, c.quote).not.toBeNull();
        expect(c.verdict!.explanation.length).toBeGreaterThan(40);
      }
    }
  });

  it('never refutes a 1260H listing by absence from the partial snapshot', () => {
    const dod = claims.filter((c) => c.predicate === 'listed' && c.object === 'us-1260h' && c.verdict);
    for (const c of dod) expect(c.verdict!.label === 'REFUTED' && c.polarity === 'affirmed', c.quote).toBe(false);
    const early = claims.filter((c) => c.subject === 'Norvane Wireless' && c.predicate === 'listed' && c.object === 'us-any' && c.verdict && c.verdict.asOf < '2025-01-07');
    expect(early.length).toBeGreaterThan(0);
    for (const c of early) expect(c.verdict!.label, c.quote).toBe('NOT_ENOUGH_INFO');
  });

  it('names the fictional dataset when a verdict rests on it, and cites versions and source URLs', () => {
    const late = claims.find((c) => c.subject === 'Norvane Wireless' && c.object === 'us-any' && c.polarity === 'denied' && c.verdict?.label === 'REFUTED');
    expect(late).toBeDefined();
    expect(late!.verdict!.explanation).toContain('FICTIONAL example dataset example-fictional-1260h');
    const ev = late!.verdict!.evidence.find((e) => e.datasetId === 'example-fictional-1260h');
    expect(ev?.datasetVersionId).toMatch(/^dsv_/);
    expect(ev?.sourceUrl).toMatch(/\.test\//);
    const huawei = claims.find((c) => c.subject === 'Huawei' && c.object === 'fcc-covered-list' && c.verdict?.label === 'SUPPORTED');
    expect(huawei!.verdict!.evidence[0]).toMatchObject({ datasetId: 'fcc-covered-list', sourceUrl: 'https://www.fcc.gov/supplychain/coveredlist' });
  });
});

describeWithShared(
  'verdicts on ../shared/eval/claims-dev.jsonl (FCC table and 1260H editions imported whole, CVE records)',
  ['eval/claims-dev.jsonl', 'fixtures/lists/fcc-covered-list/table.csv', 'fixtures/lists/dod-1260h/sanctions.csv', 'fixtures/cve'],
  () => {
    it(`reaches accuracy >= ${VERDICT_FLOORS.accuracy} on matched claims with no overclaim`, async () => {
      const r = await evaluateDevVerdicts(SHARED_ROOT);
      if ('skipped' in r) throw new Error(r.skipped);
      expect(r.scored).toBeGreaterThan(30);
      expect(r.accuracy).toBeGreaterThanOrEqual(VERDICT_FLOORS.accuracy);
      expect(r.overclaims).toBe(0);
    });
  },
);
