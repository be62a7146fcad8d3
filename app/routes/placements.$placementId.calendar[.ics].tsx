import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/lib/auth.server";
import { placementCalendar } from "~/modules/placements/placements.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const ics = await placementCalendar(user, params.placementId ?? "");
  return new Response(ics, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": 'attachment; filename="placement.ics"',
      "Cache-Control": "private, no-store",
    },
  });
}
