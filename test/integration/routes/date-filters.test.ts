import { beforeAll, describe, expect, test } from "vitest";
import { createPipelineWorld, type World } from "#test/support/pipeline-world";
import { call, get, sessionCookieFor } from "#test/support/route-harness";
import * as auditLog from "~/routes/admin/admin.audit";
import * as auditExport from "~/routes/admin/admin.audit.export";
import * as dashboard from "~/routes/dashboard";
import * as postings from "~/routes/postings/postings._index";

// Every page with a date filter in its URL answers an impossible or extreme date with the page and a
// message next to the field, never a 500: a mistyped or stale link must still give a working page.

let w: World;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  w = await createPipelineWorld();
  cookies.hr = await sessionCookieFor(w.hostHr.id);
  cookies.admin = await sessionCookieFor(w.admin.id);
  cookies.staff = await sessionCookieFor(w.usStaff.id);
});

const IMPOSSIBLE = ["2026-02-31", "0000-01-01", "2026-13-01", "2026-00-10", "99999-01-01", "x"];
// Real days at the ends of what the field can hold: a filter, not an error.
const EXTREME = ["1000-01-01", "9999-12-31"];

type Loaded = { dateErrors: Record<string, string[] | undefined> };

const pages = [
  {
    name: "postings list",
    route: postings,
    path: "/postings",
    who: "staff",
    fields: ["startFrom", "startTo"],
  },
  { name: "HR dashboard", route: dashboard, path: "/dashboard", who: "hr", fields: ["from", "to"] },
  {
    name: "audit log",
    route: auditLog,
    path: "/admin/audit",
    who: "admin",
    fields: ["from", "to"],
  },
] as const;

describe.each(pages)("$name", ({ route, path, who, fields }) => {
  test.each(IMPOSSIBLE)(
    "an impossible date (%s) is left out, with a message on its field",
    async (day) => {
      for (const field of fields) {
        const data = (await call(
          route.loader,
          get(`${path}?${field}=${day}`, cookies[who]!),
        )) as Loaded;
        expect(data.dateErrors[field]?.[0]).toMatch(/not a real date/);
        const other = fields.find((f) => f !== field)!;
        expect(data.dateErrors[other]).toBeUndefined();
      }
    },
  );

  test.each(EXTREME)("an extreme but real date (%s) is a filter, not an error", async (day) => {
    const both = fields.map((f) => `${f}=${day}`).join("&");
    const data = (await call(route.loader, get(`${path}?${both}`, cookies[who]!))) as Loaded;
    expect(data.dateErrors).toEqual({});
  });

  test("a real range gives no message", async () => {
    const q = `${fields[0]}=2026-01-01&${fields[1]}=2026-12-31`;
    const data = (await call(route.loader, get(`${path}?${q}`, cookies[who]!))) as Loaded;
    expect(data.dateErrors).toEqual({});
  });
});

describe("audit export", () => {
  test.each([...IMPOSSIBLE, ...EXTREME])("from/to = %s still downloads", async (day) => {
    const response = (await call(
      auditExport.loader,
      get(`/admin/audit/export?from=${day}&to=${day}`, cookies.admin!),
    )) as Response;
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/^"seq"/);
  });
});
