// Seeds a database for test/system/scim.test.ts: the two institutes, a SCIM token for the US one
// and a person of the UK one. Run by harness.seedTarget before a server opens the database.
import fs from "node:fs";
import { connectDatabase, db, disconnectDatabase } from "~/lib/db.server";
import { hashToken } from "~/lib/tokens.server";
import { ensureInstitute, ensureUser, UK_AISI, US_AISI } from "../factories";

const stateFile = process.env.SYSTEM_STATE_FILE;
if (!stateFile) throw new Error("SYSTEM_STATE_FILE must be set (and DATA_DIR or DATABASE_URL)");

/** A fixed token: the test needs it, and the server only ever sees its hash. */
const TOKEN = "scim_systemtestsystemtestsystemtestab";

await connectDatabase();
try {
  const us = await ensureInstitute(db, US_AISI);
  const uk = await ensureInstitute(db, UK_AISI);
  await db.scimToken.create({ data: { instituteId: us.id, tokenHash: hashToken(TOKEN) } });
  const ukPerson = await ensureUser(db, {
    email: "system.uk.person@uk-aisi.example",
    displayName: "UK Person",
    instituteId: uk.id,
  });
  fs.writeFileSync(stateFile, JSON.stringify({ token: TOKEN, ukPersonId: ukPerson.id }));
} finally {
  await disconnectDatabase();
}
