import { describe, expect, test } from "vitest";
import { db } from "~/lib/db.server";
import { getPage } from "~/modules/workspaces/pages.server";
import { createTask, listMyTasks } from "~/modules/workspaces/tasks.server";
import {
  createWorkspace,
  getWorkspaceFrame,
  listMyWorkspaces,
  updateWorkspaceSettings,
} from "~/modules/workspaces/workspaces.server";
import {
  answerInvitation,
  cancelInvitation,
  getMembersPage,
  inviteMember,
  removeMember,
} from "~/modules/workspaces/members.server";
import {
  contentCounts,
  expectShutOut,
  FORBIDDEN,
  furnish,
  join,
  movedTo,
  newWorkspace,
  NOT_FOUND,
  person,
  setUpWorkspacesWorld,
  unique,
  w,
} from "#test/support/workspaces-world";

setUpWorkspacesWorld();

// --- labels ---------------------------------------------------------------------------------------

describe("the handling label is enforced by every service", () => {
  const cases = [
    {
      label: "JOINT",
      owner: () => w.usStaff,
      insider: () => w.ukStaff,
      label_: () => "JOINT",
      // Nobody is excluded by JOINT; non-members of each institute, and an admin, stay out.
      outsiders: () => [w.reviewer, w.manager, w.jpStaff, w.admin, w.hostHr],
    },
    {
      label: "US-ONLY",
      owner: () => w.usStaff,
      insider: () => w.reviewer2,
      label_: () => w.us.id,
      outsiders: () => [w.ukStaff, w.homeHr, w.jpStaff, w.reviewer, w.admin],
    },
    {
      label: "UK-ONLY",
      owner: () => w.ukStaff,
      insider: () => w.manager,
      label_: () => w.uk.id,
      outsiders: () => [w.usStaff, w.hostHr, w.admin, w.jpStaff, w.applicant],
    },
  ];

  for (const c of cases)
    test(`${c.label}: non-members and excluded institutes get 404 everywhere and see nothing listed`, async () => {
      const owner = c.owner();
      const id = await newWorkspace(owner, c.label_());
      await join(owner, id, c.insider(), "EDITOR");
      const content = await furnish(owner, id, c.insider());
      // The members can see it (so the 404s below are about who asks, not a broken workspace).
      expect((await getWorkspaceFrame(c.insider(), id)).role).toBe("EDITOR");
      expect((await listMyTasks(c.insider())).map((t) => t.id)).toContain(content.taskId);
      const before = await contentCounts(id);
      for (const outsider of c.outsiders()) await expectShutOut(outsider, id, content);
      expect(await contentCounts(id)).toEqual(before);
    });

  test("the label is named everywhere, and a membership row across it grants nothing", async () => {
    const id = await newWorkspace(w.usStaff, w.us.id);
    expect((await listMyWorkspaces(w.usStaff)).workspaces.find((x) => x.id === id)?.label).toBe(
      "US-AISI-ONLY",
    );
    expect((await getWorkspaceFrame(w.usStaff, id)).label).toBe("US-AISI-ONLY");
    // Even a membership row that should never exist grants nothing across the label.
    await db.workspaceMember.create({
      data: { workspaceId: id, userId: w.ukStaff.id, role: "OWNER" },
    });
    await expect(getWorkspaceFrame(w.ukStaff, id)).rejects.toSatisfy(NOT_FOUND);
    expect((await listMyWorkspaces(w.ukStaff)).workspaces.map((x) => x.id)).not.toContain(id);
  });

  test("a member whose institute the label no longer admits loses access; JOINT is kept", async () => {
    const mover = await person(w.us.id, "Morgan Mover");
    const usOnly = await newWorkspace(w.usStaff, w.us.id);
    const joint = await newWorkspace(w.usStaff, "JOINT");
    await join(w.usStaff, usOnly, mover, "OWNER");
    await join(w.usStaff, joint, mover, "EDITOR");
    const content = await furnish(w.usStaff, usOnly, mover);
    const jointTask = await createTask(w.usStaff, joint, {
      title: "Joint task for the mover",
      assigneeId: mover.id,
      dueOn: "",
    });
    expect(jointTask.ok).toBe(true);
    expect((await getWorkspaceFrame(mover, usOnly)).role).toBe("OWNER");
    expect((await listMyTasks(mover)).map((t) => t.workspace.id).sort()).toEqual(
      [usOnly, joint].sort(),
    );

    const moved = await movedTo(mover, w.uk.id);
    await expectShutOut(moved, usOnly, content);
    expect((await getWorkspaceFrame(moved, joint)).role).toBe("EDITOR");
    expect((await listMyWorkspaces(moved)).workspaces.map((x) => x.id)).toEqual([joint]);
    expect((await listMyTasks(moved)).map((t) => t.workspace.id)).toEqual([joint]);
  });

  test("a UK-ONLY member moved to the US loses access too", async () => {
    const mover = await person(w.uk.id, "Riley Relocated");
    const ukOnly = await newWorkspace(w.ukStaff, w.uk.id);
    await join(w.ukStaff, ukOnly, mover, "VIEWER");
    const content = await furnish(w.ukStaff, ukOnly, mover);
    expect((await getPage(mover, ukOnly, content.pageId)).page.body).toContain("refused");
    await expectShutOut(await movedTo(mover, w.us.id), ukOnly, content);
  });

  test("a pending invitation disappears, and cannot be accepted, once the label excludes the invitee", async () => {
    const invitee = await person(w.us.id, "Ingrid Invitee");
    const id = await newWorkspace(w.usStaff, w.us.id);
    expect((await inviteMember(w.usStaff, id, { email: invitee.email, role: "EDITOR" })).ok).toBe(
      true,
    );
    const invitation = await db.workspaceInvitation.findFirstOrThrow({
      where: { workspaceId: id, inviteeId: invitee.id },
    });
    expect((await listMyWorkspaces(invitee)).invitations.map((i) => i.id)).toEqual([invitation.id]);
    const moved = await movedTo(invitee, w.uk.id);
    expect((await listMyWorkspaces(moved)).invitations).toEqual([]);
    await expect(answerInvitation(moved, invitation.id, "accept")).rejects.toSatisfy(NOT_FOUND);
    expect(await db.workspaceMember.count({ where: { workspaceId: id, userId: invitee.id } })).toBe(
      0,
    );
  });

  test("a workspace can only be labelled JOINT or with the creator's own institute", async () => {
    const before = await db.workspace.count();
    expect(
      await createWorkspace(w.usStaff, {
        name: "UK-only by a US person",
        purpose: "x",
        label: w.uk.id,
        marking: "OFFICIAL",
        template: "GENERAL",
      }),
    ).toEqual({
      ok: false,
      errors: { label: ["Choose JOINT or your own institute: you must be able to see it"] },
    });
    expect(await db.workspace.count()).toBe(before);
  });
});

