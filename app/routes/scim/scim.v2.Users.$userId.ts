import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { handleScim, methodNotAllowed, readJson, scimResponse } from "~/modules/scim/http.server";
import {
  deleteScimUser,
  getScimUser,
  patchScimUser,
  replaceScimUser,
  type ScimUser,
} from "~/modules/scim/users.server";

// SCIM's /Users/{id} (RFC 7644 3.4.1, 3.5, 3.6): read, replace, patch or delete one person.

const answer = (user: ScimUser) => scimResponse(user, 200, { ETag: user.meta.version });

export const loader = ({ request, params, context }: LoaderFunctionArgs) =>
  handleScim(request, context, async (ctx) => answer(await getScimUser(ctx, params.userId ?? "")));

export const action = ({ request, params, context }: ActionFunctionArgs) =>
  handleScim(request, context, async (ctx) => {
    const id = params.userId ?? "";
    const ifMatch = request.headers.get("If-Match");
    switch (request.method) {
      case "PUT":
        return answer(await replaceScimUser(ctx, id, await readJson(request), ifMatch));
      case "PATCH":
        return answer(await patchScimUser(ctx, id, await readJson(request), ifMatch));
      case "DELETE":
        await deleteScimUser(ctx, id, ifMatch);
        return scimResponse(null, 204);
      default:
        return methodNotAllowed(["GET", "PUT", "PATCH", "DELETE"]);
    }
  });
