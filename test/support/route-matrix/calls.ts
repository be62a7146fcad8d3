// Calling a route of the matrix as the server does (a loader or an action with the persona's
// cookie and address), and reading what came back as an outcome.
import { type ManifestRoute, type Persona } from "#test/support/route-matrix/world";
import { type Case, type Fields, type Outcome } from "#test/support/route-matrix/cases";

// --- calling a route, as the server does ----------------------------------------------------------

const BASE = "http://localhost";
type Handler = (args: { request: Request; params: object; context: object }) => unknown;
export type RouteModule = { loader?: Handler; action?: Handler };
export type Answer = { status: number; location: string | null; text: string; threw?: string };
/** The URL of a case: the route's pattern with every parameter filled (and none left over). */
export function urlFor(route: ManifestRoute, c: Case) {
  const params = c.params?.() ?? {};
  const used = new Set<string>();
  const segments = route.pattern
    .split("/")
    .filter(Boolean)
    .map((segment) => {
      const name = segment === "*" ? "*" : segment.startsWith(":") ? segment.slice(1) : null;
      if (name === null) return segment;
      const value = params[name];
      if (value === undefined) throw new Error(`${route.id}: no value for :${name}`);
      used.add(name);
      return name === "*" ? value : encodeURIComponent(value);
    });
  const extra = Object.keys(params).filter((k) => !used.has(k));
  if (extra.length) throw new Error(`${route.id}: parameters not in its path: ${extra.join(", ")}`);
  return { url: `/${segments.join("/")}${c.query ?? ""}`, params };
}

/** The flash message (or any cookie) a response sets, decoded: it is part of what one is told. */
function cookieText(response: Response) {
  return response.headers
    .getSetCookie()
    .map((cookie) => {
      const value = decodeURIComponent(cookie.split(";")[0]!.split("=").slice(1).join("="));
      // A Remix cookie (the flash) holds base64 JSON; any other decodes to noise beside its text.
      return `${cookie} ${Buffer.from(value, "base64").toString("utf8")}`;
    })
    .join("\n");
}

const serialize = (value: unknown) =>
  JSON.stringify(value, (_key, x: unknown) => {
    if (typeof x === "bigint") return String(x);
    if (x instanceof Uint8Array) return Buffer.from(x).toString("latin1");
    const buffer = x as { type?: string; data?: number[] } | null;
    if (buffer?.type === "Buffer" && Array.isArray(buffer.data))
      return Buffer.from(buffer.data).toString("latin1");
    return x;
  }) ?? "";

export async function invoke(
  handler: Handler,
  p: Persona,
  url: string,
  params: Record<string, string>,
  fields?: Fields,
): Promise<Answer> {
  const headers: Record<string, string> = p.cookie ? { Cookie: p.cookie } : {};
  let request: Request;
  if (fields) {
    const body = new FormData();
    for (const [k, v] of Object.entries(fields))
      for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
    // What a browser sends with a form from the portal's own page.
    request = new Request(BASE + url, {
      method: "POST",
      body,
      headers: { ...headers, "Sec-Fetch-Site": "same-origin" },
    });
  } else request = new Request(BASE + url, { headers });
  let value: unknown;
  try {
    value = await handler({
      request,
      params,
      context: { clientAddress: p.address, cspNonce: "matrix" },
    });
  } catch (error) {
    if (!(error instanceof Response)) {
      const threw = error instanceof Error ? (error.stack ?? error.message) : String(error);
      return { status: 500, location: null, text: "", threw };
    }
    value = error;
  }
  if (value instanceof Response) {
    const location = value.headers.get("Location");
    // Sent to sign in, one is handed back the address one asked for: that is no news to anyone.
    const backTo = ["/login", "/login/mfa"].includes(new URL(location ?? "/", BASE).pathname);
    return {
      status: value.status,
      location,
      text: `${backTo ? "" : (location ?? "")}\n${cookieText(value)}\n${await value.text()}`,
    };
  }
  const init = value as { type?: string; init?: { status?: number } | null; data?: unknown };
  if (init?.type === "DataWithResponseInit")
    return { status: init.init?.status ?? 200, location: null, text: serialize(init.data) };
  return { status: 200, location: null, text: serialize(value) };
}

export function outcomeOf(a: Answer): Outcome {
  if (a.threw) return `threw ${a.threw.split("\n").slice(0, 3).join(" | ")}`;
  if (a.status >= 300 && a.status < 400) {
    const to = new URL(a.location ?? "", BASE).pathname;
    return to === "/login" ? "login" : to === "/login/mfa" ? "mfa" : `to:${to}`;
  }
  return a.status < 300 ? "ok" : String(a.status);
}

export const matches = (expected: Outcome, got: Outcome) =>
  expected.endsWith("*") ? got.startsWith(expected.slice(0, -1)) : got === expected;

export const isSuccess = (o: Outcome) => o === "ok" || o.startsWith("to:");
