import fc from "fast-check";
import { docxBytes, exeBytes, pdfBytes } from "#test/factories/postings";
import { dayAfter } from "#test/support/clock";

// Generated bad and hostile form input for the action fuzzer. Values are kept small and printable
// in counterexamples: a huge string is a { huge } recipe, a file a { file } recipe, a value only
// known when the case runs (the record's current version, a TOTP code) a { late } name. They
// become real strings, Files and bodies in buildRequest.

export type Huge = { huge: string; times: number };
export type FilePart = {
  file: string;
  type: string;
  content: "pdf" | "docx" | "exe" | "empty" | "text" | "big" | "nul";
};
export type Late = { late: string };
export type Value = string | Huge | FilePart | Late;
/** A field as posted: absent, or one or more values under the same name. */
export type Field = { name: string; values: Value[] };
export type BodyMode =
  "multipart" | "urlencoded" | "text/plain" | "json" | "no-boundary" | "truncated" | "empty";

// --- hostile values -----------------------------------------------------------------------------

const WRONG_TYPES = [
  "0",
  "-1",
  "1.5",
  "1e309",
  "-1e309",
  "NaN",
  "Infinity",
  "-Infinity",
  "2147483647",
  "2147483648",
  "-2147483649",
  "9007199254740993",
  "99999999999999999999999999",
  "-9223372036854775809",
  "0x1F",
  "1_000",
  "１２３",
  "true",
  "false",
  "null",
  "undefined",
  "[]",
  "{}",
  '{"a":1}',
  "[object Object]",
  "on",
  "off",
];

// Fixed on purpose: shapes, not times (days no calendar has, a leap day and a non-leap one, year 0,
// the ends of what Date holds, other formats). Past or future, the fuzzer checks the same things.
const DATES = [
  "0000-00-00",
  "0000-01-01",
  "0001-01-01",
  "1899-12-31",
  "1970-01-01",
  "2024-02-29",
  "2023-02-29",
  "2027-02-30",
  "2027-13-01",
  "2027-00-10",
  "9999-12-31",
  "10000-01-01",
  "+275760-09-13",
  "-000001-01-01",
  "275760-09-14",
  "2027-03-01T00:00",
  "2027-03-01T25:61",
  "9999-12-31T23:59",
  "0000-01-01T00:00",
  "2027-01-31T17:00:00.000Z",
  "2027-1-1",
  "01/03/2027",
  "２０２７-０３-０１",
];

const CONTROL = [
  "\u0000",
  "a\u0000b",
  "\u0000".repeat(8),
  "\u0001\u0002\u0003\u001f",
  "\u0007\u0008",
  "\u001b[31mred\u001b[0m",
  "\u007f",
  "\u0085",
  "\u009b",
  "\r",
  "\n",
  "\r\n\r\n",
  "\t",
  "line one\nline two",
  "\u2028\u2029",
  "\uFEFF",
  "\uFFFD",
  "\uFFFE\uFFFF",
];

const UNICODE = [
  "\uD800",
  "a\uDC00b",
  "\uDBFF\uDBFF",
  "\u202Egnp.exe",
  "\u202Dabc\u202C",
  "\u2066\u2067\u2068\u2069",
  "e\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301",
  "Z\u0351\u036b\u0343\u036a\u0302\u036b\u033d\u034f\u0334\u0319\u0324\u031e\u0349\u035a\u032f",
  "👨‍👩‍👧‍👦",
  "🏳️‍🌈",
  "\u{1F600}".repeat(3),
  "\u{10FFFF}",
  "\u{E0001}\u{E0041}",
  "\u200B\u200C\u200D\u2060",
  "\u00AD",
  "ＡＤＭＩＮ",
  "АDMIN",
  "İ",
  "ß",
  "ﬁ",
  "ǅ",
  "\u0130\u0130\u0130",
  "日本語のテキスト",
  "مرحبا بالعالم",
  "שלום",
  "\u3000",
  "\u00A0",
  " ",
  "   ",
];

const INJECTION = [
  "' OR '1'='1",
  '\'; DROP TABLE "User"; --',
  '" OR ""="',
  "1; SELECT pg_sleep(0)",
  "\\",
  "\\'",
  "%",
  "_",
  "%00",
  "%2e%2e%2f",
  "$1",
  "${7*7}",
  "{{7*7}}",
  "#{7*7}",
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "javascript:alert(1)",
  "[x](javascript:alert(1))",
  "../../etc/passwd",
  "..\\..\\windows\\win.ini",
  "/etc/passwd\u0000.pdf",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "=cmd|' /C calc'!A0",
  "@SUM(1+1)",
  "//evil.example",
  "/\\evil.example",
  "https://evil.example/",
  "\\\\evil\\share",
  "a@b",
  "a@b.c",
  "@",
  "x@y.z\u0000",
  "",
];

