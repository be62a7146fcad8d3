import { readdirSync } from "node:fs";
import fc from "fast-check";
import { beforeAll, describe, expect, test } from "vitest";
import { dayAfter, localDateTimeAfter } from "#test/support/clock";
import { db } from "~/lib/db.server";
import { getEnv } from "~/lib/env.server";
import { hashToken } from "~/lib/tokens.server";
import { APPLICATION_STATUSES } from "~/modules/applications/workflow";
import { verifyAuditChain } from "~/modules/audit/audit.server";
import { expectedHash, GENESIS_HASH, personalIntact } from "~/modules/audit/chain";
import { OWNER_SIDES } from "~/modules/checklists/logic";
import { NOTIFICATION_KIND_LIST } from "~/modules/notifications/kinds";
import { ARRANGEMENT_TYPES, COST_ARRANGEMENTS } from "~/modules/placements/schema";
import { CLEARANCE_LEVELS, WORK_MODES } from "~/modules/postings/schema";
import { MARKINGS, ROLES, TASK_STATUSES } from "~/modules/workspaces/rules";
import {
  bodyModeArb,
  buildRequest,
  date,
  file,
  firstValue,
  formArb,
  longText,
  manyOf,
  oneOf,
  someOf,
  text,
  version,
  type Field,
  type FormSpec,
  type Late,
  type Value,
} from "#test/support/fuzz/inputs";
import {
  allRecordIds,
  createFuzzWorld,
  FUZZ_PASSWORD,
  oneTimeToken,
  totpNow,
  type FuzzWorld,
  type PersonaKey,
} from "#test/support/fuzz/world";
import { call, sessionCookieFor, statusOf } from "#test/support/route-harness";

// Every action of the portal, driven with generated bad and hostile input (wrong types, huge
// strings, control characters, unicode edge cases, missing, duplicated and unknown fields, other
// records' ids, files where text belongs and text where files belong, malformed bodies), as a
// person who has the right to act, so that the input reaches the services and the database.
// For every case: the action answers (a Response or data, never a thrown error) with a status
// below 500; when it refuses (4xx), nothing in the database was written (see instrumentWrites);
// and whatever it answered, the audit events it appended link to the chain and match their hashes
// (the whole chain is verified again after each action's run).
//
// Runs: 200 cases per action (FUZZ_RUNS raises it: `npm run test:fuzz:nightly`). The seed is
// random, and fast-check prints it with the failing case; FUZZ_SEED=<seed> FUZZ_PATH=<path>
// replays it on the same UTC day (plausible dates count days from the test's now; TEST_CLOCK on
// that day replays it later). Shrinking is off (the database changes from case to case, so a
// shrunk case may not fail again); FUZZ_SHRINK=1 turns it on. FUZZ_STATS=1 (or 2, with the fields
// in error) prints how each action's cases ended, to check that they reach the services rather
// than stopping at 404.

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const PATH = process.env.FUZZ_PATH || undefined;

// --- the routes ---------------------------------------------------------------------------------

const ROUTES_DIR = new URL("../../../app/routes/", import.meta.url);
const ROUTE_FILES = readdirSync(ROUTES_DIR)
  .filter((f) => /\.tsx?$/.test(f))
  .sort();
type RouteModule = { action?: unknown };
const MODULES: Record<string, RouteModule> = Object.fromEntries(
  await Promise.all(
    ROUTE_FILES.map(
      async (f) =>
        [
          f,
          (await import(/* @vite-ignore */ `~/routes/${f.replace(/\.tsx?$/, "")}`)) as RouteModule,
        ] as const,
    ),
  ),
);
const ACTION_FILES = ROUTE_FILES.filter((f) => typeof MODULES[f]!.action === "function");

// --- what each action is given ------------------------------------------------------------------

/** "prepared": the cookie the spec's prepare() made for this case; "anonymous": no cookie. */
type Who = PersonaKey | "prepared" | "anonymous";
type Params = Record<string, string>;

type ActionSpec = {
  /** The people with the right to act here; now and then someone else acts instead. */
  actors: Who[];
  /** Whether someone without the right may act too (not where acting ends their own sessions). */
  strangers?: boolean;
  /** Each route param: the real records it should name. Other records' ids and garbage are mixed in. */
  params?: Record<string, (string | Late)[]>;
  /** Ids that may stand in for a param (default: every record's id). */
  otherParamIds?: string[];
  path: (params: Params) => string;
  /** The form's fields: names from its schema, with plausible values. */
  form: FormSpec;
  /** Per case, before the "before" snapshot: a fresh session or link, reset throttles. */
  prepare?: () => Promise<{ cookie?: string; late?: Record<string, string> }>;
  /** Values only known when the case runs: the current version of the record acted on. */
  late?: (name: string, params: Params, fields: Field[]) => Promise<string>;
  /** Tables a refusal may write: a failed sign-in is audited and counted by design. */
  refusalMayWrite?: string[];
};

/** Lone surrogates become U+FFFD, as encoding to UTF-8 and decoding again makes them. */
const wellFormed = (s: string) =>
  s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");

const isId = (s: string) => /^[A-Za-z0-9_-]{1,64}$/.test(s);
async function versionOf(
  table: "application" | "posting" | "placement" | "checklistItem" | "workspace" | "workspaceTask",
  id: string,
): Promise<string> {
  if (!isId(id)) return "0";
  const row = await (
    db[table] as unknown as {
      findUnique: (a: object) => Promise<{ version: number } | null>;
    }
  ).findUnique({ where: { id }, select: { version: true } });
  return String(row?.version ?? 0);
}

