import type { Refusal } from "~/lib/service";

// Shared by the module's version-checked writes (saving a draft, moving an application): what a
// stale actor is told, and how a transaction is undone with an answer instead of an error.

/** The message for a failed version check (a 409). */
export const CHANGED =
  "This application changed since you opened it (someone else acted on it). The page now shows its current state; check it and try again.";

/** Thrown inside a transaction to undo it and answer with a result instead. */
export class Rollback extends Error {
  constructor(readonly result: Refusal) {
    super("rolled back");
  }
}
