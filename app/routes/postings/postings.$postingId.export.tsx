import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/lib/auth.server";
import { downloadHeaders } from "~/lib/csv";
import { exportApplicationsCsv } from "~/modules/applications/posting-pipeline.server";
import { idParam } from "~/lib/request.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "HR");
  const { filename, csv } = await exportApplicationsCsv(user, idParam(params, "postingId"));
  return new Response(csv, { headers: downloadHeaders(filename, "text/csv; charset=utf-8") });
}
