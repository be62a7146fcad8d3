import { afterEach, beforeAll, describe, expect, test } from "vitest";
import { ensureChecklistTemplate, US_HOST_CHECKLIST } from "#test/factories/checklists";
import { pdfBytes } from "#test/factories/postings";
import { officeBytes } from "#test/factories/zip";
import {
  EXECUTABLES,
  HOSTILE_FILENAME,
  PATH_LIKE_NAMES,
  POLYGLOTS,
  ZIP_BOMBS,
} from "#test/fixtures/uploads";
import { db } from "~/lib/db.server";
import { resetEnvCache } from "~/lib/env.server";
import { sha256Hex } from "~/lib/files.server";
import { startApplication } from "~/modules/applications/drafts.server";
import { createWorkspace } from "~/modules/workspaces/workspaces.server";
import * as accountData from "~/routes/account/account.data";
import * as auditExport from "~/routes/admin/admin.audit.export";
import * as cvDownload from "~/routes/applications/applications.$applicationId.cv";
import * as applicationEdit from "~/routes/applications/applications.$applicationId.edit";
import * as calendar from "~/routes/placements/placements.$placementId.calendar[.ics]";
import * as placementPage from "~/routes/placements/placements.$placementId";
import * as evidenceDownload from "~/routes/placements/placements.$placementId.items.$itemId.evidence";
import * as placementsExport from "~/routes/placements/placements.export";
import * as postingExport from "~/routes/postings/postings.$postingId.export";
import * as fileDownload from "~/routes/workspaces/workspaces.$workspaceId.files.$fileId.$version";
import * as workspaceFiles from "~/routes/workspaces/workspaces.$workspaceId.files._index";
import {
  advance,
  APPLICATION_FORM,
  BEFORE_DEADLINE,
  createPipelineWorld,
  openPosting,
  submittedApplication,
  type World,
} from "#test/support/pipeline-world";
import { call, get, sessionCookieFor, statusOf } from "#test/support/route-harness";

// Point 6 of the security issue, through the forms a browser posts: each hostile upload is refused
// with a message next to the file field, for each kind of upload (a CV, checklist evidence, a
// workspace file), and nothing is stored. Then every download route answers with an attachment
// under a harmless name, even when the stored name is hostile.

let w: World;
let applicationId: string;
let postingId: string;
let placementId: string;
let itemId: string;
let workspaceId: string;
let applicantCookie: string;
let staffCookie: string;
let hrCookie: string;
let adminCookie: string;

beforeAll(async () => {
  w = await createPipelineWorld();
  await ensureChecklistTemplate(db, {
    hostInstituteId: w.us.id,
    homeInstituteId: w.uk.id,
    name: "Incoming from the UK",
    items: US_HOST_CHECKLIST,
  });
  // A draft application to attach a CV to.
  postingId = await openPosting(w);
  const started = await startApplication(w.applicant, postingId, BEFORE_DEADLINE);
  if (!started.ok) throw new Error("application");
  applicationId = started.applicationId;
  // A placement whose NDA item takes a document from the secondee.
  const placed = await submittedApplication(w, await openPosting(w, { places: 5 }));
  await advance(w, placed, ["HOME_RELEASED", "UNDER_REVIEW", "SHORTLISTED", "OFFERED", "ACCEPTED"]);
  placementId = (await db.placement.findUniqueOrThrow({ where: { applicationId: placed } })).id;
  itemId = (
    await db.checklistItem.findFirstOrThrow({
      where: { placementId, title: "Non-disclosure agreement signed" },
    })
  ).id;
  const created = await createWorkspace(w.usStaff, {
    name: "Upload checks",
    purpose: "Where the hostile files go.",
    label: w.us.id,
    marking: "OFFICIAL",
    template: "GENERAL",
  });
  if (!created.ok) throw new Error("workspace");
  workspaceId = created.workspaceId;
  applicantCookie = await sessionCookieFor(w.applicant.id);
  staffCookie = await sessionCookieFor(w.usStaff.id);
  hrCookie = await sessionCookieFor(w.hostHr.id);
  adminCookie = await sessionCookieFor(w.admin.id);
});

afterEach(() => {
  delete process.env.UPLOAD_MAX_BYTES;
  resetEnvCache();
});

/**
 * A multipart body written by hand, as an attacker's client would: the file name travels byte for
 * byte (a browser's FormData would escape quotes and line breaks).
 */
