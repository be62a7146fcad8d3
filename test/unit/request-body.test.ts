import { PassThrough } from "node:stream";
import { describe, expect, test } from "vitest";
import {
  bodyLimit,
  createBodyBudget,
  declaredBodyTooLarge,
  MAX_MULTIPART_PARTS,
  multipartParts,
  readBody,
} from "~/lib/request-body.server";

describe("request body limits", () => {
  const tenMb = 10 * 1024 * 1024;
  test("uploads get room for a file up to twice the limit; other forms 2 MiB", () => {
    expect(bodyLimit("multipart/form-data; boundary=x", tenMb)).toBe(21 * 1024 * 1024);
    expect(bodyLimit("application/x-www-form-urlencoded", tenMb)).toBe(2 * 1024 * 1024);
    expect(bodyLimit(undefined, tenMb)).toBe(2 * 1024 * 1024);
  });

  test("a declared size over the limit, or one that is not a number, is too large", () => {
    expect(declaredBodyTooLarge(undefined, 100)).toBe(false);
    expect(declaredBodyTooLarge("100", 100)).toBe(false);
    expect(declaredBodyTooLarge("101", 100)).toBe(true);
    expect(declaredBodyTooLarge("1e12", 100)).toBe(true);
    expect(declaredBodyTooLarge("abc", 100)).toBe(true);
  });
});

describe("reading a body", () => {
  test("gives the whole body once it ends, however it was split", async () => {
    const budget = createBodyBudget(100);
    const stream = new PassThrough();
    const result = readBody(stream, 10, budget);
    for (const piece of ["ab", "cd", "efghij"]) stream.write(piece);
    stream.end();
    const read = await result;
    expect(read.kind === "read" && read.body.toString()).toBe("abcdefghij");
    expect(budget.used).toBe(10);
    if (read.kind === "read") read.release();
    expect(budget.used).toBe(0);
  });

  test("stops at the first byte over the limit, with or without a declared size", async () => {
    const budget = createBodyBudget(100);
    const stream = new PassThrough();
    const result = readBody(stream, 10, budget);
    stream.write("0123456789");
    stream.write("x");
    expect(await result).toEqual({ kind: "too-large" });
    expect(stream.isPaused()).toBe(true);
    expect(budget.used).toBe(0);
  });

  test("is busy when other bodies hold the memory for bodies, and gives back what it took", async () => {
    const budget = createBodyBudget(10);
    const first = new PassThrough();
    const held = readBody(first, 10, budget);
    first.end("0123456");
    const second = new PassThrough();
    const refused = readBody(second, 10, budget);
    second.write("01");
    second.write("2345");
    expect(await refused).toEqual({ kind: "busy" });
    const read = await held;
    expect(budget.used).toBe(7);
    if (read.kind === "read") read.release();
    expect(budget.used).toBe(0);
  });

  test("notices a client that goes away before the body ends", async () => {
    const budget = createBodyBudget(100);
    const stream = new PassThrough();
    const result = readBody(stream, 10, budget);
    stream.write("01");
    stream.destroy();
    expect(await result).toEqual({ kind: "gone" });
    expect(budget.used).toBe(0);
  });
});

describe("counting multipart parts", () => {
  const body = (parts: number, boundary = "XyZ") =>
    Buffer.from(
      Array.from(
        { length: parts },
        (_, i) => `--${boundary}\r\nContent-Disposition: form-data; name="f${i}"\r\n\r\nv\r\n`,
      ).join("") + `--${boundary}--\r\n`,
    );

  test("counts each part once, quoted boundary or not", () => {
    expect(multipartParts("multipart/form-data; boundary=XyZ", body(3))).toBe(3);
    expect(multipartParts('multipart/form-data; boundary="XyZ"', body(1))).toBe(1);
    expect(multipartParts("multipart/form-data; boundary=XyZ", body(MAX_MULTIPART_PARTS + 1))).toBe(
      MAX_MULTIPART_PARTS + 1,
    );
  });

  test("is 0 for a body that is not multipart", () => {
    expect(multipartParts("application/x-www-form-urlencoded", body(3))).toBe(0);
    expect(multipartParts(undefined, body(3))).toBe(0);
  });
});
