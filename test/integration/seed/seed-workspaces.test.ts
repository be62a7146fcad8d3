import { expect, test } from "vitest";
import { db } from "~/lib/db.server";
import { verifyAuditChain } from "~/modules/audit/audit.server";
import { getRegistration } from "~/modules/workspaces/registrations.server";
import { JOINT_TESTING_PAGES } from "~/modules/workspaces/joint-testing";
import { getWorkspaceFrame, listMyWorkspaces } from "~/modules/workspaces/workspaces.server";
import { seed } from "../../../prisma/demo";

async function counts() {
  return {
    workspaces: await db.workspace.count(),
    members: await db.workspaceMember.count(),
    invitations: await db.workspaceInvitation.count(),
    pages: await db.workspacePage.count(),
    versions: await db.pageVersion.count(),
    threads: await db.discussionThread.count(),
    comments: await db.comment.count(),
    tasks: await db.workspaceTask.count(),
    files: await db.workspaceFileVersion.count(),
    registrations: await db.findingsRegistration.count(),
    activity: await db.workspaceActivity.count(),
    audit: await db.auditEvent.count({ where: { action: { startsWith: "workspace." } } }),
  };
}

const actor = (email: string) =>
  db.user.findUniqueOrThrow({
    where: { email },
    select: { id: true, email: true, roles: true, instituteId: true },
  });

test(
  "the demo seed builds a joint testing exercise and one workspace per institute, once",
  { timeout: 120_000 },
  async () => {
    await seed();
    const first = await counts();
    await seed();
    expect(await counts()).toEqual(first);
    expect(first.workspaces).toBe(3);

    // The joint exercise: JOINT, with people of both institutes in every role.
    const joint = await db.workspace.findFirstOrThrow({
      where: { kind: "JOINT_TESTING" },
      select: {
        id: true,
        name: true,
        marking: true,
        restrictedToInstituteId: true,
        createdById: true,
        members: {
          select: { role: true, user: { select: { email: true, institute: true } } },
        },
        invitations: { select: { status: true } },
      },
    });
    const priya = await actor("priya.natarajan@us-aisi.example");
    expect(joint.createdById).toBe(priya.id);
    expect(joint.restrictedToInstituteId).toBeNull();
    expect(joint.marking).toBe("OFFICIAL_SENSITIVE");
    expect(await getWorkspaceFrame(priya, joint.id)).toMatchObject({
      label: "JOINT",
      marking: "OFFICIAL-SENSITIVE",
      role: "OWNER",
    });
    expect(new Set(joint.members.map((m) => m.user.institute.code))).toEqual(
      new Set(["US-AISI", "UK-AISI"]),
    );
    expect(new Set(joint.members.map((m) => m.role))).toEqual(
      new Set(["OWNER", "EDITOR", "VIEWER"]),
    );
    // Everyone but the creator joined by accepting an invitation.
    expect(joint.invitations).toHaveLength(joint.members.length - 1);
    expect(joint.invitations.every((i) => i.status === "ACCEPTED")).toBe(true);

    // The four standard pages, written over several versions by several people.
    const pages = await db.workspacePage.findMany({
      where: { workspaceId: joint.id },
      select: {
        id: true,
        title: true,
        version: true,
        body: true,
        versions: { select: { authorId: true } },
      },
    });
    expect(pages.map((p) => p.title).sort()).toEqual(
      JOINT_TESTING_PAGES.map((p) => p.title).sort(),
    );
    for (const page of pages) {
      expect(page.versions.length).toBe(page.version);
      expect(page.version).toBeGreaterThan(1);
      expect(new Set(page.versions.map((v) => v.authorId)).size).toBeGreaterThan(1);
    }
    expect(Math.max(...pages.map((p) => p.version))).toBeGreaterThanOrEqual(5);
    const plan = pages.find((p) => p.title === "Test plan")!;
    for (const domain of ["Cyber", "Chem/bio uplift", "Autonomy", "Safeguards"])
      expect(plan.body).toContain(`| ${domain} |`);

    // Discussion, one of them on the Findings page.
    const findings = pages.find((p) => p.title === "Findings")!;
    const threads = await db.discussionThread.findMany({
      where: { workspaceId: joint.id },
      select: { pageId: true, _count: { select: { comments: true } } },
    });
    expect(threads.length).toBeGreaterThanOrEqual(2);
    expect(threads.some((t) => t.pageId === findings.id && t._count.comments > 1)).toBe(true);

    // Tasks with assignees and due dates, in every status.
    const tasks = await db.workspaceTask.findMany({
      where: { workspaceId: joint.id },
      select: { status: true, assigneeId: true, dueOn: true },
    });
    expect(tasks.length).toBeGreaterThanOrEqual(6);
    expect(tasks.every((t) => t.assigneeId && t.dueOn)).toBe(true);
    expect(new Set(tasks.map((t) => t.status))).toEqual(new Set(["OPEN", "IN_PROGRESS", "DONE"]));

    // A file with two versions.
    const files = await db.workspaceFile.findMany({
      where: { workspaceId: joint.id },
      select: { _count: { select: { versions: true } } },
    });
    expect(files.map((f) => f._count.versions)).toContain(2);

    // One registration of the Findings and Report pages, whose content still matches its hash.
    const registrations = await db.findingsRegistration.findMany({
      where: { workspaceId: joint.id },
      select: { id: true },
    });
    expect(registrations).toHaveLength(1);
    const registration = await getRegistration(priya, joint.id, registrations[0]!.id);
    expect(registration.intact).toBe(true);
    expect(registration.pages.map((p) => p.title).sort()).toEqual(["Findings", "Report"]);

    // One workspace per institute, restricted to it, with members of that institute only.
    for (const code of ["US-AISI", "UK-AISI"]) {
      const institute = await db.institute.findUniqueOrThrow({ where: { code } });
      const own = await db.workspace.findMany({
        where: { restrictedToInstituteId: institute.id },
        select: {
          id: true,
          members: { select: { role: true, user: { select: { instituteId: true } } } },
          _count: { select: { pages: true, tasks: true } },
        },
      });
      expect(own).toHaveLength(1);
      const workspace = own[0]!;
      expect(workspace.members.length).toBeGreaterThan(1);
      expect(workspace.members.every((m) => m.user.instituteId === institute.id)).toBe(true);
      expect(workspace._count.pages).toBeGreaterThan(0);
      expect(workspace._count.tasks).toBeGreaterThan(0);
    }

    // What the README promises: a UK researcher sees the joint exercise and the UK workspace.
    const aisha = await listMyWorkspaces(await actor("aisha.rahman@uk-aisi.example"));
    expect(aisha.workspaces.map((w) => w.label).sort()).toEqual(["JOINT", "UK-AISI-ONLY"]);
    expect(aisha.workspaces.find((w) => w.label === "JOINT")?.role).toBe("VIEWER");
    const jordan = await listMyWorkspaces(await actor("jordan.rivera@us-aisi.example"));
    expect(jordan.workspaces).toEqual([]);

    // The services wrote real audit events, and the chain still verifies.
    expect(first.audit).toBeGreaterThan(0);
    expect((await verifyAuditChain()).firstBreak).toBeNull();
  },
);
