// `npm run admin:invite -- <email> --institute <code> [--name "Display name"]`: creates an
// administrator of the institute in the configured database (DATABASE_URL, or PGlite under
// DATA_DIR), migrating it first if needed, and prints the one-time link, built from APP_URL, where
// they set their password. For the first administrator of a fresh production database.
import { parseArgs } from "node:util";
import { connectDatabase, disconnectDatabase } from "~/lib/db.server";
import { inviteFirstAdministrator } from "~/modules/accounts/users.server";

const USAGE = 'Usage: npm run admin:invite -- <email> --institute <code> [--name "Display name"]';

function parse() {
  try {
    const { values, positionals } = parseArgs({
      allowPositionals: true,
      options: { institute: { type: "string" }, name: { type: "string" } },
    });
    if (positionals.length !== 1 || !values.institute) return null;
    return { email: positionals[0]!, instituteCode: values.institute, displayName: values.name };
  } catch {
    return null;
  }
}

const args = parse();
if (!args || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(args.email)) {
  console.error(USAGE);
  process.exitCode = 2;
} else {
  await connectDatabase();
  try {
    const result = await inviteFirstAdministrator(args);
    if (!result.ok) {
      console.error(Object.values(result.errors).flat().join("\n"));
      process.exitCode = 1;
    } else {
      console.log(`Administrator ${args.email.toLowerCase()} created.`);
      console.log(`Send them this link to set their password (it works once, until`);
      console.log(`${result.expiresAt.toISOString()}):`);
      console.log(result.url);
    }
  } finally {
    await disconnectDatabase();
  }
}
