import { ensureChecklistTemplate, US_HOST_CHECKLIST } from "#test/factories/checklists";
import { sealTotpKey } from "~/modules/accounts/totp-keys.server";
import { ensureUser, issueOneTimeToken, uniqueEmail } from "#test/factories";
import { pdfBytes, postingInput } from "#test/factories/postings";
import { ensureTaxonomy } from "#test/factories/taxonomy";
import { dayAfter } from "#test/support/clock";
import { db } from "~/lib/db.server";
import type { Actor } from "~/lib/permissions";
import { hashPassword } from "~/lib/password.server";
import { generateTotpKey, totpCodeAt } from "~/lib/totp.server";
import { startApplication } from "~/modules/applications/drafts.server";
import { assignReviewer } from "~/modules/applications/reviews.server";
import { createPosting } from "~/modules/postings/postings.server";
import { addComment, createThread } from "~/modules/workspaces/discussion.server";
import { createPage } from "~/modules/workspaces/pages.server";
import { createTask } from "~/modules/workspaces/tasks.server";
import { registerFindings } from "~/modules/workspaces/registrations.server";
import { uploadFile } from "~/modules/workspaces/files.server";
import { answerInvitation, inviteMember } from "~/modules/workspaces/members.server";
import { createWorkspace } from "~/modules/workspaces/workspaces.server";
import {
  advance,
  BEFORE_DEADLINE,
  createPipelineWorld,
  openPosting,
  POSTED_AT,
  submittedApplication,
  type World,
} from "#test/support/pipeline-world";
import { must, toActor as actor } from "#test/factories/results";

// The world the action fuzzer works in: one record of every kind an action can touch, in the
// states where the actions do real work, and a person with the right to act for each. Everything
// is made through the services (as people would make it), so the audit chain is real from the start.

export type FuzzWorld = Awaited<ReturnType<typeof createFuzzWorld>>;

export const FUZZ_PASSWORD = "correct horse battery staple for fuzzing";

