import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/lib/auth.server";
import { attachmentHeaders } from "~/lib/files.server";
import { idParam, requestInfo } from "~/lib/request.server";
import { downloadEvidence } from "~/modules/checklists/evidence.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const file = await downloadEvidence(
    user,
    idParam(params, "itemId"),
    requestInfo(request, context).ipAddress,
  );
  return new Response(Buffer.from(file.data), { headers: attachmentHeaders(file) });
}
