/** Where and how a viewer reads dates: their institute's locale and time zone. */
export type Locality = { locale: string; timeZone: string };

export const DEFAULT_LOCALITY: Locality = { locale: "en-GB", timeZone: "UTC" };

export function formatDateTime(value: Date | string, where: Locality, { withZone = true } = {}) {
  const date = typeof value === "string" ? new Date(value) : value;
  // Intl refuses timeZoneName together with dateStyle/timeStyle, so the parts are spelled out.
  return new Intl.DateTimeFormat(where.locale, {
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
  return new Intl.DateTimeFormat(where.locale, {
    dateStyle: "medium",
    timeZone: where.timeZone,
  }).format(date);
}
