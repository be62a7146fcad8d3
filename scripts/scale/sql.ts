// Bulk writing for the scale generator. PGlite (PostgreSQL in WASM, in-process) pays a high price
// per statement, so rows go in thousands at a time as one JSON parameter that the database unpacks
// with json_to_recordset: one statement, one parameter, any number of columns.
import { randomBytes } from "node:crypto";
import type { Prisma, PrismaClient } from "~/generated/prisma/client";
import { sha256Hex } from "~/lib/files.server";
import type { Progress } from "../lib/progress";
import { clock } from "~/lib/clock";

export type Tx = Prisma.TransactionClient;
export type Db = PrismaClient | Tx;

/** Column name → SQL type, in insert order. Enum types are quoted: `'"ApplicationStatus"'`. */
export type Columns = Record<string, string>;

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Inserts `rows` (objects keyed by column name; Dates as ISO strings, day columns as YYYY-MM-DD)
 * in statements of `chunk` rows, ticking `bar` after each. `constants` are further columns with
 * one SQL expression for every row (e.g. the same file bytes).
 */
export async function insertRows(
  db: Db,
  table: string,
  columns: Columns,
  rows: readonly Record<string, unknown>[],
  options: { bar?: Progress; chunk?: number; constants?: Record<string, string> } = {},
) {
  const { bar, chunk = 4000, constants = {} } = options;
  const names = Object.keys(columns);
  const list = [...names, ...Object.keys(constants)].map(quote).join(", ");
  const values = [...names.map(quote), ...Object.values(constants)].join(", ");
  const typed = names.map((n) => `${quote(n)} ${columns[n]}`).join(", ");
  const sql = `INSERT INTO ${quote(table)} (${list}) SELECT ${values} FROM json_to_recordset($1::json) AS x(${typed})`;
  for (let start = 0; start < rows.length; start += chunk) {
    const part = rows.slice(start, start + chunk);
    await db.$executeRawUnsafe(sql, JSON.stringify(part));
    bar?.tick(part.length);
  }
}

/**
 * Inserts StoredFile rows ({ id, ownerId, filename, createdAt }) that all hold the same PDF bytes,
 * written once into the statement rather than once per row.
 */
export async function insertPdfFiles(
  db: Db,
  files: readonly Record<string, unknown>[],
  pdf: Uint8Array,
) {
  await insertRows(
    db,
    "StoredFile",
    { id: "text", ownerId: "text", filename: "text", createdAt: "timestamp(3)" },
    files,
    {
      constants: {
        contentType: "'application/pdf'",
        size: String(pdf.byteLength),
        sha256: `'${sha256Hex(pdf)}'`,
        data: `decode('${Buffer.from(pdf).toString("hex")}', 'hex')`,
      },
    },
  );
}

let counter = 0;
const processTag = randomBytes(4).readUInt32BE(0).toString(36).padStart(7, "0").slice(0, 4);

/**
 * An id of the cuid shape (a letter, then 24 lower-case letters and digits), as Prisma's @default(cuid())
 * makes them, unique across runs (time, process and counter).
 */
export function newId() {
  counter = (counter + 1) % 36 ** 6;
  const time = clock.ms().toString(36).padStart(9, "0").slice(-9);
  const count = counter.toString(36).padStart(6, "0");
  const random = randomBytes(4).readUInt32BE(0).toString(36).padStart(5, "0").slice(0, 5);
  return `c${time}${count}${processTag}${random}`;
}

export const DAY_MS = 86_400_000;

/** YYYY-MM-DD of an instant (UTC). */
export const isoDay = (d: Date | number) => new Date(d).toISOString().slice(0, 10);

/** The instant `days` (may be fractional or negative) after `from`. */
export const addDays = (from: Date | number, days: number) =>
  new Date(new Date(from).getTime() + days * DAY_MS);

/** Spreads `total` into `n` whole parts proportional to `weights` (largest remainders). */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0 || weights.length === 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) {
    const i = order[k]![1];
    out[i] = out[i]! + 1;
  }
  return out;
}

/** apportion, with no part above its cap: what a part cannot take goes to those with room. */
export function apportionCapped(
  total: number,
  weights: readonly number[],
  caps: readonly number[],
): number[] {
  const out = weights.map(() => 0);
  let left = total;
  for (let round = 0; left > 0 && round < 20; round++) {
    const room = caps.map((c, i) => Math.max(0, c - out[i]!));
    const share = apportion(
      left,
      weights.map((w, i) => (room[i]! > 0 ? w : 0)),
    );
    if (share.every((n) => n === 0)) break;
    share.forEach((n, i) => {
      const take = Math.min(n, room[i]!);
      out[i] = out[i]! + take;
      left -= take;
    });
  }
  return out;
}