// --- settings and the label ------------------------------------------------------------------------

describe("narrowing the label", () => {
  test("JOINT → US-only is refused while a UK member remains, naming them; after removal it succeeds and is audited", async () => {
    const id = await newWorkspace(w.usStaff, "JOINT", "OFFICIAL", unique("Narrowing"));
    await join(w.usStaff, id, w.ukStaff, "EDITOR");
    await join(w.usStaff, id, w.reviewer, "VIEWER");
    expect((await inviteMember(w.usStaff, id, { email: w.jpStaff.email, role: "VIEWER" })).ok).toBe(
      true,
    );
    const settings = (await getMembersPage(w.usStaff, id)).settings;
    const input = { ...settings, name: "Narrowed", label: w.us.id };
    const before = await db.workspace.findUniqueOrThrow({ where: { id } });

    const refused = await updateWorkspaceSettings(w.usStaff, id, input);
    expect(refused.ok).toBe(false);
    const message = (refused as { errors: Record<string, string[]> }).errors.label?.[0] ?? "";
    expect(message).toContain("Ursula Staff (UK-AISI, member)");
    expect(message).toContain("Jun Staff (JP-AISI, invited)");
    expect(message).not.toContain("Rita Reviewer");
    expect(await db.workspace.findUniqueOrThrow({ where: { id } })).toEqual(before);
    expect((await getWorkspaceFrame(w.ukStaff, id)).label).toBe("JOINT");
    expect(
      await db.auditEvent.count({ where: { action: "workspace.label_changed", targetId: id } }),
    ).toBe(0);

    expect((await removeMember(w.usStaff, id, w.ukStaff.id)).ok).toBe(true);
    const invitation = await db.workspaceInvitation.findFirstOrThrow({
      where: { workspaceId: id, status: "PENDING" },
    });
    expect((await cancelInvitation(w.usStaff, id, invitation.id)).ok).toBe(true);

    expect(await updateWorkspaceSettings(w.usStaff, id, input)).toEqual({ ok: true });
    const after = await db.workspace.findUniqueOrThrow({ where: { id } });
    expect(after).toMatchObject({
      restrictedToInstituteId: w.us.id,
      name: "Narrowed",
      version: before.version + 1,
    });
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { action: "workspace.label_changed", targetId: id },
    });
    expect(audit.actorId).toBe(w.usStaff.id);
    expect(audit.details).toEqual({ from: "JOINT", to: "US-AISI-ONLY" });
    expect((await getWorkspaceFrame(w.reviewer, id)).label).toBe("US-AISI-ONLY");

    // Saving again from the old version is a conflict, not a silent overwrite.
    expect(await updateWorkspaceSettings(w.usStaff, id, { ...input, name: "Stale" })).toMatchObject(
      {
        ok: false,
        conflict: true,
      },
    );
    expect((await db.workspace.findUniqueOrThrow({ where: { id } })).name).toBe("Narrowed");
  });

  test("an owner cannot label a workspace for another institute", async () => {
    const id = await newWorkspace(w.usStaff, "JOINT");
    const settings = (await getMembersPage(w.usStaff, id)).settings;
    expect(await updateWorkspaceSettings(w.usStaff, id, { ...settings, label: w.uk.id })).toEqual({
      ok: false,
      errors: { label: ["Choose JOINT or your own institute: you must be able to see it"] },
    });
    expect(
      (await db.workspace.findUniqueOrThrow({ where: { id } })).restrictedToInstituteId,
    ).toBeNull();
  });

  test("editors cannot change settings", async () => {
    const id = await newWorkspace(w.usStaff, "JOINT");
    await join(w.usStaff, id, w.reviewer, "EDITOR");
    const settings = (await getMembersPage(w.reviewer, id)).settings;
    await expect(
      updateWorkspaceSettings(w.reviewer, id, { ...settings, label: w.us.id }),
    ).rejects.toSatisfy(FORBIDDEN);
  });
});
