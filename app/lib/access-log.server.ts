import { clock } from "~/lib/clock";
// One JSON line on stdout for every request the portal refuses or fails, so that probing (runs of
// 403s and 404s from one address, oversized bodies, cross-site posts) shows in the process log.
// Successful requests are not logged here: the audit log records what people did.

export type AccessRecord = {
  method: string;
  /** The URL path as requested; the query string is left out, it can carry personal data. */
  url: string;
  status: number;
  clientAddress: string;
  durationMs: number;
  at?: Date;
};

const REFUSALS = new Set([400, 401, 403, 404, 405, 409, 413, 415, 429]);

/** The log line for a finished request, or null when it is not a refusal or a failure. */
export function accessLogLine(record: AccessRecord): string | null {
  const failed = record.status >= 500;
  if (!failed && !REFUSALS.has(record.status)) return null;
  const path = record.url.split("?")[0] ?? "";
  return JSON.stringify({
    time: (record.at ?? clock.now()).toISOString(),
    level: failed ? "error" : "warn",
    event: failed ? "request.failed" : "request.refused",
    method: record.method,
    // JSON.stringify escapes control characters, so a crafted path cannot forge a second line.
    path: path.slice(0, 512),
    status: record.status,
    client: record.clientAddress,
    ms: Math.round(record.durationMs),
  });
}