const HUGE_UNITS = ["a", "é", "😀", "\u0000", "x\n", "<b>", " ", "\u0301", "a,", "9"];

/** A string of 100 KB or more (or, rarely, a few MB), as a recipe. */
export const hugeArb: fc.Arbitrary<Huge> = fc.record({
  huge: fc.constantFrom(...HUGE_UNITS),
  times: fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: 100_001, max: 200_000 }) },
    { weight: 1, arbitrary: fc.constant(1_100_000) },
  ),
});

const utf16Unit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));

const randomText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "binary-ascii", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.string({ unit: utf16Unit, maxLength: 20 }),
);

const numbers = fc.oneof(
  fc.integer().map(String),
  fc.double().map(String),
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map(String),
);

const filePart = (contents: FilePart["content"][]): fc.Arbitrary<FilePart> =>
  fc.record({
    file: fc.constantFrom(
      "cv.pdf",
      "cv.docx",
      "report.PDF",
      "notes.txt",
      "results.csv",
      "evil.exe",
      "cv.pdf.exe",
      "../../etc/passwd.pdf",
      "a\u0000b.pdf",
      "\u202Efdp.exe",
      "",
      "x".repeat(300) + ".pdf",
      "😀.pdf",
      ".pdf",
      "cv",
    ),
    type: fc.constantFrom(
      "application/pdf",
      "application/octet-stream",
      "text/plain",
      "text/html",
      "",
      "image/svg+xml",
    ),
    content: fc.constantFrom(...contents),
  });
/** A file part where a file belongs: now and then one byte over the upload limit. */
export const filePartArb = filePart(["pdf", "docx", "exe", "empty", "text", "nul", "big"]);
/** A file part where text belongs: small (a 10 MB part in every tenth case costs, finds nothing). */
const smallFilePartArb = filePart(["pdf", "docx", "exe", "empty", "text", "nul"]);

/** Hostile values of every kind, including other records' ids. */
export function hostileArb(otherIds: readonly string[]): fc.Arbitrary<Value> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...WRONG_TYPES) },
    { weight: 2, arbitrary: fc.constantFrom(...DATES) },
    { weight: 3, arbitrary: fc.constantFrom(...CONTROL) },
    { weight: 3, arbitrary: fc.constantFrom(...UNICODE) },
    { weight: 3, arbitrary: fc.constantFrom(...INJECTION) },
    { weight: 3, arbitrary: fc.constantFrom(...otherIds) },
    { weight: 1, arbitrary: hugeArb },
    { weight: 2, arbitrary: randomText },
    { weight: 1, arbitrary: numbers },
  );
}

/** A plausible value with something hostile stuck to it: gets past the first check, if any. */
function spliced(plausible: fc.Arbitrary<Value>, otherIds: readonly string[]) {
  const bits = fc.constantFrom(...CONTROL, ...UNICODE, ...INJECTION, ...otherIds.slice(0, 5));
  return fc
    .tuple(plausible, bits, fc.constantFrom("before", "after", "both"))
    .map(([p, bit, where]): Value => {
      if (typeof p !== "string") return p;
      return where === "before" ? bit + p : where === "after" ? p + bit : bit + p + bit;
    });
}

// --- fields -------------------------------------------------------------------------------------

export type FieldSpec = {
  /** Values that a person using the form could send: they take the case deep into the service. */
  plausible: fc.Arbitrary<Value>;
  /** A checkbox group or multi-select: any number of values is normal (this many at least). */
  many?: boolean;
  minMany?: number;
};

export const oneOf = (...values: (string | Late)[]): FieldSpec => ({
  plausible: fc.constantFrom(...values),
});
export const manyOf = (...values: string[]): FieldSpec => ({
  plausible: fc.constantFrom(...values),
  many: true,
});
/** A multi-select where the form needs at least one. */
export const someOf = (...values: string[]): FieldSpec => ({ ...manyOf(...values), minMany: 1 });
/**
 * Text a person may well type, that still trips code downstream of the form: LIKE pattern
 * characters, quotes, a trailing backslash, accents that change length when case-folded.
 */
const TRICKY_VALID = [
  "100% done_now \\",
  'O\'Brien "Bob" <b>',
  "İstanbul ǅemal STRASSE ß",
  "日本語 مرحبا 😀",
  "a\\",
  "%",
  "_",
];

