import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { handleScim, methodNotAllowed, readJson, scimResponse } from "~/modules/scim/http.server";
import { createScimUser, listScimUsers } from "~/modules/scim/users.server";

// SCIM's /Users (RFC 7644 3.3, 3.4.2): list and filter the institute's people, or provision one.

export const loader = ({ request, context }: LoaderFunctionArgs) =>
  handleScim(request, context, async (ctx) =>
    scimResponse(await listScimUsers(ctx, new URL(request.url).searchParams)),
  );

export const action = ({ request, context }: ActionFunctionArgs) =>
  handleScim(request, context, async (ctx) => {
    if (request.method !== "POST") methodNotAllowed(["GET", "POST"]);
    const user = await createScimUser(ctx, await readJson(request));
    return scimResponse(user, 201, { Location: user.meta.location, ETag: user.meta.version });
  });
