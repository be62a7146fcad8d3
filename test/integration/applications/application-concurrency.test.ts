import { beforeAll, expect, test } from "vitest";
import { db } from "~/lib/db.server";
import { transitionApplication } from "~/modules/applications/pipeline.server";
import { verifyAuditChain } from "~/modules/audit/audit.server";
import {
  advance,
  createPipelineWorld,
  openPosting,
  submittedApplication,
  type World,
} from "#test/support/pipeline-world";

// Runs on PGlite and on PostgreSQL (see scripts/test-integration.mjs): on the server the
// transactions really overlap, each on its own pooled connection.

let w: World;
beforeAll(async () => {
  w = await createPipelineWorld();
});

test("many conflicting moves at once: exactly one wins, the rest are told it changed", async () => {
  const postingId = await openPosting(w);
  const id = await submittedApplication(w, postingId);
  await advance(w, id, ["HOME_RELEASED", "UNDER_REVIEW"]);
  const { version } = await db.application.findUniqueOrThrow({ where: { id } });
  const eventsBefore = await db.applicationEvent.count({ where: { applicationId: id } });
  const auditBefore = await db.auditEvent.count({ where: { targetId: id } });

  const attempts = Array.from({ length: 16 }, (_, i) =>
    transitionApplication(i % 2 ? w.hostHr : w.hostHr2, id, {
      to: i % 3 === 0 ? "REJECTED" : "SHORTLISTED",
      version,
      comment: `attempt ${i}`,
    }),
  );
  const results = await Promise.all(attempts);
  const winners = results.filter((r) => r.ok);
  expect(winners).toHaveLength(1);
  for (const r of results.filter((r) => !r.ok)) {
    expect(r).toMatchObject({ ok: false, conflict: true });
    expect(JSON.stringify(r)).toContain("This application changed since you opened it");
  }

  const after = await db.application.findUniqueOrThrow({ where: { id } });
  expect(after.version).toBe(version + 1);
  expect(["SHORTLISTED", "REJECTED"]).toContain(after.status);
  // One timeline entry and one audit event for the one move; the chain has no gaps.
  const events = await db.applicationEvent.findMany({
    where: { applicationId: id },
    orderBy: { createdAt: "asc" },
  });
  expect(events.length).toBe(eventsBefore + 1);
  expect(events.at(-1)!.toStatus).toBe(after.status);
  expect(await db.auditEvent.count({ where: { targetId: id } })).toBe(auditBefore + 1);
  const chain = await verifyAuditChain();
  expect(chain.firstBreak).toBeNull();
});

test("the applicant withdrawing while HR shortlist: one of the two, never both", async () => {
  const postingId = await openPosting(w);
  const id = await submittedApplication(w, postingId, w.ukStaff);
  const v0 = (await db.application.findUniqueOrThrow({ where: { id } })).version;
  await transitionApplication(w.manager, id, { to: "HOME_RELEASED", version: v0, comment: "" });
  await transitionApplication(w.hostHr, id, { to: "UNDER_REVIEW", version: v0 + 1, comment: "" });
  const version = v0 + 2;
  const results = await Promise.all([
    transitionApplication(w.ukStaff, id, { to: "WITHDRAWN", version, comment: "" }),
    transitionApplication(w.hostHr, id, { to: "SHORTLISTED", version, comment: "" }),
    transitionApplication(w.hostHr2, id, { to: "REJECTED", version, comment: "Not this time" }),
  ]);
  expect(results.filter((r) => r.ok)).toHaveLength(1);
  const after = await db.application.findUniqueOrThrow({ where: { id } });
  expect(after.version).toBe(version + 1);
  expect((await verifyAuditChain()).firstBreak).toBeNull();
});