function multipart(path: string, cookie: string, fields: Record<string, string>, file: Upload) {
  const boundary = `----exchange${Math.random().toString(36).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields))
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
      ),
    );
  chunks.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    Buffer.from(file.bytes),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return new Request(`http://localhost${path}`, {
    method: "POST",
    body: Buffer.concat(chunks),
    headers: {
      Cookie: cookie,
      "Content-Type": `multipart/form-data; boundary=${boundary}`,
      "Sec-Fetch-Site": "same-origin",
    },
  });
}

type Upload = { field: string; name: string; bytes: Uint8Array };

type Kind = {
  label: string;
  field: string;
  send(name: string, bytes: Uint8Array): Promise<unknown>;
};

const KINDS: Kind[] = [
  {
    label: "a CV",
    field: "cv",
    async send(name, bytes) {
      const { version } = await db.application.findUniqueOrThrow({ where: { id: applicationId } });
      const fields = { ...APPLICATION_FORM, intent: "save", version: String(version) };
      const request = multipart(`/applications/${applicationId}/edit`, applicantCookie, fields, {
        field: "cv",
        name,
        bytes,
      });
      return call(applicationEdit.action, request, { applicationId });
    },
  },
  {
    label: "checklist evidence",
    field: "evidence",
    send: (name, bytes) =>
      call(
        placementPage.action,
        multipart(
          `/placements/${placementId}`,
          applicantCookie,
          { intent: "evidence", itemId },
          { field: "evidence", name, bytes },
        ),
        { placementId },
      ),
  },
  {
    label: "a workspace file",
    field: "file",
    send: (name, bytes) =>
      call(
        workspaceFiles.action,
        multipart(
          `/workspaces/${workspaceId}/files`,
          staffCookie,
          {},
          { field: "file", name, bytes },
        ),
        { workspaceId },
      ),
  },
];

/** Everything an upload could have written. */
async function stored() {
  const [files, versions, audit, application, item] = await Promise.all([
    db.storedFile.count(),
    db.workspaceFileVersion.count(),
    db.auditEvent.count(),
    db.application.findUniqueOrThrow({
      where: { id: applicationId },
      select: { version: true, cvFileId: true },
    }),
    db.checklistItem.findUniqueOrThrow({
      where: { id: itemId },
      select: { version: true, evidenceFileId: true },
    }),
  ]);
  return { files, versions, audit, application, item };
}

/** Sends the file as this kind of upload; expects a 400 with one message on the file field. */
async function refused(kind: Kind, name: string, bytes: Uint8Array) {
  const before = await stored();
  let result: unknown;
  const { status } = await statusOf(async () => (result = await kind.send(name, bytes)));
  expect(await stored(), `${kind.label} ${JSON.stringify(name)}: nothing stored`).toEqual(before);
  expect(status, `${kind.label} ${JSON.stringify(name)}`).toBe(400);
  const errors = (result as { data: { errors: Record<string, string[]> } }).data.errors;
  expect(Object.keys(errors)).toEqual([kind.field]);
  expect(errors[kind.field]).toHaveLength(1);
  return errors[kind.field]![0]!;
}