const POSTING_FORM = (f: FuzzWorld): FormSpec => ({
  title: text("Evaluations secondment"),
  team: text("Frontier evaluations"),
  description: longText(10_000, "Join the **team**."),
  requiredExpertise: manyOf(...f.areaIds.slice(0, 5)),
  desiredExpertise: manyOf(...f.areaIds.slice(3, 8)),
  minClearance: oneOf(...CLEARANCE_LEVELS),
  workMode: oneOf(...WORK_MODES),
  location: text("Washington, DC"),
  durationMonths: oneOf("6", "1", "60"),
  earliestStart: oneOf(dayAfter(84), dayAfter(83)),
  latestStart: oneOf(dayAfter(176), dayAfter(84)),
  places: oneOf("1", "3", "100"),
  // Eight weeks ahead, a morning 17 days ahead, and a day no calendar has (a fixed fact).
  deadline: oneOf(
    localDateTimeAfter(56, "17:00"),
    localDateTimeAfter(17, "09:30"),
    "2027-02-30T17:00",
  ),
  eligibleInstitutes: someOf(f.w.uk.id, f.w.jp.id, f.w.us.id),
  contactHrId: oneOf(f.people.hostHr.id, f.people.hostHr2.id, f.people.homeHr.id),
  version: version(),
});

const CHECKLIST_ITEM_FORM = (dependsOn: string[]): FormSpec => ({
  title: text("Security vetting"),
  guidance: longText(2000, "Ask the vetting office."),
  ownerSide: oneOf(...OWNER_SIDES),
  dueOffsetDays: oneOf("-60", "0", "30", "-365", "365"),
  required: oneOf("true", "false"),
  evidenceKind: oneOf("ATTESTATION", "DOCUMENT"),
  dependsOn: manyOf(...dependsOn),
});

const NEW_PASSWORDS = ["another long passphrase for the fuzzer", "short", "password1234567890"];
const throttleReset = () => db.throttle.deleteMany({});

type SpecWorld = FuzzWorld & { notificationIds: string[]; invitationIds: string[] };