export async function createFuzzWorld() {
  const w: World = await createPipelineWorld();
  const person = async (
    institute: { id: string },
    name: string,
    extra: Partial<Parameters<typeof ensureUser>[1]> = {},
  ) => {
    const u = await ensureUser(db, {
      email: uniqueEmail(name.toLowerCase().replace(/\W+/g, ".")),
      displayName: name,
      instituteId: institute.id,
      ...extra,
    });
    return { ...actor(u), mfaKey: u.mfaKey };
  };

  // --- taxonomy, checklist template ---------------------------------------------------------
  const taxonomy = await ensureTaxonomy(db);
  const areaIds = [...taxonomy.values()];
  const fuzzAreaIds: string[] = [];
  for (const n of [1, 2, 3, 4]) {
    const area = await db.expertiseArea.create({
      data: { name: `Fuzz area ${n}`, description: "An area the fuzzer may rename and merge." },
    });
    fuzzAreaIds.push(area.id);
  }
  const templateId = await ensureChecklistTemplate(db, {
    hostInstituteId: w.us.id,
    homeInstituteId: w.uk.id,
    name: "Incoming from the UK",
    items: US_HOST_CHECKLIST,
  });
  const templateItemIds = (
    await db.checklistTemplateItem.findMany({ where: { templateId }, select: { id: true } })
  ).map((i) => i.id);

  // --- postings and applications -----------------------------------------------------------
  const drafter1 = await person(w.uk, "Dora Drafter", { lineManagerId: w.manager.id });
  const drafter2 = await person(w.uk, "Dan Drafter", { lineManagerId: w.manager.id });
  const placementPosting = await openPosting(w, { title: "Placement posting" });
  const pipelinePosting = await openPosting(w, { title: "Pipeline posting", places: 3 });
  const applyPosting = await openPosting(w, { title: "Apply posting" });
  const movePosting = await openPosting(w, { title: "Posting the fuzzer moves" });
  const editPosting = await openPosting(w, { title: "Posting the fuzzer edits" });
  const draftPosting = must(
    await createPosting(
      w.hostHr,
      postingInput({ contactHrId: w.hostHr.id, eligibleInstitutes: [w.uk.id, w.jp.id] }),
      POSTED_AT,
    ),
  ).postingId;
  const ukPosting = must(
    await createPosting(
      w.homeHr,
      postingInput({ contactHrId: w.homeHr.id, eligibleInstitutes: [w.us.id] }),
      POSTED_AT,
    ),
  ).postingId;

  // Accepted: becomes the placement.
  const placementApp = await submittedApplication(w, placementPosting);
  await advance(w, placementApp, [
    "HOME_RELEASED",
    "UNDER_REVIEW",
    "SHORTLISTED",
    "OFFERED",
    "ACCEPTED",
  ]);
  // Submitted: the line manager and host HR move it.
  const submittedApp = await submittedApplication(w, pipelinePosting, w.ukStaff);
  // Under review with two reviewers assigned: they declare and score.
  const reviewApp = await submittedApplication(w, pipelinePosting, w.applicant);
  await advance(w, reviewApp, ["HOME_RELEASED", "UNDER_REVIEW"]);
  must(await assignReviewer(w.hostHr, reviewApp, w.reviewer.id));
  must(await assignReviewer(w.hostHr, reviewApp, w.reviewer2.id));
  // Drafts their applicants edit (with a CV upload).
  const draftApp1 = must(
    await startApplication(drafter1, pipelinePosting, BEFORE_DEADLINE),
  ).applicationId;
  const draftApp2 = must(
    await startApplication(drafter2, pipelinePosting, BEFORE_DEADLINE),
  ).applicationId;

  const placement = await db.placement.update({
    where: { applicationId: placementApp },
    data: { hostSupervisorId: w.reviewer.id },
    select: { id: true },
  });
  const placementItemIds = (
    await db.checklistItem.findMany({ where: { placementId: placement.id }, select: { id: true } })
  ).map((i) => i.id);

  // --- workspaces ----------------------------------------------------------------------------
  const wsOwner = await person(w.us, "Willa Owner");
  const wsEditor = await person(w.uk, "Eddie Editor");
  const wsViewer = await person(w.jp, "Vera Viewer");
  const invitee = await person(w.uk, "Ines Invitee");
  const join = async (owner: Actor, workspaceId: string, who: Actor, role: "EDITOR" | "VIEWER") => {
    must(await inviteMember(owner, workspaceId, { email: who.email, role }));
    const invitation = await db.workspaceInvitation.findFirstOrThrow({
      where: { workspaceId, inviteeId: who.id, status: "PENDING" },
    });
    must(await answerInvitation(who, invitation.id, "accept"));
  };
  const newWorkspace = async (owner: Actor, name: string, label: string) =>
    must(
      await createWorkspace(owner, {
        name,
        purpose: "Where the fuzzer works.",
        label,
        marking: "OFFICIAL",
        template: "JOINT_TESTING",
      }),
    ).workspaceId;
  // The content workspace (pages, threads, tasks, files, registrations).
  const contentWs = await newWorkspace(wsOwner, "Fuzz content workspace", "JOINT");
  await join(wsOwner, contentWs, wsEditor, "EDITOR");
  await join(wsOwner, contentWs, wsViewer, "VIEWER");
  // The membership workspace (invitations, roles, settings): kept apart so that removing
  // members there leaves the content actions their people.
  const membersWs = await newWorkspace(wsOwner, "Fuzz members workspace", "JOINT");
  const m1 = await person(w.us, "Mel Member");
  const m2 = await person(w.uk, "Mo Member");
  await join(wsOwner, membersWs, m1, "EDITOR");
  await join(wsOwner, membersWs, m2, "VIEWER");
  must(await inviteMember(wsOwner, membersWs, { email: w.jpStaff.email, role: "VIEWER" }));
  // A workspace the UK keeps to itself: its ids are "other records" for everyone else.
  const ukWs = await newWorkspace(w.ukStaff, "UK only fuzz workspace", w.uk.id);
  must(await inviteMember(w.ukStaff, ukWs, { email: invitee.email, role: "EDITOR" }));
  must(await inviteMember(wsOwner, contentWs, { email: invitee.email, role: "VIEWER" }));
  must(await inviteMember(wsOwner, membersWs, { email: invitee.email, role: "EDITOR" }));

  const pageIds = (
    await db.workspacePage.findMany({ where: { workspaceId: contentWs }, select: { id: true } })
  ).map((p) => p.id);
  const extraPage = must(
    await createPage(wsOwner, contentWs, { title: "Notes", body: "Some *notes*." }),
  ).pageId;
  pageIds.push(extraPage);
  const threadId = must(
    await createThread(wsOwner, contentWs, {
      title: "A question",
      body: "What next?",
      pageId: extraPage,
    }),
  ).threadId;
  must(await addComment(wsEditor, contentWs, threadId, "Run it again."));
  const wsThread = must(
    await createThread(wsOwner, contentWs, { title: "General", body: "Hello.", pageId: "" }),
  ).threadId;
  must(
    await createTask(wsOwner, contentWs, {
      title: "Write it up",
      assigneeId: wsEditor.id,
      dueOn: dayAfter(34),
    }),
  );
  const fileId = must(
    await uploadFile(wsOwner, contentWs, { name: "results.pdf", bytes: pdfBytes("results") }),
  ).fileId;
  const registrationId = must(
    await registerFindings(wsOwner, contentWs, { title: "First findings", pageIds: [extraPage] }),
  ).registrationId;
  const taskIds = (
    await db.workspaceTask.findMany({ where: { workspaceId: contentWs }, select: { id: true } })
  ).map((t) => t.id);
  const ukPage = must(
    await createPage(w.ukStaff, ukWs, { title: "UK page", body: "UK eyes only." }),
  ).pageId;

  // --- accounts ------------------------------------------------------------------------------
  // Each action that ends sessions or changes a credential has a person of its own.
  const passwordHash = await hashPassword(FUZZ_PASSWORD);
  const withPassword = async (name: string, extra: Parameters<typeof person>[2] = {}) => {
    const p = await person(w.us, name, extra);
    await db.password.create({ data: { userId: p.id, hash: passwordHash } });
    return p;
  };
  const loginUser = await withPassword("Lou Login");
  const mfaUser = await withPassword("Max Mfa", { mfaKey: true });
  const passwordUser = await withPassword("Pat Password");
  const sessionUser = await withPassword("Sam Session");
  const enrolUser = await withPassword("Eno Enrol");
  const enrolKey = generateTotpKey();
  // Sealed, as enrolment stores it: a plain key would be sealed at its first read, a write the
  // fuzzer would see in a refused case (that path is tested in totp-at-rest.test.ts).
  await db.mfaSecret.create({
    data: { userId: enrolUser.id, sealedKey: sealTotpKey(enrolUser.id, enrolKey) },
  });
  const invitedUser = await person(w.uk, "Ivan Invited");
  const resetUser = await withPassword("Rae Reset");
  // People an admin may deactivate, edit and erase.
  const victims = [
    await person(w.us, "Vic Victim"),
    await person(w.uk, "Val Victim", { lineManagerId: w.manager.id }),
    await person(w.jp, "Vin Victim"),
  ];

  // --- outbox: a failed email to retry ---------------------------------------------------------
  const emails = await db.outboxEmail.findMany({ select: { id: true }, take: 4 });
  await db.outboxEmail.updateMany({
    where: { id: { in: emails.slice(0, 2).map((e) => e.id) } },
    data: { status: "FAILED" },
  });

  const people = {
    admin: w.admin,
    hostHr: w.hostHr,
    hostHr2: w.hostHr2,
    homeHr: w.homeHr,
    jpHr: w.jpHr,
    reviewer: w.reviewer,
    reviewer2: w.reviewer2,
    manager: w.manager,
    applicant: w.applicant,
    usStaff: w.usStaff,
    ukStaff: w.ukStaff,
    jpStaff: w.jpStaff,
    drafter1,
    drafter2,
    wsOwner,
    wsEditor,
    wsViewer,
    invitee,
    m1,
    m2,
    loginUser,
    mfaUser,
    passwordUser,
    sessionUser,
    enrolUser,
    invitedUser,
    resetUser,
  };

  return {
    w,
    people,
    mfaKey: mfaUser.mfaKey!,
    enrolKey,
    passwordHash,
    victims,
    areaIds,
    fuzzAreaIds,
    templateId,
    templateItemIds,
    postings: {
      placementPosting,
      pipelinePosting,
      applyPosting,
      movePosting,
      editPosting,
      draftPosting,
      ukPosting,
    },
    applications: { placementApp, submittedApp, reviewApp, draftApp1, draftApp2 },
    placementId: placement.id,
    placementItemIds,
    workspaces: { contentWs, membersWs, ukWs },
    pageIds,
    ukPage,
    threadIds: [threadId, wsThread],
    taskIds,
    fileId,
    registrationId,
    emailIds: emails.map((e) => e.id),
  };
}