describe.each(KINDS)("uploading $label", (kind) => {
  test("executables (ELF, PE, Mach-O, #! script) renamed .pdf, .docx or .png are refused", async () => {
    for (const [what, bytes] of Object.entries(EXECUTABLES))
      for (const ext of ["pdf", "docx", "png"]) {
        const message = await refused(kind, `${what}.${ext}`, bytes());
        expect(message).toMatch(/must be a PDF or a Word \(DOCX\) document|is not a \.\w+ file/);
      }
  });

  test("polyglots are refused: PDF with HTML, PDF or picture with a ZIP appended, HTML as .png, DOCX that is also a PDF", async () => {
    const cases: [string, Uint8Array, RegExp][] = [
      ["paper.pdf", POLYGLOTS.pdfWithHtml(), /contains web page code/],
      ["paper.pdf", POLYGLOTS.pdfWithZip(), /ZIP archive hidden inside/],
      ["plan.docx", POLYGLOTS.docxWithPdf(), /also a PDF in disguise/],
      ["photo.jpg", POLYGLOTS.jpegWithZip(), /ZIP archive hidden|must be a PDF or a Word/],
      ["chart.png", POLYGLOTS.pngWithZip(), /ZIP archive hidden|must be a PDF or a Word/],
      ["chart.png", POLYGLOTS.html(), /is not a \.png file|must be a PDF or a Word/],
    ];
    for (const [name, bytes, message] of cases)
      expect(await refused(kind, name, bytes), name).toMatch(message);
  });

  test("zip bombs in DOCX form are refused without being unpacked", async () => {
    const bomb = /looks like a "zip bomb"/;
    const cases: [Uint8Array, RegExp][] = [
      [ZIP_BOMBS.ratio(), bomb],
      [ZIP_BOMBS.declaredTotal(), bomb],
      [ZIP_BOMBS.overlapping(), bomb],
      [ZIP_BOMBS.tooManyEntries(), /has 10001 parts/],
      [ZIP_BOMBS.nested(), /another archive inside/],
      [ZIP_BOMBS.zipSlip(), /is damaged or is not a real Office document/],
      [ZIP_BOMBS.truncated(), /is damaged or is not a real Office document/],
    ];
    for (const [bytes, message] of cases)
      expect(await refused(kind, "report.docx", bytes)).toMatch(message);
  });

  test("path-like names and names with control characters are refused", async () => {
    for (const name of PATH_LIKE_NAMES)
      expect(await refused(kind, name, pdfBytes()), JSON.stringify(name)).toMatch(
        /cannot contain a path|must be plain text/,
      );
  });

  test("an oversize file and an empty file are refused", async () => {
    process.env.UPLOAD_MAX_BYTES = String(1024 * 1024);
    resetEnvCache();
    const over = new Uint8Array(1024 * 1024 + 1);
    over.set(pdfBytes());
    expect(await refused(kind, "big.pdf", over)).toMatch(/1 MB or smaller|too large/);
    expect(await refused(kind, "empty.pdf", new Uint8Array())).toMatch(
      /The selected file is empty|Choose a file/,
    );
  });

  test("a genuine PDF and DOCX go through the same form (the refusals above are about the file)", async () => {
    const unique = `${kind.label} ${Date.now()}`;
    for (const [name, bytes] of [
      ["genuine.pdf", pdfBytes(unique)],
      ["genuine.docx", officeBytes("docx", [{ name: "docProps/custom.xml", data: unique }])],
    ] as const) {
      const { status } = await statusOf(() => kind.send(name, bytes));
      expect(status, name).toBe(302);
      expect(await db.storedFile.count({ where: { sha256: sha256Hex(bytes) } }), name).toBe(1);
    }
  });
});

test("workspace XLSX and PPTX bombs are refused like DOCX ones", async () => {
  const kind = KINDS[2]!;
  for (const type of ["xlsx", "pptx"] as const) {
    expect(await refused(kind, `data.${type}`, ZIP_BOMBS.ratio(type))).toMatch(/zip bomb/);
    expect(await refused(kind, `data.${type}`, ZIP_BOMBS.overlapping(type))).toMatch(/zip bomb/);
    expect(await refused(kind, `data.${type}`, ZIP_BOMBS.nested(type))).toMatch(/another archive/);
  }
  expect(await refused(kind, "notes.txt", EXECUTABLES.script())).toMatch(/like a program/);
  expect(await refused(kind, "notes.txt", POLYGLOTS.html())).toMatch(/is a web page/);
});

// ---------------------------------------------------------------- downloads

