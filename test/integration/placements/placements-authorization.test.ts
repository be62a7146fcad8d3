import { beforeAll, expect, test } from "vitest";
import { ensureChecklistTemplate, US_HOST_CHECKLIST } from "#test/factories/checklists";
import { ensureUser, uniqueEmail } from "#test/factories";
import { pdfBytes } from "#test/factories/postings";
import { dayAfter } from "#test/support/clock";
import { db } from "~/lib/db.server";
import type { Actor } from "~/lib/permissions";
import { createSession, sessionCookieName } from "~/lib/session.server";
import { uploadEvidence } from "~/modules/checklists/evidence.server";
import * as calendarRoute from "~/routes/placements/placements.$placementId.calendar[.ics]";
import * as evidenceRoute from "~/routes/placements/placements.$placementId.items.$itemId.evidence";
import * as placementPage from "~/routes/placements/placements.$placementId";
import * as placementsIndex from "~/routes/placements/placements._index";
import * as templatePage from "~/routes/checklists/checklists.$templateId";
import * as templatesIndex from "~/routes/checklists/checklists._index";
import { call, get, PASSKEY_SIGN_IN, post, statusOf } from "#test/support/route-harness";
import {
  advance,
  APPLICATION_FORM,
  createPipelineWorld,
  openPosting,
  submittedApplication,
  type World,
} from "#test/support/pipeline-world";

// Every route and action of placements and checklists, by every kind of person, through the
// route modules with a real session. Everything not listed as allowed must be a 404 or 403 (or a
// clear refusal) and change nothing.

type Role =
  | "secondee"
  | "lineManager"
  | "homeHr"
  | "hostHr"
  | "hostSupervisor"
  | "otherTeamStaff"
  | "otherInstituteStaff"
  | "admin";
const ROLES: Role[] = [
  "secondee",
  "lineManager",
  "homeHr",
  "hostHr",
  "hostSupervisor",
  "otherTeamStaff",
  "otherInstituteStaff",
  "admin",
];
/** skip: allowed, but shown by another call (running it here would only meet a changed item). */
type Outcome = "ok" | "refused" | "denied" | "skip";

let w: World;
const cookies = {} as Record<Role, string>;
let placementId: string;
let templateId: string;
let itemIds: Record<string, string>;
let placementVersion: number;

beforeAll(async () => {
  w = await createPipelineWorld();
  templateId = await ensureChecklistTemplate(db, {
    hostInstituteId: w.us.id,
    homeInstituteId: w.uk.id,
    name: "Incoming from the UK",
    items: US_HOST_CHECKLIST,
  });
  const postingId = await openPosting(w);
  const appId = await submittedApplication(w, postingId);
  await advance(w, appId, ["HOME_RELEASED", "UNDER_REVIEW", "SHORTLISTED", "OFFERED", "ACCEPTED"]);
  const placement = await db.placement.update({
    where: { applicationId: appId },
    data: { hostSupervisorId: w.reviewer.id },
  });
  placementId = placement.id;
  placementVersion = placement.version;
  const items = await db.checklistItem.findMany({ where: { placementId } });
  itemIds = Object.fromEntries(items.map((i) => [i.title, i.id]));
  await uploadEvidence(w.applicant, itemIds["Non-disclosure agreement signed"]!, {
    name: "nda.pdf",
    bytes: pdfBytes("NDA"),
  });
  // Someone of the secondee's own institute, in another team, with no part in this placement.
  const otherTeam = await ensureUser(db, {
    email: uniqueEmail("other.team"),
    displayName: "Olu Otherteam",
    instituteId: w.uk.id,
  });
  const actors: Record<Role, Actor> = {
    secondee: w.applicant,
    lineManager: w.manager,
    homeHr: w.homeHr,
    hostHr: w.hostHr,
    hostSupervisor: w.reviewer,
    otherTeamStaff: {
      id: otherTeam.id,
      email: otherTeam.email,
      roles: otherTeam.roles,
      instituteId: w.uk.id,
    },
    otherInstituteStaff: w.jpStaff,
    admin: w.admin,
  };
  for (const role of ROLES) {
    const { token } = await createSession(actors[role].id, PASSKEY_SIGN_IN);
    cookies[role] = `${sessionCookieName()}=${token}`;
  }
});

async function outcome(run: () => Promise<unknown>): Promise<Outcome | string> {
  const { status } = await statusOf(run);
  if (status === 404 || status === 403) return "denied";
  if (status === 400 || status === 409) return "refused";
  if (status < 400) return "ok";
  return `status ${status}`;
}

