import { describe, expect, test } from "vitest";
import { ensureUser, uniqueEmail } from "#test/factories";
import { pdfBytes } from "#test/factories/postings";
import { db } from "~/lib/db.server";
import { createThread } from "~/modules/workspaces/discussion.server";
import { uploadFile } from "~/modules/workspaces/files.server";
import { createPage, getPage, getPageForEdit, savePage } from "~/modules/workspaces/pages.server";
import { registerFindings } from "~/modules/workspaces/registrations.server";
import { createTask } from "~/modules/workspaces/tasks.server";
import { getWorkspaceFrame, listMyWorkspaces } from "~/modules/workspaces/workspaces.server";
import {
  answerInvitation,
  cancelInvitation,
  inviteMember,
  removeMember,
  setMemberRole,
} from "~/modules/workspaces/members.server";
import {
  contentCounts,
  FORBIDDEN,
  join,
  movedTo,
  newWorkspace,
  NOT_FOUND,
  page,
  person,
  setUpWorkspacesWorld,
  unique,
  w,
} from "#test/support/workspaces-world";

setUpWorkspacesWorld();

// --- invitations ------------------------------------------------------------------------------

describe("inviting members", () => {
  async function sideEffects(workspaceId: string) {
    return {
      invitations: await db.workspaceInvitation.count({ where: { workspaceId } }),
      outbox: await db.outboxEmail.count(),
      members: await db.workspaceMember.count({ where: { workspaceId } }),
      audit: await db.auditEvent.count({ where: { targetId: workspaceId } }),
    };
  }

  test("staff of an institute the label excludes are refused on the email field; nothing is written", async () => {
    const id = await newWorkspace(w.usStaff, w.us.id);
    const before = await sideEffects(id);
    expect(await inviteMember(w.usStaff, id, { email: w.ukStaff.email, role: "EDITOR" })).toEqual({
      ok: false,
      errors: {
        email: ["This workspace is US-AISI-ONLY: staff of other institutes cannot be invited"],
      },
    });
    expect(await inviteMember(w.usStaff, id, { email: w.jpStaff.email, role: "VIEWER" })).toEqual({
      ok: false,
      errors: {
        email: ["This workspace is US-AISI-ONLY: staff of other institutes cannot be invited"],
      },
    });
    expect(await sideEffects(id)).toEqual(before);
  });

  test("an unknown or deactivated address is refused without saying more", async () => {
    const id = await newWorkspace(w.usStaff, "JOINT");
    const gone = await ensureUser(db, {
      email: uniqueEmail("gone"),
      displayName: "Gone Person",
      instituteId: w.us.id,
      deactivated: true,
    });
    const before = await sideEffects(id);
    for (const email of ["nobody@nowhere.example", gone.email])
      expect(await inviteMember(w.usStaff, id, { email, role: "EDITOR" })).toEqual({
        ok: false,
        errors: { email: ["Nobody with an active portal account has that address"] },
      });
    expect(await sideEffects(id)).toEqual(before);
  });

  test("an invitation is emailed; accepting makes a member with the invited role", async () => {
    const name = unique("Invited to");
    const id = await newWorkspace(w.usStaff, "JOINT", "OFFICIAL", name);
    const emails = await db.outboxEmail.count({
      where: { to: w.jpStaff.email, template: "workspace-invitation" },
    });
    expect((await inviteMember(w.usStaff, id, { email: w.jpStaff.email, role: "VIEWER" })).ok).toBe(
      true,
    );
    expect(
      await db.outboxEmail.count({
        where: { to: w.jpStaff.email, template: "workspace-invitation" },
      }),
    ).toBe(emails + 1);
    // Not a member yet: the workspace stays hidden until the invitation is accepted.
    await expect(getWorkspaceFrame(w.jpStaff, id)).rejects.toSatisfy(NOT_FOUND);
    const mine = await listMyWorkspaces(w.jpStaff);
    const invitation = mine.invitations.find((i) => i.workspaceName === name)!;
    expect(invitation).toMatchObject({ role: "VIEWER", label: "JOINT", marking: "OFFICIAL" });
    expect(mine.workspaces.map((x) => x.id)).not.toContain(id);

    // Someone else cannot answer it.
    await expect(answerInvitation(w.ukStaff, invitation.id, "accept")).rejects.toSatisfy(NOT_FOUND);
    expect(await answerInvitation(w.jpStaff, invitation.id, "accept")).toEqual({
      ok: true,
      workspaceId: id,
    });
    expect((await getWorkspaceFrame(w.jpStaff, id)).role).toBe("VIEWER");
    expect((await listMyWorkspaces(w.jpStaff)).workspaces.map((x) => x.id)).toContain(id);
    expect(await answerInvitation(w.jpStaff, invitation.id, "decline")).toEqual({
      ok: false,
      errors: { "": ["This invitation has already been answered or withdrawn."] },
    });
    expect(await inviteMember(w.usStaff, id, { email: w.jpStaff.email, role: "OWNER" })).toEqual({
      ok: false,
      errors: { email: ["Jun Staff is already a member"] },
    });
    expect(
      await db.auditEvent.count({ where: { action: "workspace.member_joined", targetId: id } }),
    ).toBe(1);
  });

  test("a withdrawn invitation cannot be accepted; only owners invite", async () => {
    const id = await newWorkspace(w.ukStaff, "JOINT");
    await join(w.ukStaff, id, w.manager, "EDITOR");
    await expect(
      inviteMember(w.manager, id, { email: w.applicant.email, role: "OWNER" }),
    ).rejects.toSatisfy(FORBIDDEN);
    expect(
      (await inviteMember(w.ukStaff, id, { email: w.applicant.email, role: "EDITOR" })).ok,
    ).toBe(true);
    expect(await inviteMember(w.ukStaff, id, { email: w.applicant.email, role: "EDITOR" })).toEqual(
      {
        ok: false,
        errors: { email: ["Amir Applicant has already been invited"] },
      },
    );
    const invitation = await db.workspaceInvitation.findFirstOrThrow({
      where: { workspaceId: id, inviteeId: w.applicant.id },
    });
    expect((await cancelInvitation(w.ukStaff, id, invitation.id)).ok).toBe(true);
    expect(await answerInvitation(w.applicant, invitation.id, "accept")).toEqual({
      ok: false,
      errors: { "": ["This invitation has already been answered or withdrawn."] },
    });
    await expect(getWorkspaceFrame(w.applicant, id)).rejects.toSatisfy(NOT_FOUND);
  });
});

