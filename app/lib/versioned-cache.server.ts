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
 * Data with a version per part (one per workspace, say) gives each call its `scope`: versions are
 * compared, and a newer one drops entries, within a scope only; the size bound is shared by all.
 *
 * A result that time alone can change (a deadline passing) says how long it holds: `until`
 * gives, from the value, the first moment (ms) it no longer does, and `at` is the moment it is
 * asked for; an entry is used only from the moment it was computed for until then.
 */
export class VersionedCache<V> {
  private entries = new Map<string, Entry<V>>();
  private pending = new Map<string, Promise<Entry<V>>>();
  /** Per scope with entries: the newest version seen, and the keys of its entries. */
  private scopes = new Map<string, { version: bigint; keys: Set<string> }>();

  constructor(readonly maxEntries: number) {}

  get size() {
    return this.entries.size;
  }

  async get(
    version: bigint,
    key: string,
    compute: () => Promise<V>,
    {
      at = 0,
      until,
      scope = "",
    }: { at?: number; until?: (value: V) => number; scope?: string } = {},
  ): Promise<V> {
    const run = async (): Promise<Entry<V>> => {
      const value = await compute();
      return { value, scope, at, until: until ? until(value) : Infinity };
    };
    if (this.maxEntries <= 0) return (await run()).value;
    // Older entries of the scope can never be asked for again.
    if (version > (this.scopes.get(scope)?.version ?? version)) this.dropScope(scope);
    // A scope never holds the separator (database text cannot), nor does a version.
    const fullKey = `${scope}\u0000${version}\u0000${key}`;
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
    if (version > (this.scopes.get(scope)?.version ?? version)) this.dropScope(scope);
    let known = this.scopes.get(scope);
    if (!known) this.scopes.set(scope, (known = { version, keys: new Set() }));
    if (version === known.version) {
      this.entries.delete(fullKey);
      this.entries.set(fullKey, entry);
      known.keys.add(fullKey);
      if (this.entries.size > this.maxEntries) this.evict(this.entries.keys().next().value!);
    }
    return entry.value;
  }

  /**
   * Forgets the scope: its entries, and its version. A scope is remembered only while it has
   * entries, so scopes too are bounded by maxEntries. (Once a scope is forgotten, a reader of an
   * older version may store its result: harmless, as every entry is keyed by its version and
   * holds data at least that new; the next newer one drops it.)
   */
  private dropScope(scope: string) {
    for (const k of this.scopes.get(scope)?.keys ?? []) this.entries.delete(k);
    this.scopes.delete(scope);
  }

  private evict(fullKey: string) {
    const { scope } = this.entries.get(fullKey)!;
    this.entries.delete(fullKey);
    const known = this.scopes.get(scope);
    known?.keys.delete(fullKey);
    if (known && !known.keys.size) this.scopes.delete(scope);
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

/** A value, its scope, the moment it was computed for, and the first moment it no longer holds. */
type Entry<V> = { value: V; scope: string; at: number; until: number };

function holds(entry: Entry<unknown>, t: number) {
  return entry.at <= t && t < entry.until;
}
