import { beforeAll, expect, test } from "vitest";
import { ensureChecklistTemplate, US_HOST_CHECKLIST } from "#test/factories/checklists";
import { ensureUser, uniqueEmail } from "#test/factories";
import { pdfBytes } from "#test/factories/postings";
import { db } from "~/lib/db.server";
import { createSession, sessionCookieName } from "~/lib/session.server";
import { requestPasswordReset } from "~/modules/accounts/one-time-links.server";
import { signIn } from "~/modules/accounts/sign-in.server";
import { setUserActive } from "~/modules/accounts/users.server";
import { addNote } from "~/modules/applications/notes.server";
import { verifyAuditChain } from "~/modules/audit/audit.server";
import { getOutboxEmail } from "~/modules/notifications/outbox.server";
import { uploadEvidence } from "~/modules/checklists/evidence.server";
import { eraseUser } from "~/modules/privacy/privacy.server";
import { answerInvitation, inviteMember } from "~/modules/workspaces/members.server";
import { createWorkspace } from "~/modules/workspaces/workspaces.server";
import * as adminUser from "~/routes/admin/admin.users.$userId";
import {
  advance,
  createPipelineWorld,
  openPosting,
  submittedApplication,
  type World,
} from "#test/support/pipeline-world";
import { call, PASSKEY_SIGN_IN, post, statusOf } from "#test/support/route-harness";

// A departed secondee is erased: nothing personal of theirs is left in any column of any table,
// the workflow records remain, the audit chain still verifies, and they cannot sign in.

const PASSWORD = "a perfectly long password for erasure";
const NAME = "Erin Erasable";
const BIO = "Erin studies sandbagging in frontier models.";
let w: World;
let person: { id: string; email: string; roles: ["STAFF"]; instituteId: string };
let applicationId: string;

const REQ = { ipAddress: "203.0.113.77", userAgent: "test" };

/** Every text and JSON value in the database that contains `needle` (case-insensitive). */
async function occurrences(needle: string) {
  const columns = await db.$queryRaw<{ table_name: string; column_name: string }[]>`
    SELECT table_name, column_name FROM information_schema.columns
    WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
      AND data_type IN ('text', 'character varying', 'jsonb', 'json', 'ARRAY')`;
  const found: string[] = [];
  for (const { table_name, column_name } of columns) {
    const [row] = await db.$queryRawUnsafe<{ n: bigint }[]>(
      `SELECT count(*) AS n FROM "${table_name}" WHERE strpos(lower("${column_name}"::text), lower($1)) > 0`,
      needle,
    );
    if (Number(row!.n) > 0) found.push(`${table_name}.${column_name} (${row!.n})`);
  }
  return found;
}

const EXTERNAL_ID = "entra-object-id-erin-7f3a";
const WORK_EMAIL = "erin.work@provider.example";

