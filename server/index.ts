import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { getEnv } from "../app/lib/env.server";
import { crossSiteProblem, securityHeaders } from "../app/lib/http-security.server";
import { accessLogLine } from "../app/lib/access-log.server";
import {
  bodyLimit,
  createBodyBudget,
  declaredBodyTooLarge,
  MAX_MULTIPART_PARTS,
  multipartParts,
  readBody,
} from "../app/lib/request-body.server";
import { admissionMiddleware } from "../app/lib/admission";
import {
  newRequestScope,
  runDeferred,
  runInRequestScope,
  serverTiming,
} from "../app/lib/request-scope.server";
import { clock } from "../app/lib/clock";
import { remixHandler } from "./remix-handler";

// The HTTP shell around the Remix app: security headers, cross-site checks, static files.
// The app's own start-up (database, migrations, outbox worker) lives inside the Remix build,
// so that the server and the routes share one database connection.

let env;
try {
  env = getEnv();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
const production = env.NODE_ENV === "production";
const started = performance.now();

const vite = production
  ? undefined
  : await import("vite").then((v) => v.createServer({ server: { middlewareMode: true } }));

type Entry = { startApp(): Promise<{ databaseKind: string }>; stopApp(): Promise<void> };

async function loadBuild(): Promise<ServerBuild> {
  if (vite) return (await vite.ssrLoadModule("virtual:remix/server-build")) as ServerBuild;
  // The Remix build sits next to this bundle (build/server.js, or build-bench/server.js for the
  // benchmark); resolved at run time because it exists only after `npm run build`.
  return (await import(new URL("./server/index.js", import.meta.url).href)) as ServerBuild;
}

const initialBuild = await loadBuild();
const entry = initialBuild.entry.module as unknown as Entry;
const { databaseKind } = await entry.startApp();

const app = express();
app.disable("x-powered-by");
// One hop: req.ip is the address the load balancer saw, not whatever the client wrote into
// X-Forwarded-For (which would let anyone dodge the per-address sign-in limit).
if (env.TRUST_PROXY) app.set("trust proxy", 1);

const appOrigin = new URL(env.APP_URL).origin;
// The app's forms and links use only these; anything else (TRACE, PUT, ...) is refused up front.
const METHODS = ["GET", "HEAD", "POST"];
// SCIM provisioning (RFC 7644) replaces, patches and deletes people: those verbs, on its paths only.
const SCIM_METHODS = [...METHODS, "PUT", "PATCH", "DELETE"];
const isScimPath = (path: string) => path.toLowerCase().startsWith("/scim/v2/");

app.use((req, res, next) => {
  const begun = performance.now();
  res.on("finish", () => {
    const line = accessLogLine({
      method: req.method,
      url: req.originalUrl,
      status: res.statusCode,
      clientAddress: req.ip ?? "unknown",
      durationMs: performance.now() - begun,
    });
    if (line) console.log(line);
  });
  const allowed = isScimPath(req.path) ? SCIM_METHODS : METHODS;
  if (!allowed.includes(req.method)) {
    res.setHeader("Allow", allowed.join(", "));
    res.status(405).type("text/plain").send("This method is not supported here.");
    return;
  }
  const limit = bodyLimit(req.get("content-type"), env.UPLOAD_MAX_BYTES);
  if (declaredBodyTooLarge(req.get("content-length"), limit)) {
    tooLarge(req, res);
    return;
  }
  next();
});

function tooLarge(
  req: express.Request,
  res: express.Response,
  message = "This request is too large.",
) {
  refuseBody(req);
  res.status(413).type("text/plain").send(message);
}

/**
 * The rest of a refused body is read and dropped, not left unread: a socket closed with unread
 * data is reset, and the client can lose the answer on its way. A sender that never stops is ended
 * by the request timeout.
 */
function refuseBody(req: express.Request) {
  req.resume();
}

app.use((req, res, next) => {
  const nonce = crypto.randomBytes(16).toString("base64");
  res.locals.cspNonce = nonce;
  for (const [name, value] of Object.entries(
    securityHeaders(nonce, { dev: !production, hsts: env.SECURE_COOKIES }),
  )) {
    res.setHeader(name, value);
  }
  // The site is APP_URL: a form from any other origin, even this server's own address when
  // reached another way, is not one of ours.
  const problem = crossSiteProblem(req.method, { get: (n) => req.get(n) ?? null }, [appOrigin]);
  if (problem) {
    res.status(403).type("text/plain").send("This request came from another site and was refused.");
    return;
  }
  next();
});

// gzip (or brotli over HTTPS) for pages, data and assets: a first visit's JavaScript is about a
// third of its raw size (docs/performance.md). No page streams deferred data, so buffering is harmless.
app.use(compression());

if (vite) {
  app.use(vite.middlewares);
} else {
  const client = fileURLToPath(new URL("./client", import.meta.url));
  app.use(
    "/assets",
    express.static(path.join(client, "assets"), { immutable: true, maxAge: "1y" }),
  );
  // Other files at the top of build/client (from public/), known at start: looking every page's
  // path up on disk first cost a file-system call per request.
  const topLevel = new Set(fs.readdirSync(client).filter((name) => name !== "assets"));
  const serveTopLevel = express.static(client, { maxAge: "1h" });
  app.use((req, res, next) =>
    topLevel.has(req.path.slice(1)) ? serveTopLevel(req, res, next) : next(),
  );
}

// The whole body before any work slot: a client sending slowly waits on its own (and Node's
// request timeout ends it), while everyone else's requests go on. Capped as it streams, so a
// chunked body without a Content-Length stops at the same size as a declared one; and the bodies
// held at once share one budget, so many large ones are refused (503) rather than fill memory.
const bodyBudget = createBodyBudget(env.REQUEST_BODIES_MAX_BYTES);
app.use((req, res, next) => {
  if (req.method === "GET" || req.method === "HEAD") return next();
  const contentType = req.get("content-type");
  void readBody(req, bodyLimit(contentType, env.UPLOAD_MAX_BYTES), bodyBudget).then((result) => {
    if (result.kind === "gone") return;
    if (result.kind === "too-large") return tooLarge(req, res);
    if (result.kind === "busy") {
      refuseBody(req);
      res.setHeader("Retry-After", "5");
      res.status(503).type("text/plain").send("The portal is very busy. Please try again shortly.");
      return;
    }
    res.once("close", result.release);
    if (multipartParts(contentType, result.body) > MAX_MULTIPART_PARTS)
      return tooLarge(req, res, "This form has too many parts.");
    res.locals.body = result.body;
    next();
  });
});

const ROUTE_REPLACES = new Set(["cache-control", "x-content-type-options"]);

// Pages, data and actions take turns beyond a few at once (app/lib/admission.ts); static files
// above do not wait.
app.use(admissionMiddleware(env.MAX_ACTIVE_REQUESTS, env.MAX_QUEUED_REQUESTS));

// app.use, not app.all("*"): Express would decode the path as a route parameter and fail on
// malformed escapes (%00%FF) before the app could answer with its own page.
app.use(
  (req, res, next) => {
    // Pages carry personal data: never let a shared or back/forward cache keep them.
    res.setHeader("Cache-Control", "no-store");
    // The Remix adapter appends a route's headers to these. For the defaults set here, a route's
    // own value replaces ours (downloads send "private, no-store" and nosniff themselves), rather
    // than making a list with ours.
    const append = res.append.bind(res);
    res.append = (field: string, value?: string | string[]) => {
      if (ROUTE_REPLACES.has(field.toLowerCase()) && value !== undefined) {
        res.setHeader(field, value);
        return res;
      }
      return append(field, value);
    };
    // After admission (which may resume a queued request from another request's callbacks), so
    // the scope is this request's own: its loaders share the session lookup through it.
    const scope = newRequestScope(req.method);
    // Work the request deferred (afterResponse) starts once the answer has gone, or was abandoned.
    res.on("close", () => void runDeferred(scope));
    if (env.SERVER_TIMING) {
      // Statements and database time per request, for the benchmark and developer tools; off by
      // default, since it tells anyone how much work a page was.
      const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => express.Response;
      res.writeHead = ((...args: unknown[]) => {
        if (!res.headersSent) res.setHeader("Server-Timing", serverTiming(scope));
        return writeHead(...args);
      }) as typeof res.writeHead;
    }
    runInRequestScope(scope, next);
  },
  remixHandler({
    build: vite ? loadBuild : initialBuild,
    mode: env.NODE_ENV,
    origin: appOrigin,
    getLoadContext: (req, res) => ({
      cspNonce: res.locals.cspNonce as string,
      clientAddress: req.ip ?? "unknown",
    }),
  }),
);

// Last resort: never a stack trace or internal message to the client.
app.use(
  (error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status = (error as { status?: number }).status;
    const clientError = typeof status === "number" && status >= 400 && status < 500;
    if (!clientError) console.error(clock.now().toISOString(), error);
    res
      .status(clientError ? status : 500)
      .type("text/plain")
      .send(clientError ? "Bad request" : "Something went wrong");
  },
);

const server = http.createServer(
  {
    // A client gets this long for its headers, and for the whole request with its body; Node
    // answers 408 and closes the connection after that, checking every second.
    headersTimeout: Math.min(env.HEADERS_TIMEOUT_SECONDS, env.REQUEST_TIMEOUT_SECONDS) * 1000,
    requestTimeout: env.REQUEST_TIMEOUT_SECONDS * 1000,
    connectionsCheckingInterval: 1000,
  },
  app,
);
server.listen(env.PORT, env.HOST, () => {
  const ms = Math.round(performance.now() - started);
  console.log(
    `Exchange portal ready at ${env.APP_URL} (database: ${databaseKind}, started in ${ms} ms)`,
  );
});

async function shutdown() {
  server.close();
  await entry.stopApp();
  await vite?.close();
  process.exit(0);
}
process.once("SIGTERM", shutdown);
process.once("SIGINT", shutdown);
