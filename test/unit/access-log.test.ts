import { describe, expect, test } from "vitest";
import { accessLogLine } from "~/lib/access-log.server";

const base = {
  method: "GET",
  url: "/workspaces/abc",
  clientAddress: "203.0.113.7",
  durationMs: 12.4,
  // A fixed instant, given: the line carries the request's own time, not the clock's.
  at: new Date("2026-11-27T02:00:00Z"),
};

describe("the access log", () => {
  test("writes one JSON line for each refusal and failure, and nothing for success", () => {
    for (const status of [200, 204, 302, 303, 304])
      expect(accessLogLine({ ...base, status })).toBeNull();
    expect(JSON.parse(accessLogLine({ ...base, status: 404 })!)).toEqual({
      time: "2026-11-27T02:00:00.000Z",
      level: "warn",
      event: "request.refused",
      method: "GET",
      path: "/workspaces/abc",
      status: 404,
      client: "203.0.113.7",
      ms: 12,
    });
    for (const status of [400, 401, 403, 405, 409, 413, 429])
      expect(JSON.parse(accessLogLine({ ...base, status })!).event).toBe("request.refused");
    expect(JSON.parse(accessLogLine({ ...base, status: 500 })!)).toMatchObject({
      level: "error",
      event: "request.failed",
    });
  });

  test("leaves out the query string and cannot be made to forge a second line", () => {
    const line = accessLogLine({
      ...base,
      status: 403,
      url: '/login%0A{"event":"fake"}\n{"event":"forged"}?email=someone@example.org',
    })!;
    expect(line.split("\n")).toHaveLength(1);
    expect(line).not.toContain("someone@example.org");
    expect(JSON.parse(line).event).toBe("request.refused");
  });
});

describe("the client address behind a proxy", () => {
  test("is the last X-Forwarded-For entry, the one the proxy added, not what the client wrote", async () => {
    const { clientAddress } = await import("~/lib/request.server");
    const { resetEnvCache } = await import("~/lib/env.server");
    const request = new Request("http://localhost/login", {
      headers: { "X-Forwarded-For": "10.9.9.9, 192.0.2.1, 198.51.100.23" },
    });
    process.env.TRUST_PROXY = "true";
    resetEnvCache();
    try {
      expect(clientAddress(request, "127.0.0.1")).toBe("198.51.100.23");
    } finally {
      delete process.env.TRUST_PROXY;
      resetEnvCache();
    }
    expect(clientAddress(request, "127.0.0.1")).toBe("127.0.0.1");
  });
});
