import { createHash } from "node:crypto";
import {
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";
import { getEnv } from "./env.server";

/** A form posted as multipart/form-data, files kept in memory up to the upload limit. */
export async function parseUploadForm(
  request: Request,
): Promise<{ formData: FormData; tooLarge: string | null }> {
  const maxPartSize = getEnv().UPLOAD_MAX_BYTES;
  const type = request.headers.get("content-type") ?? "";
  if (!type.startsWith("multipart/form-data")) {
    return { formData: await request.formData(), tooLarge: null };
  }
  try {
    const formData = await unstable_parseMultipartFormData(
      request,
      unstable_createMemoryUploadHandler({ maxPartSize }),
    );
    return { formData, tooLarge: null };
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) {
      return { formData: new FormData(), tooLarge: error.field };
    }
    throw error;
  }
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
