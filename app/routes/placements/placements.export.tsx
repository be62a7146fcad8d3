import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/lib/auth.server";
import { downloadHeaders } from "~/lib/csv";
import { exportChecklistCsv } from "~/modules/checklists/checklist-csv.server";
import { exportPlacementsCsv } from "~/modules/placements/placement-list.server";
import { clock } from "~/lib/clock";

// HR: their institute's placements (default) or every checklist item (?what=checklist), as CSV.
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "HR");
  const checklist = new URL(request.url).searchParams.get("what") === "checklist";
  const csv = checklist ? await exportChecklistCsv(user) : await exportPlacementsCsv(user);
  const day = clock.now().toISOString().slice(0, 10);
  return new Response(csv, {
    headers: downloadHeaders(
      `${user.institute.code}-${checklist ? "checklist-status" : "placements"}-${day}.csv`,
      "text/csv; charset=utf-8",
    ),
  });
}
