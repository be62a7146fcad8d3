import { PassThrough } from "node:stream";
import { expect, test } from "vitest";
import { db } from "~/lib/db.server";
import { hashPassword } from "~/lib/password.server";
import type { Actor } from "~/lib/permissions";
import { getPipeline } from "~/modules/applications/posting-pipeline.server";
import { APPLICATION_STATUSES } from "~/modules/applications/workflow";
import { verifyAuditChain } from "~/modules/audit/audit.server";
import { listNotifications } from "~/modules/notifications/notifications.server";
import { listPlacements } from "~/modules/placements/placement-list.server";
import { getPlacement } from "~/modules/placements/placement-page.server";
import { getPageHistory } from "~/modules/workspaces/pages.server";
import { DEMO_PASSWORD, seed } from "../../../prisma/demo";
import { scaledCounts } from "../../../scripts/scale/counts";
import { generateScaleData, tableCounts } from "../../../scripts/scale/index";

const SCALE = 0.01;

async function actor(email: string): Promise<Actor> {
  return db.user.findUniqueOrThrow({
    where: { email },
    select: { id: true, email: true, roles: true, instituteId: true },
  });
}

async function one<T>(query: Promise<T[]>) {
  const [row] = await query;
  return row!;
}

test(
  "the scale generator fills every area at the scale asked for, consistently, and only once",
  { timeout: 120_000 },
  async () => {
    await seed();
    const before = await tableCounts(db);
    const quiet = Object.assign(new PassThrough(), {
      isTTY: false,
    }) as unknown as NodeJS.WriteStream;
    quiet.resume();
    const options = {
      scale: SCALE,
      passwordHash: await hashPassword(DEMO_PASSWORD),
      stream: quiet,
      log: () => {},
    };
    await generateScaleData(db, options);
    const after = await tableCounts(db);
    const added = (table: string) => after[table]! - before[table]!;

    // The counts scale as asked.
    const counts = scaledCounts(SCALE);
    expect(after.Institute).toBe(5);
    expect(added("User")).toBe(counts.people);
    expect(added("Profile")).toBe(counts.people);
    expect(added("Posting")).toBe(counts.postings);
    expect(added("Application")).toBe(counts.applications);
    expect(added("Placement")).toBe(counts.placements);
    expect(added("Workspace")).toBe(counts.workspaces);
    expect(added("PageVersion")).toBe(counts.pageVersions);
    expect(added("WorkspaceTask")).toBe(counts.tasks);
    expect(added("Notification")).toBe(counts.notifications);
    expect(added("AuditEvent")).toBe(counts.auditEvents);

    // Every stage of the pipeline, each application's timeline ending where it stands.
    const stages = await db.application.groupBy({ by: ["status"], _count: { _all: true } });
    expect(stages.map((s) => s.status).sort()).toEqual([...APPLICATION_STATUSES].sort());
    const offTimeline = await one(db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM "Application" a
      WHERE a."status" <> 'DRAFT' AND a."status" IS DISTINCT FROM (
        SELECT e."toStatus" FROM "ApplicationEvent" e WHERE e."applicationId" = a."id"
        ORDER BY e."createdAt" DESC LIMIT 1)`);
    expect(offTimeline.n).toBe(0);
    const unreleasable = await db.application.count({
      where: { status: { not: "DRAFT" }, lineManagerId: null },
    });
    expect(unreleasable).toBe(0);

    // Reviews: submitted scores, only on applications that reached review.
    expect(
      await db.reviewAssignment.count({ where: { submittedAt: { not: null } } }),
    ).toBeGreaterThan(10);
    expect(
      await db.reviewAssignment.count({
        where: { application: { status: { in: ["DRAFT", "SUBMITTED", "HOME_RELEASED"] } } },
      }),
    ).toBe(0);

    // Placements: from accepted offers, each with its checklist; active ones past the gate.
    expect(
      await db.placement.count({ where: { application: { status: { not: "ACCEPTED" } } } }),
    ).toBe(0);
    expect(await db.placement.count({ where: { checklistItems: { none: {} } } })).toBe(0);
    expect(
      await db.checklistItem.count({
        where: {
          required: true,
          status: { in: ["TODO", "IN_PROGRESS"] },
          placement: { status: { in: ["ACTIVE", "COMPLETED"] } },
        },
      }),
    ).toBe(0);
    expect(
      new Set((await db.placement.findMany({ select: { status: true } })).map((p) => p.status))
        .size,
    ).toBeGreaterThanOrEqual(3);

    // Pages: the current text is the last version; some page has a long history.
    const pages = await one(db.$queryRaw<{ stale: number; longest: number }[]>`
      SELECT count(*) FILTER (WHERE p."version" <> v.n OR p."body" <> last."body")::int AS stale,
        max(v.n)::int AS longest
      FROM "WorkspacePage" p
      JOIN LATERAL (SELECT count(*) AS n FROM "PageVersion" WHERE "pageId" = p."id") v ON true
      JOIN LATERAL (SELECT "body" FROM "PageVersion" WHERE "pageId" = p."id"
        ORDER BY "version" DESC LIMIT 1) last ON true`);
    expect(pages.stale).toBe(0);
    expect(pages.longest).toBeGreaterThanOrEqual(50);

    // Tasks are assigned to members of their workspace only.
    const strangers = await one(db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM "WorkspaceTask" t WHERE t."assigneeId" IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM "WorkspaceMember" m
          WHERE m."workspaceId" = t."workspaceId" AND m."userId" = t."assigneeId")`);
    expect(strangers.n).toBe(0);

    // The audit chain still verifies, with the app's own verifier.
    expect(await verifyAuditChain()).toEqual({ checked: after.AuditEvent, firstBreak: null });

    // Signed in as the demo people, the pages show the generated data.
    const jordan = await actor("jordan.rivera@us-aisi.example");
    const busiest = await one(db.$queryRaw<{ id: string; n: number }[]>`
      SELECT a."postingId" AS id, count(*)::int AS n FROM "Application" a
      JOIN "Posting" p ON p."id" = a."postingId"
      WHERE p."contactHrId" = ${jordan.id} AND a."status" <> 'DRAFT'
      GROUP BY a."postingId" ORDER BY n DESC LIMIT 1`);
    const pipeline = await getPipeline(jordan, busiest.id);
    expect(pipeline.total).toBe(busiest.n);
    expect(pipeline.stages.filter((s) => s.count > 0).length).toBeGreaterThan(3);
    const shown = pipeline.stages.find((s) => s.status === pipeline.stage)!;
    expect(pipeline.items).toHaveLength(Math.min(shown.count, pipeline.pageSize));

    const longest = await one(db.$queryRaw<{ pageId: string; workspaceId: string }[]>`
      SELECT v."pageId", p."workspaceId" FROM "PageVersion" v
      JOIN "WorkspacePage" p ON p."id" = v."pageId"
      GROUP BY v."pageId", p."workspaceId" ORDER BY count(*) DESC LIMIT 1`);
    const member = await db.workspaceMember.findFirstOrThrow({
      where: { workspaceId: longest.workspaceId, user: { email: "sam.okafor@us-aisi.example" } },
      select: { user: { select: { id: true, email: true, roles: true, instituteId: true } } },
    });
    const history = await getPageHistory(member.user, longest.workspaceId, longest.pageId, {
      from: 0,
      to: 0,
    });
    expect(history.versions.length).toBeGreaterThanOrEqual(50);
    expect(history.diff!.length).toBeGreaterThan(0);

    const sam = await actor("sam.okafor@us-aisi.example");
    // Sam gets 1% of them (several hundred at full scale).
    const inbox = await listNotifications(sam);
    expect(inbox.items.length).toBeGreaterThanOrEqual(Math.round(counts.notifications / 100));

    const eleanor = await actor("eleanor.hughes@uk-aisi.example");
    const hosted = await listPlacements(eleanor);
    expect(hosted.length).toBeGreaterThan(4);
    const placement = await getPlacement(eleanor, hosted.at(-1)!.id);
    expect(placement.items.length).toBeGreaterThan(0);

    // Again: nothing new.
    await generateScaleData(db, options);
    expect(await tableCounts(db)).toEqual(after);
  },
);
