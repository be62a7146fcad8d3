import type { NoteSide } from "~/generated/prisma/enums";
import { db } from "~/lib/db.server";
import type { Actor } from "~/lib/permissions";
import { forbidden } from "~/lib/service";
import { loadApplication } from "./access.server";
import type { Party } from "./workflow";

// Internal notes: each is kept on its author's side (home or host) of the application; the other
// side and the applicant never see it.

/** The sides whose notes the parties see; the first is the side they write on. */
export function noteSides(parties: Party[]): NoteSide[] {
  const sides: NoteSide[] = [];
  if (parties.includes("LINE_MANAGER") || parties.includes("HOME_HR")) sides.push("HOME");
  if (parties.includes("HOST_HR") || parties.includes("REVIEWER")) sides.push("HOST");
  return sides;
}

/** An internal note on the actor's side (home or host); the other side and the applicant never see it. */
export async function addNote(actor: Actor, applicationId: string, body: string) {
  return db.$transaction(async (tx) => {
    const { app, parties, review } = await loadApplication(tx, actor, applicationId);
    if (review && review.declaration === "PENDING" && !parties.includes("HOST_HR"))
      throw forbidden();
    const side = noteSides(parties)[0];
    if (!side) throw forbidden();
    await tx.applicationNote.create({
      data: { applicationId: app.id, authorId: actor.id, side, body },
    });
    return { ok: true } as const;
  });
}
