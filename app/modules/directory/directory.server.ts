import { splitMarks } from "~/lib/highlight";
import { renderMarkdown } from "~/lib/markdown.server";
import type { Actor } from "~/lib/permissions";
import { readDirectoryPage, readSimilarProfiles, readVisibleProfile } from "./queries.server";
import type { DirectorySearch } from "./search-schema";

// The directory's pages. What a viewer may see is decided in the SQL (./queries.server.ts); these
// functions shape what it returns.

export const PAGE_SIZE = 20;

type Viewer = Pick<Actor, "id" | "instituteId" | "roles">;

export type SearchHit = {
  userId: string;
  displayName: string;
  jobTitle: string;
  instituteCode: string;
  instituteName: string;
  expertise: string[];
  snippet: { text: string; mark: boolean }[];
  openToSecondment: boolean | null;
  openToCollaboration: boolean | null;
};

export type FacetValue = { value: string; label: string; count: number };

export type SearchResult = {
  hits: SearchHit[];
  total: number;
  page: number;
  pageCount: number;
  facets: {
    institute: FacetValue[];
    expertise: FacetValue[];
    availability: FacetValue[];
    location: FacetValue[];
  };
};

/** Directory search: full text over what the viewer may see, trigram on names, facets, pages. */
export async function searchDirectory(
  viewer: Viewer,
  search: DirectorySearch,
): Promise<SearchResult> {
  const rows = await readDirectoryPage(viewer, search, PAGE_SIZE);
  const first = rows[0];
  const total = first ? Number(first.total) : 0;
  const facets: SearchResult["facets"] = {
    institute: [],
    expertise: [],
    availability: [],
    location: [],
  };
  for (const f of first?.facets ?? []) {
    facets[f.facet].push({ value: f.value, label: f.label, count: Number(f.count) });
  }
  for (const list of Object.values(facets)) {
    list.sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
  }
  return {
    hits: rows
      .filter((r) => r.userId !== null)
      .map((r) => ({
        userId: r.userId!,
        displayName: r.displayName,
        jobTitle: r.jobTitle,
        instituteCode: r.instituteCode,
        instituteName: r.instituteName,
        expertise: r.expertise ?? [],
        snippet: splitMarks(r.snippet ?? ""),
        openToSecondment: r.openToSecondment,
        openToCollaboration: r.openToCollaboration,
      })),
    total,
    page: search.page,
    pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    facets,
  };
}

export type ProfileView = {
  userId: string;
  displayName: string;
  jobTitle: string;
  team: string;
  email: string;
  instituteCode: string;
  instituteName: string;
  tier: 1 | 2 | 3;
  isSelf: boolean;
  bioHtml: string | null;
  expertise: string[] | null;
  skills: string[] | null;
  publications: { title: string; url: string | null }[] | null;
  languages: string[] | null;
  location: string | null;
  openToSecondment: boolean | null;
  openToCollaboration: boolean | null;
};

/** Splits the stored publications text into titles with an optional trailing https URL. */
export function parsePublications(text: string) {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const match = line.match(/^(.*?)[\s—–-]*\s(https?:\/\/\S+)$/);
      return match
        ? { title: match[1]!.trim() || match[2]!, url: match[2]! }
        : { title: line, url: null };
    });
}

/** One person's profile as this viewer may see it; null (a 404 for the route) if unknown. */
export async function getProfile(viewer: Viewer, userId: string): Promise<ProfileView | null> {
  const row = await readVisibleProfile(viewer, userId);
  if (!row) return null;
  return {
    ...row,
    tier: Math.min(3, Math.max(1, row.tier)) as 1 | 2 | 3,
    isSelf: row.userId === viewer.id,
    bioHtml: row.bio ? renderMarkdown(row.bio) : null,
    publications: row.publications === null ? null : parsePublications(row.publications),
  };
}

export type Suggestion = {
  userId: string;
  displayName: string;
  jobTitle: string;
  instituteCode: string;
  shared: string[];
};

/**
 * People who share expertise or skills with `subjectId`, counting only what the viewer may see on
 * both sides; the reason lists what is shared. With onlyOpenToCollaboration, only people who say
 * (visibly) that they are open to collaboration.
 */
export async function similarPeople(
  viewer: Viewer,
  subjectId: string,
  { limit = 5, onlyOpenToCollaboration = false } = {},
): Promise<Suggestion[]> {
  const rows = await readSimilarProfiles(viewer, subjectId, { limit, onlyOpenToCollaboration });
  return rows.map((r) => ({
    userId: r.userId,
    displayName: r.displayName,
    jobTitle: r.jobTitle,
    instituteCode: r.instituteCode,
    shared: [...r.sharedExpertise.sort(), ...r.sharedSkills.sort()],
  }));
}

/** Collaborators to suggest to the signed-in user, from their own profile. */
export function suggestedCollaborators(viewer: Viewer, limit = 6) {
  return similarPeople(viewer, viewer.id, { limit, onlyOpenToCollaboration: true });
}
