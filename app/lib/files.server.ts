import { createHash } from "node:crypto";
import { getEnv } from "./env.server";
import { assertNotForged } from "./csrf.server";
import { streamMultipart } from "./multipart.server";
import { readFormData } from "./request.server";

// Text fields of an upload form are small; anything bigger is not a person typing.
const MAX_TEXT_FIELD_BYTES = 1024 * 1024;

const unreadable = () =>
  new Response("The form could not be read. Reload the page and try again.", { status: 400 });

/**
 * A form posted as multipart/form-data, files kept in memory up to the upload limit. File names
 * are kept as sent: Remix's own parser cuts them to their last path segment, which would hide a
 * path-like name ("../../etc/passwd.pdf") from the checks that refuse it with a message.
 */
export async function parseUploadForm(
  request: Request,
): Promise<{ formData: FormData; tooLarge: string | null }> {
  const maxPartSize = getEnv().UPLOAD_MAX_BYTES;
  const type = request.headers.get("content-type") ?? "";
  if (!type.startsWith("multipart/form-data")) {
    // Any other body: read as a plain form, or refused (415/400) when it is not one.
    return { formData: await readFormData(request), tooLarge: null };
  }
  const boundary = /;\s*boundary=(?:"([^"]+)"|([^\s;]+))/i.exec(type);
  if (!boundary || !request.body) throw unreadable();
  const formData = new FormData();
  try {
    const boundaryText = boundary[1] ?? boundary[2]!;
    for await (const part of streamMultipart(request.body, boundaryText)) {
      const limit = part.filename === undefined ? MAX_TEXT_FIELD_BYTES : maxPartSize;
      const chunks: Uint8Array[] = [];
      let size = 0;
      for await (const chunk of part.data) {
        size += chunk.byteLength;
        if (size > limit) {
          // The token comes first in the app's forms, so it has been read by now.
          assertNotForged(request, formData);
          return { formData: new FormData(), tooLarge: part.name };
        }
        chunks.push(chunk);
      }
      const bytes = Buffer.concat(chunks);
      if (part.filename === undefined) formData.append(part.name, bytes.toString("utf8"));
      else
        formData.append(
          part.name,
          new File([bytes], part.filename, {
            type: part.contentType ?? "application/octet-stream",
          }),
        );
    }
  } catch (error) {
    if (error instanceof Response) throw error;
    // A body that is not the multipart it claims to be.
    throw unreadable();
  }
  assertNotForged(request, formData);
  return { formData, tooLarge: null };
}

export type DocumentKind = { kind: "pdf" | "docx"; contentType: string; extension: string };

const PDF: DocumentKind = { kind: "pdf", contentType: "application/pdf", extension: "pdf" };
const DOCX: DocumentKind = {
  kind: "docx",
  contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  extension: "docx",
};

const asBuffer = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
const latin1 = (bytes: Uint8Array, start = 0, end = bytes.byteLength) =>
  asBuffer(bytes).toString("latin1", start, Math.min(end, bytes.byteLength));

const startsWith = (bytes: Uint8Array, signature: number[]) =>
  signature.every((b, i) => bytes[i] === b);
const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04];

// ---------------------------------------------------------------- Office documents (ZIP)

// Word, Excel and PowerPoint files are ZIP archives. Their central directory says how big each
// part becomes when unpacked; a "zip bomb" declares (or hides) far more than any document holds.
// These limits are judged from the directory alone: nothing is ever inflated here.

/** Real documents hold tens to a few thousand parts. */
export const ZIP_MAX_ENTRIES = 10_000;
/** All parts unpacked together: ten times the default upload limit, far above any real document. */
export const ZIP_MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024;
/** Deflate rarely beats 20:1 on real XML; bombs reach 1000:1. 100:1 is Apache POI's default too. */
export const ZIP_MAX_RATIO = 100;
/** Small parts may compress extremely well (a few KB of repeated XML); the ratio counts above this. */
export const ZIP_RATIO_FLOOR_BYTES = 100 * 1024;
/** Archives inside a document: nothing a document needs, and the classic way to nest bombs. */
const NESTED_ARCHIVE = /\.(zip|jar|war|apk|gz|tgz|bz2|xz|7z|rar|cab|tar|zst)$/i;

type ZipEntry = { name: string; localOffset: number; compressedSize: number };

/**
 * The part names of a ZIP archive, read from its central directory, or why it is refused (the
 * text after the file's label). Refuses ZIP64, encrypted or unusual compression, parts that
 * overlap (one stored stream listed many times: the non-recursive bomb), nested archives, path-like
 * part names, and the size, count and ratio limits above.
 */
