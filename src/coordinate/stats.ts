/** Small statistics needed to test pair overlap against chance. */

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** Natural log of the gamma function (Lanczos approximation, ~15 significant digits). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0] as number;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += (LANCZOS[i] as number) / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

function logChoose(n: number, k: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

/**
 * P(X >= k) for X ~ Hypergeometric(population N, K successes, n draws): the chance that two
 * actors who act on K and n of N objects share at least k of them if they chose at random.
 */
export function hypergeometricTail(k: number, N: number, K: number, n: number): number {
  const lo = Math.max(0, n - (N - K));
  const hi = Math.min(K, n);
  if (k <= lo) return 1;
  if (k > hi) return 0;
  let logTerm = logChoose(K, k) + logChoose(N - K, n - k) - logChoose(N, n);
  let term = Math.exp(logTerm);
  let sum = term;
  for (let x = k; x < hi; x++) {
    const ratio = ((K - x) * (n - x)) / ((x + 1) * (N - K - n + x + 1));
    term *= ratio;
    logTerm += Math.log(ratio);
    sum += term;
    if (term < sum * 1e-16) break;
  }
  return Math.min(1, sum);
}

/**
 * Benjamini-Hochberg adjusted p-values (q-values) for `pValues`, where `m` >= pValues.length is
 * the total number of hypotheses (untested ones are taken as p = 1, which only makes q larger).
 */
export function benjaminiHochberg(pValues: Float64Array, m: number = pValues.length): Float64Array {
  const n = pValues.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => (pValues[x] as number) - (pValues[y] as number) || x - y);
  const q = new Float64Array(n);
  let running = 1;
  for (let r = n - 1; r >= 0; r--) {
    const i = order[r] as number;
    const v = Math.min(running, ((pValues[i] as number) * m) / (r + 1));
    running = v;
    q[i] = v;
  }
  return q;
}
