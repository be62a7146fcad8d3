import { assertNotForged } from "./csrf.server";
import { getEnv } from "./env.server";
import { notFound, type RequestInfo } from "./service";
import { RECORD_ID } from "./validation";

/**
 * The client's address: the socket's, or behind a trusted proxy the last X-Forwarded-For entry,
 * the one the proxy itself added. Earlier entries come from the client and could be anything, so
 * they must not key sign-in throttling (the server sets Express's "trust proxy" to one hop to match).
 */
export function clientAddress(request: Request, socketAddress?: string): string {
  if (getEnv().TRUST_PROXY) {
    const forwarded = request.headers.get("X-Forwarded-For")?.split(",").at(-1)?.trim();
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

/**
 * A redirect target that stays on this site (no //host or scheme tricks). The app's own targets
 * are URL-encoded paths: printable ASCII only. Anything else (a raw é, a control character, a
 * line break) is not one of them, and would not even fit in a Location header.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/") {
  if (
    typeof to !== "string" ||
    !to.startsWith("/") ||
    to.startsWith("//") ||
    to.startsWith("/\\") ||
    !/^[\x21-\x7e]*$/.test(to)
  ) {
    return fallback;
  }
  return to;
}

/** Who is asking from where, for audit and throttling. */
export function requestInfo(request: Request, context: unknown): RequestInfo {
  return {
    ipAddress: addressFrom(context, request),
    userAgent: (request.headers.get("User-Agent") ?? "").slice(0, 256),
  };
}

const FORM_TYPES = ["multipart/form-data", "application/x-www-form-urlencoded"];

/**
 * The posted form. A body that is not a form (another content type, a broken or cut-off multipart
 * body) is the client's error: a 415 or 400 with a plain message, never a crash. Upload forms go
 * through parseUploadForm, which answers the same way. A form that may have been forged on another
 * site is refused with a 403 (csrf.server.ts), so every action that reads its form is covered.
 */
export async function readFormData(request: Request): Promise<FormData> {
  let formData: FormData;
  try {
    formData = await request.formData();
  } catch {
    const type = (request.headers.get("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (!FORM_TYPES.includes(type))
      throw new Response("Send the form as a form (multipart/form-data or URL-encoded).", {
        status: 415,
      });
    throw new Response("The form could not be read. Reload the page and try again.", {
      status: 400,
    });
  }
  assertNotForged(request, formData);
  return formData;
}

/**
 * For an action that takes no fields (sign out, start an application): refuses a possibly forged
 * request as readFormData does. Its form holds only the token; a request with no body (a client
 * that says its Origin and posts nothing) is an empty form, not a 415.
 */
export async function assertNotForgedAction(request: Request) {
  assertNotForged(request, await request.formData().catch(() => new FormData()));
}

/** A record id from the URL: one that cannot name a record is "not found" (see RECORD_ID). */
export function idParam(params: Record<string, string | undefined>, name: string): string {
  const value = params[name] ?? "";
  if (!RECORD_ID.test(value)) throw notFound();
  return value;
}

/** A record id posted in a hidden field: "" when absent or empty, 404 when it cannot name one. */
export function formId(formData: FormData, name: string): string {
  const value = formData.get(name);
  if (value === null || value === "") return "";
  if (typeof value !== "string" || !RECORD_ID.test(value)) throw notFound();
  return value;
}
