import { z } from "zod";
import type { Visibility } from "~/generated/prisma/enums";
import { idField, multiLine, singleLine } from "~/lib/validation";

/** In the order the form offers them: narrowest first. Labels are in ./visibility.ts. */
export const VISIBILITIES = [
  "PRIVATE",
  "INSTITUTE",
  "PARTNERS",
] as const satisfies readonly Visibility[];

export const BIO_MAX = 5000;
export const EXPERTISE_MAX = 20;
export const SKILLS_MAX = 30;
export const SKILL_LENGTH_MAX = 60;
export const PUBLICATIONS_MAX = 20;
export const PUBLICATION_LENGTH_MAX = 300;
export const LANGUAGES_MAX = 20;
export const LANGUAGE_LENGTH_MAX = 40;
export const LOCATION_MAX = 100;

const visibility = z.enum(VISIBILITIES, { message: "Choose who can see this" });

/** Trimmed, blanks dropped, duplicates (ignoring case) dropped keeping the first spelling. */
export function uniqueItems(items: readonly string[]) {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of items) {
    const item = raw.trim().replace(/\s+/g, " ");
    const key = item.toLocaleLowerCase("en");
    if (item && !seen.has(key)) {
      seen.add(key);
      out.push(item);
    }
  }
  return out;
}

/** A comma-separated line, e.g. "Python, red-teaming, CUDA", parsed into a list. */
function commaList(plural: string, item: string, maxItems: number, maxLength: number) {
  return singleLine(`your list of ${plural}`, maxItems * (maxLength + 2), { required: false })
    .transform((s) => uniqueItems(s.split(",")))
    .refine((items) => items.length <= maxItems, {
      message: `List ${maxItems} ${plural} or fewer`,
    })
    .refine((items) => items.every((i) => i.length <= maxLength), {
      message: `Each ${item} must be ${maxLength} characters or fewer`,
    });
}

/** One publication per line; blank lines are dropped. */
const publications = multiLine("publications", 10_000)
  .transform((s) =>
    s
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean),
  )
  .refine((lines) => lines.length <= PUBLICATIONS_MAX, {
    message: `List ${PUBLICATIONS_MAX} publications or fewer, one per line`,
  })
  .superRefine((lines, ctx) => {
    const long = lines.findIndex((l) => l.length > PUBLICATION_LENGTH_MAX);
    if (long >= 0)
      ctx.addIssue({
        code: "custom",
        message: `Each publication must be ${PUBLICATION_LENGTH_MAX} characters or fewer (line ${long + 1} is longer)`,
      });
  })
  .transform((lines) => lines.join("\n"));

const CHOOSE_AREAS = "Choose expertise areas from the list";

// A checkbox group posts one value per ticked box (none at all when nothing is ticked);
// react-hook-form gives a lone box's value, or false, rather than a list.
const expertiseIds = z
  .preprocess(
    (v) => (Array.isArray(v) ? v : typeof v === "string" ? [v] : []),
    z.array(z.string(), { message: CHOOSE_AREAS }),
  )
  .refine((ids) => ids.every((id) => id.length > 0 && idField.safeParse(id).success), {
    message: CHOOSE_AREAS,
  })
  .transform((ids) => [...new Set(ids)])
  .refine((ids) => ids.length <= EXPERTISE_MAX, {
    message: `Choose ${EXPERTISE_MAX} areas or fewer`,
  });

// A plain form post sends "on" for a ticked box and nothing for an unticked one;
// react-hook-form gives true or false.
const checkbox = z
  .union([z.boolean(), z.literal("on")], { message: "Tick the box or leave it empty" })
  .optional()
  .transform((v) => v === true || v === "on");

/** Editing one's own directory profile. Whether each area id is offered is checked by the service. */
export const ProfileSchema = z.object({
  bio: multiLine("your bio", BIO_MAX),
  bioVisibility: visibility,
  expertiseIds,
  expertiseVisibility: visibility,
  skills: commaList("skills", "skill", SKILLS_MAX, SKILL_LENGTH_MAX),
  skillsVisibility: visibility,
  publications,
  publicationsVisibility: visibility,
  languages: commaList("languages", "language", LANGUAGES_MAX, LANGUAGE_LENGTH_MAX),
  languagesVisibility: visibility,
  location: singleLine("a location", LOCATION_MAX, { required: false }),
  locationVisibility: visibility,
  openToSecondment: checkbox,
  openToCollaboration: checkbox,
  availabilityVisibility: visibility,
});

export type ProfileInput = z.output<typeof ProfileSchema>;

/** The form field names that FormData must always read as lists. */
export const PROFILE_ARRAY_FIELDS = ["expertiseIds"] as const;

/** A publication line split into its title and, when the line ends with one, a web address. */
export function parsePublication(line: string): { title: string; url: string | null } {
  const match = /^(.*?)\s*(https?:\/\/\S+)$/i.exec(line.trim());
  if (!match) return { title: line.trim(), url: null };
  const url = match[2]!;
  return { title: match[1] || url, url };
}