export function readZipDirectory(bytes: Uint8Array): { names: Set<string> } | { problem: string } {
  const b = asBuffer(bytes);
  const malformed = { problem: "is damaged or is not a real Office document" };
  const bomb = {
    problem: `would unpack to an unsafe size (over ${ZIP_MAX_UNCOMPRESSED_BYTES / 1024 / 1024} MB, or parts compressed more than ${ZIP_MAX_RATIO} to 1); it looks like a "zip bomb"`,
  };
  const eocd = endOfCentralDirectory(b);
  if (eocd < 0 || eocd + 22 + b.readUInt16LE(eocd + 20) !== b.length) return malformed;
  const count = b.readUInt16LE(eocd + 10);
  const directorySize = b.readUInt32LE(eocd + 12);
  const directoryStart = b.readUInt32LE(eocd + 16);
  if (count === 0xffff || directoryStart === 0xffffffff) return malformed; // ZIP64: no document needs it
  if (b.readUInt16LE(eocd + 8) !== count) return malformed; // split over several "disks"
  if (count > ZIP_MAX_ENTRIES)
    return { problem: `has ${count} parts; a document may have at most ${ZIP_MAX_ENTRIES}` };
  if (directoryStart + directorySize > eocd) return malformed;

  const names = new Set<string>();
  const entries: ZipEntry[] = [];
  let total = 0;
  let p = directoryStart;
  for (let i = 0; i < count; i++) {
    if (p + 46 > eocd || b.readUInt32LE(p) !== 0x02014b50) return malformed;
    const flags = b.readUInt16LE(p + 8);
    const method = b.readUInt16LE(p + 10);
    const compressedSize = b.readUInt32LE(p + 20);
    const size = b.readUInt32LE(p + 24);
    const nameLength = b.readUInt16LE(p + 28);
    const localOffset = b.readUInt32LE(p + 42);
    const name = b.toString("utf8", p + 46, p + 46 + nameLength);
    p += 46 + nameLength + b.readUInt16LE(p + 30) + b.readUInt16LE(p + 32);
    if (p > eocd) return malformed;
    if (flags & 0x1 || (method !== 0 && method !== 8)) return malformed; // encrypted, or exotic
    if (method === 0 && compressedSize !== size) return malformed;
    // eslint-disable-next-line no-control-regex -- part names are paths inside the archive, never outside
    if (/(^|[\\/])\.\.([\\/]|$)|^[\\/]|\\|[\u0000-\u001F]/.test(name)) return malformed;
    if (names.has(name)) return malformed; // which of the two would a reader open?
    if (NESTED_ARCHIVE.test(name))
      return { problem: "contains another archive inside it, which documents never need" };
    if (size > ZIP_RATIO_FLOOR_BYTES && size > compressedSize * ZIP_MAX_RATIO) return bomb;
    total += size;
    if (total > ZIP_MAX_UNCOMPRESSED_BYTES) return bomb;
    names.add(name);
    entries.push({ name, localOffset, compressedSize });
  }
  // Each part's data must be its own: one after another, before the directory.
  entries.sort((x, y) => x.localOffset - y.localOffset);
  let end = 0;
  for (const e of entries) {
    if (e.localOffset < end) return bomb;
    if (e.localOffset + 30 > directoryStart || b.readUInt32LE(e.localOffset) !== 0x04034b50)
      return malformed;
    end =
      e.localOffset +
      30 +
      b.readUInt16LE(e.localOffset + 26) +
      b.readUInt16LE(e.localOffset + 28) +
      e.compressedSize;
    if (end > directoryStart) return malformed;
  }
  return { names };
}

/**
 * Where a ZIP end-of-central-directory record starts, searching back from the end as ZIP readers
 * do (it is 22 bytes plus a comment of up to 65,535), or -1. The signature must be followed by
 * two zero disk numbers, which makes a chance match in other binary data vanishingly rare.
 */
function endOfCentralDirectory(b: Buffer) {
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 0xffff); i--) {
    if (b.readUInt32LE(i) === 0x06054b50 && b.readUInt32LE(i + 4) === 0) return i;
  }
  return -1;
}

const zipNames = (bytes: Uint8Array) => {
  if (!startsWith(bytes, ZIP_SIGNATURE)) return null;
  const dir = readZipDirectory(bytes);
  return "names" in dir ? dir.names : null;
};
const zipHolding = (part: string) => (bytes: Uint8Array) => {
  const names = zipNames(bytes);
  return Boolean(names?.has("[Content_Types].xml") && names.has(part));
};

// ---------------------------------------------------------------- polyglots

/**
 * How many leading bytes a browser looks at to guess a type (the WHATWG MIME Sniffing "resource
 * header"); PDF readers likewise find "%PDF-" anywhere in the first kilobyte.
 */
