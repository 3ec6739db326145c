import { expect, it } from 'vitest';
import { checkFloors, CLAIMS_FLOORS, loadGold, runClaimsEval } from './claims-eval.js';
import { describeWithShared } from '../../test/support/shared.js';

describeWithShared('claim extraction on claims-dev.jsonl', ['eval/claims-dev.jsonl'], ([goldPath]) => {
  it('meets the issue floors: F1 on asserted+reported and the trap-hit rate', () => {
    const report = runClaimsEval(goldPath!);
    expect(report.score.overall.f1).toBeGreaterThanOrEqual(CLAIMS_FLOORS.f1);
    expect(report.score.traps.rate).toBeLessThanOrEqual(CLAIMS_FLOORS.maxTrapRate);
    expect(checkFloors(report.score)).toEqual([]);
  });

  it('keeps every quote an exact substring at its offsets, even with every subject given to every file', () => {
    const report = runClaimsEval(goldPath!, { subjects: 'all' });
    expect(report.score.traps.rate).toBeLessThanOrEqual(CLAIMS_FLOORS.maxTrapRate);
    const texts = new Map(loadGold(goldPath!).map((d) => [d.file, d.text]));
    let checked = 0;
    for (const [file, preds] of Object.entries(report.predictions)) {
      const text = texts.get(file)!;
      for (const p of preds) {
        expect(text.slice(p.start, p.end)).toBe(p.quote);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
  });
});
