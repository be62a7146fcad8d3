import { beforeAll, describe, expect, test } from "vitest";
import { ensureChecklistTemplate, US_HOST_CHECKLIST } from "#test/factories/checklists";
import { pdfBytes } from "#test/factories/postings";
import { dayAfter } from "#test/support/clock";
import {
  advance,
  createPipelineWorld,
  openPosting,
  submittedApplication,
  type World,
} from "#test/support/pipeline-world";
import { call, get, post, sessionCookieFor, statusOf } from "#test/support/route-harness";
import { db } from "~/lib/db.server";
import type { OwnerSide } from "~/modules/checklists/logic";
import * as placementPage from "~/routes/placements/placements.$placementId";

// Each institute settles its own side of a placement's clearance checklist, as each holds its own
// key to an application: every item action, by HR of either side, on an item of each side,
// through the placement page's action with a real session. HR of the other institute get a 403
// that says why and changes nothing (no item, file or audit row); the secondee's items stay open
// to HR of both sides.

type Hr = "homeHr" | "hostHr";
const HRS: Hr[] = ["homeHr", "hostHr"];
const SIDES: OwnerSide[] = ["HOME", "HOST", "SECONDEE"];
const HR_SIDE = { homeHr: "HOME", hostHr: "HOST" } as const;

let w: World;
let placementId: string;
const cookies = {} as Record<Hr, string>;
let serial = 0;

beforeAll(async () => {
  w = await createPipelineWorld();
  await ensureChecklistTemplate(db, {
    hostInstituteId: w.us.id,
    homeInstituteId: w.uk.id,
    name: "Incoming from the UK",
    items: US_HOST_CHECKLIST,
  });
  const postingId = await openPosting(w);
  const appId = await submittedApplication(w, postingId);
  await advance(w, appId, ["HOME_RELEASED", "UNDER_REVIEW", "SHORTLISTED", "OFFERED", "ACCEPTED"]);
  placementId = (await db.placement.findUniqueOrThrow({ where: { applicationId: appId } })).id;
  cookies.homeHr = await sessionCookieFor(w.homeHr.id);
  cookies.hostHr = await sessionCookieFor(w.hostHr.id);
});

/** A fresh item of one side, in the state the action starts from, with nothing waiting on it. */
async function freshItem(
  ownerSide: OwnerSide,
  state: { status?: "TODO" | "DONE"; evidenceKind?: "ATTESTATION" | "DOCUMENT" } = {},
) {
  serial += 1;
  return db.checklistItem.create({
    data: {
      placementId,
      position: 1000 + serial,
      title: `Side check ${serial}`,
      ownerSide,
      dueOffsetDays: -10,
      required: true,
      evidenceKind: state.evidenceKind ?? "ATTESTATION",
      status: state.status ?? "TODO",
    },
    select: { id: true, version: true, title: true },
  });
}

const moveForm = (itemId: string, version: number, to: string) => ({
  intent: "item",
  itemId,
  to,
  version: String(version),
  verifiedBy: "Pat Vetting",
  verifiedOn: dayAfter(-7), // last week
  reference: "SIDE-1",
  level: "",
  expiresOn: "",
  reason: to === "WAIVED" ? "Covered by an earlier check" : "",
});

type Action = {
  name: string;
  /** Makes what the action acts on, and the form that asks for it. */
  prepare: (side: OwnerSide) => Promise<{ form: Record<string, string | Blob>; itemId?: string }>;
  /** What an allowed action leaves behind, checked after it. */
  done: (side: OwnerSide, itemId?: string) => Promise<void>;
};

const status = async (id: string) =>
  (await db.checklistItem.findUniqueOrThrow({ where: { id } })).status;

const ACTIONS: Action[] = [
  {
    name: "start",
    prepare: async (side) => {
      const item = await freshItem(side);
      return { itemId: item.id, form: moveForm(item.id, item.version, "IN_PROGRESS") };
    },
    done: async (_, id) => expect(await status(id!)).toBe("IN_PROGRESS"),
  },
  {
    name: "attest (mark done)",
    prepare: async (side) => {
      const item = await freshItem(side);
      return { itemId: item.id, form: moveForm(item.id, item.version, "DONE") };
    },
    done: async (_, id) => {
      const item = await db.checklistItem.findUniqueOrThrow({ where: { id: id! } });
      expect([item.status, item.verifiedBy, item.reference]).toEqual([
        "DONE",
        "Pat Vetting",
        "SIDE-1",
      ]);
    },
  },
  {
    name: "waive",
    prepare: async (side) => {
      const item = await freshItem(side);
      return { itemId: item.id, form: moveForm(item.id, item.version, "WAIVED") };
    },
    done: async (_, id) => expect(await status(id!)).toBe("WAIVED"),
  },
  {
    name: "reopen",
    prepare: async (side) => {
      const item = await freshItem(side, { status: "DONE" });
      return { itemId: item.id, form: moveForm(item.id, item.version, "TODO") };
    },
    done: async (_, id) => expect(await status(id!)).toBe("TODO"),
  },
  {
    name: "upload evidence",
    prepare: async (side) => {
      const item = await freshItem(side, { evidenceKind: "DOCUMENT" });
      const file = new File([pdfBytes("Signed form")], "form.pdf", { type: "application/pdf" });
      return { itemId: item.id, form: { intent: "evidence", itemId: item.id, evidence: file } };
    },
    done: async (_, id) =>
      expect(
        (await db.checklistItem.findUniqueOrThrow({ where: { id: id! } })).evidenceFileId,
      ).not.toBeNull(),
  },
  {
    name: "remove",
    prepare: async (side) => {
      const item = await freshItem(side);
      return { itemId: item.id, form: { intent: "remove-item", itemId: item.id } };
    },
    done: async (_, id) => expect(await db.checklistItem.count({ where: { id: id! } })).toBe(0),
  },
  {
    name: "add",
    prepare: async (side) => {
      serial += 1;
      return {
        form: {
          intent: "add-item",
          title: `Added side check ${serial}`,
          guidance: "",
          ownerSide: side,
          dueOffsetDays: "-5",
          required: "true",
          evidenceKind: "ATTESTATION",
        },
      };
    },
    done: async (side) =>
      expect(
        await db.checklistItem.count({
          where: { placementId, ownerSide: side, title: `Added side check ${serial}` },
        }),
      ).toBe(1),
  },
];

