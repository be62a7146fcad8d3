import type { Prisma } from "~/generated/prisma/client";
import { clock } from "~/lib/clock";
import { db } from "~/lib/db.server";
import { isUniqueViolation, type RequestInfo } from "~/lib/service";
import { recordAudit } from "~/modules/audit/audit.server";
import { applyPatch, fromResource, type UserAttributes } from "./attributes";
import { parseUserFilter } from "./filter";
import {
  ENTERPRISE_SCHEMA,
  LIST_SCHEMA,
  MAX_PAGE_SIZE,
  notFoundError,
  ScimError,
  USER_SCHEMA,
} from "./protocol";
import { ScimUserSchema } from "./schema";

/**
 * The SCIM Users endpoint's work, for one institute: the one the request's token belongs to.
 * Every query names that institute in its `where`, so a token cannot reach anyone else; someone
 * it cannot reach is a 404, as is someone it never heard of.
 */
type Tx = Prisma.TransactionClient;

export type ScimContext = {
  instituteId: string;
  /** The endpoint's absolute base URL, ending in /scim/v2, for meta.location. */
  base: string;
  req: RequestInfo;
};

/**
 * The people a token reaches: its institute's, except anyone the provider deleted, and except
 * portal administrators, whose accounts are managed in the portal only (one institute's directory
 * must not be able to lock out the people who run the whole portal).
 */
const reachable = (instituteId: string): Prisma.UserWhereInput => ({
  instituteId,
  scimDeletedAt: null,
  NOT: { roles: { has: "ADMIN" } },
});