beforeAll(async () => {
  w = await createPipelineWorld();
  await ensureChecklistTemplate(db, {
    hostInstituteId: w.us.id,
    homeInstituteId: w.uk.id,
    name: "Incoming from the UK",
    items: US_HOST_CHECKLIST,
  });
  const user = await ensureUser(db, {
    email: uniqueEmail("erin"),
    displayName: NAME,
    jobTitle: "Research scientist",
    team: "Evaluations",
    instituteId: w.uk.id,
    lineManagerId: w.manager.id,
    password: PASSWORD,
  });
  person = { id: user.id, email: user.email, roles: ["STAFF"], instituteId: w.uk.id };
  // Provisioned by the institute's identity provider, which named them by its own id and sent
  // their name's parts and a work address of their own.
  await db.user.update({
    where: { id: user.id },
    data: {
      scimExternalId: EXTERNAL_ID,
      scimUserName: user.email.toUpperCase(),
      scimGivenName: "Erin",
      scimFamilyName: "Erasable",
      scimFormattedName: NAME,
      scimWorkEmail: WORK_EMAIL,
    },
  });
  await db.profile.create({ data: { userId: user.id, bio: BIO, location: "London" } });

  // A whole secondment: application with a CV, notes, offer, placement and evidence.
  const postingId = await openPosting(w, { places: 2 });
  applicationId = await submittedApplication(w, postingId, person);
  await advance({ ...w, applicant: person }, applicationId, [
    "HOME_RELEASED",
    "UNDER_REVIEW",
    "SHORTLISTED",
    "OFFERED",
    "ACCEPTED",
  ]);
  expect((await addNote(w.hostHr, applicationId, `${NAME} interviewed well.`)).ok).toBe(true);
  const item = await db.checklistItem.findFirstOrThrow({
    where: {
      placement: { secondeeId: person.id },
      ownerSide: "SECONDEE",
      evidenceKind: "DOCUMENT",
    },
  });
  expect(
    (await uploadEvidence(person, item.id, { name: "nda.pdf", bytes: pdfBytes("signed NDA") })).ok,
  ).toBe(true);

  // A workspace, sign-ins (one failed), a reset link, and an admin reading an email to them.
  const ws = await createWorkspace(w.usStaff, {
    name: "Sandbagging",
    purpose: "p",
    label: "JOINT",
    marking: "OFFICIAL",
    template: "GENERAL",
  });
  if (!ws.ok) throw new Error("workspace");
  await inviteMember(w.usStaff, ws.workspaceId, { email: person.email, role: "EDITOR" });
  const invitation = await db.workspaceInvitation.findFirstOrThrow({
    where: { inviteeId: person.id },
  });
  await answerInvitation(person, invitation.id, "accept");
  expect((await signIn({ email: person.email, password: PASSWORD }, REQ)).ok).toBe(true);
  expect((await signIn({ email: person.email, password: "wrong password here" }, REQ)).ok).toBe(
    false,
  );
  await requestPasswordReset(person.email, REQ);
  const mail = await db.outboxEmail.findFirstOrThrow({ where: { to: person.email } });
  await getOutboxEmail(w.admin, mail.id);
  // Someone else's mail that names them (the line manager's) is there too.
  expect(
    await db.outboxEmail.count({ where: { to: w.manager.email, html: { contains: NAME } } }),
  ).toBeGreaterThan(0);
});

test("erasure leaves nothing personal in any table; records stay; the chain verifies", async () => {
  // Before: the name, address, bio and sign-in address are all over the database.
  expect((await occurrences(person.email)).length).toBeGreaterThan(3);
  expect((await occurrences(NAME)).length).toBeGreaterThan(3);
  const before = {
    events: await db.applicationEvent.count({ where: { applicationId } }),
    application: await db.application.findUniqueOrThrow({ where: { id: applicationId } }),
    placement: await db.placement.findFirstOrThrow({ where: { secondeeId: person.id } }),
  };
  const cvId = before.application.cvFileId!;

  // Only for someone departed is the form shown; a wrong confirmation changes nothing.
  const adminReq = { ipAddress: "198.51.100.1", userAgent: "admin" };
  expect((await setUserActive(w.admin, person.id, false, adminReq)).ok).toBe(true);
  const wrong = await eraseUser(w.admin, person.id, "someone@else.example");
  expect(wrong.ok).toBe(false);
  expect((await occurrences(person.email)).length).toBeGreaterThan(3);

  const result = await eraseUser(w.admin, person.id, person.email.toUpperCase());
  expect(result).toMatchObject({ ok: true, legacyAuditEvents: 0 });
  if (result.ok) expect(result.auditEventsErased).toBeGreaterThan(3);

  for (const needle of [
    person.email,
    NAME,
    BIO,
    "Research scientist",
    REQ.ipAddress,
    EXTERNAL_ID,
    WORK_EMAIL,
    "Erasable",
  ])
    expect(await occurrences(needle), needle).toEqual([]);
  expect(await db.storedFile.count({ where: { id: cvId } })).toBe(0);
  expect(await db.storedFile.count({ where: { ownerId: person.id, filename: "nda.pdf" } })).toBe(0);

  // The records of the pipeline remain, now by "Erased user".
  const after = await db.application.findUniqueOrThrow({ where: { id: applicationId } });
  expect(after.status).toBe(before.application.status);
  expect(await db.applicationEvent.count({ where: { applicationId } })).toBe(before.events);
  expect(
    (await db.placement.findUniqueOrThrow({ where: { id: before.placement.id } })).status,
  ).toBe(before.placement.status);
  expect((await db.user.findUniqueOrThrow({ where: { id: person.id } })).displayName).toBe(
    "Erased user",
  );

  // The audit chain verifies (what `npm run audit:verify` runs), including the erasure's event.
  expect((await verifyAuditChain()).firstBreak).toBeNull();
  expect(await db.auditEvent.count({ where: { action: "user.erased", targetId: person.id } })).toBe(
    1,
  );

  // They cannot sign in, by the old address or any other way.
  expect((await signIn({ email: person.email, password: PASSWORD }, REQ)).ok).toBe(false);
  expect(await db.session.count({ where: { userId: person.id } })).toBe(0);
  expect(await db.password.count({ where: { userId: person.id } })).toBe(0);
});

