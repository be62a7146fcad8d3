// What the action fuzzer (test/integration/routes/fuzz-actions.test.ts) gives each action: who
// may act, the route params, the form's fields with plausible values, and what a case
// prepares first.
import fc from "fast-check";
import { dayAfter, localDateTimeAfter } from "#test/support/clock";
import { db } from "~/lib/db.server";
import { createSession } from "~/lib/session.server";
import { hashToken } from "~/lib/tokens.server";
import { sessionHandle } from "~/modules/accounts/recovery.server";
import { APPLICATION_STATUSES } from "~/modules/applications/workflow";
import { OWNER_SIDES } from "~/modules/checklists/logic";
import { NOTIFICATION_KIND_LIST } from "~/modules/notifications/kinds";
import { ARRANGEMENT_TYPES, COST_ARRANGEMENTS } from "~/modules/placements/schema";
import { CLEARANCE_LEVELS, WORK_MODES } from "~/modules/postings/schema";
import { MARKINGS, ROLES, TASK_STATUSES } from "~/modules/workspaces/rules";
import {
  date,
  file,
  firstValue,
  longText,
  manyOf,
  oneOf,
  someOf,
  text,
  version,
  type Field,
  type FormSpec,
  type Late,
} from "#test/support/fuzz/inputs";
import {
  FUZZ_PASSWORD,
  oneTimeToken,
  totpNow,
  type FuzzWorld,
  type PersonaKey,
} from "#test/support/fuzz/world";
import { sessionCookieFor } from "#test/support/route-harness";

// Well-formed passkey answers that no challenge of the server's matches.
const PASSKEY_REGISTRATION = JSON.stringify({
  id: "AAAA",
  rawId: "AAAA",
  type: "public-key",
  response: { clientDataJSON: "e30", attestationObject: "oA" },
  clientExtensionResults: {},
});
const PASSKEY_ASSERTION = JSON.stringify({
  id: "AAAA",
  rawId: "AAAA",
  type: "public-key",
  response: { clientDataJSON: "e30", authenticatorData: "AA", signature: "AA" },
  clientExtensionResults: {},
});

// --- what each action is given ------------------------------------------------------------------

/** "prepared": the cookie the spec's prepare() made for this case; "anonymous": no cookie. */
export type Who = PersonaKey | "prepared" | "anonymous";
export type Params = Record<string, string>;

export type ActionSpec = {
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
  /**
   * Statuses the action answers when a service outside the portal is unreachable (an institute's
   * identity provider, configured by an earlier case with an address that answers nobody).
   */
  upstreamStatuses?: number[];
};

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

export type SpecWorld = FuzzWorld & { notificationIds: string[]; invitationIds: string[] };

