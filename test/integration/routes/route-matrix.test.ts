import { beforeAll, expect, test } from "vitest";
import { dayAfter, localDateTimeAfter } from "#test/support/clock";
import { APPLICATION_FORM, JP_AISI } from "#test/support/pipeline-world";
import {
  APP_DIR,
  countChanges,
  createMatrixWorld,
  LABELS,
  manifestRoutes,
  PERSONA_KEYS,
  renewSession,
  tableCounts,
  tokenOf,
  type Institute,
  type Label,
  type ManifestRoute,
  type MatrixWorld,
  type Persona,
  type PersonaKey,
} from "#test/support/route-matrix/world";

// The route-complete authorisation matrix. Every route Remix knows (read from app/routes.ts, the
// same flatRoutes() config the build uses, plus the root), its loader and its action, called as the
// server calls them with a real session cookie, by every persona: the anonymous visitor, a person
// half-way through signing in (second factor pending), staff of each institute, an applicant and
// their line manager, a reviewer, HR of each institute, the owner, editor and viewer of a JOINT,
// a US-only and a UK-only workspace, and an admin.
//
// - Each route declares, per loader and per action, what each persona gets. A route without a
//   declaration, a declaration of a route that is gone, a loader or action declared but absent
//   (or present but undeclared) fails the first test.
// - Each private record of the world carries a codeword, with the personas allowed to see it. Any
//   answer (data, file, CSV, redirect) holding a codeword its persona may not see fails; so does a
//   codeword never shown to one of the personas said to be allowed (the lists are kept exact).
//   Ids of private records, each persona's session token and session list, and password hashes
//   are secrets too; a few pages also declare strings they must not (or must) show, e.g. that the
//   applicant is never "similar" or "suggested" by fields the viewer may not see.
// - Every action that must be refused is checked to leave the row count of every table unchanged.
//   They run before any action that may succeed; those run last, in a form whose effects no later
//   call depends on (chosen per route below).

// --- outcomes and policies ----------------------------------------------------------------------

/**
 * What a call gives: "ok" (2xx), "login" (redirect to /login), "mfa" (redirect to /login/mfa),
 * "to:/path" (another redirect; a trailing * matches any rest), or the status ("400", "404"...).
 */
type Outcome = string;
type Expect = (p: Persona) => Outcome;
type Fields = Record<string, string | string[] | Blob>;

type ActionSpec = {
  form: (p: Persona) => Fields;
  expect: Expect;
  /**
   * Whether this persona's call may change what is stored. By default: when the outcome is "ok" or
   * a redirect other than to sign-in. Everything else must leave every table's row count as it was.
   */
  writes?: (p: Persona) => boolean;
  /** Tables a refused call may still add to, by design (the audit log, the sign-in throttle). */
  mayAddTo?: (p: Persona) => string[];
  /** The call ends the persona's session (sign-out): a new one is made after it. */
  endsSession?: boolean;
};

type Case = {
  /** Distinguishes the cases of one route (e.g. the workspace label). */
  name?: string;
  params?: () => Record<string, string>;
  query?: string;
  loader?: Expect;
  action?: ActionSpec;
  /** Secrets this page shows beyond their owners, by design: persona -> secret names. */
  alsoShows?: (p: Persona) => string[];
  /** More strings the answer to this persona must not hold (beyond the secrets). */
  forbid?: (p: Persona) => { what: string; text: string }[];
  /** Strings the answer to this persona must hold: what makes a `forbid` able to fail. */
  mustShow?: (p: Persona) => { what: string; text: string }[];
  /** The personas this case is run for (default: all). */
  for?: (p: Persona) => boolean;
};

const gate = (p: Persona): Outcome | null =>
  p.key === "anon" ? "login" : p.key === "pendingMfa" ? "mfa" : null;

/** Anyone, signed in or not. */
const open =
  (o: Outcome = "ok"): Expect =>
  () =>
    o;
/** Any signed-in persona; the anonymous to sign-in, the half-signed-in to the second factor. */
const signedIn =
  (o: Outcome | ((p: Persona) => Outcome) = "ok"): Expect =>
  (p) =>
    gate(p) ?? (typeof o === "function" ? o(p) : o);
/** Only these personas; every other signed-in one is told the page does not exist. */
const only = (keys: PersonaKey[], o: Outcome = "ok", otherwise: Outcome = "404"): Expect =>
  signedIn((p) => (keys.includes(p.key) ? o : otherwise));
const hasRole = (role: "HR" | "ADMIN", o: Outcome = "ok"): Expect =>
  signedIn((p) => (p.actor!.roles.includes(role) ? o : "404"));
const adminOnly = (o: Outcome = "ok") => hasRole("ADMIN", o);
const hrOnly = (o: Outcome = "ok") => hasRole("HR", o);
const ofInstitutes = (insts: Institute[], o: Outcome = "ok"): Expect =>
  signedIn((p) => (insts.includes(p.institute!) ? o : "404"));

const RANK = { VIEWER: 0, EDITOR: 1, OWNER: 2 } as const;
/** Workspace members by role (a role short of `need` gets 403); everyone else a 404. */
const members =
  (label: Label, need: keyof typeof RANK, o: Outcome = "ok"): Expect =>
  (p) =>
    gate(p) ??
    (p.membership?.label === label ? (RANK[p.membership.role] >= RANK[need] ? o : "403") : "404");

/**
 * What the admin pages show of other people's records, by design (see the routes below): the
 * audit log names each event's target (and, in the export, its details, such as a posting's
 * title); mail kept in the outbox links to what it is about.
 */
const RECORD_IDS = [
  "draft application id",
  "application id",
  "placement id",
  "draft posting id",
  "template id",
  ...LABELS.map((L) => `workspace ${L} id`),
];
const AUDIT_LOG = RECORD_IDS;
const AUDIT_DETAILS = [...RECORD_IDS, "draft posting", "UK posting"];
const MAIL_CONTENT = [
  "application id",
  ...LABELS.flatMap((L) => [`workspace ${L}`, `workspace ${L} id`]),
];

