/**
 * Request bodies, read in full before a request is worked on: a slow sender then holds only its
 * own socket and at most `limit` bytes, never one of the few working slots (app/lib/admission.ts).
 * The size limit applies as the body streams in, so a chunked body without a Content-Length is
 * cut off at the same size as a declared one.
 */

const MIB = 1024 * 1024;

/** Parts in one multipart body: an upload form has a handful; thousands are not a person. */
export const MAX_MULTIPART_PARTS = 100;

/**
 * The largest body accepted. Uploads get room for a file up to twice the limit, so that one
 * slightly too large still reaches the form, which says so next to the field; other forms get room
 * for the longest text a form takes (a 100,000-character page, percent-encoded).
 */
export function bodyLimit(contentType: string | undefined, uploadMaxBytes: number) {
  return isMultipart(contentType) ? 2 * uploadMaxBytes + MIB : 2 * MIB;
}

/** A declared Content-Length over the limit (or not a number): refused before any byte is read. */
export function declaredBodyTooLarge(contentLength: string | undefined, limit: number) {
  if (!contentLength) return false;
  const n = Number(contentLength);
  return !Number.isFinite(n) || n > limit;
}

/**
 * The bytes of request bodies held in memory at once, across all requests: bodies are read before
 * a working slot is taken, so without this, many clients each sending a large body would hold
 * that many buffers, where before only the few working requests did.
 */
export type BodyBudget = { take(bytes: number): boolean; give(bytes: number): void };

export function createBodyBudget(maxBytes: number): BodyBudget & { readonly used: number } {
  let used = 0;
  return {
    get used() {
      return used;
    },
    take(bytes) {
      if (used + bytes > maxBytes) return false;
      used += bytes;
      return true;
    },
    give(bytes) {
      used -= bytes;
    },
  };
}

export type BodyResult =
  /** `release` gives the body's bytes back to the budget once the request is done with it. */
  | { kind: "read"; body: Buffer; release: () => void }
  | { kind: "too-large" }
  /** The budget is spent by other requests' bodies: try again shortly. */
  | { kind: "busy" }
  /** The client went away or the connection failed before the body ended. */
  | { kind: "gone" };

/**
 * Reads a body stream into one buffer, stopping (and reading no further) once it passes `limit`
 * or the shared budget runs out.
 */
export function readBody(
  stream: NodeJS.ReadableStream,
  limit: number,
  budget: BodyBudget,
): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      budget.give(size);
    };
    const finish = (result: BodyResult) => {
      stream.removeListener("data", onData);
      stream.removeListener("end", onEnd);
      stream.removeListener("error", onGone);
      stream.removeListener("close", onGone);
      if (result.kind !== "read") {
        release();
        chunks.length = 0;
      }
      resolve(result);
    };
    const onData = (chunk: Buffer | string) => {
      const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      if (size + bytes.byteLength > limit || !budget.take(bytes.byteLength)) {
        stream.pause();
        finish({ kind: size + bytes.byteLength > limit ? "too-large" : "busy" });
        return;
      }
      size += bytes.byteLength;
      chunks.push(bytes);
    };
    const onEnd = () => finish({ kind: "read", body: Buffer.concat(chunks, size), release });
    const onGone = () => finish({ kind: "gone" });
    stream.on("data", onData);
    stream.once("end", onEnd);
    stream.once("error", onGone);
    stream.once("close", onGone);
  });
}

/**
 * At least the number of parts in a multipart body (each part opens with a delimiter line), or 0
 * for any other body. Counting is one linear scan, done before any parser sees the body.
 */
export function multipartParts(contentType: string | undefined, body: Buffer) {
  if (!isMultipart(contentType)) return 0;
  const boundary = /;\s*boundary=(?:"([^"]+)"|([^\s;]+))/i.exec(contentType ?? "");
  if (!boundary) return 0;
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]!}`);
  let count = 0;
  for (
    let at = body.indexOf(delimiter);
    at >= 0;
    at = body.indexOf(delimiter, at + delimiter.length)
  )
    count++;
  // The last delimiter closes the body rather than opening a part.
  return Math.max(0, count - 1);
}

function isMultipart(contentType: string | undefined) {
  return (contentType ?? "").toLowerCase().startsWith("multipart/");
}
