import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, expect, test } from "vitest";
import { openDatabase } from "~/lib/db.server";
import { hashToken } from "~/lib/tokens.server";

const run = promisify(execFile);

// The operator's commands, run as an operator runs them, against a fresh embedded database of
// their own: `npm run admin:invite` (issue 20 point 4) and `npm run secrets:reseal`.

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "exchange-admin-cli-"));
const APP_URL = "https://portal.example.org";
const env = {
  ...process.env,
  DATA_DIR: dataDir,
  DATABASE_URL: "",
  APP_URL,
  NODE_ENV: "test" as const,
};

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

async function cli(script: string, args: string[], extra: Record<string, string> = {}) {
  return run("npx", ["tsx", script, ...args], { env: { ...env, ...extra } }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
}

const invite = (...args: string[]) => cli("scripts/admin-invite.ts", args);

test(
  "admin:invite migrates a fresh database, refuses an unknown institute or a taken address, and prints a working link",
  { timeout: 180_000 },
  async () => {
    // A database that does not exist yet: the command makes and migrates it, then refuses.
    const unknown = await invite("first.admin@agency.example", "--institute", "US-AISI");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("No institute has the code US-AISI.");
    expect((await invite("not-an-address", "--institute", "US-AISI")).code).toBe(2);
    expect((await invite("first.admin@agency.example")).stderr).toContain("Usage:");

    let db = await openDatabase({ kind: "pglite", dataDir });
    await db.prisma.institute.create({
      data: {
        code: "US-AISI",
        name: "US AI Safety Institute",
        country: "US",
        timeZone: "America/New_York",
        locale: "en-US",
      },
    });
    expect(await db.prisma.user.count()).toBe(0);
    await db.close();

    const made = await invite(
      "First.Admin@agency.example",
      "--institute",
      "US-AISI",
      "--name",
      "Ada First",
    );
    expect(made.code).toBe(0);
    const url = new RegExp(`${APP_URL}/invitation/([a-z2-7]{32})`).exec(made.stdout);
    expect(url, made.stdout).not.toBeNull();

    const again = await invite("first.admin@agency.example", "--institute", "US-AISI");
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("A user with the address first.admin@agency.example already");

    db = await openDatabase({ kind: "pglite", dataDir });
    const users = await db.prisma.user.findMany({
      select: {
        email: true,
        displayName: true,
        roles: true,
        institute: { select: { code: true } },
        tokens: { select: { id: true, purpose: true, usedAt: true } },
      },
    });
    expect(users).toEqual([
      {
        email: "first.admin@agency.example",
        displayName: "Ada First",
        roles: ["STAFF", "ADMIN"],
        institute: { code: "US-AISI" },
        tokens: [{ id: hashToken(url![1]!), purpose: "INVITATION", usedAt: null }],
      },
    ]);
    expect(await db.prisma.auditEvent.count({ where: { action: "user.invited" } })).toBe(1);
    await db.close();
  },
);

const key = () => crypto.randomBytes(32).toString("base64");
const fingerprint = (k: string) =>
  crypto.createHash("sha256").update(Buffer.from(k, "base64")).digest("base64url").slice(0, 8);

test(
  "secrets:reseal seals plain TOTP keys, then reseals them under a new key",
  { timeout: 180_000 },
  async () => {
    let db = await openDatabase({ kind: "pglite", dataDir });
    const user = await db.prisma.user.findFirstOrThrow({ select: { id: true } });
    // A row as the migration leaves one written before sealing: the plain key only.
    await db.prisma.mfaSecret.create({
      data: { userId: user.id, key: Buffer.from("12345678901234567890") },
    });
    await db.close();

    const first = key();
    const sealed = await cli("scripts/secrets-reseal.ts", [], { SECRETS_KEY: first });
    expect(sealed.stdout).toContain("TOTP keys: 1 sealed, 0 resealed under the current key");
    db = await openDatabase({ kind: "pglite", dataDir });
    let row = await db.prisma.mfaSecret.findUniqueOrThrow({ where: { userId: user.id } });
    expect(row.key).toBeNull();
    expect(row.sealedKey!.split(":")[1]).toBe(fingerprint(first));
    expect(row.sealedKey).not.toContain(Buffer.from("12345678901234567890").toString("base64"));
    await db.close();

    const second = key();
    const rotated = await cli("scripts/secrets-reseal.ts", [], {
      SECRETS_KEY: second,
      SECRETS_KEY_PREVIOUS: first,
    });
    expect(rotated.stdout).toContain("TOTP keys: 0 sealed, 1 resealed under the current key");
    db = await openDatabase({ kind: "pglite", dataDir });
    row = await db.prisma.mfaSecret.findUniqueOrThrow({ where: { userId: user.id } });
    expect(row.sealedKey!.split(":")[1]).toBe(fingerprint(second));
    await db.close();

    // Run again with nothing to do, and with the previous key gone: nothing changes.
    const idle = await cli("scripts/secrets-reseal.ts", [], { SECRETS_KEY: second });
    expect(idle.stdout).toContain("TOTP keys: 0 sealed, 0 resealed under the current key");
  },
);