export const text = (...examples: string[]): FieldSpec => ({
  plausible: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...examples, "A plain title") },
    { weight: 1, arbitrary: fc.constantFrom(...TRICKY_VALID) },
    { weight: 1, arbitrary: fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 30 }) },
  ),
});
export const longText = (max: number, ...examples: string[]): FieldSpec => ({
  plausible: fc.oneof(
    {
      weight: 4,
      arbitrary: fc.constantFrom(...examples, "Some **markdown**\n\n- a list\n- of things"),
    },
    { weight: 1, arbitrary: fc.constantFrom(...TRICKY_VALID) },
    { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 200 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom("y".repeat(max), "y".repeat(max + 1), "y\n".repeat(max)),
    },
  ),
});
/** A day a person might enter: from a year before the test's now to three years after. */
export const date = (): FieldSpec => ({
  plausible: fc.oneof(
    fc.integer({ min: -365, max: 3 * 365 }).map((days) => dayAfter(days)),
    fc.constant(""),
  ),
});
export const version = (): FieldSpec => ({
  plausible: fc.oneof(
    { weight: 4, arbitrary: fc.constant<Value>({ late: "version" }) },
    { weight: 1, arbitrary: fc.constantFrom("0", "1", "2") },
  ),
});
export const file = (): FieldSpec => ({
  plausible: fc.oneof(
    {
      weight: 3,
      arbitrary: fc.constantFrom<FilePart>(
        { file: "cv.pdf", type: "application/pdf", content: "pdf" },
        { file: "Results 2027.pdf", type: "application/pdf", content: "pdf" },
        {
          file: "cv.docx",
          type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
          content: "docx",
        },
      ),
    },
    { weight: 2, arbitrary: filePartArb },
  ),
});

export type FormSpec = Record<string, FieldSpec>;

const EXTRA_NAMES = [
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  "id",
  "userId",
  "instituteId",
  "roles",
  "status",
  "version",
  "intent",
  "a\u0000b",
  "",
  "x".repeat(2000),
  "名前",
  "field[]",
  "a.b",
  "redirectTo",
];

/**
 * A whole form, in one of three kinds of case: clean (every field once, with a plausible value:
 * these reach the service and succeed or are refused there), one or two fields bad (the others
 * plausible, so the bad one meets the deepest code that reads it), or chaos (every field absent,
 * once or repeated, each value plausible, hostile, plausible with something hostile attached, or a
 * file where text belongs). Any kind may carry names the form does not have.
 */
export function formArb(form: FormSpec, otherIds: readonly string[]): fc.Arbitrary<Field[]> {
  const hostile = hostileArb(otherIds);
  const entries = Object.entries(form);
  const clean = (spec: FieldSpec) =>
    spec.many
      ? fc.array(spec.plausible, { minLength: spec.minMany ?? 0, maxLength: 4 })
      : spec.plausible.map((v) => [v]);
  const bad = (spec: FieldSpec) => {
    const value = fc.oneof(
      { weight: 5, arbitrary: hostile },
      { weight: 2, arbitrary: spliced(spec.plausible, otherIds) },
      { weight: 1, arbitrary: smallFilePartArb },
    );
    return fc.oneof(
      { weight: 1, arbitrary: fc.constant([] as Value[]) },
      { weight: 6, arbitrary: value.map((v) => [v]) },
      { weight: 2, arbitrary: fc.array(value, { minLength: 2, maxLength: 4 }) },
      {
        weight: 1,
        arbitrary: fc.array(fc.oneof(spec.plausible, value), { minLength: 2, maxLength: 4 }),
      },
      // Far more values than any list on a form allows (and each once more).
      {
        weight: 1,
        arbitrary: fc
          .array(spec.plausible, { minLength: 51, maxLength: 300 })
          .map((vs) => [...vs, ...vs]),
      },
    );
  };
  const chaos = (spec: FieldSpec) =>
    fc.oneof({ weight: 3, arbitrary: clean(spec) }, { weight: 2, arbitrary: bad(spec) });
  const fields = (pick: (spec: FieldSpec) => fc.Arbitrary<Value[]>) =>
    fc.tuple(...entries.map(([, spec]) => pick(spec)));

  const cleanCase = fields(clean);
  const badField = fc
    .nat({ max: Math.max(0, entries.length - 1) })
    .chain((i) => bad(entries[i]![1]).map((vs): [number, Value[]] => [i, vs]));
  const oneBadCase = entries.length
    ? fc
        .tuple(fields(clean), fc.array(badField, { minLength: 1, maxLength: 2 }))
        .map(([values, bads]) => {
          const out = [...values];
          for (const [i, vs] of bads) out[i] = vs;
          return out;
        })
    : cleanCase;
  const chaosCase = fields(chaos);
  const known = fc.oneof(
    { weight: 3, arbitrary: cleanCase },
    { weight: 4, arbitrary: oneBadCase },
    { weight: 3, arbitrary: chaosCase },
  );
  const extra = fc.oneof(
    { weight: 3, arbitrary: fc.constant([]) },
    {
      weight: 1,
      arbitrary: fc.array(
        fc.record({
          name: fc.oneof(fc.constantFrom(...EXTRA_NAMES), fc.string({ maxLength: 12 })),
          values: fc.array(fc.oneof(hostile, smallFilePartArb), { minLength: 1, maxLength: 2 }),
        }),
        { minLength: 1, maxLength: 3 },
      ),
    },
  );
  return fc.tuple(known, extra, fc.boolean()).map(([values, more, reverse]) => {
    const all: Field[] = [
      ...values.map((vs, i) => ({ name: entries[i]![0], values: vs })),
      ...more,
    ];
    // Field order is not something a server may rely on either.
    if (reverse) all.reverse();
    return all;
  });
}

