import { beforeAll, beforeEach, describe, expect, test } from "vitest";
import { docxBytes, exeBytes, pdfBytes } from "#test/factories/postings";
import { dayAfter, daysAfter } from "#test/support/clock";
import { csvCell } from "~/lib/csv";
import { db } from "~/lib/db.server";
import { resetEnvCache } from "~/lib/env.server";
import { downloadCv, getApplication } from "~/modules/applications/application-page.server";
import { listApplicationsFor } from "~/modules/applications/lists.server";
import { exportApplicationsCsv } from "~/modules/applications/posting-pipeline.server";
import { saveApplication, startApplication } from "~/modules/applications/drafts.server";
import { addNote } from "~/modules/applications/notes.server";
import { transitionApplication } from "~/modules/applications/pipeline.server";
import { assignReviewer, declareConflict, saveReview } from "~/modules/applications/reviews.server";
import { readApplicationDetail } from "~/modules/applications/queries.server";
import { verifyAuditChain } from "~/modules/audit/audit.server";
import { movePosting } from "~/modules/postings/postings.server";
import {
  advance,
  APPLICATION_FORM,
  BEFORE_DEADLINE,
  createPipelineWorld,
  openPosting,
  submittedApplication,
  type World,
} from "#test/support/pipeline-world";

let w: World;
beforeAll(async () => {
  w = await createPipelineWorld();
});

const outboxTo = (email: string) =>
  db.outboxEmail.findMany({ where: { to: email }, select: { subject: true, text: true } });

async function expectStatus(id: string, status: string) {
  const app = await db.application.findUniqueOrThrow({ where: { id }, select: { status: true } });
  expect(app.status).toBe(status);
}

async function expect404(promise: Promise<unknown>) {
  await expect(promise).rejects.toSatisfy(
    (r: unknown) => r instanceof Response && r.status === 404,
  );
}
async function expectDenied(promise: Promise<unknown>) {
  await expect(promise).rejects.toSatisfy(
    (r: unknown) => r instanceof Response && (r.status === 404 || r.status === 403),
  );
}

/** A day past the posting's deadline. */
async function dayAfterDeadline(postingId: string) {
  const { deadline } = await db.posting.findUniqueOrThrow({ where: { id: postingId } });
  return daysAfter(1, deadline);
}

