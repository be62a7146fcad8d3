import { clock } from "~/lib/clock";
import { db } from "~/lib/db.server";
import { recordAudit } from "~/modules/audit/audit.server";

/** Closes every open posting whose deadline has passed; returns how many. Run periodically. */
export async function closeExpiredPostings(now = clock.now()) {
  return db.$transaction(async (tx) => {
    const expired = await tx.posting.findMany({
      where: { status: "OPEN", deadline: { lte: now } },
      select: { id: true, hostInstituteId: true },
    });
    for (const p of expired) {
      const updated = await tx.posting.updateMany({
        where: { id: p.id, status: "OPEN" },
        data: { status: "CLOSED", version: { increment: 1 } },
      });
      if (updated.count === 1)
        await recordAudit(tx, {
          actor: null,
          actorEmail: "system",
          action: "posting.status",
          targetType: "Posting",
          targetId: p.id,
          instituteId: p.hostInstituteId,
          details: { from: "OPEN", to: "CLOSED", reason: "deadline" },
        });
    }
    return expired.length;
  });
}

let closer: ReturnType<typeof setInterval> | undefined;
/** Closes postings at their deadline, checking once a minute (lists and applying also check the clock). */
export function startPostingCloser(intervalMs = 60_000) {
  if (closer) return;
  const tick = () =>
    closeExpiredPostings().catch((error: unknown) =>
      console.error("Closing expired postings failed:", error),
    );
  void tick();
  closer = setInterval(tick, intervalMs);
  closer.unref();
}
export function stopPostingCloser() {
  if (closer) clearInterval(closer);
  closer = undefined;
}
