import { getEnv } from "./env.server";

/** The client's address: the socket's, or the first X-Forwarded-For hop behind a trusted proxy. */
export function clientAddress(request: Request, socketAddress?: string): string {
  if (getEnv().TRUST_PROXY) {
    const forwarded = request.headers.get("X-Forwarded-For")?.split(",")[0]?.trim();
    if (forwarded) return forwarded.slice(0, 64);
  }
  return (socketAddress ?? request.headers.get("X-Client-Address") ?? "unknown").slice(0, 64);
}

/** Context the HTTP server hands to every loader and action. */
export type AppLoadContext = { cspNonce: string; clientAddress: string };

export function addressFrom(context: unknown, request: Request): string {
  const address = (context as Partial<AppLoadContext> | undefined)?.clientAddress;
  return address ?? clientAddress(request);
}

/** A redirect target that stays on this site (no //host or scheme tricks). */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/") {
  if (
    typeof to !== "string" ||
    !to.startsWith("/") ||
    to.startsWith("//") ||
    to.startsWith("/\\")
  ) {
    return fallback;
  }
  return to;
}

/** Who is asking from where, for audit and throttling. */
export function requestInfo(request: Request, context: unknown) {
  return {
    ipAddress: addressFrom(context, request),
    userAgent: (request.headers.get("User-Agent") ?? "").slice(0, 256),
  };
}
