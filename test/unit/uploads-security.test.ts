import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, test } from "vitest";
import { docxBytes, pdfBytes } from "#test/factories/postings";
import { officeBytes, zipBytes } from "#test/factories/zip";
import {
  EXECUTABLES,
  HOSTILE_FILENAME,
  jpegBytes,
  PATH_LIKE_NAMES,
  pngBytes,
  POLYGLOTS,
  ZIP_BOMBS,
} from "#test/fixtures/uploads";
import { downloadHeaders } from "~/lib/csv";
import { resetEnvCache } from "~/lib/env.server";
import {
  attachmentHeaders,
  checkDocument,
  checkWorkspaceFile,
  contentDisposition,
  readZipDirectory,
  ZIP_MAX_ENTRIES,
  ZIP_MAX_RATIO,
  ZIP_MAX_UNCOMPRESSED_BYTES,
} from "~/lib/files.server";

// The upload checks on their own: every hostile file the issue lists, against both the document
// check (CVs and checklist evidence) and the workspace check. The integration tests send the same
// files through the forms and check that nothing is stored.

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  resetEnvCache();
});

const workspace = (name: string, bytes: Uint8Array) => checkWorkspaceFile({ name, bytes }).error;
const document = (name: string, bytes: Uint8Array) =>
  checkDocument({ name, bytes }, "The CV").error;

describe("executables renamed as documents", () => {
  for (const [kind, bytes] of Object.entries(EXECUTABLES)) {
    test(`${kind} named .pdf, .docx or .png is refused`, () => {
      for (const ext of ["pdf", "docx", "png", "jpg", "xlsx"])
        expect(workspace(`report.${ext}`, bytes())).toBe(
          `The file's content is not a .${ext} file; check you chose the right one`,
        );
      for (const ext of ["pdf", "docx"])
        expect(document(`cv.${ext}`, bytes())).toBe(
          "The CV must be a PDF or a Word (DOCX) document",
        );
    });
  }

  test("a script with #! named as text is refused as a program", () => {
    for (const ext of ["txt", "md", "csv", "json"])
      expect(workspace(`notes.${ext}`, EXECUTABLES.script())).toMatch(
        /starts with #! like a program/,
      );
    // Text that merely mentions #! later is fine.
    expect(workspace("notes.md", new TextEncoder().encode("Use `#!/bin/sh` on line one."))).toBe(
      undefined,
    );
  });
});

describe("polyglot files", () => {
  test("a PDF whose first bytes hold a web page that a sniffing browser would render", () => {
    expect(workspace("paper.pdf", POLYGLOTS.pdfWithHtml())).toMatch(/contains web page code/);
    expect(document("cv.pdf", POLYGLOTS.pdfWithHtml())).toMatch(/^The CV contains web page code/);
  });

  test("a PDF with a ZIP appended", () => {
    expect(workspace("paper.pdf", POLYGLOTS.pdfWithZip())).toMatch(/ZIP archive hidden inside/);
    expect(document("cv.pdf", POLYGLOTS.pdfWithZip())).toMatch(/^The CV has a ZIP archive hidden/);
  });

  test("a JPEG or PNG with a ZIP appended (GIFAR)", () => {
    expect(workspace("photo.jpg", POLYGLOTS.jpegWithZip())).toMatch(/ZIP archive hidden inside/);
    expect(workspace("chart.png", POLYGLOTS.pngWithZip())).toMatch(/ZIP archive hidden inside/);
  });

  test("an HTML or SVG file named as an image or as text", () => {
    expect(workspace("chart.png", POLYGLOTS.html())).toBe(
      "The file's content is not a .png file; check you chose the right one",
    );
    expect(workspace("chart.png", POLYGLOTS.pngWithHtml())).toMatch(/contains web page code/);
    expect(workspace("notes.txt", POLYGLOTS.html())).toMatch(/is a web page/);
    expect(workspace("notes.md", POLYGLOTS.svg())).toMatch(/is a web page/);
    expect(document("cv.pdf", POLYGLOTS.html())).toBe(
      "The CV must be a PDF or a Word (DOCX) document",
    );
  });

  test("a Word document that is also a PDF", () => {
    expect(workspace("plan.docx", POLYGLOTS.docxWithPdf())).toMatch(/also a PDF in disguise/);
    expect(document("cv.docx", POLYGLOTS.docxWithPdf())).toMatch(/^The CV is also a PDF/);
  });

  test("the genuine articles pass, so the checks above are about the extra content", () => {
    expect(workspace("photo.jpg", jpegBytes())).toBeUndefined();
    expect(workspace("chart.png", pngBytes())).toBeUndefined();
    expect(workspace("paper.pdf", pdfBytes())).toBeUndefined();
    expect(workspace("plan.docx", docxBytes())).toBeUndefined();
    expect(document("cv.pdf", pdfBytes())).toBeUndefined();
    expect(document("cv.docx", docxBytes())).toBeUndefined();
    // Markdown may show HTML further down; only a file that *is* a page is refused.
    expect(
      workspace("notes.md", new TextEncoder().encode("# Notes\n\nEmbed with <script src=x>.\n")),
    ).toBeUndefined();
  });
});