export function buildSpecs(f: SpecWorld): Record<string, ActionSpec> {
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
      form: {
        intent: oneOf("sign-out-everywhere", "end-session"),
        session: oneOf({ late: "other" }, "AAAAAAAAAAAAAAAA", ""),
      },
      prepare: async () => {
        // A second session of the same person, for "Sign out" on its row.
        const other = await createSession(p.sessionUser.id, { mfaVerified: true });
        return {
          cookie: await sessionCookieFor(p.sessionUser.id),
          late: { other: sessionHandle(hashToken(other.token)) },
        };
      },
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
    "account.passkeys.tsx": {
      actors: ["prepared"],
      path: () => "/account/passkeys",
      form: {
        intent: oneOf("rename", "remove", "nothing"),
        id: oneOf({ late: "passkey" }, "no-such-passkey"),
        name: text("Work laptop", "Phone"),
      },
      prepare: async () => {
        // A passkey of the person's own to rename or remove (the fuzzer mixes in others' ids).
        const row = await db.passkey.upsert({
          where: { credentialId: "fuzz-passkey" },
          create: {
            userId: p.sessionUser.id,
            credentialId: "fuzz-passkey",
            publicKey: Buffer.from([1]),
            deviceType: "singleDevice",
            backedUp: false,
            name: "Fuzz key",
          },
          update: {},
        });
        return { cookie: await sessionCookieFor(p.sessionUser.id), late: { passkey: row.id } };
      },
    },
    "account.passkeys_.register.tsx": {
      actors: ["prepared"],
      path: () => "/account/passkeys/register",
      form: {
        intent: oneOf("options", "verify"),
        name: text("Work laptop"),
        response: oneOf(PASSKEY_REGISTRATION, "{}", "not json"),
      },
      prepare: async () => ({ cookie: await sessionCookieFor(p.sessionUser.id) }),
      // A refused registration is audited.
      refusalMayWrite: ["AuditEvent"],
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
    // SCIM answers a bearer token only: a form with a session cookie (what a forged cross-site
    // form carries) must be refused without a write. JSON with a real token is fuzzed in
    // test/integration/scim/scim-fuzz.test.ts.
    "scim.v2.Users._index.ts": {
      actors: ["admin", "anonymous"],
      path: () => "/scim/v2/Users",
      form: { userName: text("forged@example.org"), active: oneOf("true", "false") },
    },
    "scim.v2.Users.$userId.ts": {
      actors: ["admin", "anonymous"],
      params: { userId: f.victims.map((v) => v.id) },
      path: (q) => `/scim/v2/Users/${q.userId}`,
      form: { active: oneOf("false", "False"), userName: text("forged@example.org") },
    },
    "scim.v2.$.ts": {
      actors: ["admin", "anonymous"],
      path: () => "/scim/v2/Groups",
      form: { displayName: text("Group") },
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
    "admin.institutes.$instituteId_.scim.tsx": {
      actors: ["admin"],
      params: { instituteId: [f.w.jp.id, f.w.uk.id] },
      path: (q) => `/admin/institutes/${q.instituteId}/scim`,
      form: {
        intent: oneOf("rotate", "revoke", "domains", "", "constructor"),
        emailDomains: oneOf("example.gov", "a.example, b.example", "@x.org", "not a domain", ""),
      },
    },
    "admin.institutes.$instituteId_.sso.tsx": {
      actors: ["admin"],
      params: { instituteId: [f.w.jp.id, f.w.uk.id] },
      path: (q) => `/admin/institutes/${q.instituteId}/sso`,
      form: {
        issuer: oneOf(
          "https://login.jp.example",
          "http://127.0.0.1:9",
          "https://login.jp.example/?q=1",
          "ftp://login.jp.example",
          "not a url",
        ),
        clientId: text("exchange-portal"),
        // Empty keeps a stored secret (refused when there is none); env: names a variable.
        clientSecret: oneOf("a client secret", "", "env:NOT_SET_ANYWHERE_IN_FUZZ", "env:lower"),
        // Both institutes are offered the same domains: the second to ask is refused.
        emailDomains: oneOf(
          "jp.example",
          "jp.example, uk.example",
          "not a domain",
          "",
          "UK.example",
        ),
        mfaValues: oneOf("mfa", "", "mfa otp", "urn:example:acr:mfa", "bad value!"),
        phishingResistantValues: oneOf("hwk", "", "phr hwk"),
        passwordsAllowed: oneOf("on", ""),
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
        intent: oneOf("deactivate", "reactivate", "erase", "save", "end-sessions", "reset-mfa", ""),
        confirmEmail: oneOf(...f.victims.map((v) => v.email), p.admin.email),
        reason: text("Video call; staff card matched the HR record.", ""),
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
      prepare: async () => {
        await throttleReset();
        return {};
      },
      // Requests over the reset limit are refused with 429, audited and counted.
      refusalMayWrite: ["AuditEvent", "Throttle"],
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
    // The email step sends an address with a provider there, others to the password step. The
    // admin settings' cases may have given an institute a provider at an address that answers
    // nobody: its people get the 503 page, and the provider being unreachable is audited.
    "login.tsx": {
      actors: ["anonymous"],
      path: () => "/login",
      form: {
        intent: oneOf("email", "password"),
        email: oneOf(
          p.loginUser.email,
          p.mfaUser.email,
          p.loginUser.email.toUpperCase(),
          "someone@jp.example",
        ),
        password: oneOf(FUZZ_PASSWORD, "not the password"),
        redirectTo: oneOf("/postings", "//evil.example", "https://evil.example", "/\\evil"),
      },
      prepare: async () => {
        await throttleReset();
        return {};
      },
      upstreamStatuses: [503],
      // Failed sign-ins are audited and counted towards the lock-out.
      refusalMayWrite: ["AuditEvent", "Throttle"],
    },
    "login_.passkey.tsx": {
      actors: ["anonymous"],
      path: () => "/login/passkey",
      form: {
        intent: oneOf("options", "verify"),
        response: oneOf(PASSKEY_ASSERTION, "{}", "not json"),
        redirectTo: oneOf("/postings", "//evil.example"),
      },
      refusalMayWrite: ["AuditEvent", "Throttle"],
    },
    "login_.mfa_.passkey.tsx": {
      actors: ["prepared"],
      path: () => "/login/mfa/passkey",
      form: {
        intent: oneOf("options", "verify"),
        response: oneOf(PASSKEY_ASSERTION, "{}", "not json"),
        redirectTo: oneOf("/postings", "//evil.example"),
      },
      prepare: async () => {
        await throttleReset();
        return { cookie: await sessionCookieFor(p.mfaUser.id, false) };
      },
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
