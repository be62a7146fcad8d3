import { requestInfo } from "~/lib/request.server";
import { errorBody, notFoundError, SCIM_CONTENT_TYPE, ScimError } from "./protocol";
import { scimInstituteFor } from "./tokens.server";
import type { ScimContext } from "./users.server";

/**
 * What every SCIM route does around its work: the bearer token names the institute (a session
 * cookie counts for nothing here), answers are application/scim+json, and every refusal, from a
 * bad token to a bad filter, is a SCIM error body (RFC 7644 3.12) rather than an HTML page.
 */

export function scimResponse(body: unknown, status = 200, headers: Record<string, string> = {}) {
  return new Response(body === null ? null : JSON.stringify(body), {
    status,
    headers: { ...(body === null ? {} : { "Content-Type": SCIM_CONTENT_TYPE }), ...headers },
  });
}

function errorResponse(error: ScimError) {
  return scimResponse(
    errorBody(error),
    error.status,
    // RFC 6750 3: a request without a usable token is told which scheme to use.
    error.status === 401 ? { "WWW-Authenticate": 'Bearer realm="scim"' } : {},
  );
}

export async function handleScim(
  request: Request,
  context: unknown,
  work: (ctx: ScimContext) => Promise<Response>,
): Promise<Response> {
  try {
    const instituteId = await scimInstituteFor(request.headers.get("Authorization"));
    if (!instituteId) throw new ScimError(401, "A valid bearer token is required.");
    const base = `${new URL(request.url).origin}/scim/v2`;
    return await work({ instituteId, base, req: requestInfo(request, context) });
  } catch (error) {
    if (error instanceof ScimError) return errorResponse(error);
    throw error;
  }
}

/** A method this endpoint does not have (RFC 7644 3.12 lists 405 among SCIM's errors). */
export function methodNotAllowed(allowed: string[]): never {
  throw new ScimError(405, `This endpoint answers ${allowed.join(", ")} only.`);
}

/** For the catch-all under /scim/v2: a resource type the portal does not have. */
export function unknownEndpoint(): never {
  throw notFoundError();
}

const JSON_TYPES = ["application/scim+json", "application/json"];

/** The request's JSON body: SCIM's own type or plain JSON (RFC 7644 3.1), nothing else. */
export async function readJson(request: Request): Promise<unknown> {
  const type = (request.headers.get("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (!JSON_TYPES.includes(type))
    throw new ScimError(415, "Send the body as application/scim+json or application/json.");
  try {
    return JSON.parse(await request.text()) as unknown;
  } catch {
    throw new ScimError(400, "The body is not valid JSON.", "invalidSyntax");
  }
}