function buildSpecs(f: SpecWorld): Record<string, ActionSpec> {
  const p = f.people;
  const ws = f.workspaces;
  const wsPath = (rest: string) => (q: Params) => `/workspaces/${q.workspaceId}${rest}`;
  const contentWs = { workspaceId: [ws.contentWs] };
  const wsContentActors: Who[] = ["wsOwner", "wsEditor", "wsViewer"];
  const emails = Object.values(p).map((x) => x.email);
  return {
    "account._index.tsx": {
      actors: ["prepared"],
      strangers: false,
      path: () => "/account",
      form: { intent: oneOf("sign-out-everywhere") },
      prepare: async () => ({ cookie: await sessionCookieFor(p.sessionUser.id) }),
    },
    "account.mfa.tsx": {
      actors: ["enrolUser"],
      path: () => "/account/mfa",
      form: {
        code: oneOf({ late: "totp" }, "123456", " 12 34 56 "),
        current: oneOf(FUZZ_PASSWORD, "not the password"),
      },
      prepare: async () => {
        await throttleReset();
        await db.mfaSecret.update({
          where: { userId: p.enrolUser.id },
          data: { confirmedAt: null, lastUsedStep: 0n },
        });
        return { late: { totp: totpNow(f.enrolKey) } };
      },
      // A wrong code or password is audited and counted towards a lock-out.
      refusalMayWrite: ["AuditEvent", "Throttle"],
    },
    "account.notifications.tsx": {
      actors: ["applicant", "hostHr", "ukStaff"],
      path: () => "/account/notifications",
      form: { email: manyOf(...NOTIFICATION_KIND_LIST) },
    },
    "account.password.tsx": {
      actors: ["prepared"],
      strangers: false,
      path: () => "/account/password",
      form: {
        current: oneOf(FUZZ_PASSWORD, "not the password"),
        password: oneOf(...NEW_PASSWORDS),
        confirm: oneOf(NEW_PASSWORDS[0]!),
      },
      prepare: async () => {
        await throttleReset();
        await db.password.update({
          where: { userId: p.passwordUser.id },
          data: { hash: f.passwordHash },
        });
        return { cookie: await sessionCookieFor(p.passwordUser.id) };
      },
      // A wrong current password is audited and counted towards a lock-out.
      refusalMayWrite: ["AuditEvent", "Throttle"],
    },
    "admin.expertise.$areaId.tsx": {
      actors: ["admin"],
      params: { areaId: f.fuzzAreaIds },
      path: (q) => `/admin/expertise/${q.areaId}`,
      form: {
        intent: oneOf("retire", "restore", "merge", "rename", ""),
        intoId: oneOf(...f.fuzzAreaIds, ...f.areaIds.slice(0, 2)),
        confirm: oneOf("on", "true", ""),
        name: text("Model evaluations"),
        description: longText(500, "What the area covers."),
      },
    },
    "admin.expertise._index.tsx": {
      actors: ["admin"],
      path: () => "/admin/expertise",
      form: { name: text("Agentic safety"), description: longText(500, "Agents.") },
    },
    "admin.institutes.$instituteId.tsx": {
      actors: ["admin"],
      params: { instituteId: [f.w.jp.id, f.w.uk.id] },
      path: (q) => `/admin/institutes/${q.instituteId}`,
      form: {
        name: text("Japan AI Safety Institute"),
        country: oneOf("JP", "GB", "us", "XX", "U", "USA"),
        timeZone: oneOf("Asia/Tokyo", "UTC", "Europe/London", "Mars/Olympus_Mons", "utc"),
        locale: oneOf("ja-JP", "en-GB", "en-us", "xx", "en-GB-oxendict", "EN"),
      },
    },
    "admin.outbox.$emailId.tsx": {
      actors: ["admin"],
      params: { emailId: f.emailIds },
      path: (q) => `/admin/outbox/${q.emailId}`,
      form: {},
    },
    "admin.users.$userId.tsx": {
      actors: ["admin"],
      params: { userId: f.victims.map((v) => v.id) },
      // Never a persona of another action: they must keep their accounts.
      otherParamIds: [],
      path: (q) => `/admin/users/${q.userId}`,
      form: {
        intent: oneOf("deactivate", "reactivate", "erase", "save", ""),
        confirmEmail: oneOf(...f.victims.map((v) => v.email), p.admin.email),
        displayName: text("Victor Victim"),
        jobTitle: text("Researcher", ""),
        team: text("Evaluations", ""),
        lineManagerId: oneOf(p.manager.id, p.usStaff.id, p.jpStaff.id, ""),
        roles: manyOf("STAFF", "HR", "ADMIN"),
      },
    },
    "admin.users.new.tsx": {
      actors: ["admin"],
      path: () => "/admin/users/new",
      form: {
        email: {
          plausible: fc.oneof(
            fc.emailAddress(),
            fc.constantFrom(...emails, "NEW.PERSON@Test.Example"),
          ),
        },
        displayName: text("New Person"),
        jobTitle: text("Researcher", ""),
        team: text("Evaluations", ""),
        instituteId: oneOf(f.w.us.id, f.w.uk.id, f.w.jp.id, ""),
        lineManagerId: oneOf(p.manager.id, p.usStaff.id, ""),
        roles: manyOf("STAFF", "HR", "ADMIN"),
      },
    },
    "applications.$applicationId._index.tsx": {
      actors: ["hostHr", "hostHr2", "reviewer", "reviewer2", "manager", "ukStaff", "applicant"],
      params: {
        applicationId: [
          f.applications.submittedApp,
          f.applications.reviewApp,
          f.applications.placementApp,
        ],
      },
      path: (q) => `/applications/${q.applicationId}`,
      form: {
        intent: oneOf("move", "note", "assign", "declare", "review"),
        to: oneOf(...APPLICATION_STATUSES),
        version: version(),
        comment: longText(5000, "Well argued."),
        body: longText(5000, "Internal note."),
        reviewerId: oneOf(p.reviewer.id, p.reviewer2.id, p.usStaff.id, p.ukStaff.id),
        declaration: oneOf("NO_CONFLICT", "RECUSED"),
        score_expertise: oneOf("1", "2", "3", "4", "", "5", "0"),
        score_fit: oneOf("1", "4", ""),
        score_contribution: oneOf("2", "3", ""),
        score_readiness: oneOf("1", "4", ""),
        comment_expertise: longText(2000, "Strong."),
        comment_fit: longText(2000, "Good fit."),
        comment_contribution: longText(2000, ""),
        comment_readiness: longText(2000, ""),
        stage: oneOf("save", "submit"),
      },
      late: (_n, q) => versionOf("application", q.applicationId!),
    },
    "applications.$applicationId.edit.tsx": {
      actors: ["drafter1", "drafter2"],
      params: { applicationId: [f.applications.draftApp1, f.applications.draftApp2] },
      path: (q) => `/applications/${q.applicationId}/edit`,
      form: {
        statement: longText(10_000, "I would bring our methods."),
        availableFrom: date(),
        availableUntil: date(),
        declaredClearance: oneOf(...CLEARANCE_LEVELS),
        intent: oneOf("save", "submit"),
        version: version(),
        cv: file(),
      },
      late: (_n, q) => versionOf("application", q.applicationId!),
    },
    "checklists.$templateId.tsx": {
      actors: ["hostHr", "hostHr2"],
      params: { templateId: [f.templateId] },
      path: (q) => `/checklists/${q.templateId}`,
      form: {
        intent: oneOf("remove", "save", ""),
        itemId: oneOf(...f.templateItemIds, ""),
        ...CHECKLIST_ITEM_FORM(f.templateItemIds),
      },
    },
    "checklists._index.tsx": {
      actors: ["hostHr", "homeHr"],
      path: () => "/checklists",
      form: {
        name: text("Incoming from Japan"),
        homeInstituteId: oneOf(f.w.us.id, f.w.uk.id, f.w.jp.id, ""),
      },
    },
    "directory.me.edit.tsx": {
      actors: ["usStaff", "ukStaff", "jpStaff"],
      path: () => "/directory/me/edit",
      form: {
        bio: longText(5000, "I work on *evaluations*."),
        bioVisibility: oneOf("PRIVATE", "INSTITUTE", "PARTNERS"),
        expertiseIds: manyOf(...f.areaIds, ...f.fuzzAreaIds),
        expertiseVisibility: oneOf("PRIVATE", "INSTITUTE", "PARTNERS"),
        skills: text("Python, red-teaming, CUDA", "a,b,c,a,B"),
        skillsVisibility: oneOf("PARTNERS"),
        publications: longText(10_000, "A paper https://example.org/paper\nAnother one"),
        publicationsVisibility: oneOf("INSTITUTE"),
        languages: text("English, Japanese"),
        languagesVisibility: oneOf("PRIVATE"),
        location: text("London", ""),
        locationVisibility: oneOf("PARTNERS"),
        openToSecondment: oneOf("on"),
        openToCollaboration: oneOf("on"),
        availabilityVisibility: oneOf("INSTITUTE"),
      },
    },
    "forgot-password.tsx": {
      actors: ["anonymous"],
      path: () => "/forgot-password",
      form: { email: oneOf(p.resetUser.email, p.resetUser.email.toUpperCase(), "nobody@x.org") },
    },
    "invitation.$token.tsx": {
      actors: ["anonymous"],
      params: { token: [{ late: "token" }] },
      path: (q) => `/invitation/${q.token}`,
      form: { password: oneOf(...NEW_PASSWORDS), confirm: oneOf(NEW_PASSWORDS[0]!) },
      prepare: async () => ({
        late: { token: await oneTimeToken(p.invitedUser.id, "INVITATION") },
      }),
    },
    "login.tsx": {
      actors: ["anonymous"],
      path: () => "/login",
      form: {
        email: oneOf(p.loginUser.email, p.mfaUser.email, p.loginUser.email.toUpperCase()),
        password: oneOf(FUZZ_PASSWORD, "not the password"),
        redirectTo: oneOf("/postings", "//evil.example", "https://evil.example", "/\\evil"),
      },
      prepare: async () => {
        await throttleReset();
        return {};
      },
      // Failed sign-ins are audited and counted towards the lock-out.
      refusalMayWrite: ["AuditEvent", "Throttle"],
    },
    "login_.mfa.tsx": {
      actors: ["prepared"],
      path: () => "/login/mfa",
      form: { code: oneOf({ late: "totp" }, { late: "recovery" }, "000000", "abcde-fghij") },
      prepare: async () => {
        await throttleReset();
        await db.mfaSecret.update({
          where: { userId: p.mfaUser.id },
          data: { lastUsedStep: 0n },
        });
        const recovery = "abcde-fghij";
        await db.mfaRecoveryCode.deleteMany({ where: { userId: p.mfaUser.id } });
        await db.mfaRecoveryCode.create({
          data: {
            userId: p.mfaUser.id,
            codeHash: hashToken("abcdefghij"),
          },
        });
        return {
          cookie: await sessionCookieFor(p.mfaUser.id, false),
          late: { totp: totpNow(f.mfaKey), recovery },
        };
      },
      refusalMayWrite: ["AuditEvent", "Throttle"],
    },
    "logout.tsx": {
      actors: ["prepared"],
      strangers: false,
      path: () => "/logout",
      form: {},
      prepare: async () => ({ cookie: await sessionCookieFor(p.sessionUser.id) }),
    },
    "notifications.tsx": {
      actors: ["applicant", "hostHr", "wsEditor"],
      path: () => "/notifications",
      form: {
        intent: oneOf("read", "read-all"),
        notificationId: {
          plausible: fc.constantFrom(...f.notificationIds),
        },
      },
    },
    "placements.$placementId.tsx": {
      actors: ["hostHr", "applicant", "homeHr", "reviewer", "manager"],
      params: { placementId: [f.placementId] },
      path: (q) => `/placements/${q.placementId}`,
      form: {
        intent: oneOf(
          "details",
          "supervisor",
          "move",
          "item",
          "evidence",
          "add-item",
          "remove-item",
          "link-workspace",
          "unlink-workspace",
        ),
        itemId: oneOf(...f.placementItemIds),
        version: version(),
        startDate: date(),
        endDate: date(),
        hostSupervisorId: oneOf(p.reviewer.id, p.reviewer2.id, p.ukStaff.id, ""),
        arrangementType: oneOf(...ARRANGEMENT_TYPES),
        costArrangement: oneOf(...COST_ARRANGEMENTS),
        extensionReason: longText(1000, ""),
        to: oneOf("CLEARING", "ACTIVE", "COMPLETED", "CANCELLED", "TODO", "IN_PROGRESS", "DONE"),
        verifiedBy: text("Pat Vetting", ""),
        verifiedOn: date(),
        reference: text("REF-123", ""),
        level: text("SC", ""),
        expiresOn: date(),
        reason: longText(1000, "Not needed for this placement."),
        evidence: file(),
        workspaceId: oneOf(ws.contentWs, ws.membersWs, ws.ukWs),
        ...CHECKLIST_ITEM_FORM(f.placementItemIds),
      },
      late: async (_n, q, fields) =>
        firstValue(fields, "intent") === "item"
          ? versionOf("checklistItem", firstValue(fields, "itemId"))
          : versionOf("placement", q.placementId!),
    },
    "postings.$postingId._index.tsx": {
      actors: ["hostHr", "hostHr2"],
      params: { postingId: [f.postings.movePosting, f.postings.draftPosting] },
      path: (q) => `/postings/${q.postingId}`,
      form: { to: oneOf("OPEN", "CLOSED", "FILLED", "CANCELLED", "DRAFT"), version: version() },
      late: (_n, q) => versionOf("posting", q.postingId!),
    },
    "postings.$postingId.apply.tsx": {
      actors: ["ukStaff", "m2", "wsEditor", "usStaff", "jpStaff"],
      params: { postingId: [f.postings.applyPosting, f.postings.draftPosting] },
      path: (q) => `/postings/${q.postingId}/apply`,
      form: {},
    },
    "postings.$postingId.edit.tsx": {
      actors: ["hostHr", "hostHr2"],
      params: { postingId: [f.postings.editPosting, f.postings.draftPosting] },
      path: (q) => `/postings/${q.postingId}/edit`,
      form: POSTING_FORM(f),
      late: (_n, q) => versionOf("posting", q.postingId!),
    },
    "postings.new.tsx": {
      actors: ["hostHr", "homeHr"],
      path: () => "/postings/new",
      form: POSTING_FORM(f),
    },
    "reset-password.$token.tsx": {
      actors: ["anonymous"],
      params: { token: [{ late: "token" }] },
      path: (q) => `/reset-password/${q.token}`,
      form: { password: oneOf(...NEW_PASSWORDS), confirm: oneOf(NEW_PASSWORDS[0]!) },
      prepare: async () => ({
        late: { token: await oneTimeToken(p.resetUser.id, "PASSWORD_RESET") },
      }),
    },
    "workspaces.$workspaceId.discussion.$threadId.tsx": {
      actors: wsContentActors,
      params: { ...contentWs, threadId: f.threadIds },
      path: wsPath(""),
      form: { body: longText(10_000, "I agree.") },
    },
    "workspaces.$workspaceId.discussion._index.tsx": {
      actors: wsContentActors,
      params: contentWs,
      path: wsPath("/discussion"),
      form: {
        title: text("Next run"),
        body: longText(10_000, "When?"),
        pageId: oneOf(...f.pageIds, ""),
      },
    },
    "workspaces.$workspaceId.files._index.tsx": {
      actors: wsContentActors,
      params: contentWs,
      path: wsPath("/files"),
      form: { file: file() },
    },
    "workspaces.$workspaceId.members.tsx": {
      actors: ["wsOwner", "m1"],
      params: { workspaceId: [ws.membersWs] },
      path: wsPath("/members"),
      form: {
        intent: oneOf("invite", "role", "remove", "leave", "cancel-invitation", "settings"),
        email: oneOf(p.invitee.email, p.jpStaff.email, p.m1.email, "nobody@test.example"),
        role: oneOf(...ROLES),
        userId: oneOf(p.m1.id, p.m2.id, p.wsOwner.id, p.jpStaff.id),
        invitationId: { plausible: fc.constantFrom(...f.invitationIds) },
        name: text("Renamed workspace"),
        purpose: longText(2000, "A purpose."),
        label: oneOf("JOINT", f.w.us.id, f.w.uk.id),
        marking: oneOf(...MARKINGS),
        version: version(),
      },
      late: (_n, q) => versionOf("workspace", q.workspaceId!),
    },
    "workspaces.$workspaceId.pages.$pageId._index.tsx": {
      actors: wsContentActors,
      params: { ...contentWs, pageId: f.pageIds },
      path: (q) => `/workspaces/${q.workspaceId}/pages/${q.pageId}`,
      form: {
        intent: oneOf("thread", "comment"),
        threadId: oneOf(...f.threadIds),
        title: text("About this page"),
        body: longText(10_000, "A comment."),
      },
    },
    "workspaces.$workspaceId.pages.$pageId.edit.tsx": {
      actors: wsContentActors,
      params: { ...contentWs, pageId: f.pageIds },
      path: (q) => `/workspaces/${q.workspaceId}/pages/${q.pageId}/edit`,
      form: {
        title: text("Test plan"),
        body: longText(100_000, "# Plan\n\nRun the evals."),
        baseVersion: version(),
      },
      late: async (_n, q) => {
        if (!isId(q.pageId!)) return "1";
        const page = await db.workspacePage.findUnique({
          where: { id: q.pageId },
          select: { version: true },
        });
        return String(page?.version ?? 1);
      },
    },
    "workspaces.$workspaceId.pages._index.tsx": {
      actors: wsContentActors,
      params: contentWs,
      path: wsPath("/pages"),
      form: { title: text("Findings"), body: longText(100_000, "Nothing yet.") },
    },
    "workspaces.$workspaceId.registrations.$registrationId.tsx": {
      actors: wsContentActors,
      params: { ...contentWs, registrationId: [f.registrationId] },
      path: (q) => `/workspaces/${q.workspaceId}/registrations/${q.registrationId}`,
      form: { title: text("Changed") },
    },
    "workspaces.$workspaceId.registrations._index.tsx": {
      actors: ["wsOwner", "wsEditor"],
      params: contentWs,
      path: wsPath("/registrations"),
      form: { title: text("Final findings"), pageIds: manyOf(...f.pageIds, f.ukPage) },
    },
    "workspaces.$workspaceId.tasks.tsx": {
      actors: wsContentActors,
      params: contentWs,
      path: wsPath("/tasks"),
      form: {
        intent: oneOf("create", "move"),
        title: text("Rerun the evals"),
        assigneeId: oneOf(p.wsEditor.id, p.wsViewer.id, p.ukStaff.id, ""),
        dueOn: date(),
        taskId: oneOf(...f.taskIds),
        status: oneOf(...TASK_STATUSES),
        version: version(),
      },
      late: (_n, _q, fields) => versionOf("workspaceTask", firstValue(fields, "taskId")),
    },
    "workspaces._index.tsx": {
      actors: ["invitee", "jpStaff"],
      path: () => "/workspaces",
      form: {
        invitationId: { plausible: fc.constantFrom(...f.invitationIds) },
        answer: oneOf("accept", "decline"),
      },
    },
    "workspaces.new.tsx": {
      actors: ["usStaff", "ukStaff", "jpStaff"],
      path: () => "/workspaces/new",
      form: {
        name: text("A new workspace"),
        purpose: longText(2000, "Why."),
        label: oneOf("JOINT", f.w.us.id, f.w.uk.id, f.w.jp.id),
        marking: oneOf(...MARKINGS),
        template: oneOf("GENERAL", "JOINT_TESTING"),
      },
    },
  };
}