// The parties of the two applications and the placement, by persona.
const APPLICATION_PARTIES: PersonaKey[] = ["applicant", "lineManager", "ukHr", "usHr", "reviewer"];
const PLACEMENT_PARTIES: PersonaKey[] = ["applicant", "lineManager", "ukHr", "usHr"];

// --- the world ----------------------------------------------------------------------------------

let w: MatrixWorld;
let routes: ManifestRoute[];
const personas = () => PERSONA_KEYS.map((k) => w.personas[k]);
let serial = 0;
const unique = (what: string) => `${what} ${++serial}`;
const pdf = (text: string) =>
  new File([`%PDF-1.4\n% ${text}\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n`], "m.pdf", {
    type: "application/pdf",
  });

// --- the declarations: every route of the app -----------------------------------------------------

const wsParams = (
  L: Label,
  extra: (r: MatrixWorld["workspaces"][Label]) => object = () => ({}),
) => {
  return () => {
    const r = w.workspaces[L];
    return { workspaceId: r.workspaceId, ...extra(r) } as Record<string, string>;
  };
};
/**
 * One case per workspace label. Members of a workspace call all three (their own and the two they
 * are not in); to keep the run short, each other persona calls one label, in rotation, so that
 * each label is still called by people of every kind.
 */
const perLabel = (make: (L: Label) => Omit<Case, "name">): Case[] =>
  LABELS.map((L) => ({
    name: L,
    for: (p) => p.membership !== null || LABELS[PERSONA_KEYS.indexOf(p.key) % LABELS.length] === L,
    ...make(L),
  }));
const wsPath = (L: Label, rest = "") => `/workspaces/${w.workspaces[L].workspaceId}${rest}`;

/** The applicant's user id, which the answer must not hold (they were found where they may not be). */
const applicantFound = (how: string) => [
  { what: `the applicant, ${how}`, text: w.personas.applicant.actor!.id },
];

/** A posting as HR would write it today: deadline in eight weeks, starts from twelve weeks on. */
const postingForm = (p: Persona): Fields => ({
  title: unique("Matrix posting"),
  team: "",
  description: "A posting made by the route matrix.",
  minClearance: "BASELINE",
  workMode: "REMOTE",
  location: "",
  durationMonths: "6",
  earliestStart: dayAfter(84),
  latestStart: dayAfter(176),
  places: "1",
  deadline: localDateTimeAfter(56, "17:00"),
  eligibleInstitutes: [p.institute === "UK" ? w.ids.US : w.ids.UK],
  contactHrId: p.actor?.id ?? "",
});

const checklistItemForm = (): Fields => ({
  title: unique("Matrix item"),
  guidance: "",
  ownerSide: "HOST",
  dueOffsetDays: "-5",
  required: "false",
  evidenceKind: "ATTESTATION",
});