export type PersonaKey = keyof FuzzWorld["people"];

/** A fresh one-time link token for the user. */
export const oneTimeToken = (userId: string, purpose: "INVITATION" | "PASSWORD_RESET") =>
  issueOneTimeToken(db, userId, purpose);

export const totpNow = (key: Uint8Array) => totpCodeAt(key);

/** Every id of every row in the tables people act on: "other records' ids" for the fuzzer. */
export async function allRecordIds(): Promise<{ users: string[]; others: string[] }> {
  const tables = [
    "Institute",
    "ExpertiseArea",
    "Posting",
    "Application",
    "ReviewAssignment",
    "Placement",
    "ChecklistTemplate",
    "ChecklistTemplateItem",
    "ChecklistItem",
    "Workspace",
    "WorkspaceInvitation",
    "WorkspacePage",
    "WorkspaceFile",
    "DiscussionThread",
    "Comment",
    "WorkspaceTask",
    "FindingsRegistration",
    "Notification",
    "OutboxEmail",
    "StoredFile",
  ];
  const rows = await db.$queryRawUnsafe<{ id: string }[]>(
    tables.map((t) => `SELECT id::text AS id FROM "${t}"`).join(" UNION ALL "),
  );
  const users = await db.user.findMany({ select: { id: true } });
  return { users: users.map((u) => u.id), others: rows.map((r) => r.id) };
}