describe("the journey: apply, release, review, offer, accept", () => {
  test("every step, its emails, its timeline, the placement and the filled posting", async () => {
    const postingId = await openPosting(w, { title: "Autonomy evaluations secondment" });
    const started = await startApplication(w.applicant, postingId, BEFORE_DEADLINE);
    expect(started.ok).toBe(true);
    const id = (started as { applicationId: string }).applicationId;
    // A replayed "Apply" finds the same draft: one application per person per posting.
    expect(await startApplication(w.applicant, postingId, BEFORE_DEADLINE)).toEqual(started);

    // Nobody else sees a draft.
    await expect404(getApplication(w.hostHr, id));
    await expect404(getApplication(w.manager, id));

    const saved = await saveApplication(
      w.applicant,
      id,
      { ...APPLICATION_FORM, intent: "submit", version: 0 },
      { name: "Amir CV.pdf", bytes: pdfBytes() },
      BEFORE_DEADLINE,
    );
    expect(saved).toEqual({ ok: true, submitted: true });
    await expectStatus(id, "SUBMITTED");
    expect((await outboxTo(w.applicant.email)).map((m) => m.subject)).toContain(
      "Application submitted: Autonomy evaluations secondment",
    );
    expect((await outboxTo(w.manager.email)).map((m) => m.subject)).toContain(
      "Release requested: Amir Applicant applied for Autonomy evaluations secondment",
    );

    // Home HR see it; the line manager releases with a comment.
    expect((await listApplicationsFor(w.homeHr)).staff.map((a) => a.id)).toContain(id);
    expect((await listApplicationsFor(w.manager)).releases.map((a) => a.id)).toContain(id);
    await advance(w, id, ["HOME_RELEASED", "UNDER_REVIEW"]);

    // Reviewers: assigned by host HR, declare before seeing anything.
    expect((await assignReviewer(w.hostHr, id, w.reviewer.id)).ok).toBe(true);
    expect((await assignReviewer(w.hostHr, id, w.reviewer2.id)).ok).toBe(true);
    expect((await outboxTo(w.reviewer.email)).map((m) => m.subject)).toContain(
      "You are asked to review an application: Autonomy evaluations secondment",
    );
    const pending = await getApplication(w.reviewer, id);
    expect(pending.application.statement).toBeNull();
    expect(pending.cv).toBeNull();
    await expect404(downloadCv(w.reviewer, id));
    expect((await declareConflict(w.reviewer, id, "NO_CONFLICT")).ok).toBe(true);
    expect((await declareConflict(w.reviewer2, id, "NO_CONFLICT")).ok).toBe(true);
    expect((await getApplication(w.reviewer, id)).application.statement).toContain("evaluations");

    // Scores: a reviewer sees the others' only after submitting their own.
    const scores = {
      score_expertise: "4",
      comment_expertise: "Deep autonomy evals work",
      score_fit: "3",
      comment_fit: "",
      score_contribution: "4",
      comment_contribution: "",
      score_readiness: "3",
      comment_readiness: "SC held",
      comment: "Strong candidate",
    };
    expect((await saveReview(w.reviewer, id, { ...scores, stage: "submit" })).ok).toBe(true);
    expect(
      (await saveReview(w.reviewer2, id, { ...scores, score_fit: "2", stage: "save" })).ok,
    ).toBe(true);
    const r2 = await getApplication(w.reviewer2, id);
    expect(r2.reviews.map((r) => r.reviewerName)).toEqual(["Raj Reviewer"]);
    expect(r2.aggregate).toBeNull();
    const r1 = await getApplication(w.reviewer, id);
    expect(r1.aggregate).not.toBeNull();
    // Reviewer 1 submitted, so sees reviewer 2's row only once it too is submitted.
    expect(r1.reviews.map((r) => r.reviewerName)).toEqual(["Rita Reviewer"]);
    expect((await saveReview(w.reviewer2, id, { ...scores, stage: "submit" })).ok).toBe(true);
    expect((await getApplication(w.reviewer, id)).reviews).toHaveLength(2);
    const hr = await getApplication(w.hostHr, id);
    expect(hr.aggregate).toEqual({ reviews: 2, assigned: 2, mean: 3.5 });

    // The applicant never sees scores or notes, of either side.
    await addNote(w.hostHr, id, "Host note: check team capacity");
    await addNote(w.manager, id, "Home note: covering their work with Sam");
    const own = await getApplication(w.applicant, id);
    expect(own.reviews).toEqual([]);
    expect(own.aggregate).toBeNull();
    expect(own.notes).toEqual([]);
    expect(JSON.stringify(own)).not.toMatch(/Host note|Home note|Strong candidate|autonomy evals/);
    // Each side sees its own notes only.
    expect((await getApplication(w.homeHr, id)).notes.map((n) => n.body)).toEqual([
      "Home note: covering their work with Sam",
    ]);
    expect((await getApplication(w.hostHr, id)).notes.map((n) => n.body)).toEqual([
      "Host note: check team capacity",
    ]);
    expect((await getApplication(w.homeHr, id)).reviews).toEqual([]);

    await advance(w, id, ["SHORTLISTED", "INTERVIEW", "OFFERED"]);
    expect((await outboxTo(w.applicant.email)).map((m) => m.subject)).toContain(
      "You have been offered the secondment: Autonomy evaluations secondment",
    );
    await advance(w, id, ["ACCEPTED"]);

    const placement = await db.placement.findUniqueOrThrow({ where: { applicationId: id } });
    expect(placement).toMatchObject({
      secondeeId: w.applicant.id,
      hostInstituteId: w.us.id,
      homeInstituteId: w.uk.id,
      status: "PLANNED",
    });
    const posting = await db.posting.findUniqueOrThrow({ where: { id: postingId } });
    expect(posting.status).toBe("FILLED");

    const timeline = (await getApplication(w.applicant, id)).timeline.map(
      (e) => `${e.fromStatus}>${e.toStatus}`,
    );
    expect(timeline).toEqual([
      "DRAFT>SUBMITTED",
      "SUBMITTED>HOME_RELEASED",
      "HOME_RELEASED>UNDER_REVIEW",
      "UNDER_REVIEW>SHORTLISTED",
      "SHORTLISTED>INTERVIEW",
      "INTERVIEW>OFFERED",
      "OFFERED>ACCEPTED",
    ]);
    expect((await outboxTo(w.hostHr.email)).map((m) => m.subject)).toContain(
      "Amir Applicant accepted the offer: Autonomy evaluations secondment",
    );
    expect((await verifyAuditChain()).firstBreak).toBeNull();
  });
});

