import type { LoaderFunctionArgs } from "@remix-run/node";
import { handleScim, scimResponse } from "~/modules/scim/http.server";
import { serviceProviderConfig } from "~/modules/scim/protocol";

// What the portal's SCIM endpoint supports (RFC 7643 5), read by identity providers first.

export const loader = ({ request, context }: LoaderFunctionArgs) =>
  handleScim(request, context, async (ctx) => scimResponse(serviceProviderConfig(ctx.base)));