const USER_SELECT = {
  id: true,
  email: true,
  displayName: true,
  jobTitle: true,
  team: true,
  deactivatedAt: true,
  scimExternalId: true,
  scimUserName: true,
  scimGivenName: true,
  scimFamilyName: true,
  scimFormattedName: true,
  scimWorkEmail: true,
  lineManagerId: true,
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.UserSelect;
type UserRow = Prisma.UserGetPayload<{ select: typeof USER_SELECT }>;

/** The version a resource is at: its weak ETag (RFC 7644 3.14). */
export const versionOf = (user: Pick<UserRow, "updatedAt">) =>
  `W/"${user.updatedAt.getTime().toString(36)}"`;

/**
 * The userName as the provider spelled it, while it is still the person's address: once the
 * address changes in the portal, the provider reads the new one.
 */
const userNameOf = (user: UserRow) =>
  user.scimUserName?.toLowerCase() === user.email ? user.scimUserName : user.email;

export function toResource(user: UserRow, base: string) {
  const location = `${base}/Users/${user.id}`;
  const userName = userNameOf(user);
  const enterprise = {
    ...(user.team ? { department: user.team } : {}),
    ...(user.lineManagerId
      ? { manager: { value: user.lineManagerId, $ref: `${base}/Users/${user.lineManagerId}` } }
      : {}),
  };
  const extended = Object.keys(enterprise).length > 0;
  return {
    schemas: extended ? [USER_SCHEMA, ENTERPRISE_SCHEMA] : [USER_SCHEMA],
    id: user.id,
    ...(user.scimExternalId ? { externalId: user.scimExternalId } : {}),
    userName,
    // Parts the provider never sent are left out; the full name falls back to the display name.
    name: {
      formatted: user.scimFormattedName ?? user.displayName,
      ...(user.scimGivenName ? { givenName: user.scimGivenName } : {}),
      ...(user.scimFamilyName ? { familyName: user.scimFamilyName } : {}),
    },
    displayName: user.displayName,
    ...(user.jobTitle ? { title: user.jobTitle } : {}),
    active: user.deactivatedAt === null,
    emails: [{ value: user.scimWorkEmail ?? userName, type: "work", primary: true }],
    ...(extended ? { [ENTERPRISE_SCHEMA]: enterprise } : {}),
    meta: {
      resourceType: "User",
      created: user.createdAt.toISOString(),
      lastModified: user.updatedAt.toISOString(),
      location,
      version: versionOf(user),
    },
  };
}

export type ScimUser = ReturnType<typeof toResource>;

/** A whole number from the query, or the fallback when it is missing or not one. */
function whole(value: string | null, fallback: number) {
  const n = value === null ? NaN : Number(value);
  return Number.isSafeInteger(n) ? n : fallback;
}

export async function listScimUsers(ctx: ScimContext, query: URLSearchParams) {
  const filter = parseUserFilter(query.get("filter"));
  // RFC 7644 3.4.2.4: startIndex below 1 is 1, a negative count is 0.
  const startIndex = Math.max(1, whole(query.get("startIndex"), 1));
  const count = Math.min(MAX_PAGE_SIZE, Math.max(0, whole(query.get("count"), MAX_PAGE_SIZE)));
  const where: Prisma.UserWhereInput = {
    ...reachable(ctx.instituteId),
    ...(filter?.attribute === "userName" ? { email: filter.value.trim().toLowerCase() } : {}),
    ...(filter?.attribute === "externalId" ? { scimExternalId: filter.value } : {}),
  };
  const [totalResults, users] = await Promise.all([
    db.user.count({ where }),
    count === 0
      ? Promise.resolve([])
      : db.user.findMany({
          where,
          select: USER_SELECT,
          orderBy: [{ createdAt: "asc" }, { id: "asc" }],
          skip: startIndex - 1,
          take: count,
        }),
  ]);
  return {
    schemas: [LIST_SCHEMA],
    totalResults,
    startIndex,
    itemsPerPage: users.length,
    Resources: users.map((u) => toResource(u, ctx.base)),
  };
}

/** Whether an id from the path could be a person's at all; anything else is a 404 unread. */
const isId = (id: string) => /^[A-Za-z0-9_-]{1,64}$/.test(id);

async function findReachable(client: Tx, ctx: ScimContext, id: string) {
  const user = isId(id)
    ? await client.user.findFirst({
        where: { id, ...reachable(ctx.instituteId) },
        select: USER_SELECT,
      })
    : null;
  if (!user) throw notFoundError();
  return user;
}

export async function getScimUser(ctx: ScimContext, id: string) {
  return toResource(await findReachable(db, ctx, id), ctx.base);
}

const attributesOf = (user: UserRow): UserAttributes => ({
  userName: userNameOf(user),
  displayName: user.displayName,
  givenName: user.scimGivenName,
  familyName: user.scimFamilyName,
  formattedName: user.scimFormattedName,
  workEmail: user.scimWorkEmail,
  jobTitle: user.jobTitle,
  team: user.team,
  active: user.deactivatedAt === null,
  externalId: user.scimExternalId,
  managerId: user.lineManagerId,
});

/** The attributes, checked as the portal checks an invited person's, or a 400 saying why. */
async function checked(
  client: Tx,
  ctx: ScimContext,
  attributes: UserAttributes,
  userId: string | null,
  currentManagerId: string | null,
) {
  const parsed = ScimUserSchema.safeParse(attributes);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ScimError(400, `${issue.path.join(".")}: ${issue.message}`, "invalidValue");
  }
  const value = parsed.data;
  const institute = await client.institute.findUniqueOrThrow({
    where: { id: ctx.instituteId },
    select: { emailDomains: true },
  });
  const domain = value.userName.slice(value.userName.lastIndexOf("@") + 1).toLowerCase();
  if (institute.emailDomains.length > 0 && !institute.emailDomains.includes(domain))
    throw new ScimError(
      400,
      `userName must be an address in one of the institute's domains: ${institute.emailDomains.join(", ")}.`,
      "invalidValue",
    );
  if (value.managerId && value.managerId !== currentManagerId) {
    const manager =
      value.managerId !== userId
        ? await client.user.findFirst({
            where: { id: value.managerId, ...reachable(ctx.instituteId), deactivatedAt: null },
            select: { id: true },
          })
        : null;
    if (!manager)
      throw new ScimError(
        400,
        "The manager must be another active person of the same institute.",
        "invalidValue",
      );
  }
  return value;
}

const SCIM_ACTOR = "SCIM provisioning";

/** The columns checked attributes are stored in, but for `active` (each write sets it its way). */
const columnsOf = (value: UserAttributes) => ({
  email: value.userName.toLowerCase(),
  scimUserName: value.userName,
  displayName: value.displayName,
  scimGivenName: value.givenName,
  scimFamilyName: value.familyName,
  scimFormattedName: value.formattedName,
  scimWorkEmail: value.workEmail,
  jobTitle: value.jobTitle,
  team: value.team,
  lineManagerId: value.managerId,
  scimExternalId: value.externalId,
});

function uniqueness(error: unknown): never {
  if (isUniqueViolation(error))
    throw new ScimError(409, "A person with this userName already exists.", "uniqueness");
  throw error;
}