const SNIFF_BYTES = 1445;
/** Markup that makes a sniffer call content a web page (tags of four letters or more). */
const HTML_MARKUP =
  /<(?:!doctype\s+html|html|head|body|script|iframe|frame|svg|object|embed|applet|style|title|table|font|div|img|meta|link|form|base)[\s/>]/i;
/** A text file that opens as a web page or image when sniffed. */
const HTML_START = /^\s*<(?:!doctype\s+html|html|head|body|script|iframe|svg)[\s/>]/i;

type ContentFamily = "pdf" | "zip" | "image" | "text";

/**
 * Why content that does look like its type must still be refused (the text after the label), or
 * null: a second type hidden inside it (a "polyglot") that a browser, PDF reader or ZIP reader
 * would find, or a script in a text file.
 */
function polyglotProblem(bytes: Uint8Array, family: ContentFamily): string | null {
  if (family === "text") {
    const text = latin1(bytes, 0, SNIFF_BYTES);
    if (text.startsWith("#!")) return "starts with #! like a program; scripts cannot be uploaded";
    if (HTML_START.test(text.replace(/^\xEF\xBB\xBF/, "")))
      return "is a web page (HTML or SVG), which cannot be uploaded";
    return null;
  }
  const head = latin1(bytes, 0, SNIFF_BYTES);
  if (HTML_MARKUP.test(head))
    return "contains web page code (HTML) that a browser could run; it cannot be uploaded";
  if (family !== "pdf" && head.slice(0, 1024).includes("%PDF-"))
    return "is also a PDF in disguise; save it again from the program that made it";
  if (family !== "zip" && endOfCentralDirectory(asBuffer(bytes)) >= 0)
    return "has a ZIP archive hidden inside it; save it again from the program that made it";
  return null;
}

/**
 * What a file is, judged by its content, never its name: a PDF starts with "%PDF-"; a DOCX is a
 * ZIP archive whose directory lists "[Content_Types].xml" and "word/document.xml". Else null.
 */
export function sniffDocument(bytes: Uint8Array): DocumentKind | null {
  if (latin1(bytes, 0, 5) === "%PDF-") return PDF;
  if (zipHolding("word/document.xml")(bytes)) return DOCX;
  return null;
}

// ---------------------------------------------------------------- names

const PATH_PROBLEM = "The file name cannot contain a path (/ or \\) or start with a dot";
const NAME_PROBLEM = "The file name must be plain text of 150 characters or fewer";

/**
 * Why an uploaded file's name is refused, or null. Browsers send a bare name; anything path-like
 * was crafted. Control characters and bidirectional overrides ("cv\u202Efdp.exe") hide what a
 * name really says.
 */
