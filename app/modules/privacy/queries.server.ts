import { Prisma } from "~/generated/prisma/client";

type Tx = Prisma.TransactionClient;

// Erasure's hand-written reads, run in its transaction: Prisma cannot look for an address inside
// the `personal` JSON as text. For correctness, not speed (docs/decisions/005-erasure-and-the-audit-chain.md).

/** Audit events by or about a person: their id, their address, or their address in `personal`. */
export function auditEventsMentioning(userId: string, email: string) {
  return Prisma.sql`("actorId" = ${userId} OR lower("actorEmail") = lower(${email})
    OR strpos(lower("personal"::text), lower(${email})) > 0)`;
}

/**
 * The addresses a person signed in from, to clear the sign-in counters kept per address.
 * Why SQL: docs/decisions/005-erasure-and-the-audit-chain.md (an address inside `personal`).
 */
export function readSignInAddresses(tx: Tx, mentions: Prisma.Sql) {
  return tx.$queryRaw<{ ip: string }[]>`
    SELECT DISTINCT "ipAddress" AS ip FROM "AuditEvent" WHERE ${mentions} AND "ipAddress" <> ''`;
}

/**
 * How many events about a person were written before personal digests existed: they cannot be
 * blanked without breaking the chain, so erasure counts them.
 * Why SQL: docs/decisions/005-erasure-and-the-audit-chain.md (an address inside `personal`).
 */
export async function countLegacyAuditEvents(tx: Tx, mentions: Prisma.Sql) {
  const [legacy] = await tx.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM "AuditEvent" WHERE ${mentions} AND "personalDigest" = ''`;
  return Number(legacy?.n ?? 0);
}
