import { describe, expect, test } from "vitest";
import { uniqueEmail } from "#test/factories";
import { must } from "#test/factories/results";
import { daysAfter, midnightAfter } from "#test/support/clock";
import { clock } from "~/lib/clock";
import { db } from "~/lib/db.server";
import { newRequestScope, runInRequestScope } from "~/lib/request-scope.server";
import { DiffSchema } from "~/modules/workspaces/schema";
import { getPage, getPageHistory, savePage } from "~/modules/workspaces/pages.server";
import { getWorkspaceFrame, getWorkspaceHome } from "~/modules/workspaces/workspaces.server";
import { removeMember } from "~/modules/workspaces/members.server";
import {
  join,
  newWorkspace,
  NOT_FOUND,
  page,
  setUpWorkspacesWorld,
  unique,
  w,
} from "#test/support/workspaces-world";

setUpWorkspacesWorld();

describe("reading a workspace's pages at scale", () => {
  test("the home shows at most ten of each list but the members, and how many registrations", async () => {
    const ws = await newWorkspace(w.usStaff, "JOINT");
    const stamp = unique("many");
    await db.user.createMany({
      data: Array.from({ length: 55 }, (_, i) => ({
        email: uniqueEmail(`member.${i}`),
        displayName: `${stamp} member ${String(i).padStart(2, "0")}`,
        instituteId: w.us.id,
        roles: ["STAFF" as const],
      })),
    });
    const people = await db.user.findMany({
      where: { displayName: { startsWith: `${stamp} member` } },
      select: { id: true },
    });
    await db.workspaceMember.createMany({
      data: people.map((p) => ({ workspaceId: ws, userId: p.id, role: "VIEWER" as const })),
    });
    await db.workspaceTask.createMany({
      data: Array.from({ length: 12 }, (_, i) => ({
        workspaceId: ws,
        title: `Task ${i}`,
        createdById: w.usStaff.id,
        dueOn: midnightAfter(30 + i),
      })),
    });
    // A minute apart, after the workspace's own "created" entry: the newest ten are steps 14-5.
    const since = clock.ms();
    await db.workspaceActivity.createMany({
      data: Array.from({ length: 15 }, (_, i) => ({
        workspaceId: ws,
        actorId: w.usStaff.id,
        kind: "test",
        summary: `Step ${i}`,
        at: new Date(since + (i + 1) * 60_000),
      })),
    });
    await db.findingsRegistration.createMany({
      data: Array.from({ length: 12 }, (_, i) => ({
        workspaceId: ws,
        title: `Registration ${i}`,
        registeredById: w.usStaff.id,
        registeredAt: daysAfter(i - 12),
        snapshot: [],
        contentHash: `hash ${i}`,
      })),
    });

    const home = await getWorkspaceHome(w.usStaff, ws);
    expect(home.members).toHaveLength(56);
    // The owner first, then by joining.
    expect(home.members[0]!.user.id).toBe(w.usStaff.id);
    expect(home.tasks.map((t) => t.title)).toEqual(
      Array.from({ length: 10 }, (_, i) => `Task ${i}`),
    );
    expect(home.activity.map((a) => a.summary)).toEqual(
      Array.from({ length: 10 }, (_, i) => `Step ${14 - i}`),
    );
    expect(home.activity[0]!.actorName).toBe("Ulysses Staff");
    expect(home.registrations.map((r) => r.title)).toEqual(
      Array.from({ length: 10 }, (_, i) => `Registration ${11 - i}`),
    );
    expect(home.registrationCount).toBe(12);
  });

  test("history compares any two versions; a missing one falls back to the latest, or the one before", async () => {
    const id = await newWorkspace(w.usStaff, "JOINT");
    const pageId = await page(w.usStaff, id, "Log", "v1");
    for (let v = 2; v <= 6; v++)
      expect(
        (await savePage(w.usStaff, id, pageId, { title: "Log", body: `v${v}`, baseVersion: v - 1 }))
          .ok,
      ).toBe(true);
    const compare = async (from: number, to: number) => {
      const h = await getPageHistory(w.usStaff, id, pageId, { from, to });
      expect(h.versions.map((v) => v.version)).toEqual([6, 5, 4, 3, 2, 1]);
      return [h.from, h.to, h.diff!.map((l) => `${l.kind} ${l.text}`).join(", ")];
    };
    expect(await compare(2, 5)).toEqual([2, 5, "removed v2, added v5"]);
    expect(await compare(5, 2)).toEqual([5, 2, "removed v5, added v2"]);
    expect(await compare(99, 3)).toEqual([2, 3, "removed v2, added v3"]);
    expect(await compare(1, 99)).toEqual([1, 6, "removed v1, added v6"]);
    expect(await compare(0, 0)).toEqual([5, 6, "removed v5, added v6"]);
    expect(await compare(0, 1)).toEqual([1, 1, "same v1"]);
  });

  test("a long history lists 50 versions a page, newest first, and still compares any two", async () => {
    const id = await newWorkspace(w.usStaff, "JOINT");
    await join(w.usStaff, id, w.ukStaff, "VIEWER");
    const pageId = await page(w.usStaff, id, "Long", "v1");
    // 120 versions, written directly: saving them one by one would only slow the test.
    await db.pageVersion.createMany({
      data: Array.from({ length: 119 }, (_, i) => ({
        pageId,
        version: i + 2,
        title: i + 2 === 120 ? "Long, renamed" : "Long",
        body: `v${i + 2}`,
        authorId: w.usStaff.id,
      })),
    });
    await db.workspacePage.update({
      where: { id: pageId },
      data: { version: 120, title: "Long, renamed", body: "v120" },
    });
    const listed = async (query: { from: number; to: number; list?: number }) => {
      const h = await getPageHistory(w.ukStaff, id, pageId, query);
      const numbers = h.versions.map((v) => v.version);
      return {
        list: h.list,
        of: h.listPages,
        first: numbers[0],
        last: numbers.at(-1),
        count: numbers.length,
        compared: [h.from, h.to, h.diff!.map((l) => `${l.kind} ${l.text}`).join(", ")],
      };
    };
    const latest = [119, 120, "removed v119, added v120"];
    expect(await listed({ from: 0, to: 0 })).toEqual({
      list: 1,
      of: 3,
      first: 120,
      last: 71,
      count: 50,
      compared: latest,
    });
    expect(await listed({ from: 0, to: 0, list: 2 })).toMatchObject({
      first: 70,
      last: 21,
      count: 50,
    });
    expect(await listed({ from: 0, to: 0, list: 3 })).toMatchObject({
      first: 20,
      last: 1,
      count: 20,
    });
    // Beyond the end: the last page of the list.
    expect(await listed({ from: 0, to: 0, list: 40 })).toMatchObject({
      list: 3,
      first: 20,
      count: 20,
    });
    // The compared versions need not be on the listed page.
    expect((await listed({ from: 1, to: 120, list: 2 })).compared).toEqual([
      1,
      120,
      "removed v1, added v120",
    ]);
    expect((await listed({ from: 3, to: 100 })).compared).toEqual([
      3,
      100,
      "removed v3, added v100",
    ]);
    // A version that does not exist falls back, as with a short history.
    expect((await listed({ from: 500, to: 0 })).compared).toEqual(latest);
    expect((await getPageHistory(w.ukStaff, id, pageId, { from: 500, to: 3 })).missing).toEqual([
      500,
    ]);
    expect((await getPageHistory(w.ukStaff, id, pageId, { from: 2, to: 3 })).missing).toEqual([]);
    expect((await getPageHistory(w.ukStaff, id, pageId, { from: 0, to: 0 })).titleChange).toEqual({
      from: "Long",
      to: "Long, renamed",
    });
  });

  test("history query strings too large for a version number are the defaults, not an error", () => {
    expect(DiffSchema.parse({ from: "99999999999", to: "3", list: "1e400" })).toEqual({
      from: 0,
      to: 3,
      list: 1,
    });
    expect(DiffSchema.parse({ from: "-1", to: "x", list: "0" })).toEqual({
      from: 0,
      to: 0,
      list: 1,
    });
    expect(DiffSchema.parse({})).toEqual({ from: 0, to: 0, list: 1 });
  });

  test("one request's loaders share a read check, never across people or requests", async () => {
    const ws = await newWorkspace(w.usStaff, "JOINT");
    await join(w.usStaff, ws, w.ukStaff, "EDITOR");
    const pageId = await page(w.usStaff, ws, "Shared", "Body");
    const request = newRequestScope("GET");
    const inRequest = <T>(fn: () => Promise<T>) => runInRequestScope(request, fn);
    expect((await inRequest(() => getWorkspaceFrame(w.ukStaff, ws))).role).toBe("EDITOR");
    // The member leaves while the request is being answered: its other loader keeps its answer...
    must(await removeMember(w.ukStaff, ws, w.ukStaff.id));
    expect((await inRequest(() => getPage(w.ukStaff, ws, pageId))).role).toBe("EDITOR");
    // ...but the next request, or no request at all, reads again.
    await expect(
      runInRequestScope(newRequestScope("GET"), () => getPage(w.ukStaff, ws, pageId)),
    ).rejects.toSatisfy(NOT_FOUND);
    await expect(getWorkspaceFrame(w.ukStaff, ws)).rejects.toSatisfy(NOT_FOUND);
    // Someone else's check on the same request is their own.
    await expect(inRequest(() => getPage(w.jpStaff, ws, pageId))).rejects.toSatisfy(NOT_FOUND);
    expect((await inRequest(() => getPage(w.usStaff, ws, pageId))).role).toBe("OWNER");
  });
});
