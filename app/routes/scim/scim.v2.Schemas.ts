import type { LoaderFunctionArgs } from "@remix-run/node";
import { handleScim, scimResponse } from "~/modules/scim/http.server";
import { listOf, schemas } from "~/modules/scim/protocol";

// The attributes the portal keeps (RFC 7643 7): what an identity provider may map.

export const loader = ({ request, context }: LoaderFunctionArgs) =>
  handleScim(request, context, async (ctx) => scimResponse(listOf(schemas(ctx.base))));
