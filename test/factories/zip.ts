import { crc32, deflateRawSync } from "node:zlib";

// A tiny ZIP writer for fixtures: real Office documents, and the hostile archives (zip bombs,
// overlapping entries, nested archives) that uploads must refuse. Shared by tests and the seed.

export type ZipPart = {
  name: string;
  data: Uint8Array | string;
  /** Stored (no compression) instead of deflated. */
  store?: boolean;
  /** The uncompressed size the headers declare, when it should lie. */
  declaredSize?: number;
};

export type ZipOptions = {
  /**
   * Extra central directory records that all point at the last part's data: the
   * "overlapping files" zip bomb, many names for one stored stream.
   */
  overlapping?: number;
};

function u16(n: number) {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
}
function u32(n: number) {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
}

export function zipBytes(parts: ZipPart[], options: ZipOptions = {}): Uint8Array {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  const record = (
    name: Buffer,
    method: number,
    crc: number,
    compressedSize: number,
    size: number,
    at: number,
  ) =>
    Buffer.concat([
      u32(0x02014b50),
      u16(20), // made by
      u16(20), // needed to extract
      u16(0x0800), // UTF-8 names
      u16(method),
      u32(0), // time and date
      u32(crc),
      u32(compressedSize),
      u32(size),
      u16(name.length),
      u16(0),
      u16(0),
      u16(0),
      u16(0),
      u32(0),
      u32(at),
      name,
    ]);
  let last: Parameters<typeof record> | undefined;
  for (const part of parts) {
    const raw = typeof part.data === "string" ? Buffer.from(part.data) : Buffer.from(part.data);
    const name = Buffer.from(part.name);
    const method = part.store ? 0 : 8;
    const body = part.store ? raw : deflateRawSync(raw);
    const crc = crc32(raw);
    const size = part.declaredSize ?? raw.length;
    const local = Buffer.concat([
      u32(0x04034b50),
      u16(20),
      u16(0x0800),
      u16(method),
      u32(0),
      u32(crc),
      u32(body.length),
      u32(size),
      u16(name.length),
      u16(0),
      name,
      body,
    ]);
    last = [name, method, crc, body.length, size, offset];
    central.push(record(...last));
    locals.push(local);
    offset += local.length;
  }
  for (let i = 0; last && i < (options.overlapping ?? 0); i++) {
    const [name, ...rest] = last;
    central.push(record(Buffer.from(`${name.toString()}.${i}`), ...rest));
  }
  const directory = Buffer.concat(central);
  const end = Buffer.concat([
    u32(0x06054b50),
    u16(0),
    u16(0),
    u16(central.length),
    u16(central.length),
    u32(directory.length),
    u32(offset),
    u16(0),
  ]);
  return new Uint8Array(Buffer.concat([...locals, directory, end]));
}

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>`;

const MAIN_PART = {
  docx: "word/document.xml",
  xlsx: "xl/workbook.xml",
  pptx: "ppt/presentation.xml",
};

/** A minimal Word, Excel or PowerPoint file: a real ZIP with the parts that type must have. */
export function officeBytes(
  kind: keyof typeof MAIN_PART = "docx",
  extra: ZipPart[] = [],
  options: ZipOptions = {},
) {
  return zipBytes(
    [
      { name: "[Content_Types].xml", data: CONTENT_TYPES },
      { name: "_rels/.rels", data: `<?xml version="1.0"?><Relationships/>` },
      { name: MAIN_PART[kind], data: `<?xml version="1.0"?><document>Curriculum vitae</document>` },
      ...extra,
    ],
    options,
  );
}
