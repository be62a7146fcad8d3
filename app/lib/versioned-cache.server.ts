/**
 * Results kept in the app process, valid for one version of the data they were computed from.
 *
 * The caller reads the version from the database (a counter that triggers raise in the same
 * transaction as any change the results depend on) before computing, so an entry always holds
 * data at least as new as its version, and a change committed by any app process is seen by the
 * next read everywhere. A newer version drops every entry; at most `maxEntries` are kept, the
 * least recently used dropped first; concurrent requests for one key wait for one computation.
 * `maxEntries` 0 turns caching off (every call computes).
 */
export class VersionedCache<V> {
  private entries = new Map<string, V>();
  private pending = new Map<string, Promise<V>>();
  private version = -1n;

  constructor(readonly maxEntries: number) {}

  get size() {
    return this.entries.size;
  }

  async get(version: bigint, key: string, compute: () => Promise<V>): Promise<V> {
    if (this.maxEntries <= 0) return compute();
    if (version > this.version) {
      // Older entries can never be asked for again.
      this.entries.clear();
      this.version = version;
    }
    const fullKey = `${version}\u0000${key}`;
    const hit = this.entries.get(fullKey);
    if (hit !== undefined) {
      this.entries.delete(fullKey); // most recently used last
      this.entries.set(fullKey, hit);
      return hit;
    }
    const inFlight = this.pending.get(fullKey);
    if (inFlight) return inFlight;
    const computing = compute();
    this.pending.set(fullKey, computing);
    try {
      const result = await computing;
      // A reader that saw an older version (its read raced a change) does not store its result.
      if (version === this.version) {
        this.entries.set(fullKey, result);
        if (this.entries.size > this.maxEntries) {
          this.entries.delete(this.entries.keys().next().value!);
        }
      }
      return result;
    } finally {
      this.pending.delete(fullKey);
    }
  }
}
