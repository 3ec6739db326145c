import { describe, expect, it } from 'vitest';
import { averagePrecisionAt } from './similar-eval.js';

describe('averagePrecisionAt', () => {
  it('scores the rank of the relevant claim within the top 5', () => {
    expect(averagePrecisionAt(['a', 'b', 'c'], new Set(['a']))).toBe(1);
    expect(averagePrecisionAt(['x', 'y', 'a'], new Set(['a']))).toBeCloseTo(1 / 3);
    expect(averagePrecisionAt(['x', 'y', 'z', 'w', 'v', 'a'], new Set(['a']))).toBe(0);
    expect(averagePrecisionAt(['a', 'x', 'b'], new Set(['a', 'b']))).toBeCloseTo((1 + 2 / 3) / 2);
  });
});
