import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/lib/auth.server";
import { exportApplicationsCsv } from "~/modules/applications/applications.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "HR");
  const { filename, csv } = await exportApplicationsCsv(user, params.postingId ?? "");
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
