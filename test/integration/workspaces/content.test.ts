import { describe, expect, test } from "vitest";
import { exeBytes, pdfBytes } from "#test/factories/postings";
import { clock } from "~/lib/clock";
import { db } from "~/lib/db.server";
import { addComment, createThread, getThread } from "~/modules/workspaces/discussion.server";
import { downloadFile, listFiles, uploadFile } from "~/modules/workspaces/files.server";
import {
  downloadPageVersion,
  getPage,
  getPageHistory,
  listPages,
  savePage,
} from "~/modules/workspaces/pages.server";
import {
  getRegistration,
  registerFindings,
  registrationHash,
} from "~/modules/workspaces/registrations.server";
import { searchWorkspace } from "~/modules/workspaces/search.server";
import { createTask, moveTask } from "~/modules/workspaces/tasks.server";
import { createWorkspace, getWorkspaceFrame } from "~/modules/workspaces/workspaces.server";
import {
  contentCounts,
  FORBIDDEN,
  furnish,
  join,
  newWorkspace,
  NOT_FOUND,
  page,
  setUpWorkspacesWorld,
  unique,
  w,
} from "#test/support/workspaces-world";

setUpWorkspacesWorld();

// --- pages ------------------------------------------------------------------------------------------

describe("pages", () => {
  test("a save from a stale version is a conflict carrying the current text; nothing is written", async () => {
    const id = await newWorkspace(w.usStaff, "JOINT");
    await join(w.usStaff, id, w.ukStaff, "EDITOR");
    const pageId = await page(w.usStaff, id, "Method", "We ran three prompts.");
    expect(
      await savePage(w.ukStaff, id, pageId, {
        title: "Method",
        body: "We ran three prompts.\nEach twice.",
        baseVersion: 1,
      }),
    ).toEqual({ ok: true });
    const versions = await db.pageVersion.count({ where: { pageId } });
    const result = await savePage(w.usStaff, id, pageId, {
      title: "Method",
      body: "We ran four prompts.",
      baseVersion: 1,
    });
    expect(result).toMatchObject({
      ok: false,
      conflict: true,
      current: {
        title: "Method",
        body: "We ran three prompts.\nEach twice.",
        version: 2,
        updatedByName: "Ursula Staff",
      },
    });
    expect(JSON.stringify(result)).toContain("Ursula Staff saved this page (version 2)");
    expect(await db.pageVersion.count({ where: { pageId } })).toBe(versions);
    expect((await getPage(w.usStaff, id, pageId)).page.body).toBe(
      "We ran three prompts.\nEach twice.",
    );
  });

  test("a joint testing workspace starts with the standard pages, each at version 1", async () => {
    const created = await createWorkspace(w.ukStaff, {
      name: unique("Joint test"),
      purpose: "Pre-deployment test",
      label: "JOINT",
      marking: "OFFICIAL_SENSITIVE",
      template: "JOINT_TESTING",
    });
    const id = (created as { workspaceId: string }).workspaceId;
    const pages = (await listPages(w.ukStaff, id)).pages;
    expect(pages.map((p) => p.title).sort()).toEqual(
      ["Findings", "Model access", "Report", "Test plan"].sort(),
    );
    expect(pages.every((p) => p.version === 1)).toBe(true);
    expect(await db.pageVersion.count({ where: { page: { workspaceId: id } } })).toBe(4);
    expect((await getWorkspaceFrame(w.ukStaff, id)).marking).toBe("OFFICIAL-SENSITIVE");
  });

  test("two saves from the same version at once: exactly one is kept", async () => {
    const id = await newWorkspace(w.usStaff, "JOINT");
    await join(w.usStaff, id, w.ukStaff, "EDITOR");
    const pageId = await page(w.usStaff, id, "Results", "Pending");
    const results = await Promise.all([
      savePage(w.usStaff, id, pageId, { title: "Results", body: "US text", baseVersion: 1 }),
      savePage(w.ukStaff, id, pageId, { title: "Results", body: "UK text", baseVersion: 1 }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && "conflict" in r && r.conflict)).toHaveLength(1);
    const saved = await db.workspacePage.findUniqueOrThrow({ where: { id: pageId } });
    expect(saved.version).toBe(2);
    expect(await db.pageVersion.count({ where: { pageId } })).toBe(2);
    const v2 = await db.pageVersion.findUniqueOrThrow({
      where: { pageId_version: { pageId, version: 2 } },
    });
    expect(v2.body).toBe(saved.body);
  });

  test("history lists every version and shows the difference between two", async () => {
    const id = await newWorkspace(w.usStaff, "JOINT");
    await join(w.usStaff, id, w.jpStaff, "VIEWER");
    const pageId = await page(w.usStaff, id, "Plan", "alpha\nbeta\ngamma");
    await savePage(w.usStaff, id, pageId, {
      title: "Plan",
      body: "alpha\nBETA\ngamma",
      baseVersion: 1,
    });
    await savePage(w.usStaff, id, pageId, {
      title: "Plan v3",
      body: "alpha\nBETA\ngamma\ndelta",
      baseVersion: 2,
    });
    const history = await getPageHistory(w.jpStaff, id, pageId, { from: 1, to: 2 });
    expect(history.versions.map((v) => [v.version, v.authorName])).toEqual([
      [3, "Ulysses Staff"],
      [2, "Ulysses Staff"],
      [1, "Ulysses Staff"],
    ]);
    expect(history.diff).toEqual([
      { kind: "same", text: "alpha" },
      { kind: "removed", text: "beta" },
      { kind: "added", text: "BETA" },
      { kind: "same", text: "gamma" },
    ]);
    expect(history.titleChange).toBeNull();
    // Default: the last two versions.
    const latest = await getPageHistory(w.jpStaff, id, pageId, { from: 0, to: 0 });
    expect([latest.from, latest.to]).toEqual([2, 3]);
    expect(latest.titleChange).toEqual({ from: "Plan", to: "Plan v3" });
    expect(latest.diff!.filter((l) => l.kind !== "same")).toEqual([
      { kind: "added", text: "delta" },
    ]);
  });

  test("versions too different to compare line by line: history shows both, a stale save says so", async () => {
    const id = await newWorkspace(w.usStaff, "JOINT");
    await join(w.usStaff, id, w.jpStaff, "VIEWER");
    const lines = (tag: string) =>
      Array.from({ length: 2_000 }, (_, i) => `${tag} ${i}`).join("\n");
    const pageId = await page(w.usStaff, id, "Data", lines("old"));
    await savePage(w.usStaff, id, pageId, { title: "Data", body: lines("new"), baseVersion: 1 });
    const history = await getPageHistory(w.jpStaff, id, pageId, { from: 1, to: 2 });
    expect(history.diff).toBeNull();
    expect(history.texts).toEqual({ from: lines("old"), to: lines("new") });
    // An ordinary comparison carries no texts.
    const same = await getPageHistory(w.jpStaff, id, pageId, { from: 2, to: 2 });
    expect(same.texts).toBeNull();
    // Each version downloads as a markdown file named after the marking and the page.
    const v1 = await downloadPageVersion(w.jpStaff, id, pageId, 1);
    expect(v1.data.toString("utf8")).toBe(lines("old"));
    expect(v1.filename).toBe("OFFICIAL Data (version 1).md");
    expect(v1.contentType).toBe("text/markdown; charset=utf-8");
    expect((await downloadPageVersion(w.jpStaff, id, pageId, 2)).data.toString()).toBe(
      lines("new"),
    );
    await expect(downloadPageVersion(w.jpStaff, id, pageId, 3)).rejects.toSatisfy(NOT_FOUND);
    await expect(downloadPageVersion(w.hostHr, id, pageId, 1)).rejects.toSatisfy(NOT_FOUND);

    const stale = await savePage(w.usStaff, id, pageId, {
      title: "Data",
      body: lines("mine"),
      baseVersion: 1,
    });
    expect(stale).toMatchObject({ ok: false, conflict: true, diff: null });
    expect(await db.pageVersion.count({ where: { pageId } })).toBe(2);
  });

  test("a page, file, thread, task or registration of another workspace cannot be reached through one's own", async () => {
    const mine = await newWorkspace(w.jpStaff, "JOINT");
    const theirs = await newWorkspace(w.usStaff, w.us.id);
    const c = await furnish(w.usStaff, theirs);
    const before = await contentCounts(theirs);
    const attempts = {
      getPage: () => getPage(w.jpStaff, mine, c.pageId),
      getPageHistory: () => getPageHistory(w.jpStaff, mine, c.pageId, { from: 1, to: 1 }),
      savePage: () =>
        savePage(w.jpStaff, mine, c.pageId, { title: "Mine", body: "Mine", baseVersion: 1 }),
      downloadFile: () => downloadFile(w.jpStaff, mine, c.fileId, 1),
      downloadPageVersion: () => downloadPageVersion(w.jpStaff, mine, c.pageId, 1),
      getThread: () => getThread(w.jpStaff, mine, c.threadId),
      addComment: () => addComment(w.jpStaff, mine, c.threadId, "Hello"),
      moveTask: () => moveTask(w.jpStaff, mine, { taskId: c.taskId, status: "DONE", version: 0 }),
      getRegistration: () => getRegistration(w.jpStaff, mine, c.registrationId),
    };
    for (const [name, call] of Object.entries(attempts))
      await expect(call(), name).rejects.toSatisfy(NOT_FOUND);
    expect(
      await createThread(w.jpStaff, mine, { title: "Hi", body: "Hi", pageId: c.pageId }),
    ).toEqual({ ok: false, errors: { pageId: ["That page is not in this workspace."] } });
    expect(
      await registerFindings(w.jpStaff, mine, { title: "Stolen", pageIds: [c.pageId] }),
    ).toEqual({ ok: false, errors: { pageIds: ["Choose pages of this workspace only"] } });
    expect(await contentCounts(theirs)).toEqual(before);
    expect(await db.findingsRegistration.count({ where: { workspaceId: mine } })).toBe(0);
  });
});

// --- files ------------------------------------------------------------------------------------------

describe("files", () => {
  test("a second upload under the same name is version 2; downloads carry the marking and are audited", async () => {
    const id = await newWorkspace(w.ukStaff, "JOINT", "OFFICIAL_SENSITIVE");
    await join(w.ukStaff, id, w.usStaff, "VIEWER");
    const first = await uploadFile(w.ukStaff, id, { name: "results.pdf", bytes: pdfBytes("one") });
    const second = await uploadFile(w.ukStaff, id, { name: "results.pdf", bytes: pdfBytes("two") });
    expect(first).toMatchObject({ ok: true, version: 1 });
    expect(second).toMatchObject({ ok: true, version: 2 });
    const fileId = (first as { fileId: string }).fileId;
    expect((second as { fileId: string }).fileId).toBe(fileId);
    const listed = await listFiles(w.usStaff, id);
    expect(listed.files.map((f) => [f.name, f.versions.map((v) => v.version)])).toEqual([
      ["results.pdf", [2, 1]],
    ]);

    const downloads = await db.auditEvent.count({
      where: { action: "workspace.file_downloaded", targetId: fileId },
    });
    const v1 = await downloadFile(w.usStaff, id, fileId, 1, "198.51.100.7");
    expect(v1.filename).toBe("OFFICIAL-SENSITIVE results.pdf");
    expect(v1.marking).toBe("OFFICIAL-SENSITIVE");
    expect(v1.contentType).toBe("application/pdf");
    expect(Buffer.from(v1.data).toString("latin1")).toContain("% one");
    const v2 = await downloadFile(w.usStaff, id, fileId, 2);
    expect(Buffer.from(v2.data).toString("latin1")).toContain("% two");
    const audit = await db.auditEvent.findMany({
      where: { action: "workspace.file_downloaded", targetId: fileId },
      orderBy: { seq: "asc" },
    });
    expect(audit).toHaveLength(downloads + 2);
    expect(audit[0]).toMatchObject({ actorId: w.usStaff.id, ipAddress: "198.51.100.7" });
    expect(audit[0]!.details).toEqual({ workspaceId: id, version: 1 });

    // A version that does not exist, and anyone outside, get a 404 and leave no download record.
    await expect(downloadFile(w.usStaff, id, fileId, 3)).rejects.toSatisfy(NOT_FOUND);
    for (const outsider of [w.jpStaff, w.hostHr, w.manager])
      await expect(downloadFile(outsider, id, fileId, 1)).rejects.toSatisfy(NOT_FOUND);
    expect(
      await db.auditEvent.count({
        where: { action: "workspace.file_downloaded", targetId: fileId },
      }),
    ).toBe(downloads + 2);
  });

  test("two uploads of a new file name at once become versions 1 and 2", async () => {
    const id = await newWorkspace(w.ukStaff, "JOINT");
    await join(w.ukStaff, id, w.usStaff, "EDITOR");
    const results = await Promise.all([
      uploadFile(w.ukStaff, id, { name: "plan.pdf", bytes: pdfBytes("uk") }),
      uploadFile(w.usStaff, id, { name: "plan.pdf", bytes: pdfBytes("us") }),
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    const files = await db.workspaceFile.findMany({
      where: { workspaceId: id },
      select: { versions: { select: { version: true } } },
    });
    expect(files).toHaveLength(1);
    expect(files[0]!.versions.map((v) => v.version).sort()).toEqual([1, 2]);
  });

  test("a refused upload stores nothing", async () => {
    const id = await newWorkspace(w.ukStaff, "JOINT");
    const stored = await db.storedFile.count();
    expect(await uploadFile(w.ukStaff, id, { name: "report.pdf", bytes: exeBytes() })).toEqual({
      ok: false,
      errors: { file: ["The file's content is not a .pdf file; check you chose the right one"] },
    });
    expect(
      await uploadFile(w.ukStaff, id, { name: "../../etc/passwd", bytes: pdfBytes() }),
    ).toEqual({
      ok: false,
      errors: { file: ["The file name cannot contain a path (/ or \\) or start with a dot"] },
    });
    expect(await db.storedFile.count()).toBe(stored);
    expect(await db.workspaceFile.count({ where: { workspaceId: id } })).toBe(0);
  });
});

// --- registrations ---------------------------------------------------------------------------------

describe("findings registrations", () => {
  test("only owners register; the snapshot is frozen and stays intact while pages change", async () => {
    const id = await newWorkspace(w.usStaff, "JOINT");
    await join(w.usStaff, id, w.ukStaff, "EDITOR");
    const findings = await page(w.usStaff, id, "Findings", "Refused 12 of 40.");
    const method = await page(w.usStaff, id, "Method", "Three runs at temperature 0.");
    await expect(
      registerFindings(w.ukStaff, id, { title: "Round 1", pageIds: [findings] }),
    ).rejects.toSatisfy(FORBIDDEN);
    expect(await db.findingsRegistration.count({ where: { workspaceId: id } })).toBe(0);

    // Now, with milliseconds: the registration keeps the whole second.
    const second = Math.floor(clock.ms() / 1000) * 1000;
    const now = new Date(second + 789);
    const registered = await registerFindings(
      w.usStaff,
      id,
      { title: "Round 1", pageIds: [findings, method, findings] },
      now,
    );
    expect(registered.ok).toBe(true);
    const { registrationId, contentHash } = registered as {
      registrationId: string;
      contentHash: string;
    };
    const frozen = await getRegistration(w.ukStaff, id, registrationId);
    expect(frozen.intact).toBe(true);
    expect(frozen.contentHash).toBe(contentHash);
    expect(frozen.registeredAt.toISOString()).toBe(new Date(second).toISOString());
    expect(frozen.registeredByName).toBe("Ulysses Staff");
    expect(frozen.pages.map((p) => [p.title, p.version, p.body])).toEqual([
      ["Findings", 1, "Refused 12 of 40."],
      ["Method", 1, "Three runs at temperature 0."],
    ]);
    expect(
      registrationHash({
        title: "Round 1",
        registeredAt: frozen.registeredAt,
        pages: frozen.pages.map(({ pageId, title, version, body }) => ({
          pageId,
          title,
          version,
          body,
        })),
      }),
    ).toBe(contentHash);

    expect(
      await savePage(w.ukStaff, id, findings, {
        title: "Findings (revised)",
        body: "Refused 14 of 40.",
        baseVersion: 1,
      }),
    ).toEqual({ ok: true });
    expect(await getRegistration(w.ukStaff, id, registrationId)).toEqual(frozen);
    expect(
      await db.auditEvent.count({
        where: { action: "workspace.findings_registered", targetId: registrationId },
      }),
    ).toBe(1);
  });

  test("the database refuses to change or delete a registration", async () => {
    const id = await newWorkspace(w.usStaff, "JOINT");
    const pageId = await page(w.usStaff, id, "Findings", "Refused 12 of 40.");
    const registered = await registerFindings(w.usStaff, id, {
      title: "Round 1",
      pageIds: [pageId],
    });
    const registrationId = (registered as { registrationId: string }).registrationId;
    const row = await db.findingsRegistration.findUniqueOrThrow({ where: { id: registrationId } });
    // The same statements are valid SQL: touching no row, they run; it is the row that is refused.
    expect(
      await db.$executeRawUnsafe(
        `UPDATE "FindingsRegistration" SET "title" = 'Round 1 (amended)' WHERE "id" = $1`,
        "no-such-registration",
      ),
    ).toBe(0);
    expect(
      await db.$executeRawUnsafe(
        `DELETE FROM "FindingsRegistration" WHERE "id" = $1`,
        "no-such-registration",
      ),
    ).toBe(0);

    await expect(
      db.$executeRawUnsafe(
        `UPDATE "FindingsRegistration" SET "title" = 'Round 1 (amended)' WHERE "id" = $1`,
        registrationId,
      ),
    ).rejects.toThrow();
    await expect(
      db.$executeRawUnsafe(
        `UPDATE "FindingsRegistration" SET "snapshot" = '[]'::jsonb, "contentHash" = 'x' WHERE "id" = $1`,
        registrationId,
      ),
    ).rejects.toThrow();
    await expect(
      db.$executeRawUnsafe(`DELETE FROM "FindingsRegistration" WHERE "id" = $1`, registrationId),
    ).rejects.toThrow();
    await expect(db.$executeRawUnsafe(`TRUNCATE "FindingsRegistration"`)).rejects.toThrow();
    await expect(
      db.findingsRegistration.update({ where: { id: registrationId }, data: { title: "x" } }),
    ).rejects.toThrow();
    expect(
      await db.findingsRegistration.findUniqueOrThrow({ where: { id: registrationId } }),
    ).toEqual(row);
    expect((await getRegistration(w.usStaff, id, registrationId)).intact).toBe(true);
  });
});

// --- search -----------------------------------------------------------------------------------------

describe("search", () => {
  test("finds page text, comments and tasks of this workspace only", async () => {
    const a = await newWorkspace(w.usStaff, "JOINT");
    const b = await newWorkspace(w.usStaff, "JOINT");
    await join(w.usStaff, a, w.jpStaff, "VIEWER");
    const pageA = await page(
      w.usStaff,
      a,
      "Observations",
      "The model showed sandbagging on chemistry.",
    );
    const threadA = await createThread(w.usStaff, a, {
      title: "Run seven",
      body: "Clear reward hacking in the transcript.",
      pageId: "",
    });
    await createTask(w.usStaff, a, {
      title: "Collate jailbreak transcripts",
      assigneeId: "",
      dueOn: "",
    });
    // The same words in another workspace of the same owner.
    const pageB = await page(
      w.usStaff,
      b,
      "Elsewhere",
      "More sandbagging, reward hacking, jailbreak.",
    );
    await createThread(w.usStaff, b, { title: "Other", body: "Reward hacking again.", pageId: "" });
    await createTask(w.usStaff, b, { title: "Jailbreak follow-up", assigneeId: "", dueOn: "" });
    const idsInB = [
      pageB,
      ...(await db.comment.findMany({ where: { workspaceId: b } })).map((c) => c.id),
      ...(await db.workspaceTask.findMany({ where: { workspaceId: b } })).map((t) => t.id),
    ];

    const sandbagging = await searchWorkspace(w.jpStaff, a, "sandbagging");
    expect(sandbagging.hits.map((h) => [h.kind, h.id, h.link])).toEqual([
      ["page", pageA, `/pages/${pageA}`],
    ]);
    expect(sandbagging.hits[0]!.headline).toContainEqual({ text: "sandbagging", mark: true });

    const hacking = await searchWorkspace(w.jpStaff, a, "reward hacking");
    expect(hacking.hits.map((h) => [h.kind, h.title, h.link])).toEqual([
      ["comment", "Run seven", `/discussion/${(threadA as { threadId: string }).threadId}`],
    ]);

    const jailbreak = await searchWorkspace(w.jpStaff, a, "jailbreak");
    expect(jailbreak.hits.map((h) => [h.kind, h.title])).toEqual([
      ["task", "Collate jailbreak transcripts"],
    ]);

    for (const q of ["sandbagging", "reward hacking", "jailbreak", "hacking OR jailbreak"]) {
      const hits = (await searchWorkspace(w.usStaff, a, q)).hits;
      for (const hit of hits) expect(idsInB, q).not.toContain(hit.id);
    }
    // Query syntax is data, not SQL.
    expect((await searchWorkspace(w.jpStaff, a, `'); DROP TABLE "Comment"; --`)).hits).toEqual([]);
    expect(await db.comment.count({ where: { workspaceId: b } })).toBe(1);
    await expect(searchWorkspace(w.jpStaff, b, "sandbagging")).rejects.toSatisfy(NOT_FOUND);
  });
});