describe("recusal", () => {
  test("removes access and any draft score", async () => {
    const postingId = await openPosting(w);
    const id = await submittedApplication(w, postingId, w.ukStaff);
    const app = await db.application.findUniqueOrThrow({ where: { id } });
    await transitionApplication(w.manager, id, {
      to: "HOME_RELEASED",
      version: app.version,
      comment: "",
    });
    await transitionApplication(w.hostHr, id, {
      to: "UNDER_REVIEW",
      version: app.version + 1,
      comment: "",
    });
    await assignReviewer(w.hostHr, id, w.reviewer.id);
    await declareConflict(w.reviewer, id, "NO_CONFLICT");
    await saveReview(w.reviewer, id, {
      score_expertise: "2",
      comment_expertise: "draft",
      score_fit: "",
      comment_fit: "",
      score_contribution: "",
      comment_contribution: "",
      score_readiness: "",
      comment_readiness: "",
      comment: "",
      stage: "save",
    });
    expect((await declareConflict(w.reviewer, id, "RECUSED")).ok).toBe(true);
    await expect404(getApplication(w.reviewer, id));
    await expect404(downloadCv(w.reviewer, id));
    const row = await db.reviewAssignment.findFirstOrThrow({
      where: { applicationId: id, reviewerId: w.reviewer.id },
    });
    expect(row.scores).toEqual({});
    expect(row.declaration).toBe("RECUSED");
    expect((await listApplicationsFor(w.reviewer)).reviews.map((a) => a.id)).not.toContain(id);
  });
});

