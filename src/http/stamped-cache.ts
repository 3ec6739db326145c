/**
 * Strings (serialised responses, counts) kept under one database change stamp
 * (store/change-stamp.ts). A value is handed out again only while the stamp reads exactly what it
 * read before the value was computed, so it is what computing it afresh would return; the first
 * value stored under a new stamp empties the cache.
 */
export class StampedCache<T extends { length: number } = string> {
  private stamp: string | null = null;
  private readonly entries = new Map<string, T>();
  private chars = 0;

  /** Sizes are `length`s: characters of a string, or elements of an array (weighed by `unit`). */
  constructor(
    private readonly maxEntries = 128,
    private readonly maxChars = 8 * 1024 * 1024,
    private readonly unit = 1,
  ) {}

  get(stamp: string, key: string): T | undefined {
    if (stamp !== this.stamp) return undefined;
    const body = this.entries.get(key);
    if (body !== undefined) {
      // Most recently used last, so the oldest is dropped first.
      this.entries.delete(key);
      this.entries.set(key, body);
    }
    return body;
  }

  set(stamp: string, key: string, body: T): void {
    if (stamp !== this.stamp) {
      this.entries.clear();
      this.chars = 0;
      this.stamp = stamp;
    }
    const size = body.length * this.unit;
    if (size > this.maxChars || this.entries.has(key)) return;
    while (this.entries.size >= this.maxEntries || this.chars + size > this.maxChars) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.chars -= this.entries.get(oldest.value)!.length * this.unit;
      this.entries.delete(oldest.value);
    }
    this.entries.set(key, body);
    this.chars += size;
  }
}
