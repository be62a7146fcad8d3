import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/lib/auth.server";
import { downloadHeaders } from "~/lib/csv";
import { requestInfo } from "~/lib/request.server";
import { exportMyData } from "~/modules/privacy/privacy.server";
import { clock } from "~/lib/clock";

// "Download my data": everything the portal holds about the signed-in person, as one JSON file.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const data = await exportMyData(user, requestInfo(request, context).ipAddress);
  return new Response(`${JSON.stringify(data, null, 2)}\n`, {
    headers: downloadHeaders(
      `my-data-${clock.now().toISOString().slice(0, 10)}.json`,
      "application/json; charset=utf-8",
    ),
  });
}
