import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/lib/auth.server";
import { downloadHeaders } from "~/lib/csv";
import { requestInfo } from "~/lib/request.server";
import { exportAuditEvents } from "~/modules/audit/audit.server";
import { AuditFilterSchema } from "~/modules/audit/schema";
import { clock } from "~/lib/clock";

// The filtered audit log as a streamed download: CSV by default, JSON with ?format=json.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireRole(request, "ADMIN");
  const params = new URL(request.url).searchParams;
  const filter = AuditFilterSchema.parse(Object.fromEntries(params));
  const format = params.get("format") === "json" ? "json" : "csv";
  const stream = await exportAuditEvents(
    actor,
    filter,
    format,
    requestInfo(request, context).ipAddress,
  );
  const day = clock.now().toISOString().slice(0, 10);
  return new Response(stream, {
    headers: downloadHeaders(
      `audit-log-${day}.${format}`,
      format === "json" ? "application/json; charset=utf-8" : "text/csv; charset=utf-8",
    ),
  });
}