/** Built once the world exists (the cases name its records). */
const declarations = (): Record<string, Case[]> => ({
  root: [{ loader: open() }],
  "routes/$": [{ params: () => ({ "*": "no/such/page" }), loader: open("404") }],
  "routes/_index": [
    {
      loader: signedIn(),
      // Suggested collaborators: US staff share the applicant's expertise (private) and a skill
      // (institute-only), so only UK people may be shown the applicant.
      forbid: (p) => (p.institute === "UK" ? [] : applicantFound("as a suggested collaborator")),
    },
  ],
  "routes/account._index": [
    {
      loader: signedIn(),
      // "Sign out everywhere" would end the persona's sessions: an unknown intent is refused instead.
      action: { form: () => ({ intent: "nothing" }), expect: signedIn("400") },
    },
  ],
  "routes/account.data": [{ loader: signedIn() }],
  "routes/account.mfa": [
    {
      loader: signedIn(),
      action: { form: () => ({ code: "000000" }), expect: signedIn("400") },
    },
  ],
  "routes/account.notifications": [
    {
      loader: signedIn(),
      // Each person's own preferences: saving none is harmless.
      action: { form: () => ({}), expect: signedIn("to:/account/notifications") },
    },
  ],
  "routes/account.password": [
    {
      loader: signedIn(),
      action: {
        form: () => ({
          current: "not the current password at all",
          password: "a brand new and long password",
          confirm: "a brand new and long password",
        }),
        expect: signedIn("400"),
        // A wrong current password is audited and counted towards the sign-in throttle (for the
        // signed-in; the others never get that far).
        mayAddTo: (p) => (gate(p) ? [] : ["AuditEvent", "Throttle"]),
      },
    },
  ],
  "routes/admin.audit": [
    { loader: adminOnly(), alsoShows: (p) => (p.key === "admin" ? AUDIT_LOG : []) },
  ],
  "routes/admin.audit.export": [
    // The export holds each event's details, such as the title of a posting created.
    { loader: adminOnly(), alsoShows: (p) => (p.key === "admin" ? AUDIT_DETAILS : []) },
    {
      name: "JSON",
      query: "?format=json",
      loader: adminOnly(),
      alsoShows: (p) => (p.key === "admin" ? AUDIT_DETAILS : []),
    },
  ],
  "routes/admin.expertise._index": [
    {
      loader: adminOnly(),
      action: {
        form: () => ({ name: unique("Matrix area"), description: "" }),
        expect: adminOnly("to:/admin/expertise"),
      },
    },
  ],
  "routes/admin.expertise.$areaId": [
    {
      params: () => ({ areaId: w.areaId }),
      loader: adminOnly(),
      action: {
        form: () => ({ name: unique("Renamed matrix area"), description: "Renamed." }),
        expect: adminOnly(`to:/admin/expertise/*`),
      },
    },
  ],
  "routes/admin.institutes._index": [{ loader: adminOnly() }],
  "routes/admin.institutes.$instituteId": [
    {
      params: () => ({ instituteId: w.ids.JP }),
      loader: adminOnly(),
      // The JP institute, saved as it is.
      action: {
        form: () => ({
          name: JP_AISI.name,
          country: JP_AISI.country,
          timeZone: JP_AISI.timeZone,
          locale: JP_AISI.locale,
        }),
        expect: adminOnly("to:/admin/institutes"),
      },
    },
  ],
  // Mail kept in the outbox is readable by admins (PRODUCT.md): workspace invitations name their
  // workspace.
  "routes/admin.outbox._index": [
    { loader: adminOnly(), alsoShows: (p) => (p.key === "admin" ? MAIL_CONTENT : []) },
  ],
  "routes/admin.outbox.$emailId": [
    {
      params: () => ({ emailId: w.outboxEmailId }),
      loader: adminOnly(),
      alsoShows: (p) => (p.key === "admin" ? MAIL_CONTENT : []),
      // Only a failed email can be retried: this one is queued, so the admin is told so.
      action: { form: () => ({}), expect: adminOnly("400") },
    },
  ],
  "routes/admin.users._index": [{ loader: adminOnly() }],
  "routes/admin.users.new": [
    {
      loader: adminOnly(),
      action: {
        form: () => ({
          email: `matrix.${++serial}@test.example`,
          displayName: "Matrix Invitee",
          jobTitle: "",
          team: "",
          instituteId: w.ids.UK,
          roles: [],
        }),
        expect: adminOnly("to:/admin/users/*"),
      },
    },
  ],
  "routes/admin.users.$userId": [
    {
      // The administration of a person with private profile fields: none of them is shown.
      name: "the applicant",
      params: () => ({ userId: w.personas.applicant.actor!.id }),
      loader: adminOnly(),
    },
    {
      name: "Dora",
      params: () => ({ userId: w.managedUserId }),
      loader: adminOnly(),
      // Dora is no persona: deactivating her changes no later expectation.
      action: {
        form: () => ({ intent: "deactivate" }),
        expect: adminOnly(`to:/admin/users/*`),
      },
    },
  ],
  "routes/applications._index": [{ loader: signedIn() }],
  "routes/applications.$applicationId._index": [
    {
      name: "under review",
      params: () => ({ applicationId: w.applicationId }),
      loader: only(APPLICATION_PARTIES),
      // A note: each side writes to its own part; the applicant has none.
      action: {
        form: () => ({ intent: "note", body: "A note from the route matrix." }),
        expect: signedIn((p) =>
          ["lineManager", "ukHr", "usHr", "reviewer"].includes(p.key)
            ? `to:/applications/${w.applicationId}`
            : p.key === "applicant"
              ? "403"
              : "404",
        ),
      },
    },
    {
      name: "draft",
      params: () => ({ applicationId: w.draftApplicationId }),
      // A draft is its applicant's alone: not even their line manager or HR know of it.
      loader: only(["ukStaff"]),
    },
  ],
  "routes/applications.$applicationId.cv": [
    { params: () => ({ applicationId: w.applicationId }), loader: only(APPLICATION_PARTIES) },
  ],
  "routes/applications.$applicationId.edit": [
    {
      name: "draft",
      params: () => ({ applicationId: w.draftApplicationId }),
      loader: only(["ukStaff"]),
      // Its applicant saves it as it is (the statement stays); nobody else may know it.
      action: {
        form: () => ({
          statement: "Axolotl: a first draft.",
          availableFrom: "",
          availableUntil: "",
          declaredClearance: "BASELINE",
          intent: "save",
          version: "1",
        }),
        expect: only(["ukStaff"], `to:/applications/*`),
      },
    },
    {
      name: "submitted",
      params: () => ({ applicationId: w.applicationId }),
      // Submitted: its applicant is sent to its page; nobody else may know it.
      loader: only(["applicant"], "to:/applications/*"),
      action: {
        form: () => ({
          statement: "Rewritten by the matrix.",
          availableFrom: APPLICATION_FORM.availableFrom,
          availableUntil: APPLICATION_FORM.availableUntil,
          declaredClearance: "SECURITY_CHECK",
          intent: "save",
          version: "0",
        }),
        // The applicant may not change a submitted application; its other parties know it exists.
        expect: signedIn((p) =>
          p.key === "applicant" ? "400" : APPLICATION_PARTIES.includes(p.key) ? "403" : "404",
        ),
      },
    },
  ],
  "routes/bench.lookup": [
    {
      query: `?id=${w.ids.US}`,
      loader: open(process.env.BENCH_ROUTES === "1" ? "ok" : "404"),
    },
  ],
  "routes/bench.static": [{ loader: open(process.env.BENCH_ROUTES === "1" ? "ok" : "404") }],
  "routes/checklists._index": [
    {
      loader: hrOnly(),
      action: {
        form: (p) => ({
          name: unique("Matrix template"),
          homeInstituteId: p.institute === "US" ? w.ids.UK : w.ids.US,
        }),
        expect: hrOnly("to:/checklists/*"),
      },
    },
  ],
  "routes/checklists.$templateId": [
    {
      params: () => ({ templateId: w.templateId }),
      loader: only(["usHr"]),
      action: { form: checklistItemForm, expect: only(["usHr"], "to:/checklists/*") },
    },
  ],
  "routes/dashboard": [{ loader: hrOnly() }],
  "routes/directory._index": [
    {
      // A word of the applicant's institute-only skill ("Narwhal tooling"): outside the UK it must
      // neither show nor find them.
      query: "?q=tooling",
      loader: signedIn(),
      forbid: (p) => (p.institute === "UK" ? [] : applicantFound("by a hidden field")),
      mustShow: (p) =>
        p.institute === "UK" && !gate(p) ? applicantFound("by their skill, in the UK") : [],
    },
    {
      // The applicant's expertise is private: filtering by it finds them for them and their HR only.
      name: "expertise facet",
      query: `?expertise=${w.areaId}`,
      loader: signedIn(),
      forbid: (p) =>
        ["applicant", "ukHr"].includes(p.key) ? [] : applicantFound("by a private expertise"),
      mustShow: (p) =>
        ["applicant", "ukHr"].includes(p.key) ? applicantFound("by their expertise") : [],
    },
  ],
  "routes/directory.$userId": [
    { params: () => ({ userId: w.personas.applicant.actor!.id }), loader: signedIn() },
    { name: "me", params: () => ({ userId: "me" }), loader: signedIn() },
    {
      name: "US staff (similar people)",
      params: () => ({ userId: w.personas.usStaff.actor!.id }),
      loader: signedIn(),
      forbid: (p) => (p.institute === "UK" ? [] : applicantFound("as similar, by hidden fields")),
      // ...while their own institute is shown the shared skill.
      mustShow: (p) =>
        p.institute === "UK" && p.key !== "applicant" && !gate(p)
          ? applicantFound("as similar (shares a skill)")
          : [],
    },
  ],
  "routes/directory.me.edit": [
    {
      loader: signedIn(),
      // Saving one's own profile is everyone's right; a bad visibility keeps the profiles as planted.
      action: {
        form: () => ({ bio: "Changed.", bioVisibility: "EVERYONE" }),
        expect: signedIn("400"),
      },
    },
  ],
  "routes/forgot-password": [
    {
      // The same answer for everyone, whether or not the address has an account.
      action: { form: () => ({ email: "nobody.at.all@test.example" }), expect: open("ok") },
    },
  ],
  "routes/healthz": [{ loader: open() }],
  "routes/invitation.$token": [
    {
      params: () => ({ token: w.invitationToken }),
      // The link is the key: whoever holds it sees whose it is.
      loader: open(),
      action: { form: () => ({ password: "short", confirm: "short" }), expect: open("400") },
    },
  ],
  "routes/reset-password.$token": [
    {
      params: () => ({ token: w.resetToken }),
      loader: open(),
      action: { form: () => ({ password: "short", confirm: "short" }), expect: open("400") },
    },
  ],
  "routes/login": [
    {
      loader: (p) => (p.key === "anon" || p.key === "pendingMfa" ? "ok" : "to:/"),
      action: {
        form: (p) => ({
          email: p.actor?.email ?? "nobody.at.all@test.example",
          password: "not the password of anyone",
        }),
        expect: open("400"),
        // A failed sign-in is audited and counted towards the throttle.
        mayAddTo: () => ["AuditEvent", "Throttle"],
      },
    },
  ],
  "routes/login_.mfa": [
    {
      loader: (p) => (p.key === "anon" ? "login" : p.key === "pendingMfa" ? "ok" : "to:/"),
      action: {
        form: () => ({ code: "000000" }),
        expect: (p) => (p.key === "anon" ? "login" : p.key === "pendingMfa" ? "400" : "to:/"),
        writes: () => false,
        // A wrong code is audited and counted towards the throttle; nobody else gets that far.
        mayAddTo: (p) => (p.key === "pendingMfa" ? ["AuditEvent", "Throttle"] : []),
      },
    },
  ],
  "routes/logout": [
    {
      loader: open("to:/"),
      action: {
        form: () => ({}),
        expect: open("login"),
        writes: (p) => p.actor !== null,
        endsSession: true,
      },
    },
  ],
  "routes/notifications": [
    {
      loader: signedIn(),
      // Marking the applicant's notification read: theirs alone.
      action: {
        form: () => ({ intent: "read", notificationId: w.notificationId }),
        expect: only(["applicant"], "to:/notifications"),
      },
    },
  ],
  "routes/placements._index": [{ loader: signedIn() }],
  "routes/placements.export": [
    { loader: hrOnly() },
    { name: "checklist status", query: "?what=checklist", loader: hrOnly() },
  ],
  "routes/placements.$placementId": [
    {
      params: () => ({ placementId: w.placementId }),
      loader: only(PLACEMENT_PARTIES),
      // Adding an item is HR's (of either side); the other parties may see but not add.
      action: {
        form: () => ({ intent: "add-item", ...checklistItemForm() }),
        expect: signedIn((p) =>
          ["ukHr", "usHr"].includes(p.key)
            ? `to:/placements/${w.placementId}`
            : PLACEMENT_PARTIES.includes(p.key)
              ? "403"
              : "404",
        ),
      },
    },
  ],
  "routes/placements.$placementId.calendar[.ics]": [
    { params: () => ({ placementId: w.placementId }), loader: only(PLACEMENT_PARTIES) },
  ],
  "routes/placements.$placementId.items.$itemId.evidence": [
    {
      params: () => ({ placementId: w.placementId, itemId: w.evidenceItemId }),
      loader: only(PLACEMENT_PARTIES),
    },
  ],
  "routes/postings._index": [{ loader: signedIn() }],
  "routes/postings.manage": [{ loader: hrOnly() }],
  "routes/postings.new": [
    {
      loader: hrOnly(),
      action: { form: postingForm, expect: hrOnly("to:/postings/*") },
    },
  ],
  "routes/postings.$postingId._index": [
    {
      name: "open US posting",
      params: () => ({ postingId: w.reviewPostingId }),
      loader: ofInstitutes(["US", "UK"]),
      // Closing it from a stale version: its HR are told it changed; nobody else may try.
      action: {
        form: () => ({ to: "CLOSED", version: "99" }),
        expect: only(["usHr"], "409"),
      },
    },
    {
      name: "US draft",
      params: () => ({ postingId: w.draftPostingId }),
      loader: only(["usHr"]),
      // It asks for the applicant's (private) expertise: they are not a suggestion to the host.
      forbid: () => applicantFound("as a suggested person, by a private expertise"),
      // ...while UK staff who share it openly are.
      mustShow: (p) =>
        p.key === "usHr"
          ? [{ what: "Ursula, a suggested person", text: w.personas.ukStaff.actor!.id }]
          : [],
    },
    {
      name: "open UK posting (JP eligible)",
      params: () => ({ postingId: w.ukPostingId }),
      loader: ofInstitutes(["UK", "JP"]),
    },
  ],
  "routes/postings.$postingId.apply": [
    {
      name: "open US posting",
      params: () => ({ postingId: w.reviewPostingId }),
      loader: open("404"),
      // UK staff start (or find) their draft; the host's own staff are sent back with a message;
      // JP staff may not know the posting.
      action: {
        form: () => ({}),
        expect: signedIn((p) =>
          p.institute === "UK"
            ? "to:/applications/*"
            : p.institute === "US"
              ? `to:/postings/${w.reviewPostingId}`
              : "404",
        ),
        writes: (p) => p.institute === "UK" && gate(p) === null,
      },
    },
    {
      // The other way across: JP staff may apply to the UK posting, US staff may not know it.
      name: "open UK posting",
      params: () => ({ postingId: w.ukPostingId }),
      action: {
        form: () => ({}),
        expect: signedIn((p) =>
          p.institute === "JP"
            ? "to:/applications/*"
            : p.institute === "UK"
              ? `to:/postings/${w.ukPostingId}`
              : "404",
        ),
        writes: (p) => p.institute === "JP" && gate(p) === null,
      },
    },
  ],
  "routes/postings.$postingId.edit": [
    {
      params: () => ({ postingId: w.reviewPostingId }),
      loader: only(["usHr"]),
      // From a stale version: the host HR are told it changed, and nothing is saved.
      action: {
        form: (p) => ({ ...postingForm(p), version: "99" }),
        expect: only(["usHr"], "409"),
      },
    },
  ],
  "routes/postings.$postingId.export": [
    { params: () => ({ postingId: w.reviewPostingId }), loader: only(["usHr"]) },
  ],
  "routes/postings.$postingId.pipeline": [
    { params: () => ({ postingId: w.reviewPostingId }), loader: only(["usHr"]) },
  ],
  "routes/tasks._index": [{ loader: signedIn() }],
  "routes/workspaces._index": [
    {
      loader: signedIn(),
      // Accepting someone else's invitation.
      action: {
        form: () => ({ invitationId: w.pendingInvitationId, answer: "accept" }),
        expect: signedIn("404"),
      },
    },
  ],
  "routes/workspaces.new": [
    {
      loader: signedIn(),
      // A US-only workspace: only US staff may create one (it would shut anyone else out).
      action: {
        form: () => ({
          name: unique("Matrix workspace"),
          purpose: "Made by the route matrix.",
          label: w.ids.US,
          marking: "OFFICIAL",
          template: "GENERAL",
        }),
        expect: signedIn((p) => (p.institute === "US" ? "to:/workspaces/*" : "400")),
      },
    },
  ],
  "routes/workspaces.$workspaceId": perLabel((L) => ({
    params: wsParams(L),
    loader: members(L, "VIEWER"),
  })),
  "routes/workspaces.$workspaceId._index": perLabel((L) => ({
    params: wsParams(L),
    loader: members(L, "VIEWER"),
  })),
  "routes/workspaces.$workspaceId.activity": perLabel((L) => ({
    params: wsParams(L),
    loader: members(L, "VIEWER"),
  })),
  "routes/workspaces.$workspaceId.search": perLabel((L) => ({
    params: wsParams(L),
    // A word of the page's title, not the codeword: asking for a secret is not being told it.
    query: "?q=refused",
    loader: members(L, "VIEWER"),
  })),
  "routes/workspaces.$workspaceId.members": perLabel((L) => ({
    params: wsParams(L),
    loader: members(L, "VIEWER"),
    action: {
      form: () => ({ intent: "invite", email: w.workspaces[L].candidateEmail, role: "VIEWER" }),
      expect: members(L, "OWNER", `to:${wsPath(L, "/members")}`),
    },
  })),
  "routes/workspaces.$workspaceId.pages._index": perLabel((L) => ({
    params: wsParams(L),
    loader: members(L, "VIEWER"),
    action: {
      form: () => ({ title: unique("Matrix page"), body: "Made by the matrix." }),
      expect: members(L, "EDITOR", `to:${wsPath(L, "/pages/*")}`),
    },
  })),
  "routes/workspaces.$workspaceId.pages.$pageId._index": perLabel((L) => ({
    params: wsParams(L, (r) => ({ pageId: r.pageId })),
    loader: members(L, "VIEWER"),
    action: {
      form: () => ({ intent: "thread", title: unique("Matrix thread"), body: "A question." }),
      expect: members(L, "VIEWER", `to:${wsPath(L, "/pages/*")}`),
    },
  })),
  "routes/workspaces.$workspaceId.pages.$pageId.edit": perLabel((L) => ({
    params: wsParams(L, (r) => ({ pageId: r.pageId })),
    loader: members(L, "EDITOR"),
    // From the first version (the page is at its second): editors are shown the conflict.
    action: {
      form: () => ({ title: "Overwritten", body: "Overwritten by the matrix.", baseVersion: "1" }),
      expect: members(L, "EDITOR", "409"),
    },
  })),
  "routes/workspaces.$workspaceId.pages.$pageId.history": perLabel((L) => ({
    params: wsParams(L, (r) => ({ pageId: r.pageId })),
    query: "?from=1&to=2",
    loader: members(L, "VIEWER"),
  })),
  "routes/workspaces.$workspaceId.files._index": perLabel((L) => ({
    params: wsParams(L),
    loader: members(L, "VIEWER"),
    action: {
      form: () => ({ file: pdf("matrix upload") }),
      expect: members(L, "EDITOR", `to:${wsPath(L, "/files")}`),
    },
  })),
  "routes/workspaces.$workspaceId.files.$fileId.$version": perLabel((L) => ({
    params: wsParams(L, (r) => ({ fileId: r.fileId, version: "1" })),
    loader: members(L, "VIEWER"),
  })),
  "routes/workspaces.$workspaceId.discussion._index": perLabel((L) => ({
    params: wsParams(L),
    loader: members(L, "VIEWER"),
    action: {
      form: () => ({ title: unique("Matrix discussion"), body: "Hello." }),
      expect: members(L, "VIEWER", `to:${wsPath(L, "/discussion/*")}`),
    },
  })),
  "routes/workspaces.$workspaceId.discussion.$threadId": perLabel((L) => ({
    params: wsParams(L, (r) => ({ threadId: r.threadId })),
    loader: members(L, "VIEWER"),
    action: {
      form: () => ({ body: "A comment from the matrix." }),
      expect: members(L, "VIEWER", `to:${wsPath(L, "/discussion/*")}`),
    },
  })),
  "routes/workspaces.$workspaceId.tasks": perLabel((L) => ({
    params: wsParams(L),
    loader: members(L, "VIEWER"),
    action: {
      form: () => ({ intent: "create", title: unique("Matrix task"), assigneeId: "", dueOn: "" }),
      expect: members(L, "EDITOR", `to:${wsPath(L, "/tasks")}`),
    },
  })),
  "routes/workspaces.$workspaceId.registrations._index": perLabel((L) => ({
    params: wsParams(L),
    loader: members(L, "VIEWER"),
    action: {
      form: () => ({ title: unique("Matrix registration"), pageIds: [w.workspaces[L].pageId] }),
      expect: members(L, "OWNER", `to:${wsPath(L, "/registrations/*")}`),
    },
  })),
  "routes/workspaces.$workspaceId.registrations.$registrationId": perLabel((L) => ({
    params: wsParams(L, (r) => ({ registrationId: r.registrationId })),
    loader: members(L, "VIEWER"),
    // A registration never changes: members are told so, anyone else does not learn it exists.
    action: { form: () => ({ title: "Rewritten" }), expect: members(L, "VIEWER", "405") },
  })),
});

