import {
  createRequestHandler,
  writeReadableStreamToWritable,
  type AppLoadContext,
  type ServerBuild,
} from "@remix-run/node";
import type express from "express";

// The bridge between Express and the Remix app: a Fetch Request in, a Fetch Response out.
//
// The Request's URL is the app's own origin (APP_URL) plus the path asked for, never built from
// the Host or X-Forwarded-Host headers: those are the client's to write, and every redirect and
// link the app builds from request.url would otherwise point wherever a client said (or, for a
// malformed value, fail with a 500). The body is the one the shell has already read in full
// (res.locals.body), so no loader or action ever waits on a slow client while holding a slot.

type Options = {
  build: ServerBuild | (() => Promise<ServerBuild>);
  mode: string;
  /** The origin every request URL is built on (APP_URL's). */
  origin: string;
  getLoadContext: (req: express.Request, res: express.Response) => AppLoadContext;
};

export function remixHandler({ build, mode, origin, getLoadContext }: Options) {
  const handle = createRequestHandler(build, mode);
  return async (req: express.Request, res: express.Response, next: express.NextFunction) => {
    try {
      const request = fetchRequest(req, res, origin);
      if (!request) {
        res.status(400).type("text/plain").send("Bad request");
        return;
      }
      const response = await handle(request, getLoadContext(req, res));
      await sendResponse(res, response);
    } catch (error) {
      next(error);
    }
  };
}

/** The Fetch Request for an Express request, or null when its target is not a path. */
function fetchRequest(req: express.Request, res: express.Response, origin: string) {
  // Origin-form targets only ("/path?query"): an absolute-form or "*" target names no page here,
  // and "//host/path" must stay a path rather than become another host.
  if (!req.originalUrl.startsWith("/")) return null;
  let url: URL;
  try {
    url = new URL(origin + req.originalUrl);
  } catch {
    return null;
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const one of [value].flat()) headers.append(name, one);
  }
  // Remix refuses an action whose Origin differs from Host (or X-Forwarded-Host), with a 500. Both
  // headers are the client's to write; the app's host is APP_URL's, and server/index.ts has
  // already refused any other Origin with a 403.
  headers.set("host", url.host);
  headers.delete("x-forwarded-host");
  // Loaders and actions stop once nobody can receive their answer.
  const controller = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  const body = res.locals.body as Buffer | undefined;
  return new Request(url, {
    method: req.method,
    headers,
    signal: controller.signal,
    body:
      !body || req.method === "GET" || req.method === "HEAD"
        ? undefined
        : new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.byteLength),
  });
}

/** Writes a Fetch Response to Express: status, every header (each Set-Cookie apart), the body. */
async function sendResponse(res: express.Response, response: Response) {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [name, value] of response.headers) {
    if (name === "set-cookie") continue;
    // Through res.append: server/index.ts lets a route's own Cache-Control replace its default.
    res.append(name, value);
  }
  for (const cookie of response.headers.getSetCookie()) res.append("Set-Cookie", cookie);
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}
