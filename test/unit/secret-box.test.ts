import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, expect, test } from "vitest";
import { EnvError, parseEnv, resetEnvCache } from "~/lib/env.server";
import { isSealed, openSecret, sealedWithCurrentKey, sealSecret } from "~/lib/secret-box.server";

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  resetEnvCache();
});

function env(vars: Record<string, string | undefined>) {
  process.env = { ...saved, SECRETS_KEY: undefined, SECRETS_KEY_PREVIOUS: undefined, ...vars };
  for (const [k, v] of Object.entries(process.env)) if (v === undefined) delete process.env[k];
  resetEnvCache();
}

const KEY_A = Buffer.alloc(32, 1).toString("base64");
const KEY_B = Buffer.alloc(32, 2).toString("base64");

test("a sealed secret opens only with its key and for what it was sealed for", () => {
  env({ SECRETS_KEY: KEY_A });
  const sealed = sealSecret("JBSWY3DPEHPK3PXP", "totp:user-1");
  expect(isSealed(sealed)).toBe(true);
  expect(sealed).not.toContain("JBSWY3DPEHPK3PXP");
  expect(openSecret(sealed, "totp:user-1")).toBe("JBSWY3DPEHPK3PXP");
  // Copied to another person's row, it does not open.
  expect(() => openSecret(sealed, "totp:user-2")).toThrow();
  // A flipped bit in the ciphertext is refused.
  const parts = sealed.split(":");
  const data = Buffer.from(parts[4]!, "base64url");
  data.writeUInt8(data.readUInt8(0) ^ 1, 0);
  parts[4] = data.toString("base64url");
  expect(() => openSecret(parts.join(":"), "totp:user-1")).toThrow();
  // Each seal uses a fresh IV.
  expect(sealSecret("same", "x")).not.toBe(sealSecret("same", "x"));
});

test("rotation: the previous key still opens, and says the secret needs resealing", () => {
  env({ SECRETS_KEY: KEY_A });
  const old = sealSecret("client-secret", "idp:1");
  env({ SECRETS_KEY: KEY_B, SECRETS_KEY_PREVIOUS: KEY_A });
  expect(openSecret(old, "idp:1")).toBe("client-secret");
  expect(sealedWithCurrentKey(old)).toBe(false);
  expect(sealedWithCurrentKey(sealSecret("client-secret", "idp:1"))).toBe(true);
  env({ SECRETS_KEY: KEY_B });
  expect(() => openSecret(old, "idp:1")).toThrow(/No configured key/);
});

test("production with PostgreSQL requires SECRETS_KEY; a key must be 32 bytes", () => {
  const postgres = { NODE_ENV: "production", DATABASE_URL: "postgresql://x@localhost/db" };
  expect(() => parseEnv(postgres)).toThrow(EnvError);
  expect(() => parseEnv(postgres)).toThrow(/SECRETS_KEY: must be set in production/);
  expect(parseEnv({ ...postgres, SECRETS_KEY: KEY_A }).SECRETS_KEY).toHaveLength(32);
  expect(() => parseEnv({ SECRETS_KEY: "c2hvcnQ=" })).toThrow(/must be 32 bytes/);
  expect(() => parseEnv({ NODE_ENV: "production" })).not.toThrow();
});

test("production on the embedded database keeps its key in DATA_DIR, owner-only", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secret-box-"));
  try {
    env({ NODE_ENV: "production", DATA_DIR: dir, DATABASE_URL: undefined });
    const sealed = sealSecret("s", "a");
    const file = path.join(dir, "secrets.key");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(fs.readFileSync(file, "utf8"), "base64")).toHaveLength(32);
    expect(openSecret(sealed, "a")).toBe("s");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