describe("refused, and nothing changes", () => {
  let postingId: string;
  beforeEach(async () => {
    postingId = await openPosting(w);
  });

  test("a CV that is an executable renamed .pdf, an empty file, an oversize file", async () => {
    const started = await startApplication(w.applicant, postingId, BEFORE_DEADLINE);
    const id = (started as { applicationId: string }).applicationId;
    const filesBefore = await db.storedFile.count();
    const base = { ...APPLICATION_FORM, intent: "save" as const, version: 0 };
    expect(
      await saveApplication(w.applicant, id, base, { name: "cv.pdf", bytes: exeBytes() }),
    ).toEqual({ ok: false, errors: { cv: ["The CV must be a PDF or a Word (DOCX) document"] } });
    expect(
      await saveApplication(w.applicant, id, base, { name: "cv.pdf", bytes: new Uint8Array() }),
    ).toEqual({ ok: false, errors: { cv: ["The selected file is empty"] } });
    process.env.UPLOAD_MAX_BYTES = "2048";
    resetEnvCache();
    try {
      expect(
        await saveApplication(w.applicant, id, base, {
          name: "cv.pdf",
          bytes: new Uint8Array(4096).fill(0x25),
        }),
      ).toEqual({ ok: false, errors: { cv: ["The CV must be 2 KB or smaller"] } });
    } finally {
      delete process.env.UPLOAD_MAX_BYTES;
      resetEnvCache();
    }
    expect(await db.storedFile.count()).toBe(filesBefore);
    const app = await db.application.findUniqueOrThrow({ where: { id } });
    expect(app.version).toBe(0);
    expect(app.statement).toBe("");
    // A real DOCX is accepted, judged by content whatever its name.
    expect(
      (await saveApplication(w.applicant, id, base, { name: "my cv.bin", bytes: docxBytes() })).ok,
    ).toBe(true);
    const file = await db.storedFile.findFirstOrThrow({ where: { application: { id } } });
    expect(file.filename).toBe("my cv.docx");
  });

  test("submitting after the deadline, to a closed posting, or incomplete", async () => {
    const started = await startApplication(w.applicant, postingId, BEFORE_DEADLINE);
    const id = (started as { applicationId: string }).applicationId;
    const late = await saveApplication(
      w.applicant,
      id,
      { ...APPLICATION_FORM, intent: "submit", version: 0 },
      { name: "cv.pdf", bytes: pdfBytes() },
      await dayAfterDeadline(postingId),
    );
    expect(late).toEqual({
      ok: false,
      errors: { "": ["The deadline for this posting has passed."] },
    });
    const incomplete = await saveApplication(
      w.applicant,
      id,
      { ...APPLICATION_FORM, statement: "", availableFrom: "", intent: "submit", version: 0 },
      null,
      BEFORE_DEADLINE,
    );
    expect(incomplete.ok).toBe(false);
    expect(Object.keys((incomplete as { errors: object }).errors).sort()).toEqual([
      "availableFrom",
      "cv",
      "statement",
    ]);
    const app = await db.application.findUniqueOrThrow({ where: { id } });
    expect(app).toMatchObject({ status: "DRAFT", version: 0, cvFileId: null });
    expect(
      await db.storedFile.count({ where: { ownerId: w.applicant.id, application: { id } } }),
    ).toBe(0);
    // A posting closed by HR takes no more submissions, even from drafts started before.
    const posting = await db.posting.findUniqueOrThrow({ where: { id: postingId } });
    expect((await movePosting(w.hostHr, postingId, "CLOSED", posting.version)).ok).toBe(true);
    expect(
      await saveApplication(
        w.applicant,
        id,
        { ...APPLICATION_FORM, intent: "submit", version: 0 },
        { name: "cv.pdf", bytes: pdfBytes() },
        BEFORE_DEADLINE,
      ),
    ).toEqual({ ok: false, errors: { "": ["This posting is not open for applications."] } });
    await movePosting(w.hostHr, postingId, "CANCELLED", posting.version + 1);
    // After the deadline nobody can start an application either, closer run or not.
    const open = await openPosting(w);
    expect(await startApplication(w.ukStaff, open, await dayAfterDeadline(open))).toEqual({
      ok: false,
      errors: { "": ["The deadline for this posting has passed."] },
    });
  });

  test("moves out of order, by the wrong person, or at a stale version", async () => {
    const id = await submittedApplication(w, postingId);
    const eventsBefore = await db.applicationEvent.count({ where: { applicationId: id } });
    // Host HR cannot act before the home release: a clear message.
    expect(
      await transitionApplication(w.hostHr, id, { to: "UNDER_REVIEW", version: 1, comment: "" }),
    ).toEqual({
      ok: false,
      errors: { "": ["That move is not possible from the application's current stage."] },
    });
    // The applicant cannot release themselves; home HR cannot release either.
    await expectDenied(
      transitionApplication(w.applicant, id, { to: "HOME_RELEASED", version: 1, comment: "" }),
    );
    await expectDenied(
      transitionApplication(w.homeHr, id, { to: "HOME_RELEASED", version: 1, comment: "" }),
    );
    // Strangers are told it does not exist.
    for (const stranger of [w.jpStaff, w.jpHr, w.usStaff, w.admin, w.reviewer])
      await expect404(
        transitionApplication(stranger, id, { to: "HOME_RELEASED", version: 1, comment: "" }),
      );
    // A tampered version: the move is refused as a conflict.
    expect(
      await transitionApplication(w.manager, id, { to: "HOME_RELEASED", version: 0, comment: "" }),
    ).toMatchObject({ ok: false, conflict: true });
    // A decline needs a reason.
    expect(
      await transitionApplication(w.manager, id, { to: "HOME_DECLINED", version: 1, comment: "" }),
    ).toEqual({ ok: false, errors: { comment: ["Give a reason: the applicant will see it"] } });
    await expectStatus(id, "SUBMITTED");
    expect(await db.applicationEvent.count({ where: { applicationId: id } })).toBe(eventsBefore);
  });

  test("a replayed submission and another application's id are refused; nothing doubles", async () => {
    const started = await startApplication(w.applicant, postingId, BEFORE_DEADLINE);
    const id = (started as { applicationId: string }).applicationId;
    const submit = () =>
      saveApplication(
        w.applicant,
        id,
        { ...APPLICATION_FORM, intent: "submit", version: 0 },
        { name: "cv.pdf", bytes: pdfBytes() },
        BEFORE_DEADLINE,
      );
    const mailsBefore = (await outboxTo(w.manager.email)).length;
    expect((await submit()).ok).toBe(true);
    // The same POST again (a double click that got through, or a replay).
    expect(await submit()).toEqual({
      ok: false,
      errors: { "": ["This application is already submitted and can no longer be edited."] },
    });
    expect(await db.applicationEvent.count({ where: { applicationId: id } })).toBe(1);
    expect((await outboxTo(w.manager.email)).length).toBe(mailsBefore + 1);
    expect(
      await db.storedFile.count({ where: { ownerId: w.applicant.id, application: { id } } }),
    ).toBe(1);

    // Someone else's application id in the form: to them it does not exist.
    const other = await submittedApplication(w, postingId, w.ukStaff);
    await expect404(
      transitionApplication(w.applicant, other, { to: "WITHDRAWN", version: 1, comment: "" }),
    );
    await expect404(
      saveApplication(
        w.applicant,
        other,
        { ...APPLICATION_FORM, intent: "save", version: 1 },
        null,
      ),
    );
    await expectStatus(other, "SUBMITTED");
  });

  test("withdrawal until a final state, and not after", async () => {
    const id = await submittedApplication(w, postingId);
    await advance(w, id, ["HOME_RELEASED", "UNDER_REVIEW", "WITHDRAWN"]);
    await expectStatus(id, "WITHDRAWN");
    const v = (await db.application.findUniqueOrThrow({ where: { id } })).version;
    expect(
      await transitionApplication(w.applicant, id, { to: "WITHDRAWN", version: v, comment: "" }),
    ).toEqual({
      ok: false,
      errors: { "": ["This application is closed: no further moves are possible."] },
    });
  });

  test("no offer once the posting is filled or cancelled", async () => {
    const id = await submittedApplication(w, postingId, w.ukStaff);
    await advance(w, id, ["HOME_RELEASED", "UNDER_REVIEW", "SHORTLISTED"]);
    const posting = await db.posting.findUniqueOrThrow({ where: { id: postingId } });
    await movePosting(w.hostHr, postingId, "CANCELLED", posting.version);
    const { version } = await db.application.findUniqueOrThrow({ where: { id } });
    expect(
      await transitionApplication(w.hostHr, id, { to: "OFFERED", version, comment: "" }),
    ).toEqual({
      ok: false,
      errors: { "": ["The posting is no longer open for offers."] },
    });
    await expectStatus(id, "SHORTLISTED");
  });

  test("rejection carries its reason to the applicant", async () => {
    const id = await submittedApplication(w, postingId, w.ukStaff);
    const app = await db.application.findUniqueOrThrow({ where: { id } });
    await transitionApplication(w.manager, id, {
      to: "HOME_RELEASED",
      version: app.version,
      comment: "Go for it",
    });
    await transitionApplication(w.hostHr, id, {
      to: "REJECTED",
      version: app.version + 1,
      comment: "We need deeper cyber experience for this role.",
    });
    await expectStatus(id, "REJECTED");
    const mails = await outboxTo(w.ukStaff.email);
    const rejection = mails.find((m) =>
      m.subject.startsWith("Your application was not successful"),
    );
    expect(rejection?.text).toContain("We need deeper cyber experience for this role.");
  });
});

