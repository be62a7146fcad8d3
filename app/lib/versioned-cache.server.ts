/**
 * Results kept in the app process, valid for one version of the data they were computed from.
 *
 * The caller reads the version from the database (a counter that triggers raise in the same
 * transaction as any change the results depend on) before computing, so an entry always holds
 * data at least as new as its version, and a change committed by any app process is seen by the
 * next read everywhere. A newer version drops every entry; at most `maxEntries` are kept, the
 * least recently used dropped first; concurrent requests for one key wait for one computation.
 * `maxEntries` 0 turns caching off (every call computes).
 *
 * A result that time alone can change (a deadline passing) says how long it holds: `until`
 * gives, from the value, the first moment (ms) it no longer does, and `at` is the moment it is
 * asked for; an entry is used only from the moment it was computed for until then.
 */
export class VersionedCache<V> {
  private entries = new Map<string, Entry<V>>();
  private pending = new Map<string, Promise<Entry<V>>>();
  private version = -1n;

  constructor(readonly maxEntries: number) {}

  get size() {
    return this.entries.size;
  }

  async get(
    version: bigint,
    key: string,
    compute: () => Promise<V>,
    { at = 0, until }: { at?: number; until?: (value: V) => number } = {},
  ): Promise<V> {
    const run = async (): Promise<Entry<V>> => {
      const value = await compute();
      return { value, at, until: until ? until(value) : Infinity };
    };
    if (this.maxEntries <= 0) return (await run()).value;
    if (version > this.version) {
      // Older entries can never be asked for again.
      this.entries.clear();
      this.version = version;
    }
    const fullKey = `${version}\u0000${key}`;
    const hit = this.entries.get(fullKey);
    if (hit && holds(hit, at)) {
      this.entries.delete(fullKey); // most recently used last
      this.entries.set(fullKey, hit);
      return hit.value;
    }
    // Concurrent requests for the same key wait for one computation, if it holds for them too.
    let entry = await this.once(fullKey, run);
    if (!holds(entry, at)) entry = await run();
    // A reader that saw an older version (its read raced a change) does not store its result.
    if (version === this.version) {
      this.entries.delete(fullKey);
      this.entries.set(fullKey, entry);
      if (this.entries.size > this.maxEntries) {
        this.entries.delete(this.entries.keys().next().value!);
      }
    }
    return entry.value;
  }

  private async once(key: string, compute: () => Promise<Entry<V>>) {
    const inFlight = this.pending.get(key);
    if (inFlight) return inFlight;
    const computing = compute();
    this.pending.set(key, computing);
    try {
      return await computing;
    } finally {
      this.pending.delete(key);
    }
  }
}

/** A value, the moment it was computed for, and the first moment it no longer holds. */
type Entry<V> = { value: V; at: number; until: number };

function holds(entry: Entry<unknown>, t: number) {
  return entry.at <= t && t < entry.until;
}