// --- roles ------------------------------------------------------------------------------------------

describe("members and roles", () => {
  const LAST_OWNER = "A workspace needs at least one owner. Make someone else an owner first.";

  test("the last owner can neither leave nor be demoted", async () => {
    const id = await newWorkspace(w.usStaff, "JOINT");
    await join(w.usStaff, id, w.reviewer, "EDITOR");
    expect(await removeMember(w.usStaff, id, w.usStaff.id)).toEqual({
      ok: false,
      errors: { "": [LAST_OWNER] },
    });
    expect(await setMemberRole(w.usStaff, id, w.usStaff.id, "EDITOR")).toEqual({
      ok: false,
      errors: { "": [LAST_OWNER] },
    });
    expect((await getWorkspaceFrame(w.usStaff, id)).role).toBe("OWNER");
  });

  test("an owner the label no longer admits does not count as the other owner", async () => {
    const other = await person(w.us.id, "Olive Owner");
    const id = await newWorkspace(w.usStaff, w.us.id);
    await join(w.usStaff, id, other, "OWNER");
    await join(w.usStaff, id, w.reviewer, "EDITOR");
    await movedTo(other, w.uk.id);
    // The other owner can no longer open the workspace, so leaving would leave nobody to run it.
    expect(await removeMember(w.usStaff, id, w.usStaff.id)).toEqual({
      ok: false,
      errors: { "": [LAST_OWNER] },
    });
    expect((await getWorkspaceFrame(w.usStaff, id)).role).toBe("OWNER");
  });

  test("of two owners stepping down at once, exactly one may", async () => {
    const id = await newWorkspace(w.usStaff, "JOINT");
    await join(w.usStaff, id, w.reviewer, "OWNER");
    const results = await Promise.all([
      setMemberRole(w.usStaff, id, w.usStaff.id, "EDITOR"),
      removeMember(w.reviewer, id, w.reviewer.id),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await db.workspaceMember.count({ where: { workspaceId: id, role: "OWNER" } })).toBe(1);
  });

  test("an owner removes an editor, who then cannot find the workspace", async () => {
    const id = await newWorkspace(w.ukStaff, "JOINT");
    await join(w.ukStaff, id, w.usStaff, "EDITOR");
    expect((await removeMember(w.ukStaff, id, w.usStaff.id)).ok).toBe(true);
    await expect(getWorkspaceFrame(w.usStaff, id)).rejects.toSatisfy(NOT_FOUND);
    expect(
      await db.auditEvent.count({ where: { action: "workspace.member_removed", targetId: id } }),
    ).toBe(1);
  });

  test("a viewer reads and comments but cannot edit (403); an editor cannot manage (403)", async () => {
    const id = await newWorkspace(w.ukStaff, "JOINT");
    await join(w.ukStaff, id, w.usStaff, "VIEWER");
    await join(w.ukStaff, id, w.manager, "EDITOR");
    const pageId = await page(w.ukStaff, id, "Plan", "Step one");
    const before = await contentCounts(id);
    for (const call of [
      () => createPage(w.usStaff, id, { title: "Mine", body: "x" }),
      () => savePage(w.usStaff, id, pageId, { title: "Plan", body: "Changed", baseVersion: 1 }),
      () => getPageForEdit(w.usStaff, id, pageId),
      () => uploadFile(w.usStaff, id, { name: "x.pdf", bytes: pdfBytes() }),
      () => createTask(w.usStaff, id, { title: "T", assigneeId: "", dueOn: "" }),
      () => registerFindings(w.usStaff, id, { title: "Mine", pageIds: [pageId] }),
      () => setMemberRole(w.usStaff, id, w.usStaff.id, "OWNER"),
      () => removeMember(w.usStaff, id, w.manager.id),
      () => setMemberRole(w.manager, id, w.manager.id, "OWNER"),
      () => inviteMember(w.manager, id, { email: w.jpStaff.email, role: "VIEWER" }),
    ])
      await expect(call()).rejects.toSatisfy(FORBIDDEN);
    expect(await contentCounts(id)).toEqual(before);
    expect((await getWorkspaceFrame(w.usStaff, id)).role).toBe("VIEWER");
    expect((await getPage(w.usStaff, id, pageId)).page.body).toBe("Step one");
    expect(
      (await createThread(w.usStaff, id, { title: "Question", body: "Why step one?", pageId })).ok,
    ).toBe(true);
    // Anyone may leave.
    expect((await removeMember(w.usStaff, id, w.usStaff.id)).ok).toBe(true);
  });
});