describe("CV download and CSV export", () => {
  test("each download is audited; those without standing get a 404", async () => {
    const postingId = await openPosting(w);
    const id = await submittedApplication(w, postingId);
    for (const allowed of [w.applicant, w.manager, w.homeHr, w.hostHr]) {
      const file = await downloadCv(allowed, id, "203.0.113.9");
      expect(Buffer.from(file.data).subarray(0, 5).toString()).toBe("%PDF-");
    }
    expect(
      await db.auditEvent.count({
        where: { action: "application.cv.download", targetId: id, ipAddress: "203.0.113.9" },
      }),
    ).toBe(4);
    for (const stranger of [w.usStaff, w.jpHr, w.admin, w.ukStaff, w.reviewer])
      await expect404(downloadCv(stranger, id));
  });

  test("cells are quoted and formulas neutralised; notes are not exported", async () => {
    expect(csvCell('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    for (const lead of ["=", "+", "-", "@"]) expect(csvCell(`${lead}1`)).toBe(`"'${lead}1"`);
    expect(csvCell("plain, text")).toBe(`"plain, text"`);

    const postingId = await openPosting(w);
    const evil = await db.user.create({
      data: {
        email: `evil.${Date.now()}@test.example`,
        displayName: "=cmd|' /C calc'!A0",
        instituteId: w.uk.id,
        lineManagerId: w.manager.id,
      },
    });
    const evilActor = { id: evil.id, email: evil.email, roles: evil.roles, instituteId: w.uk.id };
    const id = await submittedApplication(w, postingId, evilActor);
    await addNote(w.manager, id, "secret home note");
    const { csv } = await exportApplicationsCsv(w.hostHr, postingId);
    expect(csv).toContain(`"'=cmd|' /C calc'!A0"`);
    expect(csv).not.toContain("secret home note");
    await expect404(exportApplicationsCsv(w.homeHr, postingId));
    await expect404(exportApplicationsCsv(w.reviewer, postingId));
  });
});

describe("the application page's read", () => {
  // What the page read through Prisma before it was written as one SQL statement.
  const prismaRead = (id: string, sides: ("HOME" | "HOST")[], withReviews: boolean) =>
    db.application.findUnique({
      where: { id },
      select: {
        events: {
          orderBy: [{ createdAt: "asc" }, { id: "asc" }],
          select: {
            id: true,
            fromStatus: true,
            toStatus: true,
            comment: true,
            createdAt: true,
            actor: { select: { displayName: true } },
          },
        },
        notes: {
          where: { side: { in: sides } },
          orderBy: [{ createdAt: "asc" }, { id: "asc" }],
          select: {
            id: true,
            side: true,
            body: true,
            createdAt: true,
            author: { select: { displayName: true } },
          },
        },
        assignments: {
          where: withReviews ? {} : { reviewerId: { in: [] } },
          orderBy: [{ createdAt: "asc" }, { id: "asc" }],
          select: {
            declaration: true,
            submittedAt: true,
            scores: true,
            comment: true,
            reviewer: { select: { id: true, displayName: true } },
          },
        },
        cvFile: { select: { filename: true, size: true } },
      },
    });

  test("returns what Prisma's read of the same fields returns, for every side and with or without reviews", async () => {
    const postingId = await openPosting(w, { places: 3 });
    const id = await submittedApplication(w, postingId);
    await advance(w, id, ["HOME_RELEASED", "UNDER_REVIEW"]);
    expect((await assignReviewer(w.hostHr, id, w.reviewer.id)).ok).toBe(true);
    expect((await assignReviewer(w.hostHr, id, w.reviewer2.id)).ok).toBe(true);
    expect((await declareConflict(w.reviewer, id, "NO_CONFLICT")).ok).toBe(true);
    expect((await declareConflict(w.reviewer2, id, "RECUSED")).ok).toBe(true);
    const review = {
      score_expertise: "4",
      comment_expertise: 'Deep "autonomy" evals',
      score_fit: "3",
      comment_fit: "",
      score_contribution: "4",
      comment_contribution: "",
      score_readiness: "3",
      comment_readiness: "SC held",
      comment: "Strong; see \\notes",
    };
    expect((await saveReview(w.reviewer, id, { ...review, stage: "submit" })).ok).toBe(true);
    await addNote(w.hostHr, id, "Host note");
    await addNote(w.homeHr, id, "Home note: it's fine");
    await addNote(w.hostHr, id, "Second host note");
    // Notes at one instant, milliseconds and all (the id breaks the tie), and an event whose actor
    // was erased.
    const notes = await db.applicationNote.findMany({ where: { applicationId: id } });
    await db.applicationNote.updateMany({
      where: { applicationId: id },
      data: { createdAt: new Date(`${dayAfter(-1)}T09:00:00.123Z`) },
    });
    expect(notes.length).toBe(3);
    const [firstEvent] = await db.applicationEvent.findMany({
      where: { applicationId: id },
      orderBy: { createdAt: "asc" },
    });
    await db.applicationEvent.update({ where: { id: firstEvent!.id }, data: { actorId: null } });

    for (const [sides, withReviews] of [
      [[], false],
      [["HOME"], false],
      [["HOST"], true],
      [["HOME", "HOST"], true],
    ] as [("HOME" | "HOST")[], boolean][]) {
      const mine = await readApplicationDetail(id, sides, withReviews);
      expect(mine).toEqual(await prismaRead(id, sides, withReviews));
      expect(mine!.notes).toHaveLength(
        sides.length === 2 ? 3 : sides[0] === "HOST" ? 2 : sides[0] === "HOME" ? 1 : 0,
      );
      expect(mine!.assignments).toHaveLength(withReviews ? 2 : 0);
    }
    const all = (await readApplicationDetail(id, ["HOME", "HOST"], true))!;
    expect(all.events[0]!.actor).toBeNull();
    expect(all.events.length).toBeGreaterThan(2);
    expect(all.cvFile).not.toBeNull();
    const submitted = all.assignments.find((a) => a.reviewer.id === w.reviewer.id)!;
    expect(submitted.submittedAt).toBeInstanceOf(Date);
    expect(submitted.comment).toBe("Strong; see \\notes");

    // No CV, and an application that does not exist.
    await db.application.update({ where: { id }, data: { cvFileId: null } });
    expect((await readApplicationDetail(id, [], false))!.cvFile).toBeNull();
    expect(await readApplicationDetail("no-such-application", [], false)).toBeNull();
  });
});
