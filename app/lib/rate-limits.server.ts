import { clock } from "~/lib/clock";
import { refusalInit, type Refusal } from "~/lib/service";
import { spendFromWindow, type ThrottleClient } from "~/lib/throttle.server";

const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;

/**
 * How much of each kind of work one person (or one client address) may ask for in a window.
 * Generous for real use (a researcher writing 30 pages in an afternoon, an HR coordinator
 * inviting a cohort), far below what a script would do. Counted in the database (the Throttle
 * table), so the limits hold across app processes and restarts.
 */
export const RATE_LIMITS = {
  passwordResetsPerAddress: { limit: 20, windowMs: HOUR, what: "password reset links" },
  passwordResetsPerAccount: { limit: 3, windowMs: HOUR, what: "password reset links" },
  accountInvitationsPerPerson: { limit: 100, windowMs: DAY, what: "account invitations" },
  workspaceInvitationsPerPerson: { limit: 100, windowMs: DAY, what: "workspace invitations" },
  uploadsPerPerson: { limit: 60, windowMs: HOUR, what: "uploads" },
  exportsPerPerson: { limit: 30, windowMs: HOUR, what: "exports" },
  pagesPerPerson: { limit: 100, windowMs: HOUR, what: "new pages" },
  discussionPostsPerPerson: { limit: 200, windowMs: HOUR, what: "discussion posts" },
  tasksPerPerson: { limit: 200, windowMs: HOUR, what: "new tasks" },
  registrationsPerPerson: { limit: 20, windowMs: HOUR, what: "findings registrations" },
  applicationDraftsPerPerson: { limit: 20, windowMs: DAY, what: "new applications" },
} as const satisfies Record<string, { limit: number; windowMs: number; what: string }>;

export type RateLimitName = keyof typeof RATE_LIMITS;

/** The refusal for a request over its limit: 429 with Retry-After at the route (refusalInit). */
export function rateLimited(name: RateLimitName, retryAt: Date): Refusal {
  const minutes = Math.max(1, Math.ceil((retryAt.getTime() - clock.ms()) / 60_000));
  const when =
    minutes < 120
      ? `${minutes} minute${minutes === 1 ? "" : "s"}`
      : `${Math.ceil(minutes / 60)} hours`;
  return {
    ok: false,
    lockedUntil: retryAt,
    errors: {
      "": [
        `You have reached the limit of ${RATE_LIMITS[name].limit} ${RATE_LIMITS[name].what} in ${windowWords(name)}. Nothing was saved. Try again in ${when} (after ${retryAt.toISOString().slice(11, 16)} UTC).`,
      ],
    },
  };
}

function windowWords(name: RateLimitName) {
  const ms = RATE_LIMITS[name].windowMs;
  return ms === DAY ? "a day" : ms === HOUR ? "an hour" : `${Math.round(ms / 60_000)} minutes`;
}

/**
 * Spends one use of a limit for `subject` (a person's id, or an address). Returns null when allowed,
 * or the refusal to answer with. Pass the transaction that does the work when there is one, so a
 * use is counted only if the work is done.
 */
export async function spendRateLimit(
  name: RateLimitName,
  subject: string,
  client?: ThrottleClient,
): Promise<Refusal | null> {
  const { limit, windowMs } = RATE_LIMITS[name];
  const retryAt = await spendFromWindow(`rate:${name}:${subject}`, limit, windowMs, client);
  return retryAt ? rateLimited(name, retryAt) : null;
}

/**
 * A refusal over a limit as a response to throw: 429, Retry-After, and the refusal's message as
 * the body (shown by a download as text, and by a page's "Too many attempts" error page).
 */
export function tooManyRequests(refusal: Refusal) {
  return new Response(refusal.errors[""]![0], {
    status: 429,
    headers: {
      "Content-Type": "text/plain; charset=utf-8",
      ...refusalInit(refusal).headers,
    },
  });
}

/**
 * For loaders and downloads, which answer with a file rather than a form: spends one use, or
 * throws a 429 with Retry-After and the refusal's message.
 */
export async function requireRateLimit(name: RateLimitName, subject: string) {
  const refusal = await spendRateLimit(name, subject);
  if (refusal) throw tooManyRequests(refusal);
}
