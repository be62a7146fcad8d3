import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { requireUser } from "~/lib/auth.server";
import { MarkingBanner, WorkspaceNav } from "~/modules/workspaces/components/frame";
import { ROLE_LABELS } from "~/modules/workspaces/rules";
import { getWorkspaceFrame } from "~/modules/workspaces/workspaces.server";
import { idParam } from "~/lib/request.server";

// Every page of a workspace sits in this frame: the marking banner, the workspace's name and the
// tabs. Each page's own loader checks access again through its service; the layout and the page
// share that one read check per request (see sharedReadAccess).

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { frame: await getWorkspaceFrame(user, idParam(params, "workspaceId")) };
}

export default function WorkspaceFrame() {
  const { frame } = useLoaderData<typeof loader>();
  return (
    <div className="max-w-5xl">
      <MarkingBanner frame={frame} />
      <p className="mb-2 text-sm text-gray-700">
        Workspace:{" "}
        <Link to={`/workspaces/${frame.id}`} className="font-semibold text-brand-700 underline">
          {frame.name}
        </Link>{" "}
        · your role: {ROLE_LABELS[frame.role]}
      </p>
      <WorkspaceNav workspaceId={frame.id} />
      <Outlet />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
