import { createHash } from "node:crypto";
import { streamMultipart } from "@web3-storage/multipart-parser";
import { getEnv } from "./env.server";

// Text fields of an upload form are small; anything bigger is not a person typing.
const MAX_TEXT_FIELD_BYTES = 1024 * 1024;

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
    return { formData: await request.formData(), tooLarge: null };
  }
  const boundary = /;\s*boundary=(?:"([^"]+)"|([^\s;]+))/i.exec(type);
  if (!boundary || !request.body) throw new Response("Bad request", { status: 400 });
  const formData = new FormData();
  try {
    const boundaryText = boundary[1] ?? boundary[2]!;
    for await (const part of streamMultipart(request.body, boundaryText)) {
      if (part.done) break;
      const limit = part.filename === undefined ? MAX_TEXT_FIELD_BYTES : maxPartSize;
      const chunks: Uint8Array[] = [];
      let size = 0;
      for await (const chunk of part.data) {
        size += chunk.byteLength;
        if (size > limit) return { formData: new FormData(), tooLarge: part.name };
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
    throw new Response("Bad request", { status: 400 });
  }
  return { formData, tooLarge: null };
}

export type DocumentKind = { kind: "pdf" | "docx"; contentType: string; extension: string };

const PDF: DocumentKind = { kind: "pdf", contentType: "application/pdf", extension: "pdf" };
const DOCX: DocumentKind = {
  kind: "docx",
  contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  extension: "docx",
};

function contains(bytes: Uint8Array, text: string) {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(text, 0, "latin1");
}

/**
 * What a file is, judged by its content, never its name: a PDF starts with "%PDF-"; a DOCX is a
 * ZIP archive holding "[Content_Types].xml" and "word/document.xml". Anything else is null.
 */
export function sniffDocument(bytes: Uint8Array): DocumentKind | null {
  const head = Buffer.from(bytes.subarray(0, 8)).toString("latin1");
  if (head.startsWith("%PDF-")) return PDF;
  if (
    head.startsWith("PK\u0003\u0004") &&
    contains(bytes, "[Content_Types].xml") &&
    contains(bytes, "word/document.xml")
  )
    return DOCX;
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

/** Checks an uploaded document (PDF or DOCX) by content and size; the error, or its kind. */
export function checkDocument(file: { bytes: Uint8Array }, label = "The file") {
  const max = getEnv().UPLOAD_MAX_BYTES;
  if (file.bytes.byteLength === 0) return { error: "The selected file is empty" };
  if (file.bytes.byteLength > max)
    return { error: `${label} must be ${formatBytes(max)} or smaller` };
  const kind = sniffDocument(file.bytes);
  if (!kind) return { error: `${label} must be a PDF or a Word (DOCX) document` };
  return { kind, error: undefined };
}

export function sha256Hex(bytes: Uint8Array) {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Headers for sending a stored file as a download, never rendered inline. */
export function attachmentHeaders(file: { filename: string; contentType: string; size: number }) {
  const ascii = file.filename.replace(/[^\x20-\x7E]/g, "_").replace(/[\\"]/g, "_");
  return {
    "Content-Type": file.contentType,
    "Content-Length": String(file.size),
    "Content-Disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, no-store",
  };
}

type WorkspaceFileKind = { contentType: string; matches: (bytes: Uint8Array) => boolean };

const startsWith = (bytes: Uint8Array, signature: number[]) =>
  signature.every((b, i) => bytes[i] === b);
const zipHolding = (entry: string) => (bytes: Uint8Array) =>
  startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) &&
  contains(bytes, "[Content_Types].xml") &&
  contains(bytes, entry);

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

/** What a workspace may hold, by extension, each with the content that extension must have. */
export const WORKSPACE_FILE_KINDS: Record<string, WorkspaceFileKind> = {
  pdf: { contentType: "application/pdf", matches: (b) => sniffDocument(b)?.kind === "pdf" },
  docx: { contentType: DOCX.contentType, matches: zipHolding("word/document.xml") },
  xlsx: {
    contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    matches: zipHolding("xl/workbook.xml"),
  },
  pptx: {
    contentType: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    matches: zipHolding("ppt/presentation.xml"),
  },
  png: {
    contentType: "image/png",
    matches: (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  },
  jpg: { contentType: "image/jpeg", matches: (b) => startsWith(b, [0xff, 0xd8, 0xff]) },
  jpeg: { contentType: "image/jpeg", matches: (b) => startsWith(b, [0xff, 0xd8, 0xff]) },
  txt: { contentType: "text/plain; charset=utf-8", matches: isText },
  md: { contentType: "text/markdown; charset=utf-8", matches: isText },
  csv: { contentType: "text/csv; charset=utf-8", matches: isText },
  json: { contentType: "application/json", matches: isText },
};

/**
 * Checks a file for a workspace: a plain name (no path), an allowed extension, content that is
 * what the extension says, within the size limit. The error, or the name and type to store.
 */
export function checkWorkspaceFile(file: {
  name: string;
  bytes: Uint8Array;
}): { error: string } | { error?: undefined; filename: string; contentType: string } {
  const max = getEnv().UPLOAD_MAX_BYTES;
  const name = file.name.trim();
  if (/[\\/]/.test(name) || name.startsWith(".") || name.includes(".."))
    return { error: "The file name cannot contain a path (/ or \\) or start with a dot" };
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  if (/[\u0000-\u001F\u007F]/.test(name) || name.length > 150)
    return { error: "The file name must be plain text of 150 characters or fewer" };
  const extension = /\.([A-Za-z0-9]{1,5})$/.exec(name)?.[1]?.toLowerCase() ?? "";
  const kind = WORKSPACE_FILE_KINDS[extension];
  if (!kind)
    return {
      error: `Upload a file of one of these types: ${Object.keys(WORKSPACE_FILE_KINDS).join(", ")}`,
    };
  if (file.bytes.byteLength === 0) return { error: "The selected file is empty" };
  if (file.bytes.byteLength > max)
    return { error: `The file must be ${formatBytes(max)} or smaller` };
  if (!kind.matches(file.bytes))
    return {
      error: `The file's content is not a .${extension} file; check you chose the right one`,
    };
  return { filename: safeFilename(name, extension), contentType: kind.contentType };
}
