import { db } from "~/lib/db.server";
import { isSealed, openSecret, sealSecret, sealedWithCurrentKey } from "~/lib/secret-box.server";

// TOTP keys are stored sealed (AES-256-GCM under SECRETS_KEY, app/lib/secret-box.server.ts), bound
// to their user by the associated data, so that a copy of the database, or a key moved to another
// row, gives nobody codes. Rows written before sealing hold the plain key until they are sealed.

const associated = (userId: string) => `totp:${userId}`;

/** The sealed form of a new key, for MfaSecret.sealedKey. */
export function sealTotpKey(userId: string, key: Uint8Array): string {
  return sealSecret(Buffer.from(key).toString("base64"), associated(userId));
}

type StoredKey = { sealedKey: string | null; key: Uint8Array | null };

/**
 * The key of a row. A plain row is sealed on the spot, so that a deployment that never ran
 * `npm run secrets:reseal` still ends up with no plain keys: each goes at its first use.
 */
export async function readTotpKey(userId: string, row: StoredKey): Promise<Uint8Array> {
  if (row.sealedKey) {
    return new Uint8Array(Buffer.from(openSecret(row.sealedKey, associated(userId)), "base64"));
  }
  if (!row.key) throw new Error(`MfaSecret of ${userId} holds no key`);
  const key = new Uint8Array(row.key);
  await db.mfaSecret.updateMany({
    where: { userId, sealedKey: null },
    data: { sealedKey: sealTotpKey(userId, key), key: null },
  });
  return key;
}

/**
 * Seals every plain key and reseals every key sealed with SECRETS_KEY_PREVIOUS under SECRETS_KEY
 * (`npm run secrets:reseal`). Each row is written only if it is still as read, so that a key
 * changed meanwhile is not overwritten. Returns how many rows of each kind it changed.
 */
export async function resealTotpKeys() {
  const rows = await db.mfaSecret.findMany({
    select: { userId: true, sealedKey: true, key: true },
  });
  let sealed = 0;
  let resealed = 0;
  for (const row of rows) {
    if (row.sealedKey && isSealed(row.sealedKey) && sealedWithCurrentKey(row.sealedKey)) continue;
    const key = row.sealedKey
      ? Buffer.from(openSecret(row.sealedKey, associated(row.userId)), "base64")
      : row.key;
    if (!key) continue;
    const { count } = await db.mfaSecret.updateMany({
      where: { userId: row.userId, sealedKey: row.sealedKey },
      data: { sealedKey: sealTotpKey(row.userId, key), key: null },
    });
    if (row.sealedKey) resealed += count;
    else sealed += count;
  }
  return { sealed, resealed, total: rows.length };
}
