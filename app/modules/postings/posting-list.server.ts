import { clock } from "~/lib/clock";
import { db } from "~/lib/db.server";
import { assertHrOf, type Actor } from "~/lib/permissions";
import {
  type OpenPostingRow,
  readOpenPostingsPage,
  readOpenPostingsTotals,
  readPostingFacetRows,
} from "./queries.server";
import type { PostingFilter } from "./schema";

export const POSTINGS_PAGE_SIZE = 20;

/** A listed posting: its row without the page figures, its required expertise by name. */
export type PostingListItem = Omit<
  OpenPostingRow,
  "requiredExpertiseIds" | "total" | "firstDeadline"
> & { expertise: string[] };

export type PostingFacets = {
  areas: { id: string; name: string }[];
  institutes: { code: string; name: string }[];
};

/** The filter lists: expertise areas still offered (by name), and every institute (by code). */
export async function readPostingFacets(): Promise<PostingFacets> {
  const rows = await readPostingFacetRows();
  const facets: PostingFacets = { areas: [], institutes: [] };
  for (const r of rows)
    if (r.kind === "area") facets.areas.push({ id: r.key, name: r.name });
    else facets.institutes.push({ code: r.key, name: r.name });
  return facets;
}

export type OpenPostingsPage = {
  items: PostingListItem[];
  total: number;
  pageCount: number;
  /** The earliest deadline among all matching postings: the page is the same until then. */
  firstDeadline: Date | null;
};

/**
 * One page of the open postings `instituteId`'s staff see, with the number of matches and the
 * earliest deadline among them, in one statement (two for a page past the end). `areas` names the
 * listed expertise.
 */
export async function queryOpenPostings(
  instituteId: string,
  filter: PostingFilter,
  areas: PostingFacets["areas"],
  now = clock.now(),
): Promise<OpenPostingsPage> {
  const rows = await readOpenPostingsPage(instituteId, filter, now, POSTINGS_PAGE_SIZE);
  let total = rows[0]?.total ?? 0;
  let firstDeadline = rows[0]?.firstDeadline ?? null;
  if (!rows.length && filter.page > 1) {
    // A page past the end (an old link): the figures need a statement of their own.
    const counted = await readOpenPostingsTotals(instituteId, filter, now);
    total = counted?.total ?? 0;
    firstDeadline = counted?.firstDeadline ?? null;
  }
  const areaName = new Map(areas.map((a) => [a.id, a.name]));
  const items: PostingListItem[] = rows.map((r) => ({
    id: r.id,
    title: r.title,
    team: r.team,
    hostCode: r.hostCode,
    hostName: r.hostName,
    workMode: r.workMode,
    location: r.location,
    durationMonths: r.durationMonths,
    earliestStart: r.earliestStart,
    latestStart: r.latestStart,
    deadline: r.deadline,
    status: r.status,
    expertise: r.requiredExpertiseIds.map((id) => areaName.get(id)).filter((n): n is string => !!n),
  }));
  return {
    items,
    total,
    pageCount: Math.max(1, Math.ceil(total / POSTINGS_PAGE_SIZE)),
    firstDeadline,
  };
}

/**
 * Open postings the actor may apply to or see, with the list's filters; deadline not yet passed.
 * Uncached; the list page goes through list-cache.server.ts.
 */
export async function listOpenPostings(actor: Actor, filter: PostingFilter, now = clock.now()) {
  const facets = await readPostingFacets();
  const { items, total, pageCount } = await queryOpenPostings(
    actor.instituteId,
    filter,
    facets.areas,
    now,
  );
  return { items, total, pageCount, ...facets };
}

/** Every posting of the HR's institute, newest first, with application counts by stage. */
export async function listManagedPostings(actor: Actor) {
  assertHrOf(actor, actor.instituteId);
  const postings = await db.posting.findMany({
    where: { hostInstituteId: actor.instituteId },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    select: {
      id: true,
      title: true,
      status: true,
      deadline: true,
      places: true,
    },
  });
  // Counted for the listed postings only, by (postingId, status): a relation `_count` in the
  // select would count every application of every posting.
  const counts = postings.length
    ? await db.application.groupBy({
        by: ["postingId"],
        where: { postingId: { in: postings.map((p) => p.id) }, status: { not: "DRAFT" } },
        _count: { _all: true },
      })
    : [];
  const applications = new Map(counts.map((c) => [c.postingId, c._count._all]));
  return postings.map((p) => ({ ...p, applications: applications.get(p.id) ?? 0 }));
}
