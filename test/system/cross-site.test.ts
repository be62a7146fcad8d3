import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  createPostgresTarget,
  HttpClient,
  ONE_OF_EACH,
  ROOT,
  seedTarget,
  sleep,
  startServer,
  tempDir,
  type ServerProcess,
  type SystemState,
} from "./harness";

// Point 5 of the security issue against the production build (`npm run build` first), as a
// browser meets it: a cross-site POST to every route that has an action is refused with 403 before
// the app sees it, and changes nothing in the database; HSTS only behind HTTPS (SECURE_COOKIES);
// cookie flags, CSP, frame-ancestors, nosniff and no-store on personal pages and downloads.
// (test/e2e/security.spec.ts checks the CSP nonce on scripts and the cookie in a real browser.)

const ROUTES = path.join(ROOT, "app/routes");
const REFUSAL = "This request came from another site and was refused.";
const EVIL = "https://evil.example";

/**
 * A flat-routes file name as a URL, each dynamic segment filled with a made-up id: `$id` any id,
 * `$` (splat) any path, `_index` and `_layout.` nothing, `name_` without its underscore, `[.ics]`
 * literally.
 */
export function routeUrl(id: string) {
  const segments = id.match(/(?:\[[^\]]*\]|[^.])+/g) ?? [];
  const parts = segments.flatMap((segment) => {
    if (segment === "_index" || segment.startsWith("_")) return [];
    const plain = segment.replace(/_$/, "").replace(/^\((.*)\)$/, "$1");
    if (plain === "$") return ["any/path"];
    if (plain.startsWith("$")) return ["clx0000000000000000000000"];
    return [plain.replace(/\[([^\]]*)\]/g, "$1")];
  });
  return `/${parts.join("/")}`;
}

const HAS_ACTION =
  /export\s+(?:async\s+)?function\s+action\b|export\s+(?:const|let)\s+action\b|export\s*\{[^}]*\baction\b[^}]*\}/;

/**
 * Every route module that exports an action, read from app/routes now: new routes join in. A
 * folder with a route module inside is one route; any other folder is an area (app/routes.ts).
 */
function actionRoutes(dir = ROUTES) {
  const found: { file: string; url: string }[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    let file: string;
    let id: string;
    if (entry.isDirectory()) {
      const inner = ["route.tsx", "route.ts", "route.jsx", "route.js"]
        .map((f) => path.join(dir, entry.name, f))
        .find((f) => fs.existsSync(f));
      if (!inner) {
        found.push(...actionRoutes(path.join(dir, entry.name)));
        continue;
      }
      file = inner;
      id = entry.name;
    } else {
      if (!/\.(tsx?|jsx?)$/.test(entry.name)) continue;
      file = path.join(dir, entry.name);
      id = entry.name.replace(/\.(tsx?|jsx?)$/, "");
    }
    if (HAS_ACTION.test(fs.readFileSync(file, "utf8")))
      found.push({ file: path.relative(ROOT, file), url: routeUrl(id) });
  }
  return found;
}

test("route files map to the URLs the router serves them at", () => {
  expect(routeUrl("login")).toBe("/login");
  expect(routeUrl("login_.mfa")).toBe("/login/mfa");
  expect(routeUrl("account._index")).toBe("/account");
  expect(routeUrl("workspaces.$workspaceId.files._index")).toBe(
    "/workspaces/clx0000000000000000000000/files",
  );
  expect(routeUrl("placements.$placementId.calendar[.ics]")).toBe(
    "/placements/clx0000000000000000000000/calendar.ics",
  );
  expect(routeUrl("$")).toBe("/any/path");
  const urls = actionRoutes().map((r) => r.url);
  for (const known of ["/login", "/logout", "/account/password", "/account/mfa", "/postings/new"])
    expect(urls).toContain(known);
  expect(urls.length).toBeGreaterThanOrEqual(39);
});

// ---------------------------------------------------------------- against the build

let pgTarget: Awaited<ReturnType<typeof createPostgresTarget>>;
let state: SystemState;
let server: ServerProcess | undefined;
let workDir: string;

beforeAll(async () => {
  workDir = tempDir("exchange-system-cross-site-");
  pgTarget = await createPostgresTarget("exchange_cross_site");
  state = await seedTarget(pgTarget.target, {
    stateFile: path.join(workDir, "state.json"),
    env: ONE_OF_EACH,
  });
});

