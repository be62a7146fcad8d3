import { clock } from "./clock";
import type { FieldErrors } from "./forms";

// The words every service speaks: one result type, and one way each to refuse (404/403), to reject
// input (400) and to report a stale version (409). Types and tiny helpers only, so a service can
// import them without the database client and a route can use them without a module.

/** Who is asking from where, for audit and throttling (see requestInfo in request.server.ts). */
export type RequestInfo = { ipAddress: string; userAgent?: string };

/** A service's "no": field errors ("" for the form), the route answers 400, or 409 if `conflict`. */
export type Refusal = {
  ok: false;
  errors: FieldErrors;
  /** The record changed since the actor read it (an optimistic version check failed). */
  conflict?: true;
  /** Throttled or over a rate limit (app/lib/rate-limits.server.ts): when to try again; 429. */
  lockedUntil?: Date;
};

export type ServiceResult<T = object> = ({ ok: true } & T) | Refusal;

/** Input or a move the service will not accept: one message on one field ("" for the form). */
export function refused(message: string, field = ""): Refusal {
  return { ok: false, errors: { [field]: [message] } };
}

/** Someone changed the record since the actor read it; each module words the message itself. */
export function stale(message: string): Refusal & { conflict: true } {
  return { ok: false, conflict: true, errors: { "": [message] } };
}

/** The HTTP status for a refusal: 409 for a stale version, 429 over a limit, else 400. */
export function refusalStatus(refusal: Pick<Refusal, "conflict" | "lockedUntil">) {
  return refusal.conflict ? 409 : refusal.lockedUntil ? 429 : 400;
}

/** Status and headers for a route's answer to a refusal: a limit's answer says when to retry. */
export function refusalInit(
  refusal: Pick<Refusal, "conflict" | "lockedUntil">,
  now = clock.ms(),
): { status: number; headers?: Record<string, string> } {
  const status = refusalStatus(refusal);
  if (!refusal.lockedUntil) return { status };
  const seconds = Math.max(1, Math.ceil((refusal.lockedUntil.getTime() - now) / 1000));
  return { status, headers: { "Retry-After": String(seconds) } };
}

const TEXT = { "Content-Type": "text/plain; charset=utf-8" };

/**
 * For `throw`: the record does not exist, or the actor may not know that it does (no existence
 * leaks: unauthorised access to a record the actor could not see is a 404, not a 403).
 */
export function notFound() {
  return new Response("Not found", { status: 404, headers: TEXT });
}

/**
 * For `throw`: the actor knows the record, but their part in it does not allow this; `reason`,
 * when given, is shown to them (say why, in words that leak nothing they cannot already see).
 */
export function forbidden(reason?: string) {
  return new Response(reason ?? "Forbidden", { status: 403, headers: TEXT });
}

/** Throws an HTTP response (rendered by the error boundary) unless the condition holds. */
export function invariantResponse(
  condition: unknown,
  message: string,
  init: { status: number } = { status: 400 },
): asserts condition {
  if (!condition) throw new Response(message, { status: init.status, headers: TEXT });
}

/** A unique index refused the write: Prisma's P2002, or PostgreSQL's 23505 through a driver adapter. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  if ((error as { code?: unknown }).code === "P2002") return true;
  return (error as { cause?: { code?: unknown } }).cause?.code === "23505";
}
