import { connectDatabase, disconnectDatabase } from "./db.server";
import { startOutboxWorker, stopOutboxWorker } from "./email/outbox.server";
import { getEnv } from "./env.server";
import { settleDeferred } from "./request-scope.server";
import {
  startReminderScheduler,
  stopReminderScheduler,
} from "~/modules/checklists/reminders.server";
import { startPostingCloser, stopPostingCloser } from "~/modules/postings/closer.server";
import { loadEmailTemplates } from "~/modules/notifications/notifications.server";

/** Loading the email templates waits this long after start, so the first pages come first. */
const TEMPLATES_AFTER_MS = 5_000;

/** Everything a server process does once before taking requests. */
export async function startApp() {
  getEnv(); // fails fast, with a line per bad variable
  const database = await connectDatabase();
  startOutboxWorker();
  startPostingCloser();
  startReminderScheduler();
  setTimeout(() => void loadEmailTemplates(), TEMPLATES_AFTER_MS).unref();
  return { databaseKind: database.kind };
}

export async function stopApp() {
  stopPostingCloser();
  stopReminderScheduler();
  await stopOutboxWorker();
  await settleDeferred();
  await disconnectDatabase();
}