const parties = {
  secondee: "ok",
  lineManager: "ok",
  homeHr: "ok",
  hostHr: "ok",
  hostSupervisor: "ok",
} as const;
const everyone = Object.fromEntries(ROLES.map((r) => [r, "ok"])) as Record<Role, Outcome>;
const itemMove =
  (title: string, to: string, extra: Record<string, string> = {}) =>
  (c: string) =>
    call(
      placementPage.action,
      post(`/placements/${placementId}`, c, {
        intent: "item",
        itemId: itemIds[title]!,
        to,
        version: extra.version ?? "0",
        verifiedBy: "Pat Vetting",
        verifiedOn: dayAfter(-7), // last week
        reference: "",
        level: "",
        expiresOn: "",
        reason: extra.reason ?? "",
      }),
      { placementId },
    );

type Call = {
  name: string;
  allowed: Partial<Record<Role, Outcome>>;
  run: (cookie: string) => Promise<unknown>;
};

function calls(): Call[] {
  const P = placementId;
  return [
    {
      name: "GET /placements",
      allowed: everyone,
      run: (c) => call(placementsIndex.loader, get("/placements", c)),
    },
    {
      name: "GET /placements/:id",
      allowed: parties,
      run: (c) => call(placementPage.loader, get(`/placements/${P}`, c), { placementId: P }),
    },
    {
      name: "GET /placements/:id/calendar.ics",
      allowed: parties,
      run: (c) =>
        call(calendarRoute.loader, get(`/placements/${P}/calendar.ics`, c), { placementId: P }),
    },
    {
      name: "GET evidence download",
      allowed: parties,
      run: (c) => {
        const itemId = itemIds["Non-disclosure agreement signed"]!;
        return call(evidenceRoute.loader, get(`/placements/${P}/items/${itemId}/evidence`, c), {
          placementId: P,
          itemId,
        });
      },
    },
    {
      name: "GET /checklists",
      allowed: { homeHr: "ok", hostHr: "ok" },
      run: (c) => call(templatesIndex.loader, get("/checklists", c)),
    },
    {
      name: "GET /checklists/:id",
      allowed: { hostHr: "ok" },
      run: (c) => call(templatePage.loader, get(`/checklists/${templateId}`, c), { templateId }),
    },
    {
      name: "POST secondee's item done (training)",
      allowed: { secondee: "ok", homeHr: "skip", hostHr: "skip" },
      run: itemMove("Data-handling training completed", "DONE"),
    },
    {
      name: "POST host item done (suitability)",
      // The host supervisor, or host HR; the secondee and the home side (HR too) may not.
      allowed: { hostSupervisor: "ok", hostHr: "skip" },
      run: itemMove("Suitability determination (SF-85P)", "DONE"),
    },
    {
      name: "POST home item to in progress (release letter)",
      // The line manager, or home HR; host HR settle only the host's side.
      allowed: { lineManager: "ok", homeHr: "skip" },
      run: itemMove("Home release letter", "IN_PROGRESS"),
    },
    {
      name: "POST HR complete a secondee's item (visa)",
      allowed: { homeHr: "ok", hostHr: "skip", secondee: "skip" },
      run: itemMove("J-1 visa issued", "DONE"),
    },
    {
      name: "POST HR start a host item (relocation briefing)",
      allowed: { hostHr: "ok", hostSupervisor: "skip" },
      run: itemMove("Relocation briefing", "IN_PROGRESS"),
    },
    {
      name: "POST waive an item (agreement, blocked)",
      // Its owner side is told only HR may waive; host HR may, home HR may not touch it.
      allowed: { hostSupervisor: "refused", hostHr: "ok" },
      run: itemMove("IPA assignment agreement signed", "WAIVED", { reason: "Signed on paper" }),
    },
    {
      name: "POST evidence upload (NDA, the secondee's)",
      allowed: { secondee: "ok", homeHr: "skip", hostHr: "skip" },
      run: (c) =>
        call(
          placementPage.action,
          post(`/placements/${P}`, c, {
            intent: "evidence",
            itemId: itemIds["Non-disclosure agreement signed"]!,
            evidence: new File([pdfBytes("NDA v2")], "nda.pdf", { type: "application/pdf" }),
          }),
          { placementId: P },
        ),
    },
    {
      name: "POST add an item (home side)",
      // Each HR add items for their own side (or the secondee's).
      allowed: { homeHr: "ok" },
      run: (c) =>
        call(
          placementPage.action,
          post(`/placements/${P}`, c, {
            intent: "add-item",
            title: "Extra step",
            guidance: "",
            ownerSide: "HOME",
            dueOffsetDays: "-5",
            required: "false",
            evidenceKind: "ATTESTATION",
          }),
          { placementId: P },
        ),
    },
    {
      name: "POST dates and terms",
      allowed: { hostHr: "ok", homeHr: "skip" },
      run: (c) =>
        call(
          placementPage.action,
          post(`/placements/${P}`, c, {
            intent: "details",
            // The applicant's availability.
            startDate: APPLICATION_FORM.availableFrom,
            endDate: APPLICATION_FORM.availableUntil,
            hostSupervisorId: w.reviewer.id,
            arrangementType: "US_IPA_ASSIGNMENT",
            costArrangement: "SHARED",
            extensionReason: "",
            version: String(placementVersion),
          }),
          { placementId: P },
        ),
    },
    {
      name: "POST activate (early)",
      // HR of the host are told what is left; everyone else may not try.
      allowed: { hostHr: "refused", homeHr: "refused" },
      run: (c) =>
        call(
          placementPage.action,
          post(`/placements/${P}`, c, { intent: "move", to: "ACTIVE", version: "99" }),
          {
            placementId: P,
          },
        ),
    },
    {
      name: "POST start clearance",
      allowed: { homeHr: "ok", hostHr: "skip" },
      run: (c) =>
        call(
          placementPage.action,
          post(`/placements/${P}`, c, {
            intent: "move",
            to: "CLEARING",
            version: String(placementVersion + 1),
          }),
          { placementId: P },
        ),
    },
    {
      name: "GET /placements/:id, changing the supervisor",
      allowed: parties,
      run: (c) =>
        call(placementPage.loader, get(`/placements/${P}?supervisor=change&q=Rita`, c), {
          placementId: P,
        }),
    },
    {
      name: "POST host supervisor (someone of the home institute)",
      allowed: { hostHr: "refused", homeHr: "refused" },
      run: (c) =>
        call(
          placementPage.action,
          post(`/placements/${P}?supervisor=change`, c, {
            intent: "supervisor",
            hostSupervisorId: w.ukStaff.id,
            version: String(placementVersion),
          }),
          { placementId: P },
        ),
    },
    {
      name: "POST host supervisor",
      // After the two changes above (dates and terms, clearance).
      allowed: { hostHr: "ok", homeHr: "skip" },
      run: (c) =>
        call(
          placementPage.action,
          post(`/placements/${P}?supervisor=change`, c, {
            intent: "supervisor",
            // The same supervisor, so that the later checks still find them a party.
            hostSupervisorId: w.reviewer.id,
            version: String(placementVersion + 2),
          }),
          { placementId: P },
        ),
    },
    {
      name: "POST template item",
      allowed: { hostHr: "ok" },
      run: (c) =>
        call(
          templatePage.action,
          post(`/checklists/${templateId}`, c, {
            title: "Parking permit",
            guidance: "",
            ownerSide: "HOST",
            dueOffsetDays: "0",
            required: "false",
            evidenceKind: "ATTESTATION",
          }),
          { templateId },
        ),
    },
  ];
}

