import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test } from "vitest";
import { openDatabase } from "~/lib/db.server";
import { chainHash, GENESIS_HASH, personalDigest } from "~/modules/audit/chain";

const run = promisify(execFile);

// The command an operator runs: it must pass on an intact log and name the first edited event.
test(
  "npm run audit:verify passes on an intact chain and reports the first edited row",
  { timeout: 120_000 },
  async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "exchange-audit-cli-"));
    const database = await openDatabase({
      kind: "pglite",
      dataDir,
      migrationsDir: path.resolve("prisma/migrations"),
    });
    let prev = GENESIS_HASH;
    for (const action of ["auth.signin.succeeded", "user.invited", "user.roles.changed"]) {
      const fields = {
        at: new Date(),
        actorId: null,
        actorEmail: "admin@test.example",
        action,
        targetType: "",
        targetId: "",
        instituteId: null,
        ipAddress: "127.0.0.1",
        details: {},
      };
      const hash = chainHash(prev, fields);
      await database.prisma.auditEvent.create({ data: { ...fields, prevHash: prev, hash } });
      prev = hash;
    }
    await database.close();

    const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: "" };
    const ok = await run("npx", ["tsx", "scripts/audit-verify.ts"], { env });
    expect(ok.stdout).toContain("Audit chain intact: 3 events verified");

    const reopened = await openDatabase({ kind: "pglite", dataDir });
    await reopened.prisma.$executeRawUnsafe(`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`);
    await reopened.prisma.$executeRawUnsafe(
      `UPDATE "AuditEvent" SET "actorEmail" = 'someone-else@test.example' WHERE seq = 2`,
    );
    await reopened.close();

    const broken = await run("npx", ["tsx", "scripts/audit-verify.ts"], { env }).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(broken?.code).toBe(1);
    expect(broken?.stderr).toContain("BROKEN at event #2");
    expect(broken?.stderr).toContain("edited");
    fs.rmSync(dataDir, { recursive: true, force: true });
  },
);

// After an erasure (the one update the database allows), the command still passes; a half-done
// erasure (address blanked, salt kept) is reported as an edit.
test(
  "npm run audit:verify passes after an erasure, and catches a partial one",
  { timeout: 120_000 },
  async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "exchange-audit-cli-erase-"));
    const database = await openDatabase({
      kind: "pglite",
      dataDir,
      migrationsDir: path.resolve("prisma/migrations"),
    });
    let prev = GENESIS_HASH;
    for (const [i, action] of ["auth.signin.succeeded", "user.invited", "outbox.view"].entries()) {
      const personalSalt = `salt-${i}`;
      const personalValues = {
        actorEmail: "departed@test.example",
        ipAddress: "192.0.2.9",
        personal: i === 1 ? { email: "invitee@test.example" } : {},
      };
      const fields = {
        at: new Date(),
        actorId: null,
        action,
        targetType: "",
        targetId: "",
        instituteId: null,
        details: {},
        personalDigest: personalDigest(personalSalt, personalValues),
      };
      const hash = chainHash(prev, fields);
      await database.prisma.auditEvent.create({
        data: { ...fields, ...personalValues, personalSalt, prevHash: prev, hash },
      });
      prev = hash;
    }
    // The erasure, with the trigger on: allowed because it blanks every personal value and the salt.
    await database.prisma.$executeRawUnsafe(
      `UPDATE "AuditEvent" SET "actorEmail" = '', "ipAddress" = '', "personal" = '{}', "personalSalt" = '', "erasedAt" = now() WHERE seq IN (1, 2)`,
    );
    await database.close();

    const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: "" };
    const ok = await run("npx", ["tsx", "scripts/audit-verify.ts"], { env });
    expect(ok.stdout).toContain("Audit chain intact: 3 events verified");

    const reopened = await openDatabase({ kind: "pglite", dataDir });
    await reopened.prisma.$executeRawUnsafe(`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`);
    await reopened.prisma.$executeRawUnsafe(
      `UPDATE "AuditEvent" SET "actorEmail" = '', "erasedAt" = now() WHERE seq = 3`,
    );
    await reopened.close();
    const broken = await run("npx", ["tsx", "scripts/audit-verify.ts"], { env }).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(broken?.code).toBe(1);
    expect(broken?.stderr).toContain("BROKEN at event #3");
    fs.rmSync(dataDir, { recursive: true, force: true });
  },
);