// --- calling a route, as the server does ----------------------------------------------------------

const BASE = "http://localhost";
type Handler = (args: { request: Request; params: object; context: object }) => unknown;
type RouteModule = { loader?: Handler; action?: Handler };
type Answer = { status: number; location: string | null; text: string; threw?: string };

const modules = new Map<string, RouteModule>();
let DECLS: Record<string, Case[]>;

/** The URL of a case: the route's pattern with every parameter filled (and none left over). */
function urlFor(route: ManifestRoute, c: Case) {
  const params = c.params?.() ?? {};
  const used = new Set<string>();
  const segments = route.pattern
    .split("/")
    .filter(Boolean)
    .map((segment) => {
      const name = segment === "*" ? "*" : segment.startsWith(":") ? segment.slice(1) : null;
      if (name === null) return segment;
      const value = params[name];
      if (value === undefined) throw new Error(`${route.id}: no value for :${name}`);
      used.add(name);
      return name === "*" ? value : encodeURIComponent(value);
    });
  const extra = Object.keys(params).filter((k) => !used.has(k));
  if (extra.length) throw new Error(`${route.id}: parameters not in its path: ${extra.join(", ")}`);
  return { url: `/${segments.join("/")}${c.query ?? ""}`, params };
}

/** The flash message (or any cookie) a response sets, decoded: it is part of what one is told. */
function cookieText(response: Response) {
  return response.headers
    .getSetCookie()
    .map((cookie) => {
      const value = decodeURIComponent(cookie.split(";")[0]!.split("=").slice(1).join("="));
      // A Remix cookie (the flash) holds base64 JSON; any other decodes to noise beside its text.
      return `${cookie} ${Buffer.from(value, "base64").toString("utf8")}`;
    })
    .join("\n");
}