export const bodyModeArb: fc.Arbitrary<BodyMode> = fc.oneof(
  { weight: 30, arbitrary: fc.constant<BodyMode>("multipart") },
  { weight: 8, arbitrary: fc.constant<BodyMode>("urlencoded") },
  {
    weight: 3,
    arbitrary: fc.constantFrom<BodyMode>("text/plain", "json", "no-boundary", "truncated", "empty"),
  },
);

// --- requests -----------------------------------------------------------------------------------

const BASE = "http://localhost";

function fileBytes(content: FilePart["content"], uploadMax: number): Uint8Array {
  switch (content) {
    case "pdf":
      return pdfBytes();
    case "docx":
      return docxBytes();
    case "exe":
      return exeBytes();
    case "empty":
      return new Uint8Array();
    case "text":
      return new TextEncoder().encode("plain text, not a document\n");
    case "nul":
      return new Uint8Array(2048);
    case "big": {
      // One byte over the limit, starting like a PDF.
      const bytes = new Uint8Array(uploadMax + 1);
      bytes.set(pdfBytes());
      return bytes;
    }
  }
}

export type Resolver = (name: string) => string;

export function materialise(value: Value, resolve: Resolver, uploadMax: number): string | File {
  if (typeof value === "string") return value;
  if ("huge" in value) return value.huge.repeat(value.times);
  if ("late" in value) return resolve(value.late);
  return new File([Buffer.from(fileBytes(value.content, uploadMax))], value.file, {
    type: value.type,
  });
}

/** The first plain value of a field as the case will send it (for late values that depend on it). */
export function firstValue(fields: Field[], name: string): string {
  const v = fields.find((f) => f.name === name)?.values[0];
  return typeof v === "string" ? v : "";
}

/** The POST request a browser (or an attacker) would send, with the session cookie. */
export async function buildRequest(opts: {
  path: string;
  cookie: string | null;
  fields: Field[];
  mode: BodyMode;
  cut: number;
  resolve: Resolver;
  uploadMax: number;
}): Promise<Request> {
  const headers = new Headers();
  if (opts.cookie) headers.set("Cookie", opts.cookie);
  // A browser's form from the portal's own page (the anti-forgery check has tests of its own).
  headers.set("Sec-Fetch-Site", "same-origin");
  const url = BASE + opts.path;
  const entries: [string, string | File][] = [];
  for (const f of opts.fields)
    for (const v of f.values) entries.push([f.name, materialise(v, opts.resolve, opts.uploadMax)]);

  if (opts.mode === "urlencoded") {
    const params = new URLSearchParams();
    for (const [k, v] of entries) params.append(k, typeof v === "string" ? v : v.name);
    headers.set("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8");
    return new Request(url, { method: "POST", headers, body: params.toString() });
  }
  const form = new FormData();
  for (const [k, v] of entries) form.append(k, v);
  if (opts.mode === "multipart") return new Request(url, { method: "POST", headers, body: form });

  // Malformed bodies: what a broken client or a hand-made request sends.
  const encoded = new Response(form);
  const bytes = new Uint8Array(await encoded.arrayBuffer());
  const multipartType = encoded.headers.get("Content-Type")!;
  switch (opts.mode) {
    case "text/plain":
      headers.set("Content-Type", "text/plain;charset=UTF-8");
      return new Request(url, {
        method: "POST",
        headers,
        body: entries.map(([k, v]) => `${k}=${typeof v === "string" ? v : v.name}`).join("\n"),
      });
    case "json":
      headers.set("Content-Type", "application/json");
      return new Request(url, {
        method: "POST",
        headers,
        body: JSON.stringify(Object.fromEntries(entries.map(([k, v]) => [k, String(v)]))),
      });
    case "no-boundary":
      headers.set("Content-Type", "multipart/form-data");
      return new Request(url, { method: "POST", headers, body: bytes });
    case "truncated":
      headers.set("Content-Type", multipartType);
      return new Request(url, {
        method: "POST",
        headers,
        body: bytes.slice(0, Math.floor((bytes.length * opts.cut) / 1000)),
      });
    case "empty":
      headers.set("Content-Type", multipartType);
      return new Request(url, { method: "POST", headers });
  }
}
