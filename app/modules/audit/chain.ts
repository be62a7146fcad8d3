import { createHash } from "node:crypto";

export const GENESIS_HASH = "0".repeat(64);

/** The fields of a row written before personal digests (personalDigest ""): all in the hash. */
export type LegacyChainedFields = {
  at: Date;
  actorId: string | null;
  actorEmail: string;
  action: string;
  targetType: string;
  targetId: string;
  instituteId: string | null;
  ipAddress: string;
  details: unknown;
};

/** The fields a row's hash covers: personal values only through their salted digest. */
export type ChainedFields = {
  at: Date;
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  instituteId: string | null;
  details: unknown;
  personalDigest: string;
};

/** The personal values of a row, which erasure may blank. */
export type PersonalFields = { actorEmail: string; ipAddress: string; personal: unknown };

/** A stored row, as verification reads it. */
export type StoredAuditRow = LegacyChainedFields &
  PersonalFields & { personalSalt: string; personalDigest: string; erasedAt: Date | null };

/** JSON with object keys sorted at every depth, so equal values always hash equally. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

// Node's native SHA-256: the same digest as hashing in JavaScript, at a fraction of the cost
// over a whole log (docs/decisions/005-erasure-and-the-audit-chain.md).
const hex = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

export function chainHash(prevHash: string, fields: ChainedFields | LegacyChainedFields): string {
  return hex(`${prevHash}\n${canonicalJson({ ...fields, at: fields.at.toISOString() })}`);
}

/** A salted digest of the personal values: without the salt, it cannot be matched to a person. */
export function personalDigest(salt: string, p: PersonalFields): string {
  return hex(
    `${salt}\n${canonicalJson({ actorEmail: p.actorEmail, ipAddress: p.ipAddress, personal: p.personal })}`,
  );
}

/** What the row's hash should be, under the scheme the row was written with. */
export function expectedHash(prevHash: string, row: StoredAuditRow): string {
  if (row.personalDigest === "") {
    const {
      at,
      actorId,
      actorEmail,
      action,
      targetType,
      targetId,
      instituteId,
      ipAddress,
      details,
    } = row;
    return chainHash(prevHash, {
      at,
      actorId,
      actorEmail,
      action,
      targetType,
      targetId,
      instituteId,
      ipAddress,
      details,
    });
  }
  const { at, actorId, action, targetType, targetId, instituteId, details } = row;
  return chainHash(prevHash, {
    at,
    actorId,
    action,
    targetType,
    targetId,
    instituteId,
    details,
    personalDigest: row.personalDigest,
  });
}

/**
 * Whether the personal values still match the digest the chain covers. An erased row must have
 * them all blank (then only the digest remains, and the chain vouches for it).
 */
export function personalIntact(row: StoredAuditRow): boolean {
  if (row.personalDigest === "") return true;
  if (row.erasedAt)
    return (
      row.actorEmail === "" &&
      row.ipAddress === "" &&
      row.personalSalt === "" &&
      canonicalJson(row.personal) === "{}"
    );
  return personalDigest(row.personalSalt, row) === row.personalDigest;
}
