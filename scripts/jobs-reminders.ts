// `npm run jobs:reminders`: runs today's checklist reminder digest now, against the configured
// database (DATABASE_URL, or PGlite under DATA_DIR; stop the server first for PGlite). Safe to run
// any number of times: the day's digest is sent once, whoever runs it first.
import { connectDatabase, disconnectDatabase } from "~/lib/db.server";
import { runChecklistReminders } from "~/modules/checklists/reminders.server";

await connectDatabase();
try {
  const result = await runChecklistReminders();
  console.log(
    result.ran
      ? `Checklist reminders for ${result.day}: ${result.emails} digest emails queued.`
      : `Checklist reminders for ${result.day} had already run; nothing sent.`,
  );
} finally {
  await disconnectDatabase();
}
