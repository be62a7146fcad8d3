import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/lib/auth.server";
import { attachmentHeaders } from "~/lib/files.server";
import { idParam, requestInfo } from "~/lib/request.server";
import { notFound } from "~/lib/service";
import { downloadFile } from "~/modules/workspaces/files.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const version = Number(params.version);
  if (!Number.isSafeInteger(version) || version < 1) throw notFound();
  const file = await downloadFile(
    user,
    idParam(params, "workspaceId"),
    idParam(params, "fileId"),
    version,
    requestInfo(request, context).ipAddress,
  );
  return new Response(Buffer.from(file.data), {
    headers: { ...attachmentHeaders(file), "X-Protective-Marking": file.marking },
  });
}
