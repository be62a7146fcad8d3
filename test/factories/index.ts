import type { PrismaClient } from "~/generated/prisma/client";
import type { Role } from "~/generated/prisma/enums";
import { hashPassword } from "~/lib/password.server";
import { generateToken, hashToken } from "~/lib/tokens.server";
import { generateTotpKey } from "~/lib/totp.server";
import { sealTotpKey } from "~/modules/accounts/totp-keys.server";
import { clock } from "~/lib/clock";

// Shared by the demo data (prisma/demo.ts) and the tests: one place that knows how to make valid institutes and people.

export type InstituteSpec = {
  code: string;
  name: string;
  country: string;
  timeZone: string;
  locale: string;
};

export const US_AISI: InstituteSpec = {
  code: "US-AISI",
  name: "US AI Safety Institute",
  country: "US",
  timeZone: "America/New_York",
  locale: "en-US",
};

export const UK_AISI: InstituteSpec = {
  code: "UK-AISI",
  name: "UK AI Safety Institute",
  country: "GB",
  timeZone: "Europe/London",
  locale: "en-GB",
};

/** Creates the institute, or updates it to the spec (idempotent). */
export async function ensureInstitute(db: PrismaClient, spec: InstituteSpec) {
  return db.institute.upsert({ where: { code: spec.code }, create: spec, update: spec });
}

export type UserSpec = {
  email: string;
  displayName: string;
  jobTitle?: string;
  team?: string;
  instituteId: string;
  roles?: Role[];
  lineManagerId?: string | null;
  /** Omit for an invited user who has not set a password yet. */
  password?: string;
  /** A confirmed TOTP key; pass true for a random one. */
  mfaKey?: Uint8Array | true;
  deactivated?: boolean;
};

/** Creates the user, or brings an existing one (same email) to the spec (idempotent). */
export async function ensureUser(db: PrismaClient, spec: UserSpec) {
  const roles: Role[] = [...new Set<Role>(["STAFF", ...(spec.roles ?? [])])];
  const data = {
    displayName: spec.displayName,
    jobTitle: spec.jobTitle ?? "",
    team: spec.team ?? "",
    instituteId: spec.instituteId,
    roles,
    lineManagerId: spec.lineManagerId ?? null,
    deactivatedAt: spec.deactivated ? clock.now() : null,
  };
  const user = await db.user.upsert({
    where: { email: spec.email },
    create: { email: spec.email, ...data },
    update: data,
  });
  if (spec.password) {
    const hash = await hashPassword(spec.password);
    await db.password.upsert({
      where: { userId: user.id },
      create: { userId: user.id, hash },
      update: { hash },
    });
  }
  let mfaKey: Uint8Array | undefined;
  if (spec.mfaKey) {
    mfaKey = spec.mfaKey === true ? generateTotpKey() : spec.mfaKey;
    const sealedKey = sealTotpKey(user.id, mfaKey);
    await db.mfaSecret.upsert({
      where: { userId: user.id },
      create: { userId: user.id, sealedKey, confirmedAt: clock.now() },
      update: { sealedKey, key: null, confirmedAt: clock.now(), lastUsedStep: 0n },
    });
  }
  return { ...user, mfaKey };
}

let counter = 0;
/** A unique address for tests that need many people. */
export function uniqueEmail(prefix = "person") {
  counter += 1;
  return `${prefix}.${clock.ms().toString(36)}${counter}@test.example`;
}

/** Two institutes and one person of each kind, as most tests need. */
export async function createWorld(db: PrismaClient, password = "a perfectly long test password") {
  const us = await ensureInstitute(db, US_AISI);
  const uk = await ensureInstitute(db, UK_AISI);
  const usManager = await ensureUser(db, {
    email: uniqueEmail("us.manager"),
    displayName: "US Manager",
    instituteId: us.id,
    password,
  });
  const usStaff = await ensureUser(db, {
    email: uniqueEmail("us.staff"),
    displayName: "US Staff",
    instituteId: us.id,
    lineManagerId: usManager.id,
    password,
  });
  const ukStaff = await ensureUser(db, {
    email: uniqueEmail("uk.staff"),
    displayName: "UK Staff",
    instituteId: uk.id,
    password,
  });
  const usHr = await ensureUser(db, {
    email: uniqueEmail("us.hr"),
    displayName: "US HR",
    instituteId: us.id,
    roles: ["HR"],
    password,
    mfaKey: true,
  });
  const admin = await ensureUser(db, {
    email: uniqueEmail("admin"),
    displayName: "Admin",
    instituteId: uk.id,
    roles: ["ADMIN"],
    password,
    mfaKey: true,
  });
  return { us, uk, usManager, usStaff, ukStaff, usHr, admin, password };
}

/** A live one-time link (invitation or password reset) for the user; returns the token itself. */
export async function issueOneTimeToken(
  db: PrismaClient,
  userId: string,
  purpose: "INVITATION" | "PASSWORD_RESET",
  ttlMs = 24 * 3_600_000,
) {
  const token = generateToken();
  await db.oneTimeToken.create({
    data: { id: hashToken(token), userId, purpose, expiresAt: new Date(clock.ms() + ttlMs) },
  });
  return token;
}
