import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { getEnv } from "./env.server";

/**
 * Secrets the portal must read back (TOTP keys, identity providers' client secrets) are stored
 * encrypted with AES-256-GCM under SECRETS_KEY (32 bytes, base64). A sealed value names the key
 * that sealed it by a short fingerprint, so a key can be rotated: set the new key as SECRETS_KEY
 * and the old one as SECRETS_KEY_PREVIOUS, run `npm run secrets:reseal`, then drop the old key.
 *
 * Format: `v1:<key fingerprint>:<iv>:<tag>:<ciphertext>`, each part base64url. The associated data
 * (what the secret is for, such as "totp:<user id>") is authenticated, so a sealed value copied to
 * another row does not open there.
 */

const PREFIX = "v1";

/** Used only outside production when SECRETS_KEY is unset, so a fresh clone runs. */
const DEVELOPMENT_KEY = crypto
  .createHash("sha256")
  .update("exchange-portal development key")
  .digest();

const fileKeys = new Map<string, Buffer>();
/**
 * A production process on the embedded database without SECRETS_KEY (the demo) keeps its key in
 * DATA_DIR/secrets.key, created on first use, readable by the owner only. With DATABASE_URL the
 * environment check requires SECRETS_KEY instead.
 */
function dataDirKey(dataDir: string): Buffer {
  const file = path.join(dataDir, "secrets.key");
  const known = fileKeys.get(file);
  if (known) return known;
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    fs.writeFileSync(file, crypto.randomBytes(32).toString("base64"), { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const key = Buffer.from(fs.readFileSync(file, "utf8").trim(), "base64");
  if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte base64 key`);
  fileKeys.set(file, key);
  return key;
}

type Key = { id: string; bytes: Buffer };

function keyFrom(bytes: Buffer): Key {
  const id = crypto.createHash("sha256").update(bytes).digest("base64url").slice(0, 8);
  return { id, bytes };
}

/** The sealing key first, then the previous one (still accepted for opening). */
function keys(): Key[] {
  const env = getEnv();
  const current =
    env.SECRETS_KEY ?? (env.NODE_ENV === "production" ? dataDirKey(env.DATA_DIR) : DEVELOPMENT_KEY);
  return [current, env.SECRETS_KEY_PREVIOUS].flatMap((k) => (k ? [keyFrom(k)] : []));
}

export function sealSecret(plain: string, associated: string): string {
  const key = keys()[0]!;
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key.bytes, iv);
  cipher.setAAD(Buffer.from(associated, "utf8"));
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [PREFIX, key.id, iv, cipher.getAuthTag(), data]
    .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
    .join(":");
}

/** Whether `value` is a sealed secret (rather than a plain one stored before sealing). */
export function isSealed(value: string) {
  return value.startsWith(`${PREFIX}:`) && value.split(":").length === 5;
}

/** Opens a sealed secret; throws if no configured key sealed it or it was tampered with. */
export function openSecret(sealed: string, associated: string): string {
  const [prefix, keyId, iv, tag, data] = sealed.split(":");
  if (prefix !== PREFIX || !keyId || !iv || !tag || data === undefined)
    throw new Error("Not a sealed secret");
  const key = keys().find((k) => k.id === keyId);
  if (!key) throw new Error(`No configured key opens this secret (key ${keyId})`);
  const decipher = crypto.createDecipheriv("aes-256-gcm", key.bytes, Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(associated, "utf8"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([
    decipher.update(Buffer.from(data, "base64url")),
    decipher.final(),
  ]).toString("utf8");
}

/** Whether a sealed secret was sealed by the current key (false: reseal it). */
export function sealedWithCurrentKey(sealed: string) {
  return sealed.split(":")[1] === keys()[0]!.id;
}