// --- the database, before and after -------------------------------------------------------------

/**
 * Which tables a case wrote to. Counting every table's rows before and after each case (and
 * hashing them, to catch updates too) cost more than most actions; instead, this file's own
 * database gets a row-level trigger on every table of the public schema that logs each insert,
 * update and delete into "_fuzz_write", in the writing transaction. A rolled-back transaction
 * leaves no log row; a committed one always does. So "nothing in the log since the case began"
 * means every table's row count (and every row) is as it was: exactly what a refusal must leave.
 * Two reads per case instead of two scans of the whole database. A session sliding its expiry
 * (lastSeenAt, expiresAt) is a write by design on every request and is not logged.
 */
async function instrumentWrites() {
  const tables = (
    await db.$queryRawUnsafe<{ table_name: string }[]>(
      `SELECT table_name FROM information_schema.tables
       WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    )
  ).map((r) => r.table_name);
  await db.$executeRawUnsafe(
    `CREATE TABLE "_fuzz_write" (id bigserial PRIMARY KEY, tbl text NOT NULL, op text NOT NULL)`,
  );
  await db.$executeRawUnsafe(`
    CREATE FUNCTION "_fuzz_log_write"() RETURNS trigger LANGUAGE plpgsql AS $f$
    BEGIN
      IF TG_TABLE_NAME = 'Session' AND TG_OP = 'UPDATE'
         AND to_jsonb(NEW) - 'lastSeenAt' - 'expiresAt' = to_jsonb(OLD) - 'lastSeenAt' - 'expiresAt'
      THEN RETURN NULL; END IF;
      INSERT INTO "_fuzz_write" (tbl, op) VALUES (TG_TABLE_NAME, TG_OP);
      RETURN NULL;
    END $f$`);
  for (const t of tables)
    await db.$executeRawUnsafe(
      `CREATE TRIGGER "_fuzz_log_write" AFTER INSERT OR UPDATE OR DELETE ON "${t}"
       FOR EACH ROW EXECUTE FUNCTION "_fuzz_log_write"()`,
    );
  return tables;
}

type Before = {
  mark: string;
  /** The last audit event: the events a case appends must link to it. */
  head: { seq: bigint; hash: string } | null;
};

async function before(): Promise<Before> {
  const [row] = await db.$queryRawUnsafe<{ mark: string; head: string | null }[]>(
    `SELECT (SELECT coalesce(max(id), 0)::text FROM "_fuzz_write") AS mark,
       (SELECT seq::text || ':' || hash FROM "AuditEvent" ORDER BY seq DESC LIMIT 1) AS head`,
  );
  const [seq, hash] = (row!.head ?? "").split(":");
  return { mark: row!.mark, head: seq ? { seq: BigInt(seq), hash: hash! } : null };
}

/** The writes since `before`, per table ("AuditEvent": "INSERT×2"). */
async function writesSince(b: Before): Promise<Record<string, string>> {
  const rows = await db.$queryRawUnsafe<{ tbl: string; op: string; n: number }[]>(
    `SELECT tbl, op, count(*)::int AS n FROM "_fuzz_write" WHERE id > ${BigInt(b.mark)}
     GROUP BY tbl, op ORDER BY tbl, op`,
  );
  const out: Record<string, string> = {};
  for (const r of rows) out[r.tbl] = [out[r.tbl], `${r.op}×${r.n}`].filter(Boolean).join(", ");
  return out;
}

/** Every table's row count: the log above is checked against it once per action. */
async function rowCounts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const [row] = await db.$queryRawUnsafe<Record<string, number>[]>(
    `SELECT ${TABLES.map((t, i) => `(SELECT count(*)::int FROM "${t}") AS c${i}`).join(", ")}`,
  );
  TABLES.forEach((t, i) => (out[t] = row![`c${i}`]!));
  return out;
}

/**
 * The events a case appended link to the head before it and match their hashes. Checking only the
 * new tail per case keeps each case cheap (the whole chain grows to thousands of events); the whole
 * chain is verified after each action's run, which also catches an edit to an older event.
 */
async function verifyAuditTail(head: { seq: bigint; hash: string } | null) {
  const rows = await db.auditEvent.findMany({
    where: head ? { seq: { gt: head.seq } } : {},
    orderBy: { seq: "asc" },
  });
  let prev = head?.hash ?? GENESIS_HASH;
  for (const row of rows) {
    if (row.prevHash !== prev) return `event #${row.seq} does not link to the one before it`;
    if (!personalIntact(row) || expectedHash(prev, row) !== row.hash)
      return `event #${row.seq} does not match its hash`;
    prev = row.hash;
  }
  return null;
}

/** The status an action's answer means; a thrown `data()` counts like a returned one. */
async function outcomeOf(run: () => Promise<unknown>) {
  try {
    return await statusOf(run);
  } catch (error) {
    const init = error as { type?: string; init?: { status?: number } } | null;
    if (init?.type === "DataWithResponseInit") return { status: init.init?.status ?? 200 };
    throw error;
  }
}

// --- the world ----------------------------------------------------------------------------------

let world: SpecWorld;
let TABLES: string[] = [];
let specs: Record<string, ActionSpec>;
let recordIds: { users: string[]; others: string[] };
let personaKeys: PersonaKey[];

beforeAll(async () => {
  const f = await createFuzzWorld();
  const notificationIds = (await db.notification.findMany({ select: { id: true } })).map(
    (n) => n.id,
  );
  const invitationIds = (await db.workspaceInvitation.findMany({ select: { id: true } })).map(
    (i) => i.id,
  );
  world = { ...f, notificationIds, invitationIds };
  specs = buildSpecs(world);
  recordIds = await allRecordIds();
  personaKeys = Object.keys(f.people) as PersonaKey[];
  TABLES = await instrumentWrites();
}, 120_000);

// --- the tests ----------------------------------------------------------------------------------

test("every route module with an action has a fuzz setup", () => {
  const missing = ACTION_FILES.filter((f) => !specs[f]);
  expect(missing, `actions with no fuzz setup: add them to buildSpecs`).toEqual([]);
  const stale = Object.keys(specs).filter((f) => !ACTION_FILES.includes(f));
  expect(stale, "fuzz setups for routes that have no action (any more)").toEqual([]);
  expect(ACTION_FILES.length).toBeGreaterThan(30);
});

// --- what the fuzzer found ----------------------------------------------------------------------

// Each bug the fuzzer found, as a fixed case, so that it stays fixed whatever the seed.
describe("inputs that once crashed an action", () => {
  const run = async (file: string, request: Request, params: Params = {}) => {
    const mark = await before();
    const { status } = await outcomeOf(() => call(MODULES[file]!.action, request, params));
    return { status, writes: await writesSince(mark) };
  };
  const form = async (who: PersonaKey | null, path: string, fields: Record<string, string>) =>
    buildRequest({
      path,
      cookie: who ? await sessionCookieFor(world.people[who].id) : null,
      fields: Object.entries(fields).map(([name, v]) => ({ name, values: [v] })),
      mode: "multipart",
      cut: 0,
      resolve: () => "",
      uploadMax: getEnv().UPLOAD_MAX_BYTES,
    });

  test("a body that is not a form: 415 or 400, not a TypeError", async () => {
    const cookie = await sessionCookieFor(world.people.usStaff.id);
    const plain = new Request("http://localhost/workspaces/new", {
      method: "POST",
      headers: { Cookie: cookie, "Content-Type": "text/plain" },
      body: "name=x",
    });
    expect(await run("workspaces.new.tsx", plain)).toEqual({ status: 415, writes: {} });
    const cut = new Request("http://localhost/workspaces/new", {
      method: "POST",
      headers: { Cookie: cookie, "Content-Type": "multipart/form-data; boundary=b" },
      body: '--b\r\nContent-Disposition: form-data; name="na',
    });
    expect(await run("workspaces.new.tsx", cut)).toEqual({ status: 400, writes: {} });
  });

  test("a NUL byte in a route param or a posted id: 404, not a database error", async () => {
    const ws = world.workspaces.contentWs;
    const req = await form("wsOwner", `/workspaces/${ws}/tasks`, { intent: "create", title: "T" });
    expect(await run("workspaces.$workspaceId.tasks.tsx", req, { workspaceId: "\u0000" })).toEqual({
      status: 404,
      writes: {},
    });
    const comment = await form("wsOwner", `/workspaces/${ws}/pages/${world.pageIds[0]}`, {
      intent: "comment",
      threadId: "a\u0000b",
      body: "Hello",
    });
    expect(
      await run("workspaces.$workspaceId.pages.$pageId._index.tsx", comment, {
        workspaceId: ws,
        pageId: world.pageIds[0]!,
      }),
    ).toEqual({ status: 404, writes: {} });
  });

  test("impossible and year-0 dates: a message next to the field, not a RangeError", async () => {
    const ws = world.workspaces.contentWs;
    // Fixed: days that exist in no year, whatever the clock reads.
    for (const dueOn of ["0000-00-00", "0000-01-01", "2027-02-30"]) {
      const req = await form("wsOwner", `/workspaces/${ws}/tasks`, {
        intent: "create",
        title: "Dated task",
        dueOn,
      });
      expect(await run("workspaces.$workspaceId.tasks.tsx", req, { workspaceId: ws })).toEqual({
        status: 400,
        writes: {},
      });
    }
  });

  test("a redirect target with a non-ASCII character: sent home, not a broken header", async () => {
    await db.throttle.deleteMany({});
    const req = await form(null, "/login", {
      email: world.people.loginUser.email,
      password: FUZZ_PASSWORD,
      redirectTo: "/postings\uFFFD",
    });
    const mark = await before();
    const answer = (await call(MODULES["login.tsx"]!.action, req)) as Response;
    expect(answer.status).toBe(302);
    expect(answer.headers.get("Location")).toBe("/");
    expect(Object.keys(await writesSince(mark)).sort()).toEqual(["AuditEvent", "Session"]);
  });

  test("LIKE pattern characters in a name are text, not a pattern", async () => {
    // "%" used to match every existing name ("already exists"); a final backslash crashed.
    for (const name of ["%", "Ends with a backslash \\"]) {
      const req = await form("hostHr", "/checklists", { name, homeInstituteId: "" });
      const { status, writes } = await run("checklists._index.tsx", req);
      expect(status).toBe(302);
      expect(writes.ChecklistTemplate).toBe("INSERT×1");
    }
  });
});

const GARBAGE_IDS = [
  "",
  " ",
  "0",
  "-1",
  "\u0000",
  "a\u0000b",
  "%00",
  "..",
  "../admin",
  "x".repeat(65),
  "y".repeat(100_000),
  "😀",
  "\u202Eabc",
  "' OR 1=1 --",
  "__proto__",
  "clx0000000000000000000000",
];

for (const file of ACTION_FILES) {
  test(`fuzz: ${file}`, { timeout: Math.max(300_000, RUNS * 1_500) }, async () => {
    const spec = specs[file];
    if (!spec) throw new Error(`${file} has an action but no fuzz setup in buildSpecs`);
    const action = MODULES[file]!.action;
    const uploadMax = getEnv().UPLOAD_MAX_BYTES;
    const others = [...recordIds.others, ...recordIds.users];
    const cookies = new Map<string, string>();
    // FUZZ_STATS=1 prints how the cases ended: a run that is all 404s is not reaching the service.
    const stats = process.env.FUZZ_STATS ? new Map<string, number>() : null;
    const cookieOf = async (who: PersonaKey) => {
      let c = cookies.get(who);
      if (!c) cookies.set(who, (c = await sessionCookieFor(world.people[who].id)));
      return c;
    };

    const whoArb: fc.Arbitrary<Who> =
      spec.strangers === false
        ? fc.constantFrom(...spec.actors)
        : fc.oneof(
            { weight: 9, arbitrary: fc.constantFrom(...spec.actors) },
            { weight: 1, arbitrary: fc.constantFrom<Who>("anonymous", ...personaKeys) },
          );
    const otherParamIds = spec.otherParamIds ?? recordIds.others;
    const paramArbs = Object.fromEntries(
      Object.entries(spec.params ?? {}).map(([name, real]) => [
        name,
        fc.oneof(
          { weight: 8, arbitrary: fc.constantFrom<string | Late>(...real) },
          ...(otherParamIds.length
            ? [{ weight: 1, arbitrary: fc.constantFrom<string | Late>(...otherParamIds) }]
            : []),
          { weight: 1, arbitrary: fc.constantFrom<string | Late>(...GARBAGE_IDS) },
        ),
      ]),
    );
    const caseArb = fc.record({
      who: whoArb,
      params: fc.record(paramArbs),
      fields: formArb(spec.form, others),
      mode: bodyModeArb,
      cut: fc.integer({ min: 0, max: 1000 }),
    });

    const countsAtStart = await rowCounts();
    const startOfRun = await before();
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const prepared = (await spec.prepare?.()) ?? {};
        const late = new Map(Object.entries(prepared.late ?? {}));
        const lateName = (v: Value | undefined) =>
          v && typeof v === "object" && "late" in v ? v.late : null;
        const params: Params = {};
        for (const [name, v] of Object.entries(c.params)) {
          const raw = typeof v === "string" ? v : (late.get(v.late) ?? "");
          // A URL path cannot carry a lone surrogate: the server decodes what the client encoded.
          params[name] = wellFormed(raw);
        }
        for (const field of c.fields)
          for (const v of field.values) {
            const name = lateName(v);
            if (name && !late.has(name))
              late.set(name, spec.late ? await spec.late(name, params, c.fields) : "");
          }
        const cookie =
          c.who === "anonymous"
            ? null
            : c.who === "prepared"
              ? (prepared.cookie ?? null)
              : await cookieOf(c.who);
        const encoded = Object.fromEntries(
          Object.entries(params).map(([k, v]) => [k, encodeURIComponent(v)]),
        );
        const request = await buildRequest({
          path: spec.path(encoded),
          cookie,
          fields: c.fields,
          mode: c.mode,
          cut: c.cut,
          resolve: (name) => late.get(name) ?? "",
          uploadMax,
        });

        const snapshot = await before();
        let status: number;
        let answer: unknown;
        try {
          ({ status } = await outcomeOf(
            async () => (answer = await call(action, request, params)),
          ));
        } catch (error) {
          throw new Error(
            `${file} threw instead of answering: ${error instanceof Error ? error.stack : String(error)}`,
          );
        }
        if (stats) {
          const errors = (answer as { data?: { errors?: object } } | undefined)?.data?.errors;
          const key = `${status}${process.env.FUZZ_STATS === "2" && errors ? ` ${Object.keys(errors).join(",")}` : ""}`;
          stats.set(key, (stats.get(key) ?? 0) + 1);
        }
        expect(status, `${file} answered ${status}`).toBeLessThan(500);
        const writes = await writesSince(snapshot);
        if (status >= 400) {
          const unexpected = { ...writes };
          for (const t of spec.refusalMayWrite ?? []) delete unexpected[t];
          expect(unexpected, `${file} refused (${status}) but wrote to the database`).toEqual({});
        }
        if (writes.AuditEvent) {
          const broken = await verifyAuditTail(snapshot.head);
          expect(broken, `${file}: the audit chain broke`).toBeNull();
        }
      }),
      { numRuns: RUNS, seed: SEED, path: PATH, endOnFailure: process.env.FUZZ_SHRINK !== "1" },
    );

    if (stats) console.log(`${file}: statuses ${JSON.stringify(Object.fromEntries(stats))}`);
    // The write log against plain row counts: a table whose count moved must have logged writes.
    const countsAtEnd = await rowCounts();
    const logged = await writesSince(startOfRun);
    const unlogged = TABLES.filter((t) => countsAtEnd[t] !== countsAtStart[t] && !logged[t]);
    expect(unlogged, "row counts changed with no write logged").toEqual([]);
    const chain = await verifyAuditChain();
    expect(chain.firstBreak, `${file}: the audit chain broke`).toBeNull();
  });
}
