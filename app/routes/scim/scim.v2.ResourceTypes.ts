import type { LoaderFunctionArgs } from "@remix-run/node";
import { handleScim, scimResponse } from "~/modules/scim/http.server";
import { listOf, resourceTypes } from "~/modules/scim/protocol";

// The resource types the portal serves (RFC 7643 6): Users only; groups are not provisioned.

export const loader = ({ request, context }: LoaderFunctionArgs) =>
  handleScim(request, context, async (ctx) => scimResponse(listOf(resourceTypes(ctx.base))));
