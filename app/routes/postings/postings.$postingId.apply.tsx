import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { requireUser } from "~/lib/auth.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { tooManyRequests } from "~/lib/rate-limits.server";
import { startApplication } from "~/modules/applications/drafts.server";
import { assertNotForgedAction, idParam } from "~/lib/request.server";
import { notFound } from "~/lib/service";

// Starting twice (a double click, a replayed POST) opens the same draft.
export async function action({ request, params }: ActionFunctionArgs) {
  await assertNotForgedAction(request);
  const user = await requireUser(request);
  const postingId = idParam(params, "postingId");
  const result = await startApplication(user, postingId);
  if (!result.ok && result.lockedUntil) throw tooManyRequests(result);
  if (!result.ok)
    return redirectWithFlash(`/postings/${postingId}`, {
      tone: "error",
      message: result.errors[""]?.[0] ?? "You cannot apply for this posting.",
    });
  return redirect(`/applications/${result.applicationId}/edit`);
}

export function loader() {
  throw notFound();
}
