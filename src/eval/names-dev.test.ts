import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { describeWithShared } from '../../test/support/shared.js';
import { evaluateNames, readNameCases } from './names-eval.js';

/** The issue-5 target for name matching: F1 at the shipped threshold and under 5-fold CV. */
const F1_TARGET = 0.9;

describeWithShared('name matching on cases.csv', ['fixtures/name-matching/cases.csv'], ([casesPath]) => {
  const report = evaluateNames(readNameCases(readFileSync(casesPath!, 'utf8')));

  it('reaches the F1 target at the shipped threshold and with the threshold chosen on held-out folds', () => {
    expect(report.cases).toBeGreaterThan(800);
    expect(report.shipped.f1).toBeGreaterThanOrEqual(F1_TARGET);
    expect(report.crossValidated.f1).toBeGreaterThanOrEqual(F1_TARGET);
  });

  it('keeps companies and persons both above the target, not one carrying the other', () => {
    expect(report.bySchema['Company']!.f1).toBeGreaterThanOrEqual(F1_TARGET);
    expect(report.bySchema['Person']!.f1).toBeGreaterThanOrEqual(F1_TARGET - 0.02);
  });
});
