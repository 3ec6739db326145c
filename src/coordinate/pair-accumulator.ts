import { AppError } from '../errors.js';

/**
 * Aggregates weighted actor-pair observations without a Map of all pairs (a JS Map fails at
 * 2^24 entries and costs ~80 bytes per entry). Each observation is packed into one float64:
 * pair key (lo * 2^bits + hi) times 256 plus an 8-bit quantised weight. Observations are
 * buffered, sorted natively in chunks and reduced to runs, and runs are merged, so memory is
 * bounded by the number of distinct pairs plus one chunk.
 */
export class PairAccumulator {
  readonly scale: number;
  private buf: Float64Array;
  private n = 0;
  private keys = new Float64Array(0);
  private counts = new Int32Array(0);
  private sums = new Float64Array(0);

  constructor(
    readonly actorBits: number,
    chunk = 1 << 22,
  ) {
    if (2 * actorBits + 8 > 53) throw new AppError('too_large', `too many actors for pair aggregation (${actorBits} bits)`);
    this.scale = 2 ** actorBits;
    this.buf = new Float64Array(chunk);
  }

  /** Record one co-action of actors x and y with a weight in (0, 1]. */
  add(x: number, y: number, weight: number): void {
    const lo = x < y ? x : y;
    const hi = x < y ? y : x;
    const q = Math.max(1, Math.min(255, Math.round(weight * 255)));
    this.buf[this.n++] = (lo * this.scale + hi) * 256 + q;
    if (this.n === this.buf.length) this.flush();
  }

  private flush(): void {
    if (this.n === 0) return;
    const part = this.buf.subarray(0, this.n).sort();
    let runs = 0;
    const rk = new Float64Array(this.n);
    const rc = new Int32Array(this.n);
    const rs = new Float64Array(this.n);
    let prev = -1;
    for (let i = 0; i < part.length; i++) {
      const v = part[i] as number;
      const key = Math.floor(v / 256);
      const w = (v - key * 256) / 255;
      if (key !== prev) {
        rk[runs] = key;
        rc[runs] = 1;
        rs[runs] = w;
        runs++;
        prev = key;
      } else {
        rc[runs - 1]! += 1;
        rs[runs - 1]! += w;
      }
    }
    this.n = 0;
    this.merge(rk.subarray(0, runs), rc.subarray(0, runs), rs.subarray(0, runs));
  }

  private merge(bk: Float64Array, bc: Int32Array, bs: Float64Array): void {
    const ak = this.keys;
    const ac = this.counts;
    const as = this.sums;
    const size = ak.length + bk.length;
    const k = new Float64Array(size);
    const c = new Int32Array(size);
    const s = new Float64Array(size);
    let i = 0;
    let j = 0;
    let o = 0;
    while (i < ak.length || j < bk.length) {
      const ka = i < ak.length ? (ak[i] as number) : Infinity;
      const kb = j < bk.length ? (bk[j] as number) : Infinity;
      if (ka === kb) {
        k[o] = ka;
        c[o] = (ac[i] as number) + (bc[j] as number);
        s[o] = (as[i] as number) + (bs[j] as number);
        i++;
        j++;
      } else if (ka < kb) {
        k[o] = ka;
        c[o] = ac[i] as number;
        s[o] = as[i] as number;
        i++;
      } else {
        k[o] = kb;
        c[o] = bc[j] as number;
        s[o] = bs[j] as number;
        j++;
      }
      o++;
    }
    this.keys = k.slice(0, o);
    this.counts = c.slice(0, o);
    this.sums = s.slice(0, o);
  }

  /** Sorted distinct pairs with their observation counts and weight sums. */
  finish(): { keys: Float64Array; counts: Int32Array; sums: Float64Array } {
    this.flush();
    return { keys: this.keys, counts: this.counts, sums: this.sums };
  }
}
