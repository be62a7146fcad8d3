// Building a search URL needs no validation library, so the directory page does not ship zod to
// the browser for it (docs/performance.md, "JavaScript per page").
import type { DirectorySearch } from "./search-schema";

/** The URL query for a search state (only what is set), for links, facets and pages. */
export function directorySearchQuery(search: Partial<DirectorySearch>): string {
  const params = new URLSearchParams();
  if (search.q) params.set("q", search.q);
  for (const key of ["institute", "expertise", "availability", "location"] as const) {
    for (const value of search[key] ?? []) params.append(key, value);
  }
  if (search.page && search.page > 1) params.set("page", String(search.page));
  const s = params.toString();
  return s ? `?${s}` : "";
}
