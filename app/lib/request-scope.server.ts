import { AsyncLocalStorage } from "node:async_hooks";

/**
 * One object per HTTP request, for work the loaders of that request share (the session lookup,
 * a workspace's read check: see memoPerRequest), and for what the request cost the database.
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
  /** Set for a request that may change data (not GET or HEAD): nothing is shared in it. */
  writes?: true;
  /** What this request's loaders share, by key (memoPerRequest); made on first use. */
  shared?: Map<string, unknown>;
  /** Work to do once the response has been sent (afterResponse). */
  deferred?: (() => Promise<void>)[];
};

const KEY = Symbol.for("exchange-portal.request-scope");
const PENDING = Symbol.for("exchange-portal.deferred-work");
const pending: Set<Promise<void>> = ((globalThis as Record<symbol, unknown>)[PENDING] ??= new Set<
  Promise<void>
>()) as Set<Promise<void>>;
const storage: AsyncLocalStorage<RequestScope> = ((globalThis as Record<symbol, unknown>)[KEY] ??=
  new AsyncLocalStorage<RequestScope>()) as AsyncLocalStorage<RequestScope>;

/** Runs `fn` (and everything it starts) as one request's work, in `scope`. */
export function runInRequestScope<T>(scope: RequestScope, fn: () => T): T {
  return storage.run(scope, fn);
}

/** A scope for one request made with `method` (GET when not said). */
export function newRequestScope(method = "GET"): RequestScope {
  const scope: RequestScope = { statements: 0, databaseMs: 0 };
  if (method !== "GET" && method !== "HEAD") scope.writes = true;
  return scope;
}

/**
 * The one per-request memo: the first call with `key` in this request runs `compute`, and every
 * later call with it, from any loader of the request, gets that first answer (a promise is shared
 * as it stands: pending, resolved or rejected). The key must hold everything the answer depends
 * on (the person asking, the record), so that it is never handed to someone else.
 *
 * Only reads share: for a form post without JavaScript Remix runs the action and then the loaders
 * in one request, and the loaders must see what the action changed (a new name, an ended
 * session), so in a request that may write `compute` runs every time. So it does outside a
 * request (tests, scripts).
 */
export function memoPerRequest<T>(key: string, compute: () => T): T {
  const scope = storage.getStore();
  if (!scope || scope.writes) return compute();
  const shared = (scope.shared ??= new Map());
  if (!shared.has(key)) shared.set(key, compute());
  return shared.get(key) as T;
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

/**
 * Runs `task` once this request's response has been sent, so that the answer neither waits for the
 * work nor shows by its timing how much there was (a password reset does more for a known address
 * than for an unknown one). Outside a request (tests, scripts) the task runs now. A failure is
 * logged, never shown to the client.
 */
export async function afterResponse(task: () => Promise<void>): Promise<void> {
  const scope = storage.getStore();
  if (scope) {
    (scope.deferred ??= []).push(task);
    return;
  }
  await task();
}

/** Runs what a request deferred: the HTTP server calls it when the response is over. */
export async function runDeferred(scope: RequestScope) {
  const tasks = scope.deferred ?? [];
  scope.deferred = undefined;
  for (const task of tasks) {
    const run = storage
      .exit(task)
      .catch((error: unknown) => console.error("Deferred work failed:", error));
    pending.add(run);
    await run;
    pending.delete(run);
  }
}

/** Waits for deferred work still running (before the database closes at shutdown). */
export async function settleDeferred() {
  await Promise.all([...pending]);
}
