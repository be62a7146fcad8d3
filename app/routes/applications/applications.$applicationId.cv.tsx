import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/lib/auth.server";
import { attachmentHeaders } from "~/lib/files.server";
import { idParam, requestInfo } from "~/lib/request.server";
import { downloadCv } from "~/modules/applications/application-page.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const file = await downloadCv(
    user,
    idParam(params, "applicationId"),
    requestInfo(request, context).ipAddress,
  );
  return new Response(Buffer.from(file.data), { headers: attachmentHeaders(file) });
}