const serialize = (value: unknown) =>
  JSON.stringify(value, (_key, x: unknown) => {
    if (typeof x === "bigint") return String(x);
    if (x instanceof Uint8Array) return Buffer.from(x).toString("latin1");
    const buffer = x as { type?: string; data?: number[] } | null;
    if (buffer?.type === "Buffer" && Array.isArray(buffer.data))
      return Buffer.from(buffer.data).toString("latin1");
    return x;
  }) ?? "";

async function invoke(
  handler: Handler,
  p: Persona,
  url: string,
  params: Record<string, string>,
  fields?: Fields,
): Promise<Answer> {
  const headers: Record<string, string> = p.cookie ? { Cookie: p.cookie } : {};
  let request: Request;
  if (fields) {
    const body = new FormData();
    for (const [k, v] of Object.entries(fields))
      for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
    request = new Request(BASE + url, { method: "POST", body, headers });
  } else request = new Request(BASE + url, { headers });
  let value: unknown;
  try {
    value = await handler({
      request,
      params,
      context: { clientAddress: p.address, cspNonce: "matrix" },
    });
  } catch (error) {
    if (!(error instanceof Response)) {
      const threw = error instanceof Error ? (error.stack ?? error.message) : String(error);
      return { status: 500, location: null, text: "", threw };
    }
    value = error;
  }
  if (value instanceof Response) {
    const location = value.headers.get("Location");
    // Sent to sign in, one is handed back the address one asked for: that is no news to anyone.
    const backTo = ["/login", "/login/mfa"].includes(new URL(location ?? "/", BASE).pathname);
    return {
      status: value.status,
      location,
      text: `${backTo ? "" : (location ?? "")}\n${cookieText(value)}\n${await value.text()}`,
    };
  }
  const init = value as { type?: string; init?: { status?: number } | null; data?: unknown };
  if (init?.type === "DataWithResponseInit")
    return { status: init.init?.status ?? 200, location: null, text: serialize(init.data) };
  return { status: 200, location: null, text: serialize(value) };
}

