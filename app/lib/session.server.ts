import type { Role } from "~/generated/prisma/enums";
import { db } from "./db.server";
import { getEnv } from "./env.server";
import { generateToken, hashToken } from "./tokens.server";
import { clock } from "~/lib/clock";

const MINUTE = 60_000;
// Writing lastSeenAt on every request would make each page a write; a minute's slack is harmless.
const TOUCH_INTERVAL_MS = MINUTE;

export type SessionUser = {
  id: string;
  email: string;
  displayName: string;
  roles: Role[];
  instituteId: string;
  institute: { code: string; name: string; timeZone: string; locale: string };
  /** Has a second factor: a confirmed TOTP key or a passkey. */
  mfaEnabled: boolean;
  hasPasskey: boolean;
};

type SessionRow = {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  mfaVerified: boolean;
  phishingResistant: boolean;
  userId: string;
  email: string;
  displayName: string;
  roles: string[];
  instituteId: string;
  deactivatedAt: Date | null;
  code: string;
  name: string;
  timeZone: string;
  locale: string;
  mfaConfirmedAt: Date | null;
  hasPasskey: boolean;
  unreadNotifications: number;
};

export type ValidSession = {
  id: string;
  mfaVerified: boolean;
  /** Signed in (or stepped up) with a passkey, or by SSO that asserted phishing-resistant MFA. */
  phishingResistant: boolean;
  createdAt: Date;
  expiresAt: Date;
  user: SessionUser;
  /** The header's count, read with the session: every page shows it. */
  unreadNotifications: number;
};

function limits() {
  const env = getEnv();
  return {
    idleMs: env.SESSION_IDLE_MINUTES * MINUTE,
    absoluteMs: env.SESSION_ABSOLUTE_HOURS * 60 * MINUTE,
  };
}

function expiryFor(createdAt: Date, lastSeenAt: Date) {
  const { idleMs, absoluteMs } = limits();
  return new Date(Math.min(lastSeenAt.getTime() + idleMs, createdAt.getTime() + absoluteMs));
}

/** A new session with a fresh random token (never reused across sign-ins). */
export async function createSession(
  userId: string,
  opts: {
    mfaVerified: boolean;
    /** How the person signed in ("password" unless said), and whether that resists phishing. */
    method?: "password" | "passkey" | "sso";
    phishingResistant?: boolean;
    ipAddress?: string;
    userAgent?: string;
  },
) {
  const token = generateToken();
  const now = clock.now();
  const expiresAt = expiryFor(now, now);
  await db.session.create({
    data: {
      id: hashToken(token),
      userId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt,
      mfaVerified: opts.mfaVerified,
      method: opts.method ?? "password",
      phishingResistant: opts.phishingResistant ?? false,
      ipAddress: (opts.ipAddress ?? "").slice(0, 64),
      userAgent: (opts.userAgent ?? "").slice(0, 256),
    },
  });
  // The cookie may live as long as the absolute lifetime; the idle limit is enforced here, server-side.
  const cookieExpiresAt = new Date(now.getTime() + limits().absoluteMs);
  return { token, cookieExpiresAt };
}

/**
 * Looks a cookie token up by its hash. Expired, idle, over-age or deactivated-user sessions are
 * deleted and yield null. Use slides the idle expiry forward, never past the absolute lifetime.
 */
export async function validateSessionToken(token: string): Promise<ValidSession | null> {
  if (!/^[a-z2-7]{32}$/.test(token)) return null;
  const id = hashToken(token);
  // Every signed-in request runs this, so it is one statement: Prisma would send one per relation
  // (session, user, institute, MFA), and every page's header shows the unread count, a fifth
  // (docs/decisions/008-hand-written-sql-reads.md).
  const [found] = await db.$queryRaw<SessionRow[]>`
    SELECT s."id", s."createdAt", s."lastSeenAt", s."expiresAt", s."mfaVerified",
           s."phishingResistant",
           u."id" AS "userId", u."email", u."displayName", u."roles"::text[] AS "roles",
           u."instituteId", u."deactivatedAt",
           i."code", i."name", i."timeZone", i."locale",
           m."confirmedAt" AS "mfaConfirmedAt",
           EXISTS (SELECT 1 FROM "Passkey" p WHERE p."userId" = u."id") AS "hasPasskey",
           (SELECT count(*)::int FROM "Notification" n
            WHERE n."userId" = u."id" AND n."readAt" IS NULL) AS "unreadNotifications"
    FROM "Session" s
    JOIN "User" u ON u."id" = s."userId"
    JOIN "Institute" i ON i."id" = u."instituteId"
    LEFT JOIN "MfaSecret" m ON m."userId" = u."id"
    WHERE s."id" = ${id}`;
  const row = found
    ? {
        ...found,
        user: {
          id: found.userId,
          email: found.email,
          displayName: found.displayName,
          roles: found.roles as Role[],
          instituteId: found.instituteId,
          deactivatedAt: found.deactivatedAt,
          institute: {
            code: found.code,
            name: found.name,
            timeZone: found.timeZone,
            locale: found.locale,
          },
          mfa: found.mfaConfirmedAt ? { confirmedAt: found.mfaConfirmedAt } : null,
        },
      }
    : null;
  if (!row) return null;
  const now = clock.ms();
  if (row.expiresAt.getTime() <= now || row.user.deactivatedAt) {
    await db.session.deleteMany({ where: { id } });
    return null;
  }
  let expiresAt = row.expiresAt;
  if (now - row.lastSeenAt.getTime() >= TOUCH_INTERVAL_MS) {
    const lastSeenAt = new Date(now);
    expiresAt = expiryFor(row.createdAt, lastSeenAt);
    await db.session.updateMany({ where: { id }, data: { lastSeenAt, expiresAt } });
  }
  const { deactivatedAt: _d, mfa, ...user } = row.user;
  return {
    id: row.id,
    mfaVerified: row.mfaVerified,
    phishingResistant: row.phishingResistant,
    createdAt: row.createdAt,
    expiresAt,
    user: {
      ...user,
      mfaEnabled: Boolean(mfa?.confirmedAt) || row.hasPasskey,
      hasPasskey: row.hasPasskey,
    },
    unreadNotifications: row.unreadNotifications,
  };
}

export async function invalidateSession(sessionId: string) {
  await db.session.deleteMany({ where: { id: sessionId } });
}

export async function invalidateUserSessions(userId: string, exceptSessionId?: string) {
  await db.session.deleteMany({
    where: { userId, ...(exceptSessionId ? { id: { not: exceptSessionId } } : {}) },
  });
}

export async function markSessionMfaVerified(sessionId: string) {
  await db.session.updateMany({ where: { id: sessionId }, data: { mfaVerified: true } });
}

// ---- the cookie ----

export function sessionCookieName() {
  // __Host- binds the cookie to this exact origin over HTTPS, with Path=/ and no Domain.
  return getEnv().SECURE_COOKIES ? "__Host-session" : "session";
}

export function readSessionToken(request: Request): string | null {
  const header = request.headers.get("Cookie");
  if (!header) return null;
  const name = sessionCookieName();
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

export function sessionCookie(token: string, expiresAt: Date) {
  const secure = getEnv().SECURE_COOKIES ? "; Secure" : "";
  return `${sessionCookieName()}=${token}; Path=/; HttpOnly; SameSite=Lax; Expires=${expiresAt.toUTCString()}${secure}`;
}

export function clearSessionCookie() {
  const secure = getEnv().SECURE_COOKIES ? "; Secure" : "";
  return `${sessionCookieName()}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure}`;
}
