import { db } from "~/lib/db.server";
import { getEnv } from "~/lib/env.server";
import type { Actor } from "~/lib/permissions";
import { VersionedCache } from "~/lib/versioned-cache.server";
import { searchDirectory, type SearchResult } from "./directory.server";
import type { DirectorySearch } from "./search-schema";

type Viewer = Pick<Actor, "id" | "instituteId" | "roles">;

/**
 * Directory search results, cached in the app process and shared by viewers who see exactly the
 * same directory.
 *
 * Correctness rests on two facts:
 *
 * 1. Every key starts with `DirectoryState.version`, which database triggers raise in the same
 *    transaction as any change a search reads (profiles, people's names, titles, institutes and
 *    deactivation, institutes, the taxonomy). The version is read from the database on every
 *    search, before the results are computed, so an entry always holds data at least as new as its
 *    version, and a change committed by any app process is seen by the next search everywhere.
 *
 * 2. What a search returns depends on the viewer only through their tier for each profile (see
 *    queries.server.ts): 3 for themselves and, for HR, everyone of their institute; 2 for the
 *    rest of their institute; 1 for partners. So all HR of an institute share one view, and so do
 *    all its other staff, except that a person sees their own PRIVATE fields. A viewer whose own
 *    profile has a PRIVATE field therefore gets entries of their own; for everyone else tier 3 and
 *    tier 2 are the same on their own row, and the institute's shared entry is exact for them.
 */
export class DirectorySearchCache {
  private cache: VersionedCache<SearchResult>;

  constructor(readonly maxEntries: number) {
    this.cache = new VersionedCache(maxEntries);
  }

  get size() {
    return this.cache.size;
  }

  async search(viewer: Viewer, search: DirectorySearch): Promise<SearchResult> {
    if (this.maxEntries <= 0) return searchDirectory(viewer, search);
    // Keys the cache, so it stays here: docs/decisions/007-versioned-result-caches.md.
    const [state] = await db.$queryRaw<{ version: bigint; ownPrivate: boolean | null }[]>`
      SELECT (SELECT "version" FROM "DirectoryState" WHERE "id" = 1) AS "version",
        (SELECT 'PRIVATE' IN ("bioVisibility", "expertiseVisibility", "skillsVisibility",
            "publicationsVisibility", "languagesVisibility", "locationVisibility",
            "availabilityVisibility")
          FROM "Profile" WHERE "userId" = ${viewer.id}) AS "ownPrivate"`;
    const isHr = viewer.roles.includes("HR");
    const key = JSON.stringify([
      viewer.instituteId,
      isHr,
      !isHr && state!.ownPrivate ? viewer.id : "",
      search.q,
      [...search.institute].sort(),
      [...search.expertise].sort(),
      [...search.availability].sort(),
      [...search.location].sort(),
      search.page,
    ]);
    return this.cache.get(BigInt(state!.version), key, () => searchDirectory(viewer, search));
  }
}

let shared: DirectorySearchCache | undefined;

/** The process's cache, sized by DIRECTORY_CACHE_ENTRIES (0 turns caching off). */
export function cachedSearchDirectory(viewer: Viewer, search: DirectorySearch) {
  shared ??= new DirectorySearchCache(getEnv().DIRECTORY_CACHE_ENTRIES);
  return shared.search(viewer, search);
}
