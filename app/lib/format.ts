/** Where and how a viewer reads dates: their institute's locale and time zone. */
export type Locality = { locale: string; timeZone: string };

export const DEFAULT_LOCALITY: Locality = { locale: "en-GB", timeZone: "UTC" };

// Building an Intl.DateTimeFormat costs about a millisecond and more with a zone name; reusing it
// costs microseconds. A list of postings formats dozens of dates while the page hydrates (a long
// task on a slow phone). The keys are few (institutes' locales and zones), the cap is a backstop.
const formatters = new Map<string, Intl.DateTimeFormat>();
// `kind` names the options (their JSON per call was 1.5% of a long history page's CPU).
function dateTimeFormat(locale: string, kind: string, options: Intl.DateTimeFormatOptions) {
  const key = `${locale}\u0000${options.timeZone ?? ""}\u0000${kind}`;
  let format = formatters.get(key);
  if (!format) {
    if (formatters.size >= 200) formatters.clear();
    format = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, format);
  }
  return format;
}

export function formatDateTime(value: Date | string, where: Locality, { withZone = true } = {}) {
  const date = typeof value === "string" ? new Date(value) : value;
  // Intl refuses timeZoneName together with dateStyle/timeStyle, so the parts are spelled out.
  return dateTimeFormat(where.locale, withZone ? "date-time-zone" : "date-time", {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: where.timeZone,
    ...(withZone ? { timeZoneName: "short" } : {}),
  }).format(date);
}

export function formatDate(value: Date | string, where: Locality) {
  const date = typeof value === "string" ? new Date(value) : value;
  return dateTimeFormat(where.locale, "date", {
    dateStyle: "medium",
    timeZone: where.timeZone,
  }).format(date);
}
