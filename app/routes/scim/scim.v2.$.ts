import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { handleScim, unknownEndpoint } from "~/modules/scim/http.server";

// Anything else under /scim/v2 (Groups, Bulk, /Me, ...): a SCIM 404, not the portal's HTML page,
// so that an identity provider reads why. The token is checked first, as everywhere in SCIM.

export const loader = ({ request, context }: LoaderFunctionArgs) =>
  handleScim(request, context, async () => unknownEndpoint());

export const action = ({ request, context }: ActionFunctionArgs) =>
  handleScim(request, context, async () => unknownEndpoint());
