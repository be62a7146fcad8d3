import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/lib/auth.server";
import { downloadHeaders } from "~/lib/csv";
import { placementCalendar } from "~/modules/placements/calendar.server";
import { idParam } from "~/lib/request.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const ics = await placementCalendar(user, idParam(params, "placementId"));
  return new Response(ics, {
    headers: downloadHeaders("placement.ics", "text/calendar; charset=utf-8"),
  });
}