/** attachment; a quoted ASCII name with no quote, backslash, slash, ";" or line break; filename*. */
const SAFE_DISPOSITION =
  /^attachment; filename="[\x20-\x21\x23-\x2E\x30-\x3A\x3C-\x5B\x5D-\x7E]+"(; filename\*=UTF-8''[A-Za-z0-9!#$&+\-.^_`|~%]+)?$/;

async function download(loader: unknown, path: string, cookie: string, params = {}) {
  const response = (await call(loader, get(path, cookie), params)) as Response;
  expect(response, path).toBeInstanceOf(Response);
  expect(response.status, path).toBe(200);
  const headers = Object.fromEntries(response.headers);
  expect(headers["content-disposition"], path).toMatch(SAFE_DISPOSITION);
  expect(headers["x-content-type-options"], path).toBe("nosniff");
  expect(headers["cache-control"], path).toContain("no-store");
  await response.arrayBuffer();
  return headers;
}

describe("downloads", () => {
  const rename = (id: string | null | undefined) =>
    db.storedFile.update({ where: { id: id! }, data: { filename: HOSTILE_FILENAME } });
  const fallbackName = (h: Record<string, string>) =>
    /filename="([^"]*)"/.exec(h["content-disposition"]!)![1];

  test("a CV, evidence and a workspace file with a hostile stored name download as a harmless attachment", async () => {
    // Stored with genuine content by the previous tests; the name is made hostile behind the app's back.
    const app = await db.application.findUniqueOrThrow({ where: { id: applicationId } });
    const item = await db.checklistItem.findUniqueOrThrow({ where: { id: itemId } });
    const version = await db.workspaceFileVersion.findFirstOrThrow({
      where: { file: { workspaceId } },
      orderBy: { version: "asc" },
      include: { file: true },
    });
    await rename(app.cvFileId);
    await rename(item.evidenceFileId);
    await rename(version.storedFileId);

    const cv = await download(
      cvDownload.loader,
      `/applications/${applicationId}/cv`,
      applicantCookie,
      { applicationId },
    );
    const evidence = await download(
      evidenceDownload.loader,
      `/placements/${placementId}/items/${itemId}/evidence`,
      applicantCookie,
      { placementId, itemId },
    );
    const file = await download(
      fileDownload.loader,
      `/workspaces/${workspaceId}/files/${version.fileId}/${version.version}`,
      staffCookie,
      { workspaceId, fileId: version.fileId, version: String(version.version) },
    );
    for (const headers of [cv, evidence, file]) {
      // (Workspace files carry their protective marking in front of the name.)
      expect(fallbackName(headers)).toMatch(
        /(^|OFFICIAL )a__ filename=evil\.html__X-Injected_ y\.pdf$/,
      );
      expect(headers).not.toHaveProperty("x-injected");
    }
  });

  test("exports and the calendar are attachments with fixed, safe names", async () => {
    const placed = await download(placementsExport.loader, "/placements/export", hrCookie);
    expect(fallbackName(placed)).toMatch(/^US-AISI-placements-\d{4}-\d\d-\d\d\.csv$/);
    await download(placementsExport.loader, "/placements/export?what=checklist", hrCookie);
    const postings = await download(
      postingExport.loader,
      `/postings/${postingId}/export`,
      hrCookie,
      { postingId },
    );
    expect(fallbackName(postings)).toBe(`applications-${postingId}.csv`);
    await download(auditExport.loader, "/admin/audit/export", adminCookie);
    await download(auditExport.loader, "/admin/audit/export?format=json", adminCookie);
    await download(accountData.loader, "/account/data", applicantCookie);
    const ics = await download(
      calendar.loader,
      `/placements/${placementId}/calendar.ics`,
      applicantCookie,
      { placementId },
    );
    expect(fallbackName(ics)).toBe("placement.ics");
  });
});

describe("file names with ; and =", () => {
  const NAME = "results;v=2.csv";

  test("a workspace file named results;v=2.csv is listed and downloads under that name", async () => {
    const sent = await statusOf(() =>
      call(
        workspaceFiles.action,
        multipart(
          `/workspaces/${workspaceId}/files`,
          staffCookie,
          {},
          { field: "file", name: NAME, bytes: new TextEncoder().encode("run,score\n2,0.91\n") },
        ),
        { workspaceId },
      ),
    );
    expect(sent.status).toBe(302);
    const listed = (await call(
      workspaceFiles.loader,
      get(`/workspaces/${workspaceId}/files`, staffCookie),
      { workspaceId },
    )) as { files: { id: string; name: string }[] };
    const file = listed.files.find((f) => f.name === NAME);
    expect(listed.files.map((f) => f.name)).toContain(NAME);

    const headers = await download(
      fileDownload.loader,
      `/workspaces/${workspaceId}/files/${file!.id}/1`,
      staffCookie,
      { workspaceId, fileId: file!.id, version: "1" },
    );
    // The exact name travels in filename* (";" and "=" percent-encoded); the plain fallback
    // replaces ";" for parsers that split on it even inside quotes.
    const extended = /filename\*=UTF-8''([^;]+)$/.exec(headers["content-disposition"]!)![1]!;
    expect(decodeURIComponent(extended)).toMatch(/(^|OFFICIAL )results;v=2\.csv$/);
    expect(extended).toContain("results%3Bv%3D2.csv");
  });
});
