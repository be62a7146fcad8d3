import { db } from "~/lib/db.server";
import { getEnv } from "~/lib/env.server";
import type { Actor } from "~/lib/permissions";
import { VersionedCache } from "~/lib/versioned-cache.server";
import { rankedPostingsFor, suggestionsFrom, type RankedPosting } from "./matching.server";
import {
  queryOpenPostings,
  readPostingFacets,
  type OpenPostingsPage,
  type PostingFacets,
} from "./posting-list.server";
import type { PostingFilter } from "./schema";
import { clock } from "~/lib/clock";

type Viewer = Pick<Actor, "id" | "instituteId">;

export type PostingList = Omit<OpenPostingsPage, "firstDeadline"> & PostingFacets;

/**
 * The postings list's filter lists, result pages and suggestion rankings, cached in the app
 * process.
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
 *    queryOpenPostings), so pages are keyed by institute and filter, and the filter lists are the
 *    same for everyone. Suggestions depend on the institute and the expertise on the viewer's own
 *    profile (both part of the key, read on every request), and on the postings they applied to,
 *    which are read on every request and taken out of the shared ranking.
 *
 * 3. Time changes a page or a ranking without a write only when one of its postings' deadline
 *    passes; an entry is therefore used only before the earliest deadline among all it matched
 *    (and not for a `now` before it was computed).
 */
export class PostingsListCache {
  /** Pages and rankings. */
  private entries: VersionedCache<unknown>;
  /** The filter lists: one entry per version, shared by everyone. */
  private facets: VersionedCache<PostingFacets>;

  constructor(readonly maxEntries: number) {
    this.entries = new VersionedCache(maxEntries);
    this.facets = new VersionedCache(Math.min(maxEntries, 1));
  }

  /** Pages and rankings held (the filter lists are one more). */
  get size() {
    return this.entries.size;
  }

  /** One page of the list `viewer` sees, as of `version` (read from the database just before). */
  async list(
    viewer: Pick<Viewer, "instituteId">,
    filter: PostingFilter,
    version: bigint,
    now = clock.now(),
  ): Promise<PostingList> {
    const facets = await this.facets.get(version, "facets", readPostingFacets);
    const key = JSON.stringify([
      "page",
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
    const { firstDeadline: _, ...page } = (await this.entries.get(
      version,
      key,
      () => queryOpenPostings(viewer.instituteId, filter, facets.areas, now),
      {
        at: now.getTime(),
        until: (value) => (value as OpenPostingsPage).firstDeadline?.getTime() ?? Infinity,
      },
    )) as OpenPostingsPage;
    return { ...page, ...facets };
  }

  /** Open postings matching `expertiseIds` that staff of the institute may apply to, best first. */
  async ranking(
    viewer: Pick<Viewer, "instituteId">,
    expertiseIds: string[],
    version: bigint,
    now = clock.now(),
  ): Promise<RankedPosting[]> {
    if (!expertiseIds.length) return [];
    const key = JSON.stringify(["ranking", viewer.instituteId, [...new Set(expertiseIds)].sort()]);
    return (await this.entries.get(
      version,
      key,
      () => rankedPostingsFor(viewer.instituteId, expertiseIds, now),
      {
        at: now.getTime(),
        until: (value) =>
          Math.min(Infinity, ...(value as RankedPosting[]).map((p) => p.deadline.getTime())),
      },
    )) as RankedPosting[];
  }
}

let shared: PostingsListCache | undefined;

/** The process's cache, sized by POSTINGS_CACHE_ENTRIES (0 turns caching off). */
function sharedCache() {
  shared ??= new PostingsListCache(getEnv().POSTINGS_CACHE_ENTRIES);
  return shared;
}

/**
 * Everything the postings list shows `actor`: the page of open postings with the filter lists,
 * and the postings suggested for them. The list's version and the viewer's own data (the
 * expertise on their profile, the postings they applied to) are read in one statement; the rest
 * usually comes from the cache.
 */
export async function postingsListPage(
  actor: Viewer,
  filter: PostingFilter,
  { cache = sharedCache(), now = clock.now() }: { cache?: PostingsListCache; now?: Date } = {},
) {
  // Keys the cache, so it stays here: docs/decisions/007-versioned-result-caches.md.
  const [state] = await db.$queryRaw<
    { version: bigint; expertiseIds: string[] | null; appliedTo: string[] }[]
  >`
    SELECT (SELECT "version" FROM "PostingsState" WHERE "id" = 1) AS "version",
      (SELECT "expertiseIds" FROM "Profile" WHERE "userId" = ${actor.id}) AS "expertiseIds",
      ARRAY(SELECT "postingId" FROM "Application" WHERE "applicantId" = ${actor.id}) AS "appliedTo"`;
  const version = BigInt(state!.version);
  const result = await cache.list(actor, filter, version, now);
  const ranked = await cache.ranking(actor, state!.expertiseIds ?? [], version, now);
  return { result, suggested: suggestionsFrom(ranked, state!.appliedTo) };
}
