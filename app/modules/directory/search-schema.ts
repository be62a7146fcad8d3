import { z } from "zod";
import { urlList, urlSearchText } from "~/lib/validation";

// Search state lives in the URL so a search can be shared (see urlList in ~/lib/validation).
export const AVAILABILITY = ["secondment", "collaboration"] as const;

export const DirectorySearchSchema = z.object({
  q: urlSearchText,
  institute: urlList(z.string().regex(/^[A-Z0-9-]{2,20}$/), 20),
  expertise: urlList(z.string().regex(/^[A-Za-z0-9_-]{1,40}$/), 30),
  availability: urlList(z.enum(AVAILABILITY), 2),
  location: urlList(z.string().min(1).max(100), 20),
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
