import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  createPgliteTarget,
  createPostgresTarget,
  seedTarget,
  startServer,
  tempDir,
  type ServerProcess,
} from "./harness";

// SCIM through the production build (`npm run build` first) on both databases: the HTTP shell lets
// PUT, PATCH and DELETE through under /scim/v2/ and nowhere else, reads and caps their JSON bodies
// like any other, and the endpoint answers a provider's whole sequence.

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

type State = { token: string; ukPersonId: string };

describe.each(["pglite", "postgres"] as const)("on %s", (kind) => {
  let server: ServerProcess;
  let state: State;

  beforeAll(async () => {
    const made = kind === "pglite" ? createPgliteTarget() : await createPostgresTarget();
    cleanups.push(() => made.remove());
    const work = tempDir();
    cleanups.push(() => fs.rmSync(work, { recursive: true, force: true }));
    state = await seedTarget<State>(made.target, {
      script: "test/system/scim-seed.ts",
      stateFile: path.join(work, "state.json"),
    });
    server = await startServer({ target: made.target });
    cleanups.push(() => server.stop());
  }, 180_000);

  async function scim(method: string, where: string, body?: unknown, token = state.token) {
    const response = await fetch(`${server.baseUrl}/scim/v2${where}`, {
      method,
      headers: {
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { "Content-Type": "application/scim+json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      json: (text ? JSON.parse(text) : null) as Record<string, unknown>,
    };
  }

  test("PUT, PATCH and DELETE reach SCIM, and still get 405 everywhere else", async () => {
    for (const method of ["PUT", "PATCH", "DELETE"]) {
      const elsewhere = await fetch(`${server.baseUrl}/login`, { method });
      expect(elsewhere.status, method).toBe(405);
      expect(elsewhere.headers.get("Allow")).toBe("GET, HEAD, POST");
      // Past the shell: the endpoint itself asks for its token.
      const scimAnswer = await scim(method, "/Users/x", method === "DELETE" ? undefined : {}, "");
      expect(scimAnswer.status, method).toBe(401);
      expect(scimAnswer.headers.get("Content-Type")).toBe("application/scim+json");
    }
    const trace = await fetch(`${server.baseUrl}/scim/v2/Users`, { method: "OPTIONS" });
    expect(trace.status).toBe(405);
    expect(trace.headers.get("Allow")).toBe("GET, HEAD, POST, PUT, PATCH, DELETE");
  });

  test("a provider's sequence: create, find, replace, deactivate, delete", async () => {
    const userName = `system.scim.${kind}@us-aisi.example`;
    const created = await scim("POST", "/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName,
      displayName: "Sys Provisioned",
      active: true,
    });
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    expect(created.headers.get("Location")).toBe(`${server.baseUrl}/scim/v2/Users/${id}`);

    const found = await scim(
      "GET",
      `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`,
    );
    expect(found.json.totalResults).toBe(1);

    const replaced = await scim("PUT", `/Users/${id}`, {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName,
      displayName: "Sys Replaced",
      title: "Engineer",
    });
    expect(replaced.status).toBe(200);
    expect(replaced.json).toMatchObject({ displayName: "Sys Replaced", title: "Engineer" });

    const patched = await scim("PATCH", `/Users/${id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "Replace", path: "active", value: "False" }],
    });
    expect(patched.status).toBe(200);
    expect(patched.json.active).toBe(false);

    expect((await scim("DELETE", `/Users/${id}`)).status).toBe(204);
    expect((await scim("GET", `/Users/${id}`)).status).toBe(404);
  });

  test("another institute's person is a 404; a body over the cap is a 413", async () => {
    for (const method of ["GET", "PATCH", "DELETE"]) {
      const answer = await scim(
        method,
        `/Users/${state.ukPersonId}`,
        method === "PATCH"
          ? { Operations: [{ op: "replace", path: "active", value: false }] }
          : undefined,
      );
      expect(answer.status, method).toBe(404);
      expect(answer.json.schemas).toEqual(["urn:ietf:params:scim:api:messages:2.0:Error"]);
    }
    const huge = await fetch(`${server.baseUrl}/scim/v2/Users`, {
      method: "POST",
      headers: { Authorization: `Bearer ${state.token}`, "Content-Type": "application/scim+json" },
      body: JSON.stringify({
        userName: "x@us-aisi.example",
        displayName: "x".repeat(3 * 1024 * 1024),
      }),
    });
    expect(huge.status).toBe(413);
  });
});
