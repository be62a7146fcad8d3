/** Where and how a viewer reads dates: their institute's locale and time zone. */
export type Locality = { locale: string; timeZone: string };

export const DEFAULT_LOCALITY: Locality = { locale: "en-GB", timeZone: "UTC" };

// Building an Intl.DateTimeFormat is costly, more so with a zone name, and a list of postings
// formats dozens of dates while the page hydrates, so each is built once
// (docs/decisions/014-date-formatters-reused.md). The keys are few (institutes' locales and
// zones), the cap is a backstop.
const formatters = new Map<string, Intl.DateTimeFormat>();
// `kind` names the options, so that no call builds a key from them.
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