export function fileNameProblem(name: string): string | null {
  if (/[\\/]/.test(name) || name.trim().startsWith(".") || name.includes("..")) return PATH_PROBLEM;
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  if (/[\u0000-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/.test(name))
    return NAME_PROBLEM;
  if (name.trim().length > 150) return NAME_PROBLEM;
  return null;
}

/** A name safe to store and to put in a Content-Disposition header: no paths, no controls. */
export function safeFilename(name: string, extension: string) {
  const base = (name.split(/[\\/]/).pop() ?? "")
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .replace(/[\u0000-\u001F\u007F"<>:|?*]/g, "")
    .replace(/^\.+/, "")
    .replace(/\.[A-Za-z0-9]{1,5}$/, "")
    .trim()
    .slice(0, 100);
  return `${base || "document"}.${extension}`;
}

function formatBytes(n: number) {
  return n >= 1024 * 1024 ? `${Math.floor(n / 1024 / 1024)} MB` : `${Math.floor(n / 1024)} KB`;
}

/**
 * Checks an uploaded document (PDF or DOCX) by name, size and content; the error, or its kind.
 * The label starts each message ("The CV must be ...").
 */
export function checkDocument(file: { name: string; bytes: Uint8Array }, label = "The file") {
  const max = getEnv().UPLOAD_MAX_BYTES;
  const nameProblem = fileNameProblem(file.name);
  if (nameProblem) return { error: nameProblem };
  if (file.bytes.byteLength === 0) return { error: "The selected file is empty" };
  if (file.bytes.byteLength > max)
    return { error: `${label} must be ${formatBytes(max)} or smaller` };
  if (startsWith(file.bytes, ZIP_SIGNATURE)) {
    const dir = readZipDirectory(file.bytes);
    if ("problem" in dir) return { error: `${label} ${dir.problem}` };
  }
  const kind = sniffDocument(file.bytes);
  if (!kind) return { error: `${label} must be a PDF or a Word (DOCX) document` };
  const hidden = polyglotProblem(file.bytes, kind.kind === "pdf" ? "pdf" : "zip");
  if (hidden) return { error: `${label} ${hidden}` };
  return { kind, error: undefined };
}

export function sha256Hex(bytes: Uint8Array) {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * `attachment` with the stored name made harmless, whatever it holds: no quotes, backslashes, line
 * breaks, control characters or path separators; non-ASCII names in RFC 6266 `filename*`.
 */
export function contentDisposition(name: string) {
  const plain =
    name
      // eslint-disable-next-line no-control-regex -- removing control characters is the point
      .replace(/[\u0000-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069"\\/:*?<>|]/g, "_")
      .replace(/^[\s.]+/, "")
      .trim() || "download";
  // Sloppy parsers split on ";" even inside quotes: no ";" in the fallback either.
  const ascii = plain.replace(/[^\x20-\x7E]|;/g, "_");
  // encodeURIComponent leaves ' ( ) * as they are; RFC 5987 wants them escaped too.
  const encoded = encodeURIComponent(plain).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Headers for sending a stored file as a download, never rendered inline. */
export function attachmentHeaders(file: { filename: string; contentType: string; size: number }) {
  return {
    "Content-Type": file.contentType,
    "Content-Length": String(file.size),
    "Content-Disposition": contentDisposition(file.filename),
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, no-store",
  };
}

type WorkspaceFileKind = {
  contentType: string;
  family: ContentFamily;
  matches: (bytes: Uint8Array) => boolean;
};

/** UTF-8 text with no control characters but tab and line breaks. */
function isText(bytes: Uint8Array) {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return false;
  }
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  return !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(text);
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];

/** What a workspace may hold, by extension, each with the content that extension must have. */
export const WORKSPACE_FILE_KINDS: Record<string, WorkspaceFileKind> = {
  pdf: {
    contentType: "application/pdf",
    family: "pdf",
    matches: (b) => latin1(b, 0, 5) === "%PDF-",
  },
  docx: { contentType: DOCX.contentType, family: "zip", matches: zipHolding("word/document.xml") },
  xlsx: {
    contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    family: "zip",
    matches: zipHolding("xl/workbook.xml"),
  },
  pptx: {
    contentType: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    family: "zip",
    matches: zipHolding("ppt/presentation.xml"),
  },
  png: { contentType: "image/png", family: "image", matches: (b) => startsWith(b, PNG_SIGNATURE) },
  jpg: {
    contentType: "image/jpeg",
    family: "image",
    matches: (b) => startsWith(b, JPEG_SIGNATURE),
  },
  jpeg: {
    contentType: "image/jpeg",
    family: "image",
    matches: (b) => startsWith(b, JPEG_SIGNATURE),
  },
  txt: { contentType: "text/plain; charset=utf-8", family: "text", matches: isText },
  md: { contentType: "text/markdown; charset=utf-8", family: "text", matches: isText },
  csv: { contentType: "text/csv; charset=utf-8", family: "text", matches: isText },
  json: { contentType: "application/json", family: "text", matches: isText },
};

/**
 * Checks a file for a workspace: a plain name (no path), an allowed extension, content that is
 * what the extension says and nothing else besides, within the size limit. The error, or the
 * name and type to store.
 */
export function checkWorkspaceFile(file: {
  name: string;
  bytes: Uint8Array;
}): { error: string } | { error?: undefined; filename: string; contentType: string } {
  const max = getEnv().UPLOAD_MAX_BYTES;
  const nameProblem = fileNameProblem(file.name);
  if (nameProblem) return { error: nameProblem };
  const name = file.name.trim();
  const extension = /\.([A-Za-z0-9]{1,5})$/.exec(name)?.[1]?.toLowerCase() ?? "";
  const kind = WORKSPACE_FILE_KINDS[extension];
  if (!kind)
    return {
      error: `Upload a file of one of these types: ${Object.keys(WORKSPACE_FILE_KINDS).join(", ")}`,
    };
  if (file.bytes.byteLength === 0) return { error: "The selected file is empty" };
  if (file.bytes.byteLength > max)
    return { error: `The file must be ${formatBytes(max)} or smaller` };
  if (kind.family === "zip" && startsWith(file.bytes, ZIP_SIGNATURE)) {
    const dir = readZipDirectory(file.bytes);
    if ("problem" in dir) return { error: `The file ${dir.problem}` };
  }
  if (!kind.matches(file.bytes))
    return {
      error: `The file's content is not a .${extension} file; check you chose the right one`,
    };
  const hidden = polyglotProblem(file.bytes, kind.family);
  if (hidden) return { error: `The file ${hidden}` };
  return { filename: safeFilename(name, extension), contentType: kind.contentType };
}
