import { AsyncLocalStorage } from "node:async_hooks";

/**
 * One object per HTTP request, for work the loaders of that request share (the session lookup,
 * a workspace's read check), and for what the request cost the database.
 *
 * Remix hands every loader its own copy of the Request (`@remix-run/server-runtime` rebuilds it to
 * strip `?index` and `?_routes`), so a Request cannot key what loaders share: keyed on it, the
 * root, a layout and a page each read the session afresh, three statements where one will do.
 * The HTTP server runs each request's handler inside `runInRequestScope`; the storage lives on
 * `globalThis` because the server shell (server/index.ts) and the Remix build are separate bundles
 * that each load this module.
 */
export type RequestScope = {
  /** SQL statements sent for this request (BEGIN and COMMIT not counted), and their time. */
  statements: number;
  databaseMs: number;
};

const KEY = Symbol.for("exchange-portal.request-scope");
const storage: AsyncLocalStorage<RequestScope> = ((globalThis as Record<symbol, unknown>)[KEY] ??=
  new AsyncLocalStorage<RequestScope>()) as AsyncLocalStorage<RequestScope>;

/** Runs `fn` (and everything it starts) as one request's work, in `scope`. */
export function runInRequestScope<T>(scope: RequestScope, fn: () => T): T {
  return storage.run(scope, fn);
}

export function newRequestScope(): RequestScope {
  return { statements: 0, databaseMs: 0 };
}

/**
 * What the loaders of this request share results on. Only reads share: for a form post without
 * JavaScript Remix runs the action and then the loaders in one request, and the loaders must see
 * what the action changed (a new name, an ended session), so a POST keys on each loader's own
 * Request, which nothing else holds. Outside a request scope (tests calling loaders directly),
 * the Request itself.
 */
export function requestScope(request: Request): object {
  const scope = storage.getStore();
  if (!scope) return request;
  return request.method === "GET" || request.method === "HEAD" ? scope : request;
}

/** Counts one statement, and the time it took, against the current request (if any). */
export function noteStatement(ms: number) {
  const scope = storage.getStore();
  if (!scope) return;
  scope.statements += 1;
  scope.databaseMs += ms;
}

/**
 * The `Server-Timing` value for a request (shown in the browser's developer tools, and read by the
 * benchmark): its statements and their time.
 */
export function serverTiming(scope: RequestScope): string {
  return `db;dur=${scope.databaseMs.toFixed(1)};desc="${scope.statements} statement${scope.statements === 1 ? "" : "s"}"`;
}