/** Provisions a person: STAFF of the token's institute, with no password (they sign in by SSO or a link). */
export async function createScimUser(ctx: ScimContext, body: unknown) {
  const value = await checked(db, ctx, fromResource(body), null, null);
  const now = clock.now();
  const user = await db
    .$transaction(async (tx) => {
      const created = await tx.user.create({
        data: {
          ...columnsOf(value),
          roles: ["STAFF"],
          instituteId: ctx.instituteId,
          deactivatedAt: value.active ? null : now,
        },
        select: USER_SELECT,
      });
      await recordAudit(tx, {
        actorEmail: SCIM_ACTOR,
        action: "scim.user.created",
        targetType: "User",
        targetId: created.id,
        instituteId: ctx.instituteId,
        ipAddress: ctx.req.ipAddress,
        details: { active: value.active },
        personal: { email: value.userName.toLowerCase() },
      });
      return created;
    })
    .catch(uniqueness);
  return toResource(user, ctx.base);
}

/** Refuses a change to a version other than the one the provider read (If-Match). */
function assertVersion(user: UserRow, ifMatch: string | null) {
  if (ifMatch === null || ifMatch.trim() === "*") return;
  const versions = ifMatch.split(",").map((v) => v.trim());
  if (!versions.includes(versionOf(user)))
    throw new ScimError(412, "The person has changed since that version was read.");
}

/**
 * A change to one person, in one transaction that first locks their row: the version If-Match
 * names is checked against the row as it is when written, and a PATCH, built on what was read,
 * cannot overwrite a change another request made in between (that one waits, then reads this).
 */
async function changing<T>(
  ctx: ScimContext,
  id: string,
  ifMatch: string | null,
  work: (tx: Tx, user: UserRow) => Promise<T>,
): Promise<T> {
  if (!isId(id)) throw notFoundError();
  return db
    .$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM "User" WHERE id = ${id} FOR UPDATE`;
      const user = await findReachable(tx, ctx, id);
      assertVersion(user, ifMatch);
      return work(tx, user);
    })
    .catch(uniqueness);
}

/** Writes new attributes over a person's, ending every session at once when deactivated. */
async function write(tx: Tx, ctx: ScimContext, user: UserRow, next: UserAttributes) {
  const value = await checked(tx, ctx, next, user.id, user.lineManagerId);
  const before = attributesOf(user);
  const changed = (Object.keys(value) as (keyof UserAttributes)[]).filter(
    (k) => k !== "active" && value[k] !== before[k],
  );
  const row = await tx.user.update({
    where: { id: user.id },
    data: {
      ...columnsOf(value),
      ...(value.active !== before.active
        ? { deactivatedAt: value.active ? null : clock.now() }
        : {}),
    },
    select: USER_SELECT,
  });
  const event = {
    actorEmail: SCIM_ACTOR,
    targetType: "User",
    targetId: user.id,
    instituteId: ctx.instituteId,
    ipAddress: ctx.req.ipAddress,
  };
  if (changed.length)
    await recordAudit(tx, { ...event, action: "scim.user.updated", details: { changed } });
  if (value.active !== before.active) {
    if (!value.active) await tx.session.deleteMany({ where: { userId: user.id } });
    await recordAudit(tx, {
      ...event,
      action: value.active ? "user.reactivated" : "user.deactivated",
      details: { via: "scim" },
    });
  }
  return toResource(row, ctx.base);
}

export async function replaceScimUser(
  ctx: ScimContext,
  id: string,
  body: unknown,
  ifMatch: string | null,
) {
  return changing(ctx, id, ifMatch, (tx, user) =>
    write(tx, ctx, user, fromResource(body, attributesOf(user))),
  );
}

export async function patchScimUser(
  ctx: ScimContext,
  id: string,
  body: unknown,
  ifMatch: string | null,
) {
  return changing(ctx, id, ifMatch, (tx, user) =>
    write(tx, ctx, user, applyPatch(attributesOf(user), body)),
  );
}

/**
 * DELETE deactivates (ending every session) and takes the person out of SCIM's view; the account
 * stays, so that the audit trail and everything they took part in keep their name.
 */
export async function deleteScimUser(ctx: ScimContext, id: string, ifMatch: string | null) {
  await changing(ctx, id, ifMatch, async (tx, user) => {
    const now = clock.now();
    await tx.user.update({
      where: { id: user.id },
      data: { scimDeletedAt: now, deactivatedAt: user.deactivatedAt ?? now },
    });
    await tx.session.deleteMany({ where: { userId: user.id } });
    await recordAudit(tx, {
      actorEmail: SCIM_ACTOR,
      action: "scim.user.deleted",
      targetType: "User",
      targetId: user.id,
      instituteId: ctx.instituteId,
      ipAddress: ctx.req.ipAddress,
    });
  });
}
