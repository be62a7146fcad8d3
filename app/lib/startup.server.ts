import { connectDatabase, disconnectDatabase } from "./db.server";
import { startOutboxWorker, stopOutboxWorker } from "./email/outbox.server";
import { getEnv } from "./env.server";
import { startPostingCloser, stopPostingCloser } from "~/modules/postings/postings.server";

/** Everything a server process does once before taking requests. */
export async function startApp() {
  getEnv(); // fails fast, with a line per bad variable
  const database = await connectDatabase();
  startOutboxWorker();
  startPostingCloser();
  return { databaseKind: database.kind };
}

export async function stopApp() {
  stopPostingCloser();
  await stopOutboxWorker();
  await disconnectDatabase();
}
