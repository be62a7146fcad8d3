// The vocabulary of the route matrix (test/integration/routes/route-matrix.test.ts): what a
// route's case declares, the policies that say what each persona gets, and what the
// declarations of every area share.
import { dayAfter, localDateTimeAfter } from "#test/support/clock";
import {
  LABELS,
  PERSONA_KEYS,
  type Institute,
  type Label,
  type MatrixWorld,
  type Persona,
  type PersonaKey,
} from "#test/support/route-matrix/world";

// --- outcomes and policies ----------------------------------------------------------------------

/**
 * What a call gives: "ok" (2xx), "login" (redirect to /login), "mfa" (redirect to /login/mfa),
 * "to:/path" (another redirect; a trailing * matches any rest), or the status ("400", "404"...).
 */
export type Outcome = string;
type Expect = (p: Persona) => Outcome;
export type Fields = Record<string, string | string[] | Blob>;

export type ActionSpec = {
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

export type Case = {
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

export const gate = (p: Persona): Outcome | null =>
  p.key === "anon" ? "login" : p.key === "pendingMfa" ? "mfa" : null;

/** Anyone, signed in or not. */
export const open =
  (o: Outcome = "ok"): Expect =>
  () =>
    o;
/** Any signed-in persona; the anonymous to sign-in, the half-signed-in to the second factor. */
export const signedIn =
  (o: Outcome | ((p: Persona) => Outcome) = "ok"): Expect =>
  (p) =>
    gate(p) ?? (typeof o === "function" ? o(p) : o);
/** Only these personas; every other signed-in one is told the page does not exist. */
export const only = (keys: PersonaKey[], o: Outcome = "ok", otherwise: Outcome = "404"): Expect =>
  signedIn((p) => (keys.includes(p.key) ? o : otherwise));
const hasRole = (role: "HR" | "ADMIN", o: Outcome = "ok"): Expect =>
  signedIn((p) => (p.actor!.roles.includes(role) ? o : "404"));
export const adminOnly = (o: Outcome = "ok") => hasRole("ADMIN", o);
export const hrOnly = (o: Outcome = "ok") => hasRole("HR", o);
export const ofInstitutes = (insts: Institute[], o: Outcome = "ok"): Expect =>
  signedIn((p) => (insts.includes(p.institute!) ? o : "404"));

const RANK = { VIEWER: 0, EDITOR: 1, OWNER: 2 } as const;
/** Workspace members by role (a role short of `need` gets 403); everyone else a 404. */
export const members =
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
export const AUDIT_LOG = RECORD_IDS;
export const AUDIT_DETAILS = [...RECORD_IDS, "draft posting", "UK posting"];
export const MAIL_CONTENT = [
  "application id",
  ...LABELS.flatMap((L) => [`workspace ${L}`, `workspace ${L} id`]),
];

// The parties of the two applications and the placement, by persona.
export const APPLICATION_PARTIES: PersonaKey[] = [
  "applicant",
  "lineManager",
  "ukHr",
  "usHr",
  "reviewer",
];
export const PLACEMENT_PARTIES: PersonaKey[] = ["applicant", "lineManager", "ukHr", "usHr"];

// --- the world ----------------------------------------------------------------------------------

/** The world the declarations name, once the test file has built it. */
export let w: MatrixWorld;
export function useMatrixWorld(world: MatrixWorld) {
  w = world;
}
export const personas = () => PERSONA_KEYS.map((k) => w.personas[k]);
let serial = 0;
/** The counter behind unique(), for an area that needs the bare number (an address). */
export const nextSerial = () => ++serial;
export const unique = (what: string) => `${what} ${++serial}`;
export const pdf = (text: string) =>
  new File([`%PDF-1.4\n% ${text}\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n`], "m.pdf", {
    type: "application/pdf",
  });

// --- what the declarations share ------------------------------------------------------------

export const wsParams = (
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
export const perLabel = (make: (L: Label) => Omit<Case, "name">): Case[] =>
  LABELS.map((L) => ({
    name: L,
    for: (p) => p.membership !== null || LABELS[PERSONA_KEYS.indexOf(p.key) % LABELS.length] === L,
    ...make(L),
  }));
export const wsPath = (L: Label, rest = "") => `/workspaces/${w.workspaces[L].workspaceId}${rest}`;

/** The applicant's user id, which the answer must not hold (they were found where they may not be). */
export const applicantFound = (how: string) => [
  { what: `the applicant, ${how}`, text: w.personas.applicant.actor!.id },
];

/** A posting as HR would write it today: deadline in eight weeks, starts from twelve weeks on. */
export const postingForm = (p: Persona): Fields => ({
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

export const checklistItemForm = (): Fields => ({
  title: unique("Matrix item"),
  guidance: "",
  ownerSide: "HOST",
  dueOffsetDays: "-5",
  required: "false",
  evidenceKind: "ATTESTATION",
});