afterAll(async () => {
  await server?.stop();
  await pgTarget?.remove();
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

async function start(secureCookies: boolean) {
  await server?.stop();
  server = await startServer({
    target: pgTarget.target,
    env: { SECURE_COOKIES: String(secureCookies) },
  });
  return server;
}

/** Row count and a digest of every row of every table: any write shows. */
async function snapshot() {
  const client = new pg.Client({
    connectionString: pgTarget.target.kind === "postgres" ? pgTarget.target.url : "",
  });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
       WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1`,
    );
    const out: Record<string, string> = {};
    for (const { name } of tables) {
      const { rows } = await client.query<{ n: number; digest: string }>(
        `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest
         FROM "${name}" AS t`,
      );
      out[name] = `${rows[0]!.n}:${rows[0]!.digest}`;
    }
    return out;
  } finally {
    await client.end();
  }
}

/** Waits until start-up work (outbox, reminders, posting closer) has settled. */
async function quietSnapshot() {
  let last = await snapshot();
  for (let i = 0; i < 40; i++) {
    await sleep(500);
    const next = await snapshot();
    if (JSON.stringify(next) === JSON.stringify(last)) return next;
    last = next;
  }
  throw new Error("the database did not settle within 20 s");
}

function cookieHeader(client: HttpClient) {
  return [...client.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
}

describe("cross-site POSTs", () => {
  test("to every route with an action, with a live session, are refused with 403 and change nothing", async () => {
    const app = await start(false);
    const hr = new HttpClient(app.baseUrl);
    await hr.signIn(state.hr.email, state.password, state.hr.mfaKey);
    const editor = new HttpClient(app.baseUrl);
    await editor.signIn(state.editors[0]!.email, state.password);
    expect((await hr.get("/account")).status).toBe(200);

    const routes = actionRoutes();
    // Forms as a forged page would send them: any fields, a file where a route takes one.
    const form = () => {
      const body = new FormData();
      for (const [k, v] of Object.entries({
        intent: "submit",
        email: "mallory@evil.example",
        password: "a password chosen by the attacker",
        current: state.password,
        confirm: "a password chosen by the attacker",
        title: "Forged",
        body: "Forged",
      }))
        body.append(k, v);
      body.append("file", new Blob(["%PDF-1.4 forged"]), "forged.pdf");
      return body;
    };
    const variants: Record<string, string>[] = [
      { Origin: EVIL },
      { "Sec-Fetch-Site": "cross-site" },
      { "Sec-Fetch-Site": "cross-site", Origin: EVIL },
      { "Sec-Fetch-Site": "same-site", Origin: "https://other.exchange.example.org" },
    ];

    const before = await quietSnapshot();
    const answers: string[] = [];
    for (const { url, file } of routes)
      for (const client of [hr, editor])
        for (const headers of variants) {
          const response = await fetch(new URL(url, app.baseUrl), {
            method: "POST",
            headers: { ...headers, Cookie: cookieHeader(client) },
            body: form(),
            redirect: "manual",
          });
          const text = await response.text();
          const line = `${response.status} ${file} ${JSON.stringify(headers)}`;
          answers.push(line);
          expect(response.status, line).toBe(403);
          expect(text, line).toBe(REFUSAL);
          expect(response.headers.getSetCookie(), line).toEqual([]);
          // The refusal carries the security headers too.
          expect(response.headers.get("x-content-type-options"), line).toBe("nosniff");
        }
    expect(answers).toHaveLength(routes.length * 2 * variants.length);
    // Not a row written: no session touched, no audit event, no throttle count, no email.
    expect(await snapshot()).toEqual(before);

    // The very same request from the portal's own pages goes through: the cookie was live.
    const own = await fetch(new URL("/logout", app.baseUrl), {
      method: "POST",
      headers: {
        Origin: app.baseUrl,
        "Sec-Fetch-Site": "same-origin",
        Cookie: cookieHeader(hr),
      },
      redirect: "manual",
    });
    expect(own.status).toBe(302);
    expect((await hr.get("/account")).location).toMatch(/^\/login/);
  });
});

describe("headers in production", () => {
  async function headersOf(client: HttpClient, pathname: string) {
    const response = await fetch(new URL(pathname, client.baseUrl), {
      headers: { Cookie: cookieHeader(client) },
      redirect: "manual",
    });
    await response.arrayBuffer();
    return { status: response.status, headers: response.headers };
  }

  test("without SECURE_COOKIES (plain HTTP): no HSTS, and no Secure cookie the browser would drop", async () => {
    const app = await start(false);
    const { headers } = await headersOf(new HttpClient(app.baseUrl), "/login");
    expect(headers.get("strict-transport-security")).toBeNull();
    const signIn = await fetch(new URL("/login", app.baseUrl), {
      method: "POST",
      headers: { Origin: app.baseUrl },
      body: new URLSearchParams({ email: state.editors[0]!.email, password: state.password }),
      redirect: "manual",
    });
    const [cookie] = signIn.headers.getSetCookie();
    expect(cookie).toMatch(/^session=[a-z2-7]{32}; Path=\/; HttpOnly; SameSite=Lax; Expires=/);
    expect(cookie).not.toMatch(/Secure/);
  });

  test("with SECURE_COOKIES: HSTS for two years, and the session cookie is __Host-, Secure, HttpOnly, SameSite=Lax, Path=/", async () => {
    const app = await start(true);
    const { headers } = await headersOf(new HttpClient(app.baseUrl), "/login");
    expect(headers.get("strict-transport-security")).toBe("max-age=63072000; includeSubDomains");
    const signIn = await fetch(new URL("/login", app.baseUrl), {
      method: "POST",
      headers: { Origin: app.baseUrl },
      body: new URLSearchParams({ email: state.editors[0]!.email, password: state.password }),
      redirect: "manual",
    });
    expect(signIn.status).toBe(302);
    const cookie = signIn.headers.getSetCookie().find((c) => c.startsWith("__Host-session="));
    expect(cookie).toBeDefined();
    const attributes = cookie!.split("; ").slice(1);
    expect(attributes).toEqual(
      expect.arrayContaining(["Path=/", "HttpOnly", "SameSite=Lax", "Secure"]),
    );
    expect(cookie).not.toMatch(/Domain=/i);
  });

  test("personal pages and downloads: CSP with frame-ancestors 'none', nosniff, DENY framing, no-store", async () => {
    const app = await start(false);
    const editor = new HttpClient(app.baseUrl);
    await editor.signIn(state.editors[0]!.email, state.password);
    const { workspaceId } = state.editors[0]!;
    // A file of the editor's own, to download.
    const uploaded = await editor.post(`/workspaces/${workspaceId}/files`, {
      file: new File(["Results, run 3\n"], "results.txt", { type: "text/plain" }),
    });
    expect(uploaded.status).toBe(302);
    const page = await editor.get(`/workspaces/${workspaceId}/files`);
    const href = /href="(\/workspaces\/[^"]+\/files\/[^"]+\/1)"/.exec(page.text)?.[1];
    expect(href, "a download link on the files page").toBeDefined();

    const pages = [
      "/account",
      "/applications",
      "/directory/me/edit",
      "/notifications",
      "/account/data",
      href!,
    ];
    for (const pathname of pages) {
      const { status, headers } = await headersOf(editor, pathname);
      expect(status, pathname).toBe(200);
      expect(headers.get("cache-control"), pathname).toMatch(/no-store/);
      // How much database work a page was is for the benchmark (SERVER_TIMING=1), not everyone.
      expect(headers.get("server-timing"), pathname).toBeNull();
      // Downloads set it themselves as well, and the Express adapter appends: "nosniff, nosniff"
      // (browsers read the first value, as the Fetch standard says).
      expect(new Set(headers.get("x-content-type-options")?.split(/,\s*/)), pathname).toEqual(
        new Set(["nosniff"]),
      );
      expect(headers.get("x-frame-options"), pathname).toBe("DENY");
      const csp = headers.get("content-security-policy") ?? "";
      expect(csp, pathname).toContain("frame-ancestors 'none'");
      expect(csp, pathname).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    }
    const download = await headersOf(editor, href!);
    expect(download.headers.get("content-disposition")).toMatch(
      /^attachment; filename="[^"]*results\.txt"; filename\*=UTF-8''/,
    );
  });
});