function outcomeOf(a: Answer): Outcome {
  if (a.threw) return `threw ${a.threw.split("\n").slice(0, 3).join(" | ")}`;
  if (a.status >= 300 && a.status < 400) {
    const to = new URL(a.location ?? "", BASE).pathname;
    return to === "/login" ? "login" : to === "/login/mfa" ? "mfa" : `to:${to}`;
  }
  return a.status < 300 ? "ok" : String(a.status);
}

const matches = (expected: Outcome, got: Outcome) =>
  expected.endsWith("*") ? got.startsWith(expected.slice(0, -1)) : got === expected;

const isSuccess = (o: Outcome) => o === "ok" || o.startsWith("to:");

// --- what is tallied and checked on every answer --------------------------------------------------

type Cell = { loader: Set<string>; action: Set<string>; calls: number };
const cells = new Map<string, Map<PersonaKey, Cell>>();
const tally = { loaderCalls: 0, actionCalls: 0, refusedChecked: 0, allowed: 0 };
/** Per secret: the allowed personas who were shown it somewhere. */
const seen = new Map<string, Set<PersonaKey>>();

const CODES: Record<string, string> = {
  ok: "o",
  login: "l",
  mfa: "m",
  "400": "0",
  "403": "3",
  "404": "4",
  "405": "5",
  "409": "9",
  "410": "g",
};
const code = (o: Outcome) => CODES[o] ?? (o.startsWith("to:") ? "r" : "X");