/** Everything a refused action must leave as it was. */
async function snapshot() {
  const [items, files, audit] = await Promise.all([
    db.checklistItem.findMany({
      where: { placementId },
      orderBy: { id: "asc" },
      select: {
        id: true,
        ownerSide: true,
        status: true,
        version: true,
        evidenceFileId: true,
        verifiedBy: true,
        waivedReason: true,
        completedById: true,
        dependsOnIds: true,
      },
    }),
    db.storedFile.count(),
    db.auditEvent.count(),
  ]);
  return JSON.stringify({ items, files, audit });
}

/** The rule: HR settle their own institute's side and the secondee's, never the other side's. */
const allowed = (hr: Hr, side: OwnerSide) => side === "SECONDEE" || side === HR_SIDE[hr];

const ROWS = ACTIONS.flatMap((action) =>
  HRS.flatMap((hr) => SIDES.map((side) => ({ action, hr, side, allowed: allowed(hr, side) }))),
);

describe("each side settles its own clearance items", () => {
  test.each(ROWS.map((r) => [r.action.name, r.hr, r.side, r.allowed ? "allowed" : "403", r]))(
    "%s by %s on a %s item: %s",
    async (_name, _hr, _side, _outcome, { action, hr, side, allowed: ok }) => {
      const { form, itemId } = await action.prepare(side);
      const before = await snapshot();
      const auditBefore = await db.auditEvent.count({ where: { actorId: w[hr].id } });
      let body = "";
      const { status: got } = await statusOf(async () => {
        try {
          return await call(
            placementPage.action,
            post(`/placements/${placementId}`, cookies[hr], form),
            { placementId },
          );
        } catch (error) {
          if (error instanceof Response) body = await error.clone().text();
          throw error;
        }
      });
      if (ok) {
        expect(got).toBe(302);
        await action.done(side, itemId);
        // The decision is on the record, under the HR who made it.
        expect(await db.auditEvent.count({ where: { actorId: w[hr].id } })).toBe(auditBefore + 1);
      } else {
        expect(got).toBe(403);
        expect(body).toMatch(
          side === "HOME"
            ? /the home institute(?:'s to settle| adds its own)/
            : /the host institute(?:'s to settle| adds its own)/,
        );
        expect(await snapshot()).toBe(before);
      }
    },
  );
});

test("the page offers each HR only their own side's item actions, and says why", async () => {
  type Loaded = Awaited<ReturnType<typeof placementPage.loader>>;
  const load = async (hr: Hr) =>
    (await call(placementPage.loader, get(`/placements/${placementId}`, cookies[hr]), {
      placementId,
    })) as Loaded;
  const items = { HOME: await freshItem("HOME"), HOST: await freshItem("HOST") };
  const secondee = await freshItem("SECONDEE");
  for (const hr of HRS) {
    const { view } = await load(hr);
    const other = hr === "homeHr" ? "HOST" : "HOME";
    const own = HR_SIDE[hr];
    const shown = (id: string) => view.items.find((i) => i.id === id)!;
    expect(shown(items[own].id)).toMatchObject({
      moves: ["IN_PROGRESS", "DONE", "WAIVED"],
      mayRemove: true,
      notYours: null,
    });
    expect(shown(secondee.id)).toMatchObject({ mayRemove: true, notYours: null });
    expect(shown(secondee.id).moves).toContain("WAIVED");
    expect(shown(items[other].id)).toMatchObject({ moves: [], mayRemove: false });
    expect(shown(items[other].id).notYours).toMatch(
      other === "HOST" ? /host institute's to settle/ : /home institute's to settle/,
    );
    expect(view.addSides).toEqual(hr === "homeHr" ? ["HOME", "SECONDEE"] : ["HOST", "SECONDEE"]);
  }
});
