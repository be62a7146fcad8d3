/**
 * Admission control for the app's own requests (pages, data, actions; not static files).
 *
 * The server runs on one thread, and on the embedded database every query runs on that same
 * thread, one at a time. Letting 32 requests in at once does not finish any of them sooner: they
 * take turns, each holds its loader data and half-rendered page for 32 times as long, and the
 * memory they hold together is what pushes the process past its budget. So at most `maxActive`
 * requests are worked on at once and the rest wait, first come first served, before any work is
 * done for them. A request's slot is released as soon as its response starts (a page is rendered
 * into one buffer first; a streamed download has sent its headers and continues on its own), or
 * when the client goes away. Beyond `maxQueued` waiting, a request is refused at once with 503
 * and Retry-After rather than queued without end.
 */
export type Admission = {
  /** Requests being worked on now. */
  readonly active: number;
  /** Requests waiting for a slot. */
  readonly queued: number;
  /** Ask for a slot; `start` runs when one is free. Returns false if the queue is full. */
  enter(start: () => void, onGone: (cancel: () => void) => void): boolean;
  /** Give a slot back (call exactly once per started request). */
  leave(): void;
};

export function createAdmission(maxActive: number, maxQueued: number): Admission {
  let active = 0;
  const waiting: (() => void)[] = [];

  function leave() {
    active--;
    const next = waiting.shift();
    if (next) {
      active++;
      next();
    }
  }

  return {
    get active() {
      return active;
    },
    get queued() {
      return waiting.length;
    },
    enter(start, onGone) {
      if (active < maxActive) {
        active++;
        start();
        return true;
      }
      if (waiting.length >= maxQueued) return false;
      waiting.push(start);
      // A client that gives up while waiting must not keep its place, or be worked on later.
      onGone(() => {
        const at = waiting.indexOf(start);
        if (at >= 0) waiting.splice(at, 1);
      });
      return true;
    },
    leave,
  };
}

type Res = {
  headersSent: boolean;
  writeHead: (...args: never[]) => unknown;
  once(event: "close", listener: () => void): unknown;
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(body?: string): unknown;
};

/**
 * Connect-style middleware over an Admission. `maxActive` 0 turns it off (every request goes
 * straight through).
 */
export function admissionMiddleware(maxActive: number, maxQueued: number) {
  const admission = createAdmission(maxActive, maxQueued);
  const middleware = (_req: unknown, res: Res, next: () => void) => {
    if (maxActive <= 0) return next();
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      admission.leave();
    };
    const start = () => {
      // Wrapped per response, so every later writer (compression, the Remix adapter) goes through it.
      const writeHead = res.writeHead;
      res.writeHead = function (this: unknown, ...args: never[]) {
        release();
        return writeHead.apply(this, args);
      } as Res["writeHead"];
      res.once("close", release);
      next();
    };
    // A response closes early only when its client went away (or it was answered).
    const admitted = admission.enter(start, (cancel) => res.once("close", cancel));
    if (!admitted) {
      res.statusCode = 503;
      res.setHeader("Retry-After", "1");
      res.setHeader("Content-Type", "text/plain; charset=utf-8");
      res.end("The portal is very busy. Please try again in a moment.");
    }
  };
  return Object.assign(middleware, { admission });
}