function record(routeId: string, p: Persona, kind: "loader" | "action", got: Outcome) {
  let row = cells.get(routeId);
  if (!row) cells.set(routeId, (row = new Map()));
  let cell = row.get(p.key);
  if (!cell) row.set(p.key, (cell = { loader: new Set(), action: new Set(), calls: 0 }));
  cell[kind].add(code(got));
  cell.calls += 1;
  if (kind === "loader") tally.loaderCalls += 1;
  else tally.actionCalls += 1;
}

/** Every secret in the answer that this persona may not see, here. */
function leaksIn(a: Answer, p: Persona, c: Case): string[] {
  const byDesign = new Set(c.alsoShows?.(p) ?? []);
  const found: string[] = [];
  for (const s of w.secrets) {
    if (!s.pattern.test(a.text)) continue;
    if (s.allowed.has(p.key)) seen.get(s.name)!.add(p.key);
    else if (!byDesign.has(s.name)) found.push(`${s.what} ("${s.word}")`);
  }
  for (const q of personas())
    if (q.key !== p.key && q.cookie && a.text.includes(tokenOf(q)))
      found.push(`${q.key}'s session token`);
  for (const f of c.forbid?.(p) ?? []) if (a.text.includes(f.text)) found.push(f.what);
  return found;
}

type Check = {
  route: ManifestRoute;
  c: Case;
  p: Persona;
  kind: "loader" | "action";
  expected: Outcome;
};

/** Calls one loader or action as one persona; returns what was wrong with the answer. */
async function check({ route, c, p, kind, expected }: Check): Promise<string[]> {
  const mod = modules.get(route.id)!;
  const { url, params } = urlFor(route, c);
  const a = await invoke(
    mod[kind]!,
    p,
    url,
    params,
    kind === "action" ? c.action!.form(p) : undefined,
  );
  const got = outcomeOf(a);
  record(route.id, p, kind, got);
  const where = `${route.id}${c.name ? ` [${c.name}]` : ""} ${kind} as ${p.key}`;
  const problems: string[] = [];
  if (!matches(expected, got)) problems.push(`${where}: expected ${expected}, got ${got}`);
  for (const leak of leaksIn(a, p, c)) problems.push(`${where}: shows ${leak}`);
  for (const m of c.mustShow?.(p) ?? [])
    if (!a.text.includes(m.text)) problems.push(`${where}: does not show ${m.what}`);
  if (kind === "action" && c.action!.endsSession) await renewSession(p);
  return problems;
}

const routeCases = function* () {
  for (const route of [...routes].sort((a, b) => a.id.localeCompare(b.id)))
    for (const c of DECLS[route.id] ?? []) yield { route, c };
};

beforeAll(async () => {
  w = await createMatrixWorld();
  routes = await manifestRoutes();
  DECLS = declarations();
  for (const s of w.secrets) seen.set(s.name, new Set());
  for (const route of routes)
    modules.set(
      route.id,
      (await import(/* @vite-ignore */ `${APP_DIR}/${route.file}`)) as RouteModule,
    );
}, 120_000);

// --- the tests ----------------------------------------------------------------------------------

test("every route of the app is declared, and every declaration is a route of the app", () => {
  expect(routes.length).toBeGreaterThan(50);
  const ids = routes.map((r) => r.id);
  const undeclared = ids.filter((id) => !(id in DECLS));
  const gone = Object.keys(DECLS).filter((id) => !ids.includes(id));
  const problems = [
    ...undeclared.map((id) => `${id} (${routes.find((r) => r.id === id)!.file}): no declaration`),
    ...gone.map((id) => `${id}: declared, but the app has no such route`),
  ];
  for (const route of routes) {
    const mod = modules.get(route.id)!;
    const cases = DECLS[route.id] ?? [];
    for (const kind of ["loader", "action"] as const) {
      const declared = cases.some((c) => c[kind]);
      if (typeof mod[kind] === "function" && !declared)
        problems.push(`${route.id}: its ${kind} has no expected outcomes`);
      if (typeof mod[kind] !== "function" && declared)
        problems.push(`${route.id}: declares a ${kind}, but the module exports none`);
    }
    for (const c of cases) {
      try {
        urlFor(route, c);
      } catch (error) {
        problems.push(String(error));
      }
      for (const p of personas())
        for (const name of c.alsoShows?.(p) ?? [])
          if (!w.secrets.some((s) => s.name === name))
            problems.push(`${route.id}: shows "${name}" by design, but no secret has that name`);
    }
  }
  expect(problems).toEqual([]);
});