async function snapshot() {
  const [items, placement, files, templateItems, extensions] = await Promise.all([
    db.checklistItem.findMany({
      orderBy: { id: "asc" },
      select: { id: true, status: true, version: true, evidenceFileId: true },
    }),
    db.placement.findMany({
      orderBy: { id: "asc" },
      select: { id: true, status: true, version: true, startDate: true },
    }),
    db.storedFile.count(),
    db.checklistTemplateItem.count(),
    db.placementExtension.count(),
  ]);
  return JSON.stringify({ items, placement, files, templateItems, extensions });
}

test("every placements and checklists route and action, for every role", async () => {
  const mismatches: string[] = [];
  const before = await snapshot();
  for (const c of calls())
    for (const role of ROLES) {
      const expected = c.allowed[role] ?? "denied";
      if (expected === "ok" || expected === "skip") continue;
      const got = await outcome(() => c.run(cookies[role]));
      if (got !== expected)
        mismatches.push(`${c.name} as ${role}: expected ${expected}, got ${got}`);
    }
  expect(mismatches).toEqual([]);
  expect(await snapshot()).toBe(before);

  for (const c of calls())
    for (const role of ROLES) {
      if (c.allowed[role] !== "ok") continue;
      const got = await outcome(() => c.run(cookies[role]));
      if (got !== "ok") mismatches.push(`${c.name} as ${role}: expected ok, got ${got}`);
    }
  expect(mismatches).toEqual([]);
});

test("only HR of either side get the supervisor picker, and only when they ask for it", async () => {
  type Loaded = { view: { supervisorPicker: { candidates: { displayName: string }[] } | null } };
  const load = async (role: Role, query: string) =>
    (await call(placementPage.loader, get(`/placements/${placementId}${query}`, cookies[role]), {
      placementId,
    })) as Loaded;
  for (const role of ["secondee", "lineManager", "homeHr", "hostHr", "hostSupervisor"] as const) {
    expect((await load(role, "")).view.supervisorPicker).toBeNull();
    const picker = (await load(role, "?supervisor=change&q=rita")).view.supervisorPicker;
    if (role === "homeHr" || role === "hostHr")
      expect(picker?.candidates.map((c) => c.displayName)).toEqual(["Rita Reviewer"]);
    else expect(picker).toBeNull();
  }
  // A search that is too long or odd is still just a search.
  const odd = await load("hostHr", `?supervisor=change&q=${encodeURIComponent("%\\".repeat(80))}`);
  expect(odd.view.supervisorPicker?.candidates).toEqual([]);
});
