import { describe, expect, test } from "vitest";
import { db } from "~/lib/db.server";
import type { Actor } from "~/lib/permissions";
import { movePlacement } from "~/modules/placements/placements.server";
import { moveChecklistItem } from "~/modules/checklists/items.server";
import { getWorkspaceFrame, updateWorkspaceSettings } from "~/modules/workspaces/workspaces.server";
import { getMembersPage, removeMember, setMemberRole } from "~/modules/workspaces/members.server";
import {
  linkPlacementWorkspace,
  placementWorkspaces,
} from "~/modules/workspaces/placement-access.server";
import { advance, openPosting, submittedApplication } from "#test/support/pipeline-world";
import {
  join,
  newWorkspace,
  NOT_FOUND,
  setUpWorkspacesWorld,
  unique,
  w,
} from "#test/support/workspaces-world";

setUpWorkspacesWorld();

// --- placements -------------------------------------------------------------------------------------

describe("placement-driven access", () => {
  /** An accepted offer, hence a placement with the US checklist (as placements.test.ts). */
  async function newPlacement(secondee: Actor = w.applicant) {
    const postingId = await openPosting(w, { places: 5 });
    const appId = await submittedApplication(w, postingId, secondee);
    await advance({ ...w, applicant: secondee }, appId, [
      "HOME_RELEASED",
      "UNDER_REVIEW",
      "SHORTLISTED",
      "OFFERED",
      "ACCEPTED",
    ]);
    return (await db.placement.findUniqueOrThrow({ where: { applicationId: appId } })).id;
  }

  async function moveTo(
    placementId: string,
    to: "CLEARING" | "ACTIVE" | "COMPLETED" | "CANCELLED",
  ) {
    const { version } = await db.placement.findUniqueOrThrow({ where: { id: placementId } });
    const moved = await movePlacement(w.hostHr, placementId, to, version);
    if (!moved.ok) throw new Error(`${to}: ${JSON.stringify(moved)}`);
  }

  /** Through the gate: CLEARING, every required item waived by HR of its side, then ACTIVE. */
  async function activate(placementId: string) {
    await moveTo(placementId, "CLEARING");
    const rest = await db.checklistItem.findMany({
      where: { placementId, required: true, status: { notIn: ["DONE", "WAIVED"] } },
    });
    for (const item of rest) {
      const hr = item.ownerSide === "HOME" ? w.homeHr : w.hostHr;
      const moved = await moveChecklistItem(hr, item.id, {
        to: "WAIVED",
        version: item.version,
        verifiedBy: "",
        verifiedOn: "",
        reference: "",
        level: "",
        expiresOn: "",
        reason: "Covered by the home institute's checks",
      });
      if (!moved.ok) throw new Error(JSON.stringify(moved));
    }
    await moveTo(placementId, "ACTIVE");
  }

  const accessEmails = (to: string) =>
    db.outboxEmail.count({ where: { to, template: "workspace-access" } });
  const audits = (action: string, workspaceId: string) =>
    db.auditEvent.count({ where: { action, targetId: workspaceId } });
  const membership = (workspaceId: string, userId: string) =>
    db.workspaceMember.findUnique({ where: { workspaceId_userId: { workspaceId, userId } } });

  test("activation makes the secondee an editor, emailed and audited; completion removes them", async () => {
    const placementId = await newPlacement();
    const ws = await newWorkspace(w.hostHr, "JOINT", "OFFICIAL", unique("Host team space"));
    expect(await linkPlacementWorkspace(w.hostHr, placementId, ws)).toEqual({ ok: true });
    // Planned: no access yet.
    expect(await membership(ws, w.applicant.id)).toBeNull();
    await expect(getWorkspaceFrame(w.applicant, ws)).rejects.toSatisfy(NOT_FOUND);

    const emails = await accessEmails(w.applicant.email);
    await activate(placementId);
    expect(await membership(ws, w.applicant.id)).toMatchObject({
      role: "EDITOR",
      viaPlacementId: placementId,
    });
    expect((await getWorkspaceFrame(w.applicant, ws)).role).toBe("EDITOR");
    expect(await accessEmails(w.applicant.email)).toBe(emails + 1);
    expect(await audits("workspace.placement_access_granted", ws)).toBe(1);

    await moveTo(placementId, "COMPLETED");
    expect(await membership(ws, w.applicant.id)).toBeNull();
    await expect(getWorkspaceFrame(w.applicant, ws)).rejects.toSatisfy(NOT_FOUND);
    expect(await accessEmails(w.applicant.email)).toBe(emails + 2);
    expect(await audits("workspace.placement_access_removed", ws)).toBe(1);
    const last = await db.outboxEmail.findFirstOrThrow({
      where: { to: w.applicant.email, template: "workspace-access" },
      orderBy: { createdAt: "desc" },
    });
    expect(last.text).toContain("Host team space");
  });

  test("cancelling an active placement removes the access it gave, not anyone else's", async () => {
    const placementId = await newPlacement(w.ukStaff);
    const ws = await newWorkspace(w.hostHr, "JOINT");
    await join(w.hostHr, ws, w.manager, "EDITOR");
    expect((await linkPlacementWorkspace(w.hostHr, placementId, ws)).ok).toBe(true);
    await activate(placementId);
    expect((await getWorkspaceFrame(w.ukStaff, ws)).role).toBe("EDITOR");
    const emails = await accessEmails(w.ukStaff.email);
    await moveTo(placementId, "CANCELLED");
    await expect(getWorkspaceFrame(w.ukStaff, ws)).rejects.toSatisfy(NOT_FOUND);
    expect(await accessEmails(w.ukStaff.email)).toBe(emails + 1);
    expect(await audits("workspace.placement_access_removed", ws)).toBe(1);
    expect((await getWorkspaceFrame(w.manager, ws)).role).toBe("EDITOR");
    expect((await getWorkspaceFrame(w.hostHr, ws)).role).toBe("OWNER");
  });

  test("linking to an active placement grants access at once; the host supervisor may link their own workspace", async () => {
    const placementId = await newPlacement();
    await activate(placementId);
    const { version } = await db.placement.findUniqueOrThrow({ where: { id: placementId } });
    await db.placement.update({
      where: { id: placementId },
      data: { hostSupervisorId: w.reviewer.id, version },
    });
    const ws = await newWorkspace(w.reviewer, "JOINT");
    expect(await linkPlacementWorkspace(w.reviewer, placementId, ws)).toEqual({ ok: true });
    expect(await membership(ws, w.applicant.id)).toMatchObject({
      role: "EDITOR",
      viaPlacementId: placementId,
    });
    expect(await linkPlacementWorkspace(w.reviewer, placementId, ws)).toEqual({
      ok: false,
      errors: { workspaceId: ["This workspace is already named."] },
    });
  });

  test("a US-only workspace cannot be linked to a UK secondee's placement; outsiders cannot link", async () => {
    const placementId = await newPlacement();
    const usOnly = await newWorkspace(w.hostHr, w.us.id);
    expect(await linkPlacementWorkspace(w.hostHr, placementId, usOnly)).toEqual({
      ok: false,
      errors: {
        workspaceId: [
          "This workspace is US-AISI-ONLY: the secondee's institute is outside its label",
        ],
      },
    });
    expect(await db.placementWorkspace.count({ where: { placementId } })).toBe(0);

    // The home side, and host staff who are neither HR nor the supervisor, cannot name workspaces.
    const joint = await newWorkspace(w.homeHr, "JOINT");
    await expect(linkPlacementWorkspace(w.homeHr, placementId, joint)).rejects.toSatisfy(NOT_FOUND);
    const usJoint = await newWorkspace(w.usStaff, "JOINT");
    await expect(linkPlacementWorkspace(w.usStaff, placementId, usJoint)).rejects.toSatisfy(
      NOT_FOUND,
    );
    // Host HR cannot name a workspace they do not own.
    await expect(linkPlacementWorkspace(w.hostHr, placementId, usJoint)).rejects.toSatisfy(
      NOT_FOUND,
    );
    expect(await db.placementWorkspace.count({ where: { placementId } })).toBe(0);
    await activate(placementId);
    expect(
      await db.workspaceMember.count({ where: { userId: w.applicant.id, workspaceId: usOnly } }),
    ).toBe(0);
  });

  test("the label cannot be narrowed past the secondee of a linked placement that is clearing", async () => {
    const placementId = await newPlacement();
    const ws = await newWorkspace(w.hostHr, "JOINT");
    expect((await linkPlacementWorkspace(w.hostHr, placementId, ws)).ok).toBe(true);
    await moveTo(placementId, "CLEARING");
    const settings = (await getMembersPage(w.hostHr, ws)).settings;
    const result = await updateWorkspaceSettings(w.hostHr, ws, { ...settings, label: w.us.id });
    expect(result).toEqual({
      ok: false,
      errors: {
        label: [
          "The label cannot be narrowed while these people are outside it: Amir Applicant (UK-AISI, placement). Remove them first.",
        ],
      },
    });
    expect(
      (await db.workspace.findUniqueOrThrow({ where: { id: ws } })).restrictedToInstituteId,
    ).toBeNull();
  });

  test("a secondee who was already a viewer keeps that membership when the placement ends", async () => {
    const placementId = await newPlacement();
    const ws = await newWorkspace(w.hostHr, "JOINT");
    await join(w.hostHr, ws, w.applicant, "VIEWER");
    expect((await linkPlacementWorkspace(w.hostHr, placementId, ws)).ok).toBe(true);
    await activate(placementId);
    expect((await getWorkspaceFrame(w.applicant, ws)).role).toBe("EDITOR");
    await moveTo(placementId, "COMPLETED");
    // The placement gave the editing; the earlier invitation gave the viewing, which remains.
    expect((await getWorkspaceFrame(w.applicant, ws)).role).toBe("VIEWER");
  });

  test("the end of a placement never leaves a workspace without an owner", async () => {
    const placementId = await newPlacement();
    const ws = await newWorkspace(w.hostHr, "JOINT");
    expect((await linkPlacementWorkspace(w.hostHr, placementId, ws)).ok).toBe(true);
    await activate(placementId);
    // Host HR hand the workspace over to the secondee and step back.
    expect(await setMemberRole(w.hostHr, ws, w.applicant.id, "OWNER")).toEqual({ ok: true });
    expect(await removeMember(w.hostHr, ws, w.hostHr.id)).toEqual({ ok: true });
    await moveTo(placementId, "COMPLETED");
    expect(await db.workspaceMember.count({ where: { workspaceId: ws, role: "OWNER" } })).toBe(1);
  });

  test("which workspaces a placement names is told only to those who may see the placement", async () => {
    const placementId = await newPlacement();
    const ws = await newWorkspace(w.hostHr, "JOINT", "OFFICIAL", unique("Named space"));
    expect((await linkPlacementWorkspace(w.hostHr, placementId, ws)).ok).toBe(true);
    const forHr = await placementWorkspaces(w.hostHr, placementId);
    expect(forHr.canLink).toBe(true);
    expect(forHr.linked.map((l) => l.id)).toEqual([ws]);
    // The secondee, their line manager and home HR may see the placement, but not link.
    for (const party of [w.applicant, w.manager, w.homeHr]) {
      const seen = await placementWorkspaces(party, placementId);
      expect(seen.canLink).toBe(false);
      expect(seen.linkable).toEqual([]);
    }
    expect((await placementWorkspaces(w.manager, placementId)).hiddenCount).toBe(1);
    for (const outsider of [w.jpStaff, w.usStaff, w.ukStaff, w.jpHr])
      await expect(placementWorkspaces(outsider, placementId)).rejects.toSatisfy(NOT_FOUND);
  });

  test("a secondee who was already an editor is untouched by the placement", async () => {
    const placementId = await newPlacement();
    const ws = await newWorkspace(w.hostHr, "JOINT");
    await join(w.hostHr, ws, w.applicant, "EDITOR");
    expect((await linkPlacementWorkspace(w.hostHr, placementId, ws)).ok).toBe(true);
    const emails = await accessEmails(w.applicant.email);
    await activate(placementId);
    await moveTo(placementId, "COMPLETED");
    expect(await membership(ws, w.applicant.id)).toMatchObject({
      role: "EDITOR",
      viaPlacementId: null,
    });
    expect(await accessEmails(w.applicant.email)).toBe(emails);
  });
});