describe("zip bombs in DOCX, XLSX and PPTX form, judged from the directory alone", () => {
  const BOMB = /looks like a "zip bomb"/;
  for (const kind of ["docx", "xlsx", "pptx"] as const) {
    test(`${kind}: an extreme compression ratio, a huge declared total, overlapping parts`, () => {
      for (const bytes of [
        ZIP_BOMBS.ratio(kind),
        ZIP_BOMBS.declaredTotal(kind),
        ZIP_BOMBS.overlapping(kind),
      ])
        expect(workspace(`data.${kind}`, bytes)).toMatch(BOMB);
    });

    test(`${kind}: too many parts, a nested archive, a part named outside the folder, a cut-off archive`, () => {
      expect(workspace(`data.${kind}`, ZIP_BOMBS.tooManyEntries(kind))).toBe(
        `The file has 10001 parts; a document may have at most ${ZIP_MAX_ENTRIES}`,
      );
      expect(workspace(`data.${kind}`, ZIP_BOMBS.nested(kind))).toMatch(/another archive inside/);
      expect(workspace(`data.${kind}`, ZIP_BOMBS.zipSlip(kind))).toBe(
        "The file is damaged or is not a real Office document",
      );
      expect(workspace(`data.${kind}`, ZIP_BOMBS.truncated(kind))).toBe(
        "The file is damaged or is not a real Office document",
      );
    });
  }

  test("the same bombs are refused as a CV or as evidence (DOCX)", () => {
    for (const bytes of [ZIP_BOMBS.ratio(), ZIP_BOMBS.declaredTotal(), ZIP_BOMBS.overlapping()])
      expect(document("cv.docx", bytes)).toMatch(/^The CV would unpack to an unsafe size/);
    expect(document("cv.docx", ZIP_BOMBS.tooManyEntries())).toMatch(/^The CV has 10001 parts/);
    expect(document("cv.docx", ZIP_BOMBS.nested())).toMatch(/another archive inside/);
    expect(document("cv.docx", ZIP_BOMBS.zipSlip())).toMatch(/^The CV is damaged/);
  });

  test("the limits are named constants, and documents just inside them are accepted", () => {
    expect([ZIP_MAX_ENTRIES, ZIP_MAX_UNCOMPRESSED_BYTES, ZIP_MAX_RATIO]).toEqual([
      10_000,
      100 * 1024 * 1024,
      100,
    ]);
    // Exactly the maximum number of parts.
    const many = officeBytes(
      "docx",
      Array.from({ length: ZIP_MAX_ENTRIES - 3 }, (_, i) => ({
        name: `p/${i}`,
        data: "",
        store: true,
      })),
    );
    expect(readZipDirectory(many)).toHaveProperty("names");
    // 100,000,000 bytes declared in all (under 100 MiB), each part under 100 to 1.
    const big = officeBytes(
      "docx",
      Array.from({ length: 10 }, (_, i) => ({
        name: `media/${i}.bin`,
        data: randomBytes(100 * 1024),
        declaredSize: 10_000_000,
      })),
    );
    expect(workspace("big.docx", big)).toBeUndefined();
    // Small parts may compress far better than 100 to 1 (repeated XML) without being a bomb.
    const xml = officeBytes("xlsx", [{ name: "xl/styles.xml", data: "<x/>".repeat(20_000) }]);
    expect(workspace("sheet.xlsx", xml)).toBeUndefined();
    // Office files embed workbooks for their charts: an Office part inside is not refused.
    const chart = officeBytes("pptx", [
      { name: "ppt/embeddings/Microsoft_Excel_Worksheet.xlsx", data: officeBytes("xlsx") },
    ]);
    expect(workspace("slides.pptx", chart)).toBeUndefined();
  });

  test("a ZIP without the parts of the named type is not that type", () => {
    const plain = zipBytes([{ name: "readme.txt", data: "hello" }]);
    expect(workspace("plan.docx", plain)).toBe(
      "The file's content is not a .docx file; check you chose the right one",
    );
    expect(workspace("sheet.xlsx", officeBytes("docx"))).toBe(
      "The file's content is not a .xlsx file; check you chose the right one",
    );
    expect(document("cv.docx", plain)).toBe("The CV must be a PDF or a Word (DOCX) document");
  });
});

