import { db } from "~/lib/db.server";
import { getEnv } from "~/lib/env.server";
import type { Actor } from "~/lib/permissions";
import { suggestedPostingsSql, toSuggestedPostings } from "./matching.server";
import {
  queryOpenPostings,
  readPostingFacets,
  type OpenPostingsPage,
  type PostingFacets,
} from "./postings.server";
import type { PostingFilter } from "./schema";

type Viewer = Pick<Actor, "id" | "instituteId">;

export type PostingList = Omit<OpenPostingsPage, "firstDeadline"> & PostingFacets;

type PageEntry = {
  page: OpenPostingsPage;
  /** When it was computed: it holds for `now` in [at, firstDeadline). */
  at: number;
};

/**
 * The postings list's filter lists and result pages, cached in the app process.
 *
 * Correctness rests on three facts:
 *
 * 1. Every entry belongs to one value of `PostingsState.version`, which database triggers raise in
 *    the same transaction as any change the list reads (postings, institutes, the taxonomy). The
 *    version is read from the database on every request, before anything is computed, so an
 *    entry always holds data at least as new as its version, and a change committed by any app
 *    process is seen by the next request everywhere.
 *
 * 2. Which postings a viewer sees in the list depends on them only through their institute (host
 *    or eligible; drafts, closed and past-deadline postings are never listed; see
 *    queryOpenPostings), so pages are keyed by institute and filter. The filter lists are the same
 *    for everyone.
 *
 * 3. Time changes a page without a write only when a listed posting's deadline passes; a page is
 *    therefore used only before the earliest deadline among all its matches (and not for a `now`
 *    before it was computed).
 */
export class PostingsListCache {
  private pages = new Map<string, PageEntry>();
  private pending = new Map<string, Promise<unknown>>();
  private facets: PostingFacets | null = null;
  private version = -1n;

  constructor(readonly maxEntries: number) {}

  get size() {
    return this.pages.size;
  }

  /** One page of the list `viewer` sees, as of `version` (read from the database just before). */
  async list(
    viewer: Viewer,
    filter: PostingFilter,
    version: bigint,
    now = new Date(),
  ): Promise<PostingList> {
    if (this.maxEntries <= 0) {
      const facets = await readPostingFacets();
      const { firstDeadline: _, ...page } = await queryOpenPostings(
        viewer.instituteId,
        filter,
        facets.areas,
        now,
      );
      return { ...page, ...facets };
    }
    if (version > this.version) {
      // Older entries can never be asked for again.
      this.pages.clear();
      this.facets = null;
      this.version = version;
    }
    const facets = this.facets ?? (await this.once(`facets:${version}`, readPostingFacets));
    if (version === this.version) this.facets = facets;

    const key = JSON.stringify([
      String(version),
      viewer.instituteId,
      filter.q,
      [...filter.institute].sort(),
      [...filter.expertise].sort(),
      [...filter.duration].sort(),
      [...filter.workMode].sort(),
      filter.startFrom,
      filter.startTo,
      filter.page,
    ]);
    const t = now.getTime();
    const hit = this.pages.get(key);
    if (hit && holds(hit, t)) {
      this.pages.delete(key); // most recently used last
      this.pages.set(key, hit);
      return withFacets(hit.page, facets);
    }
    // Concurrent requests for the same view wait for one computation, if it holds for them too.
    let entry = await this.once(key, async () => ({
      page: await queryOpenPostings(viewer.instituteId, filter, facets.areas, now),
      at: t,
    }));
    if (!holds(entry, t))
      entry = {
        page: await queryOpenPostings(viewer.instituteId, filter, facets.areas, now),
        at: t,
      };
    if (version === this.version) {
      this.pages.delete(key);
      this.pages.set(key, entry);
      if (this.pages.size > this.maxEntries) this.pages.delete(this.pages.keys().next().value!);
    }
    return withFacets(entry.page, facets);
  }

  private async once<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const inFlight = this.pending.get(key);
    if (inFlight) return inFlight as Promise<T>;
    const computing = compute();
    this.pending.set(key, computing);
    try {
      return await computing;
    } finally {
      this.pending.delete(key);
    }
  }
}

/** Whether a page computed at `entry.at` is still the page at `t`. */
function holds(entry: PageEntry, t: number) {
  const until = entry.page.firstDeadline?.getTime() ?? Infinity;
  return entry.at <= t && t < until;
}

function withFacets(page: OpenPostingsPage, facets: PostingFacets): PostingList {
  const { firstDeadline: _, ...rest } = page;
  return { ...rest, ...facets };
}

let shared: PostingsListCache | undefined;

/** The process's cache, sized by POSTINGS_CACHE_ENTRIES (0 turns caching off). */
function sharedCache() {
  shared ??= new PostingsListCache(getEnv().POSTINGS_CACHE_ENTRIES);
  return shared;
}

/**
 * Everything the postings list shows `actor`: the page of open postings with the filter lists,
 * and the postings suggested for them. Their own data (the suggestions) and the list's version
 * are read in one statement; the rest usually comes from the cache.
 */
export async function postingsListPage(
  actor: Actor,
  filter: PostingFilter,
  { cache = sharedCache(), now = new Date() }: { cache?: PostingsListCache; now?: Date } = {},
) {
  const [state] = await db.$queryRaw<{ version: bigint; suggested: unknown }[]>`
    SELECT (SELECT "version" FROM "PostingsState" WHERE "id" = 1) AS "version",
      ${suggestedPostingsSql(actor, now)} AS "suggested"`;
  return {
    result: await cache.list(actor, filter, BigInt(state!.version), now),
    suggested: toSuggestedPostings(state!.suggested),
  };
}