test("every loader, as every persona: the declared outcome, and nothing it may not see", async () => {
  const problems: string[] = [];
  for (const { route, c } of routeCases())
    if (c.loader && modules.get(route.id)!.loader)
      for (const p of personasOf(c))
        problems.push(...(await check({ route, c, p, kind: "loader", expected: c.loader(p) })));
  expect(problems).toEqual([]);
}, 120_000);

const personasOf = (c: Case) => personas().filter((p) => c.for?.(p) ?? true);

const writes = (spec: ActionSpec, p: Persona) =>
  spec.writes ? spec.writes(p) : isSuccess(spec.expect(p));

test("every action refused to a persona is refused as declared, and changes nothing", async () => {
  const problems: string[] = [];
  let before = await tableCounts();
  for (const { route, c } of routeCases()) {
    const spec = c.action;
    if (!spec || !modules.get(route.id)!.action) continue;
    // Counted once around the refused calls of each case (a refused call changes nothing, so
    // neither do they all), in groups by what the refusal may still add to; a change names the
    // case and its callers.
    const groups = new Map<string, Persona[]>();
    for (const p of personasOf(c).filter((p) => !writes(spec, p))) {
      const key = [...(spec.mayAddTo?.(p) ?? [])].sort().join(",");
      groups.set(key, [...(groups.get(key) ?? []), p]);
    }
    for (const [tables, callers] of groups) {
      for (const p of callers) {
        problems.push(...(await check({ route, c, p, kind: "action", expected: spec.expect(p) })));
        tally.refusedChecked += 1;
      }
      const after = await tableCounts();
      const changed = countChanges(before, after).filter(
        (x) => !tables.split(",").includes(x.table),
      );
      if (changed.length)
        problems.push(
          `${route.id}${c.name ? ` [${c.name}]` : ""} action, refused to ` +
            `${callers.map((p) => p.key).join(", ")}: changed ${changed.map((x) => x.change).join(", ")}`,
        );
      before = after;
    }
  }
  expect(problems).toEqual([]);
}, 120_000);

test("every action allowed to a persona succeeds as declared, showing nothing it may not see", async () => {
  const problems: string[] = [];
  for (const { route, c } of routeCases()) {
    const spec = c.action;
    if (!spec || !modules.get(route.id)!.action) continue;
    for (const p of personasOf(c)) {
      if (!writes(spec, p)) continue;
      tally.allowed += 1;
      problems.push(...(await check({ route, c, p, kind: "action", expected: spec.expect(p) })));
    }
  }
  expect(problems).toEqual([]);
}, 120_000);

test("every secret was shown to each persona allowed to see it (the allowed lists are exact)", () => {
  const problems: string[] = [];
  for (const s of w.secrets) {
    const missing = [...s.allowed].filter((k) => !seen.get(s.name)!.has(k));
    if (missing.length)
      problems.push(`${s.what} ("${s.word}") never shown to ${missing.join(", ")}`);
  }
  expect(problems).toEqual([]);
});

test("every route was called by every persona", () => {
  const problems: string[] = [];
  for (const route of routes)
    for (const p of personas()) {
      const mod = modules.get(route.id)!;
      if (!mod.loader && !mod.action) continue;
      if (!cells.get(route.id)?.get(p.key)?.calls) problems.push(`${route.id} as ${p.key}`);
    }
  expect(problems).toEqual([]);

  // The report, for the CI log: one row per route, one column per persona; in each cell the
  // outcomes of the loader and the action calls (o ok, r redirect, l sign-in, m second factor,
  // 0 400, 3 403, 4 404, 5 405, 9 409, g 410, - none).
  const SHORT: Record<PersonaKey, string> = {
    anon: "anon",
    pendingMfa: "pMfa",
    usStaff: "usSt",
    ukStaff: "ukSt",
    jpStaff: "jpSt",
    applicant: "appl",
    lineManager: "lMgr",
    reviewer: "revw",
    usHr: "usHr",
    ukHr: "ukHr",
    jpHr: "jpHr",
    jointOwner: "jtOw",
    jointEditor: "jtEd",
    jointViewer: "jtVw",
    usOwner: "usOw",
    usEditor: "usEd",
    usViewer: "usVw",
    ukOwner: "ukOw",
    ukEditor: "ukEd",
    ukViewer: "ukVw",
    admin: "admn",
  };
  const width = Math.max(...routes.map((r) => r.id.length)) + 2;
  const cellText = (routeId: string, k: PersonaKey) => {
    const cell = cells.get(routeId)?.get(k);
    const part = (s: Set<string> | undefined) => (s?.size ? [...s].sort().join("") : "-");
    return `${part(cell?.loader)}/${part(cell?.action)}`.padEnd(6);
  };
  const lines = [
    `${"route (loader/action)".padEnd(width)}${PERSONA_KEYS.map((k) => SHORT[k].padEnd(6)).join("")}calls`,
    ...[...routes]
      .sort((a, b) => a.id.localeCompare(b.id))
      .map(
        (r) =>
          `${r.id.padEnd(width)}${PERSONA_KEYS.map((k) => cellText(r.id, k)).join("")}${[
            ...(cells.get(r.id)?.values() ?? []),
          ].reduce((n, c) => n + c.calls, 0)}`,
      ),
  ];
  const loaders = routes.filter((r) => modules.get(r.id)!.loader).length;
  const actions = routes.filter((r) => modules.get(r.id)!.action).length;
  const cellCount = [...cells.values()].reduce((n, row) => n + row.size, 0);
  lines.push(
    "",
    `route matrix: ${routes.length} routes (${loaders} loaders, ${actions} actions) x ` +
      `${PERSONA_KEYS.length} personas = ${cellCount} cells; ` +
      `${tally.loaderCalls + tally.actionCalls} calls (${tally.loaderCalls} loader, ` +
      `${tally.actionCalls} action: ${tally.refusedChecked} refused with every table's row count ` +
      `checked, ${tally.allowed} allowed); ${w.secrets.length} secrets and every session token ` +
      `looked for in every answer`,
  );
  console.log(lines.join("\n"));
});
