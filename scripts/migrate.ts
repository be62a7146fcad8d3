// `npm run db:migrate`: applies pending migrations to the configured database and exits.
// The server does the same at start-up; this is for deployments that migrate as a separate step.
import { connectDatabase, disconnectDatabase } from "~/lib/db.server";

await connectDatabase();
await disconnectDatabase();
console.log("Database is up to date.");
