// Audit events at scale, appended to the existing hash chain exactly as recordAudit appends: under
// the same advisory lock, each row's personal digest and chain hash computed with the app's own
// functions (app/modules/audit/chain.ts), linked to the current last event, with explicit seq
// values. `npm run audit:verify` therefore still passes. The events tell the generated story (every
// application move, reviewer assignments and reviews, placement moves), topped up with sign-ins,
// failed sign-ins and sign-outs.
import { randomBytes } from "node:crypto";
import { AUDIT_LOCK_KEY } from "~/modules/audit/audit.server";
import {
  chainHash,
  GENESIS_HASH,
  personalDigest,
  type LegacyChainedFields,
} from "~/modules/audit/chain";
import { Random } from "../../test/factories/random";
import type { Phase } from "./context";
import { DAY_MS, insertRows } from "./sql";

/** An event before hashing: the same fields recordAudit writes. */
type Draft = LegacyChainedFields & { details: Record<string, unknown> };

function ip(rng: Random) {
  return rng.chance(0.5) ? `203.0.113.${rng.int(1, 254)}` : `198.51.100.${rng.int(1, 254)}`;
}

export async function generateAudit(phase: Phase) {
  const { tx, now, counts, people } = phase;
  const rng = new Random("scale:audit");
  const target = counts.auditEvents;
  const drafts: Draft[] = [];

  const moves = await tx.$queryRaw<
    {
      at: Date;
      actorId: string | null;
      email: string | null;
      fromStatus: string | null;
      toStatus: string;
      applicationId: string;
      postingId: string;
      hostInstituteId: string;
      actorInstituteId: string | null;
    }[]
  >`
    SELECT e."createdAt" AS at, e."actorId", u."email", e."fromStatus"::text AS "fromStatus",
      e."toStatus"::text AS "toStatus", a."id" AS "applicationId", a."postingId",
      p."hostInstituteId", u."instituteId" AS "actorInstituteId"
    FROM "ApplicationEvent" e
    JOIN "Application" a ON a."id" = e."applicationId"
    JOIN "Posting" p ON p."id" = a."postingId"
    LEFT JOIN "User" u ON u."id" = e."actorId"
    ORDER BY e."createdAt"
    LIMIT ${Math.round(target * 0.7)}`;
  for (const m of moves)
    drafts.push({
      at: m.at,
      actorId: m.actorId,
      actorEmail: m.email ?? "",
      action: "application.transition",
      targetType: "Application",
      targetId: m.applicationId,
      instituteId: m.hostInstituteId,
      ipAddress: ip(rng),
      details: { from: m.fromStatus, to: m.toStatus, postingId: m.postingId },
    });

  const reviews = await tx.$queryRaw<
    {
      createdAt: Date;
      submittedAt: Date | null;
      applicationId: string;
      reviewerId: string;
      assignedById: string;
      hrEmail: string;
      reviewerEmail: string;
      hostInstituteId: string;
    }[]
  >`
    SELECT r."createdAt", r."submittedAt", r."applicationId", r."reviewerId", r."assignedById",
      hr."email" AS "hrEmail", rv."email" AS "reviewerEmail", p."hostInstituteId"
    FROM "ReviewAssignment" r
    JOIN "Application" a ON a."id" = r."applicationId"
    JOIN "Posting" p ON p."id" = a."postingId"
    JOIN "User" hr ON hr."id" = r."assignedById"
    JOIN "User" rv ON rv."id" = r."reviewerId"
    LIMIT ${Math.round(target * 0.2)}`;
  for (const r of reviews) {
    drafts.push({
      at: r.createdAt,
      actorId: r.assignedById,
      actorEmail: r.hrEmail,
      action: "application.reviewer.assign",
      targetType: "Application",
      targetId: r.applicationId,
      instituteId: r.hostInstituteId,
      ipAddress: ip(rng),
      details: { reviewerId: r.reviewerId },
    });
    if (r.submittedAt)
      drafts.push({
        at: r.submittedAt,
        actorId: r.reviewerId,
        actorEmail: r.reviewerEmail,
        action: "application.review.submit",
        targetType: "Application",
        targetId: r.applicationId,
        instituteId: r.hostInstituteId,
        ipAddress: ip(rng),
        details: {},
      });
  }

  // Placement moves, by the host's HR, along the path to the placement's status.
  const placements = await tx.placement.findMany({
    where: { status: { not: "PLANNED" } },
    select: { id: true, status: true, hostInstituteId: true, createdAt: true, updatedAt: true },
  });
  const hrOf = (id: string) =>
    (people.byInstitute.get(id) ?? []).filter((p) => p.roles.includes("HR"));
  for (const p of placements) {
    const path =
      p.status === "CANCELLED"
        ? ["CLEARING", "CANCELLED"]
        : ["CLEARING", "ACTIVE", "COMPLETED"].slice(
            0,
            ["CLEARING", "ACTIVE", "COMPLETED"].indexOf(p.status) + 1,
          );
    const hr = rng.pick(hrOf(p.hostInstituteId));
    let from = "PLANNED";
    path.forEach((to, k) => {
      const share = (k + 1) / path.length;
      drafts.push({
        at: new Date(
          p.createdAt.getTime() + (p.updatedAt.getTime() - p.createdAt.getTime()) * share,
        ),
        actorId: hr.id,
        actorEmail: hr.email,
        action: "placement.transition",
        targetType: "Placement",
        targetId: p.id,
        instituteId: p.hostInstituteId,
        ipAddress: ip(rng),
        details: { from, to },
      });
      from = to;
    });
  }
  drafts.splice(target);

  // The rest: signing in and out, the bulk of any real audit log, busiest for the demo people.
  const demo = Object.values(phase.demo);
  while (drafts.length < target) {
    const person = demo.length && rng.chance(0.08) ? rng.pick(demo) : rng.pick(people.people);
    const at = new Date(now.getTime() - rng.next() * 540 * DAY_MS);
    const roll = rng.next();
    const address = ip(rng);
    if (roll < 0.12)
      drafts.push({
        at,
        actorId: null,
        actorEmail: person.email,
        action: "auth.signin.failed",
        targetType: "User",
        targetId: person.id,
        instituteId: null,
        ipAddress: address,
        details: { reason: "bad_password" },
      });
    else
      drafts.push({
        at,
        actorId: person.id,
        actorEmail: person.email,
        action: roll < 0.85 ? "auth.signin.succeeded" : "auth.signout",
        targetType: "User",
        targetId: person.id,
        instituteId: person.instituteId,
        ipAddress: address,
        details:
          roll < 0.85 && person.roles.some((r) => r !== "STAFF") ? { secondFactor: "totp" } : {},
      });
  }
  drafts.sort((a, b) => a.at.getTime() - b.at.getTime());

  // Appended under the app's lock, after whatever is last now.
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`);
  const [head] = await tx.$queryRaw<{ seq: bigint | number | string; hash: string }[]>`
    SELECT "seq", "hash" FROM "AuditEvent" ORDER BY "seq" DESC LIMIT 1`;
  let prevHash = head?.hash ?? GENESIS_HASH;
  let seq = BigInt(head?.seq ?? 0);
  const bar = phase.bar("audit events", drafts.length);
  const chunk = 4000;
  const salts = randomBytes(16 * chunk);
  for (let start = 0; start < drafts.length; start += chunk) {
    const rows = drafts.slice(start, start + chunk).map((d, i) => {
      const personalSalt = salts.subarray(i * 16, i * 16 + 16).toString("hex");
      const digest = personalDigest(personalSalt, {
        actorEmail: d.actorEmail,
        ipAddress: d.ipAddress,
        personal: {},
      });
      const hash = chainHash(prevHash, {
        at: d.at,
        actorId: d.actorId,
        action: d.action,
        targetType: d.targetType,
        targetId: d.targetId,
        instituteId: d.instituteId,
        details: d.details,
        personalDigest: digest,
      });
      seq += 1n;
      const row = {
        seq: seq.toString(),
        ...d,
        at: d.at.toISOString(),
        personal: {},
        personalSalt,
        personalDigest: digest,
        prevHash,
        hash,
      };
      prevHash = hash;
      return row;
    });
    randomBytes(16 * chunk).copy(salts);
    await insertRows(
      tx,
      "AuditEvent",
      {
        seq: "bigint",
        at: "timestamp(3)",
        actorId: "text",
        actorEmail: "text",
        action: "text",
        targetType: "text",
        targetId: "text",
        instituteId: "text",
        ipAddress: "text",
        details: "jsonb",
        personal: "jsonb",
        personalSalt: "text",
        personalDigest: "text",
        prevHash: "text",
        hash: "text",
      },
      rows,
      { bar, chunk },
    );
  }
  await tx.$executeRawUnsafe(
    `SELECT setval(pg_get_serial_sequence('"AuditEvent"', 'seq'), ${seq.toString()}, true)`,
  );
  bar.done();
  return drafts.length;
}
