import { z } from "zod";

// C0/C1 control characters (tab and newlines handled separately), and U+FFFD, which is what
// undecodable (non-UTF-8) bytes become: neither belongs in a name, title or email.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFD]/u;
const LINE_BREAK = /[\r\n\t]/;

/**
 * Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): invisible, and
 * they reorder the text after them, so "invoice\u202Egpj.exe" shows as "invoiceexe.jpg". They are
 * dropped from text people type and from markdown before it is shown. The marks U+200E/U+200F stay:
 * they only steer the neutral characters next to them, and right-to-left writing needs them.
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;
export const withoutBidiControls = (s: string) => s.replace(BIDI_CONTROLS, "");

/** A trimmed one-line text field. */
export function singleLine(label: string, max: number, { required = true } = {}) {
  const base = z
    .string({ message: `Enter ${label}` })
    .transform((s) => withoutBidiControls(s).replace(/\r\n/g, "\n").trim())
    .refine((s) => s.length <= max, {
      message: `${capitalise(label)} must be ${max} characters or fewer`,
      abort: true,
    })
    .refine((s) => !CONTROL.test(s) && !LINE_BREAK.test(s), {
      message: `${capitalise(label)} contains characters that are not allowed`,
    });
  return required ? base.refine((s) => s.length > 0, { message: `Enter ${label}` }) : base;
}

/** Multi-line text: line breaks allowed, other control characters not. */
export function multiLine(label: string, max: number, { required = false } = {}) {
  const base = z
    .string()
    .transform((s) => withoutBidiControls(s).replace(/\r\n/g, "\n").trim())
    .refine((s) => s.length <= max, {
      message: `${capitalise(label)} must be ${max} characters or fewer`,
      abort: true,
    })
    .refine((s) => !CONTROL.test(s), {
      message: `${capitalise(label)} contains characters that are not allowed`,
    });
  return required ? base.refine((s) => s.length > 0, { message: `Enter ${label}` }) : base;
}

/**
 * name@domain with a dot inside the domain, checked without backtracking: the one-expression form
 * "^[^\s@]+@[^\s@]+\.[^\s@]+$" tries every dot against every end, quadratic in the length.
 */
function looksLikeEmail(s: string) {
  if (!/^[^\s@]+@[^\s@]+$/.test(s)) return false;
  return s.slice(s.indexOf("@") + 2, -1).includes(".");
}

export const emailField = z
  .string({ message: "Enter an email address" })
  .transform((s) => s.trim().toLowerCase())
  .refine((s) => s.length > 0, { message: "Enter an email address" })
  .refine((s) => s.length <= 254, {
    message: "Email address must be 254 characters or fewer",
    abort: true,
  })
  .refine((s) => looksLikeEmail(s) && !CONTROL.test(s) && s === withoutBidiControls(s), {
    message: "Enter an email address in the right format, like name@example.gov",
  });

/**
 * The shape of every record id (cuid). Anything else (a NUL byte, which PostgreSQL text cannot
 * even hold; 100 KB; an emoji) names no record, and is answered before any query.
 */
export const RECORD_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** An id from a select or hidden field; its existence is checked by the service. */
export const idField = z
  .string()
  .trim()
  .max(64, { message: "Choose an option from the list" })
  .regex(/^[A-Za-z0-9_-]*$/, { message: "Choose an option from the list" });

function capitalise(s: string) {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * A real YYYY-MM-DD calendar day (not 2027-02-30, not 0000-00-00). An impossible day makes an
 * Invalid Date, whose toISOString() throws: that must be a "no", not a crash. Years start at 1000:
 * PostgreSQL has no year 0 (it refuses 0000-01-01), and no date in this portal is that old.
 */
export function isCalendarDate(s: string): boolean {
  if (!/^[1-9]\d{3}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
}

/** An optional YYYY-MM-DD date field ("" when left blank); impossible dates are refused. */
export function optionalDate(label: string) {
  return z
    .string()
    .trim()
    .refine((s) => s === "" || isCalendarDate(s), { message: `Enter ${label} as a real date` });
}

// URL state (search pages): unknown or malformed values are dropped rather than answered with an
// error, so a stale shared link still gives a sensible page.

/** A YYYY-MM-DD filter from the URL: a real calendar day, or undefined (see urlDateErrors). */
export const urlDate = z.string().trim().refine(isCalendarDate).optional().catch(undefined);

/**
 * The date filters in `params` that were given but dropped by urlDate, each with the message its
 * field shows, so the person sees why the list is not filtered by the date they typed.
 */
export function urlDateErrors(params: URLSearchParams, names: readonly string[]) {
  const errors: Record<string, string[]> = {};
  for (const name of names) {
    const value = params.get(name)?.trim();
    if (value && !isCalendarDate(value))
      errors[name] = ["This is not a real date (year-month-day), so it was not applied"];
  }
  return errors;
}

/** A repeated query parameter: valid values only, without repeats, at most `max`. */
export function urlList(item: z.ZodType<string>, max = 20) {
  return z
    .array(z.string())
    .transform((values) =>
      [...new Set(values.filter((v) => item.safeParse(v).success))].slice(0, max),
    );
}

/** Free text from a search box: control characters become spaces, at most 200 characters. */
export const urlSearchText = z
  .string()
  .transform((s) =>
    withoutBidiControls(s)
      // eslint-disable-next-line no-control-regex -- stripping control characters is the point
      .replace(/[\u0000-\u001F\u007F\uFFFD]/g, " ")
      .trim()
      .slice(0, 200),
  )
  .catch("");
