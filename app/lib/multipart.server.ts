/**
 * A streaming multipart/form-data reader (RFC 7578): parts in order, each with its headers read and
 * its body as chunks, so an upload can be measured and refused as it arrives. The part headers are
 * read properly: a quoted file name may hold ";" and "=" ("results;v=2.csv"), and `filename*`
 * (RFC 6266, percent-encoded UTF-8) wins over `filename`.
 */

export type MultipartPart = {
  name: string;
  filename?: string;
  contentType?: string;
  data: AsyncIterable<Uint8Array>;
};

/** What the caller answers with a 400: the body is not the multipart it claims to be. */
export class MalformedMultipart extends Error {}

// A browser writes a few short headers per part; anything longer is not one.
const MAX_HEADER_BYTES = 16 * 1024;
const CRLF = Buffer.from("\r\n");
const HEADERS_END = Buffer.from("\r\n\r\n");
const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * A form-data Content-Disposition value as { name, filename }, or null when it is not one.
 * Quoted strings keep everything up to the closing quote; `\"` inside stands for a quote, as the
 * old parser read it (browsers send a quote as %22 and leave other backslashes alone).
 */
export function parseFormDataDisposition(
  value: string,
): { name: string; filename?: string } | null {
  const type = /^\s*([^\s;]+)\s*/.exec(value);
  if (!type || type[1]!.toLowerCase() !== "form-data") return null;
  const params = new Map<string, string>();
  let rest = value.slice(type[0].length);
  while (rest.length) {
    const param = /^;\s*([^\s=;"]+)\s*=\s*/.exec(rest);
    if (!param) return null;
    rest = rest.slice(param[0].length);
    let paramValue: string;
    if (rest.startsWith('"')) {
      const quoted = /^"((?:[^"\\]|\\.)*)"\s*/s.exec(rest);
      if (!quoted) return null;
      paramValue = quoted[1]!.replace(/\\"/g, '"');
      rest = rest.slice(quoted[0].length);
    } else {
      const token = /^([^\s;"]*)\s*/.exec(rest)!;
      paramValue = token[1]!;
      rest = rest.slice(token[0].length);
    }
    const key = param[1]!.toLowerCase();
    if (!params.has(key)) params.set(key, paramValue);
  }
  const name = params.get("name");
  if (name === undefined) return null;
  const extended = params.get("filename*");
  if (extended !== undefined) {
    const filename = decodeExtValue(extended);
    return filename === null ? null : { name, filename };
  }
  const filename = params.get("filename");
  return filename === undefined ? { name } : { name, filename };
}

/** An RFC 8187 ext-value ("UTF-8''r%C3%A9sum%C3%A9.pdf"), or null when it is not one. */
function decodeExtValue(value: string): string | null {
  const m =
    /^([A-Za-z0-9!#$&+\-^_`{}~]+)'[A-Za-z0-9-]*'((?:%[0-9A-Fa-f]{2}|[A-Za-z0-9!#$&+\-.^_`|~])*)$/.exec(
      value,
    );
  if (!m) return null;
  const bytes = Buffer.from(
    m[2]!.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    "latin1",
  );
  const charset = m[1]!.toLowerCase();
  if (charset === "iso-8859-1") return bytes.toString("latin1");
  if (charset !== "utf-8") return null;
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

function parseHeaders(block: Buffer): Omit<MultipartPart, "data"> {
  let text: string;
  try {
    text = utf8.decode(block);
  } catch {
    throw new MalformedMultipart("part headers are not UTF-8");
  }
  let disposition: { name: string; filename?: string } | null = null;
  let contentType: string | undefined;
  for (const line of text.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon === -1) throw new MalformedMultipart("part header without a colon");
    const header = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (header === "content-disposition") {
      disposition = parseFormDataDisposition(value);
      if (!disposition) throw new MalformedMultipart("unreadable Content-Disposition");
    } else if (header === "content-type") contentType = value;
  }
  if (!disposition) throw new MalformedMultipart("part without Content-Disposition");
  return { ...disposition, ...(contentType === undefined ? {} : { contentType }) };
}

/**
 * The parts of a multipart body. Each part's `data` must be read (or is skipped) before the next
 * part is asked for; a body cut off or out of shape throws MalformedMultipart.
 */
export async function* streamMultipart(
  body: ReadableStream<Uint8Array>,
  boundary: string,
): AsyncGenerator<MultipartPart> {
  const reader = body.getReader();
  const dashBoundary = Buffer.from(`--${boundary}`);
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  let buf = Buffer.alloc(0);
  const more = async () => {
    const { done, value } = await reader.read();
    if (done) throw new MalformedMultipart("body cut off");
    buf = buf.length ? Buffer.concat([buf, value]) : Buffer.from(value);
  };

  try {
    // The preamble, up to the first boundary, is ignored.
    let at: number;
    while ((at = buf.indexOf(dashBoundary)) === -1) {
      buf = buf.subarray(Math.max(0, buf.length - dashBoundary.length + 1));
      await more();
    }
    buf = buf.subarray(at + dashBoundary.length);

    for (;;) {
      while (buf.length < 2) await more();
      if (buf[0] === 0x2d && buf[1] === 0x2d) {
        // The closing boundary: the epilogue is ignored.
        return;
      }
      let eol: number;
      while ((eol = buf.indexOf(CRLF)) === -1) {
        if (buf.length > MAX_HEADER_BYTES) throw new MalformedMultipart("boundary line too long");
        await more();
      }
      if (!/^[ \t]*$/.test(buf.toString("latin1", 0, eol)))
        throw new MalformedMultipart("text after a boundary");
      buf = buf.subarray(eol + CRLF.length);

      let end: number;
      while ((end = buf.indexOf(HEADERS_END)) === -1) {
        if (buf.length > MAX_HEADER_BYTES) throw new MalformedMultipart("part headers too long");
        await more();
      }
      if (end > MAX_HEADER_BYTES) throw new MalformedMultipart("part headers too long");
      const headers = parseHeaders(buf.subarray(0, end));
      buf = buf.subarray(end + HEADERS_END.length);

      let partDone = false;
      // Holds back the last bytes that could be the start of the delimiter.
      const next = async (): Promise<IteratorResult<Uint8Array>> => {
        for (;;) {
          if (partDone) return { done: true, value: undefined };
          const found = buf.indexOf(delimiter);
          if (found !== -1) {
            const chunk = buf.subarray(0, found);
            buf = buf.subarray(found + delimiter.length);
            partDone = true;
            if (chunk.length) return { done: false, value: chunk };
            continue;
          }
          const safe = buf.length - delimiter.length + 1;
          if (safe > 0) {
            const chunk = buf.subarray(0, safe);
            buf = buf.subarray(safe);
            return { done: false, value: chunk };
          }
          await more();
        }
      };
      yield { ...headers, data: { [Symbol.asyncIterator]: () => ({ next }) } };
      while (!partDone) await next();
    }
  } finally {
    // Whatever is left (an epilogue, or a body the caller stopped reading) is not read.
    await reader.cancel().catch(() => undefined);
  }
}
