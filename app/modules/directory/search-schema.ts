import { z } from "zod";

// Search state lives in the URL so a search can be shared. Unknown or malformed values are
// dropped rather than answered with an error: a stale link still gives a sensible page.
const list = (max: number, item: z.ZodType<string>) =>
  z
    .array(z.string())
    .transform((values) =>
      [...new Set(values.filter((v) => item.safeParse(v).success))].slice(0, max),
    );

export const AVAILABILITY = ["secondment", "collaboration"] as const;

export const DirectorySearchSchema = z.object({
  q: z
    .string()
    .transform((s) =>
      s
        // eslint-disable-next-line no-control-regex -- stripping control characters is the point
        .replace(/[\u0000-\u001F\u007F\uFFFD]/g, " ")
        .trim()
        .slice(0, 200),
    )
    .catch(""),
  institute: list(20, z.string().regex(/^[A-Z0-9-]{2,20}$/)),
  expertise: list(30, z.string().regex(/^[A-Za-z0-9_-]{1,40}$/)),
  availability: list(2, z.enum(AVAILABILITY)),
  location: list(20, z.string().min(1).max(100)),
  page: z.coerce.number().int().min(1).max(500).catch(1),
});

export type DirectorySearch = z.output<typeof DirectorySearchSchema>;

export function parseDirectorySearch(params: URLSearchParams): DirectorySearch {
  return DirectorySearchSchema.parse({
    q: params.get("q") ?? "",
    institute: params.getAll("institute"),
    expertise: params.getAll("expertise"),
    availability: params.getAll("availability"),
    location: params.getAll("location"),
    page: params.get("page") ?? 1,
  });
}

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
