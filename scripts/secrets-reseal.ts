// `npm run secrets:reseal`: seals every TOTP key still stored plain, and reseals under SECRETS_KEY
// every key sealed with SECRETS_KEY_PREVIOUS, in the configured database (DATABASE_URL, or PGlite
// under DATA_DIR). Run it after setting a new SECRETS_KEY (the old one as SECRETS_KEY_PREVIOUS);
// once it reports, the previous key can go. Safe to run again: sealed rows are left alone.
import { connectDatabase, disconnectDatabase } from "~/lib/db.server";
import { resealTotpKeys } from "~/modules/accounts/totp-keys.server";

await connectDatabase();
try {
  const { sealed, resealed, total } = await resealTotpKeys();
  console.log(
    `TOTP keys: ${sealed} sealed, ${resealed} resealed under the current key, ${total} in all.`,
  );
} finally {
  await disconnectDatabase();
}
