import { z } from "zod";
import { singleLine } from "~/lib/validation";

const zones = new Set(Intl.supportedValuesOf("timeZone"));

export const InstituteSchema = z.object({
  name: singleLine("a name", 160),
  country: z
    .string({ message: "Enter a two-letter country code" })
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, { message: "Enter a two-letter country code, like US or GB" }),
  timeZone: z
    .string({ message: "Enter a time zone" })
    .trim()
    .refine((z) => zones.has(z) || z === "UTC", {
      message: "Enter a time zone from the IANA list, like Europe/London",
    }),
  locale: z
    .string({ message: "Enter a locale" })
    .trim()
    .refine(
      (l) => {
        try {
          return /^[a-z]{2,3}(-[A-Z]{2})?$/.test(l) && Intl.getCanonicalLocales(l).length === 1;
        } catch {
          return false;
        }
      },
      { message: "Enter a locale like en-GB or en-US" },
    ),
});
