import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/lib/auth.server";
import { attachmentHeaders } from "~/lib/files.server";
import { idParam } from "~/lib/request.server";
import { notFound } from "~/lib/service";
import { downloadPageVersion } from "~/modules/workspaces/pages.server";

/** One version of a page, downloaded as a markdown file. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const version = Number(params.version);
  if (!Number.isSafeInteger(version) || version < 1) throw notFound();
  const file = await downloadPageVersion(
    user,
    idParam(params, "workspaceId"),
    idParam(params, "pageId"),
    version,
  );
  return new Response(file.data, {
    headers: {
      ...attachmentHeaders({ ...file, size: file.data.byteLength }),
      "X-Protective-Marking": file.marking,
    },
  });
}