describe("path-like and disguised names", () => {
  test.each(PATH_LIKE_NAMES)("%j is refused for every kind of upload", (name) => {
    const message = /cannot contain a path|must be plain text/;
    expect(workspace(name, pdfBytes())).toMatch(message);
    expect(document(name, pdfBytes())).toMatch(message);
  });

  test("a name of more than 150 characters is refused; 150 is fine", () => {
    expect(document(`${"a".repeat(147)}.pdf`, pdfBytes())).toMatch(/150 characters or fewer/);
    expect(document(`${"a".repeat(146)}.pdf`, pdfBytes())).toBeUndefined();
  });
});

describe("oversize and empty", () => {
  test("an empty file and one byte over the limit are refused, for documents too", () => {
    process.env.UPLOAD_MAX_BYTES = "4096";
    resetEnvCache();
    expect(document("cv.pdf", new Uint8Array())).toBe("The selected file is empty");
    const over = new Uint8Array(4097);
    over.set(pdfBytes());
    expect(document("cv.pdf", over)).toBe("The CV must be 4 KB or smaller");
    expect(document("cv.pdf", over.subarray(0, 4096))).toBeUndefined();
    expect(workspace("paper.pdf", over)).toBe("The file must be 4 KB or smaller");
  });
});

describe("downloads", () => {
  const SAFE_HEADER =
    /^attachment; filename="[\x20-\x7E]*"; filename\*=UTF-8''[A-Za-z0-9!#$&+\-.^_`|~%]+$/;
  const fallback = (header: string) => /filename="([^"]*)"/.exec(header)![1]!;

  test("a hostile stored name cannot end the parameter, add one, or inject a header", () => {
    const header = contentDisposition(HOSTILE_FILENAME);
    expect(header).toMatch(SAFE_HEADER);
    expect(header).not.toMatch(/[\r\n]/);
    // Exactly one filename and one filename* parameter, read as a parser reads them (quoted
    // strings whole), and even as a sloppy one does (split at every ";").
    const params = [...header.matchAll(/;\s*([^=;\s]+)=("(?:[^"\\]|\\.)*"|[^;]*)/g)];
    expect(params.map((m) => m[1])).toEqual(["filename", "filename*"]);
    expect(header.split(";").filter((p) => /^\s*filename=/.test(p))).toHaveLength(1);
    expect(fallback(header)).toBe("a__ filename=evil.html__X-Injected_ y.pdf");
    // A header value a real HTTP stack accepts as it is.
    expect(new Headers({ "Content-Disposition": header }).get("Content-Disposition")).toBe(header);
  });

  test("path separators and leading dots are gone from both forms of the name", () => {
    for (const name of ["../../etc/passwd", "..\\..\\boot.ini", "/abs/path.pdf", ".bashrc"]) {
      const header = contentDisposition(name);
      expect(header, name).toMatch(SAFE_HEADER);
      expect(fallback(header)).not.toMatch(/[\\/]|^\./);
      const encoded = /filename\*=UTF-8''(.*)$/.exec(header)![1]!;
      expect(decodeURIComponent(encoded)).not.toMatch(/[\\/]|^\./);
    }
  });

  test("a non-ASCII name travels in filename* as UTF-8, with an ASCII fallback", () => {
    const header = contentDisposition("Zoë's CV (履歴書).pdf");
    expect(header).toMatch(SAFE_HEADER);
    expect(fallback(header)).toBe("Zo_'s CV (___).pdf");
    const encoded = /filename\*=UTF-8''(.*)$/.exec(header)![1]!;
    expect(encoded).not.toMatch(/['()]/);
    expect(decodeURIComponent(encoded)).toBe("Zoë's CV (履歴書).pdf");
  });

  test("stored files are sent as attachments, not sniffed, not cached", () => {
    const headers = attachmentHeaders({
      filename: HOSTILE_FILENAME,
      contentType: "application/pdf",
      size: 10,
    });
    expect(headers["Content-Disposition"]).toMatch(SAFE_HEADER);
    expect(headers["X-Content-Type-Options"]).toBe("nosniff");
    expect(headers["Cache-Control"]).toContain("no-store");
    const exports = downloadHeaders('x"\r\n/../y.csv', "text/csv");
    expect(exports["Content-Disposition"]).toMatch(/^attachment; filename="[\w.-]+"$/);
    expect(exports["X-Content-Type-Options"]).toBe("nosniff");
  });
});
