import { describe, expect, test } from "vitest";
import {
  MalformedMultipart,
  parseFormDataDisposition,
  streamMultipart,
} from "~/lib/multipart.server";

describe("Content-Disposition of a form part", () => {
  test.each([
    [
      'form-data; name="file"; filename="results;v=2.csv"',
      { name: "file", filename: "results;v=2.csv" },
    ],
    ['form-data; name="file"; filename="a=b=c; d.pdf"', { name: "file", filename: "a=b=c; d.pdf" }],
    ['form-data; name="note"', { name: "note" }],
    ["form-data; name=note", { name: "note" }],
    ['Form-Data; NAME="f"; FileName="x.pdf"', { name: "f", filename: "x.pdf" }],
    ['form-data; name="f"; filename="say \\"hi\\".pdf"', { name: "f", filename: 'say "hi".pdf' }],
    [
      'form-data; name="f"; filename="C:\\docs\\cv.pdf"',
      { name: "f", filename: "C:\\docs\\cv.pdf" },
    ],
    ['form-data; name="f"; filename="résumé 中文.pdf"', { name: "f", filename: "résumé 中文.pdf" }],
    ['form-data; name="f"; filename=""', { name: "f", filename: "" }],
    // filename* (RFC 6266) wins over the ASCII fallback, and carries any character.
    [
      'form-data; name="f"; filename="r_sum_.csv"; filename*=UTF-8\'\'r%C3%A9sum%C3%A9%3Bv%3D2.csv',
      { name: "f", filename: "résumé;v=2.csv" },
    ],
    [
      "form-data; name=\"f\"; filename*=iso-8859-1'en'%E9t%E9.pdf",
      { name: "f", filename: "été.pdf" },
    ],
  ])("%s", (header, expected) => {
    expect(parseFormDataDisposition(header)).toEqual(expected);
  });

  test.each([
    'attachment; name="f"',
    'form-data; filename="x.pdf"',
    'form-data; name="f"; filename="unterminated',
    'form-data; name="f" filename="x"',
    "form-data; name",
    "form-data; name=\"f\"; filename*=UTF-8''%FF%FE.pdf",
    "form-data; name=\"f\"; filename*=koi8-r''x.pdf",
    "form-data; name=\"f\"; filename*=UTF-8''a b.pdf",
  ])("refused: %s", (header) => {
    expect(parseFormDataDisposition(header)).toBeNull();
  });
});

const BOUNDARY = "----exchangeXYZ";

function body(parts: { headers: string; data: Buffer }[]) {
  return Buffer.concat([
    Buffer.from("preamble to ignore\r\n"),
    ...parts.flatMap((p) => [
      Buffer.from(`--${BOUNDARY}\r\n${p.headers}\r\n\r\n`),
      p.data,
      Buffer.from("\r\n"),
    ]),
    Buffer.from(`--${BOUNDARY}--\r\nepilogue`),
  ]);
}

/** The body as a stream of chunks of `size` bytes. */
function streamOf(bytes: Buffer, size: number) {
  let at = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(new Uint8Array(bytes.subarray(at, at + size)));
      at += size;
    },
  });
}

async function read(bytes: Buffer, size: number) {
  const out: { name: string; filename?: string; contentType?: string; data: string }[] = [];
  for await (const part of streamMultipart(streamOf(bytes, size), BOUNDARY)) {
    const chunks: Uint8Array[] = [];
    for await (const chunk of part.data) chunks.push(chunk);
    const { data: _, ...headers } = part;
    out.push({ ...headers, data: Buffer.concat(chunks).toString("latin1") });
  }
  return out;
}

describe("a multipart body", () => {
  // Data that looks like a boundary but is not one, CRLFs and dashes at the edges.
  const tricky = Buffer.from(
    `\r\n--${BOUNDARY.slice(0, -1)}\r\n--\r\n-${"x".repeat(100)}\r`,
    "latin1",
  );
  const bytes = body([
    { headers: 'Content-Disposition: form-data; name="intent"', data: Buffer.from("upload") },
    {
      headers:
        'Content-Disposition: form-data; name="file"; filename="results;v=2.csv"\r\nContent-Type: text/csv',
      data: tricky,
    },
    { headers: 'Content-Disposition: form-data; name="empty"', data: Buffer.alloc(0) },
  ]);
  const expected = [
    { name: "intent", data: "upload" },
    {
      name: "file",
      filename: "results;v=2.csv",
      contentType: "text/csv",
      data: tricky.toString("latin1"),
    },
    { name: "empty", data: "" },
  ];

  test("reads the same parts however the bytes are split", async () => {
    for (const size of [1, 2, 3, 7, 16, 17, 64, bytes.length])
      expect(await read(bytes, size), `chunks of ${size}`).toEqual(expected);
  });

  test("a part whose data is not read is skipped", async () => {
    const names: string[] = [];
    for await (const part of streamMultipart(streamOf(bytes, 5), BOUNDARY)) names.push(part.name);
    expect(names).toEqual(["intent", "file", "empty"]);
  });

  const notUtf8 = Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="`),
    Buffer.from([0xff]),
    Buffer.from(`"\r\n\r\nx\r\n--${BOUNDARY}--`),
  ]);
  const part = (headers: string) => body([{ headers, data: Buffer.from("x") }]);

  test.each([
    ["cut off in a part", bytes.subarray(0, bytes.length - 40)],
    ["no boundary at all", Buffer.from("hello")],
    ["a part without Content-Disposition", part("Content-Type: text/plain")],
    ["an unreadable Content-Disposition", part('Content-Disposition: form-data; name="a')],
    ["headers that are not UTF-8", notUtf8],
  ])("%s is malformed", async (_, broken) => {
    await expect(read(broken, 8)).rejects.toBeInstanceOf(MalformedMultipart);
  });
});