test("the database allows only a complete erasure of an event's personal values", async () => {
  const row = await db.auditEvent.findFirstOrThrow({
    where: { actorId: w.hostHr.id, erasedAt: null, personalDigest: { not: "" } },
  });
  const refused = (sql: string) =>
    db.$executeRawUnsafe(sql).then(
      () => null,
      (e: unknown) => e,
    );
  // Blanking the address but keeping the salt, or touching anything else, is refused.
  expect(
    await refused(
      `UPDATE "AuditEvent" SET "actorEmail" = '', "erasedAt" = now() WHERE seq = ${row.seq}`,
    ),
  ).not.toBeNull();
  expect(
    await refused(
      `UPDATE "AuditEvent" SET "actorEmail" = '', "ipAddress" = '', "personal" = '{}', "personalSalt" = '', "erasedAt" = now(), "action" = 'nothing' WHERE seq = ${row.seq}`,
    ),
  ).not.toBeNull();
  expect(await db.auditEvent.findUniqueOrThrow({ where: { seq: row.seq } })).toEqual(row);
  expect((await verifyAuditChain()).firstBreak).toBeNull();
});

test("only admins can erase; the route answers 404 to anyone else and changes nothing", async () => {
  const victim = await ensureUser(db, {
    email: uniqueEmail("victim"),
    displayName: "Vic Victim",
    instituteId: w.uk.id,
    deactivated: true,
  });
  for (const who of [w.homeHr, w.usStaff]) {
    const { token } = await createSession(who.id, PASSKEY_SIGN_IN);
    const r = await statusOf(() =>
      call(
        adminUser.action,
        post(`/admin/users/${victim.id}`, `${sessionCookieName()}=${token}`, {
          intent: "erase",
          confirmEmail: victim.email,
        }),
        { userId: victim.id },
      ),
    );
    expect(r.status).toBe(404);
  }
  expect((await db.user.findUniqueOrThrow({ where: { id: victim.id } })).email).toBe(victim.email);
  await expect(eraseUser(w.hostHr, victim.id, victim.email)).rejects.toMatchObject({
    status: 404,
  });
  const { token } = await createSession(w.admin.id, PASSKEY_SIGN_IN);
  const done = await statusOf(() =>
    call(
      adminUser.action,
      post(`/admin/users/${victim.id}`, `${sessionCookieName()}=${token}`, {
        intent: "erase",
        confirmEmail: victim.email,
      }),
      { userId: victim.id },
    ),
  );
  expect(done.status).toBe(302);
  expect(await occurrences(victim.email)).toEqual([]);
});
