import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { admissionMiddleware, createAdmission } from "~/lib/admission";

describe("admission", () => {
  it("starts at most maxActive at once and the rest in arrival order", () => {
    const admission = createAdmission(2, 10);
    const started: number[] = [];
    for (const n of [1, 2, 3, 4])
      admission.enter(
        () => started.push(n),
        () => {},
      );
    expect(started).toEqual([1, 2]);
    expect([admission.active, admission.queued]).toEqual([2, 2]);
    admission.leave();
    expect(started).toEqual([1, 2, 3]);
    admission.leave();
    admission.leave();
    expect(started).toEqual([1, 2, 3, 4]);
    expect([admission.active, admission.queued]).toEqual([1, 0]);
  });

  it("forgets a waiting request whose client went away", () => {
    const admission = createAdmission(1, 10);
    const started: string[] = [];
    const gone: (() => void)[] = [];
    admission.enter(
      () => started.push("a"),
      () => {},
    );
    admission.enter(
      () => started.push("b"),
      (cancel) => gone.push(cancel),
    );
    admission.enter(
      () => started.push("c"),
      () => {},
    );
    gone[0]!();
    admission.leave();
    expect(started).toEqual(["a", "c"]);
  });

  it("refuses beyond maxQueued", () => {
    const admission = createAdmission(1, 1);
    expect(
      admission.enter(
        () => {},
        () => {},
      ),
    ).toBe(true);
    expect(
      admission.enter(
        () => {},
        () => {},
      ),
    ).toBe(true);
    expect(
      admission.enter(
        () => {},
        () => {},
      ),
    ).toBe(false);
  });
});

describe("admission middleware over HTTP", () => {
  let server: http.Server | undefined;
  afterEach(
    () =>
      new Promise<void>((done) => {
        if (!server) return done();
        server.close(() => done());
        server.closeAllConnections();
      }),
  );

  async function serve(maxActive: number, maxQueued: number, handler: http.RequestListener) {
    const admit = admissionMiddleware(maxActive, maxQueued);
    server = http.createServer((req, res) => admit(req, res, () => handler(req, res)));
    await new Promise<void>((done) => server!.listen(0, "127.0.0.1", done));
    return { base: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, admit };
  }

  it("works on no more than maxActive requests at once, and answers every one", async () => {
    let inside = 0;
    let most = 0;
    const { base, admit } = await serve(3, 100, (_req, res) => {
      inside++;
      most = Math.max(most, inside);
      setTimeout(() => {
        inside--;
        res.end("ok");
      }, 15);
    });
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => fetch(base).then((r) => r.text())),
    );
    expect(answers).toEqual(Array(20).fill("ok"));
    expect(most).toBe(3);
    expect([admit.admission.active, admit.admission.queued]).toEqual([0, 0]);
  });

  it("lets the next request in once a response has started, while it still streams", async () => {
    const order: string[] = [];
    let finishStream: () => void = () => {};
    const { base } = await serve(1, 100, (req, res) => {
      order.push(`start ${req.url}`);
      if (req.url === "/stream") {
        res.write("first part");
        finishStream = () => res.end("rest");
      } else {
        res.end("page");
      }
    });
    const stream = fetch(`${base}/stream`);
    const reader = (await stream).body!.getReader();
    await reader.read(); // the download has begun and is still open
    expect(await fetch(`${base}/page`).then((r) => r.text())).toBe("page");
    finishStream();
    expect(order).toEqual(["start /stream", "start /page"]);
  });

  it("answers 503 with Retry-After when the queue is full, and does no work for it", async () => {
    let calls = 0;
    const pending: http.ServerResponse[] = [];
    const { base } = await serve(1, 1, (_req, res) => {
      calls++;
      pending.push(res);
    });
    const first = fetch(base);
    await new Promise((r) => setTimeout(r, 50));
    const second = fetch(base);
    await new Promise((r) => setTimeout(r, 50));
    const third = await fetch(base);
    expect(third.status).toBe(503);
    expect(third.headers.get("retry-after")).toBe("1");
    expect(calls).toBe(1);
    pending[0]!.end("a");
    await first;
    await new Promise((r) => setTimeout(r, 50));
    pending[1]!.end("b");
    expect(await (await second).text()).toBe("b");
    expect(calls).toBe(2);
  });

  it("frees the slot of a client that disconnects mid-request", async () => {
    const held: http.ServerResponse[] = [];
    const { base, admit } = await serve(1, 10, (req, res) => {
      if (req.url === "/hang") held.push(res);
      else res.end("ok");
    });
    const controller = new AbortController();
    const hanging = fetch(`${base}/hang`, { signal: controller.signal }).catch(() => "aborted");
    await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    expect(await hanging).toBe("aborted");
    expect(await fetch(`${base}/next`).then((r) => r.text())).toBe("ok");
    expect(admit.admission.active).toBe(0);
  });

  it("does nothing when turned off", async () => {
    let inside = 0;
    let most = 0;
    const { base } = await serve(0, 1, (_req, res) => {
      inside++;
      most = Math.max(most, inside);
      setTimeout(() => {
        inside--;
        res.end("ok");
      }, 15);
    });
    await Promise.all(Array.from({ length: 8 }, () => fetch(base).then((r) => r.text())));
    expect(most).toBe(8);
  });
});
