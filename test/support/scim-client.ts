import * as catchAll from "~/routes/scim/scim.v2.$";
import * as resourceTypes from "~/routes/scim/scim.v2.ResourceTypes";
import * as schemasRoute from "~/routes/scim/scim.v2.Schemas";
import * as providerConfig from "~/routes/scim/scim.v2.ServiceProviderConfig";
import * as user from "~/routes/scim/scim.v2.Users.$userId";
import * as users from "~/routes/scim/scim.v2.Users._index";
import { APP_URL } from "#test/support/accounts-world";
import { call } from "#test/support/route-harness";

// An identity provider's side of the SCIM endpoint: each request goes through the route module
// that serves its path, with a bearer token, as the server would route it. Shared by the tests in
// test/integration/scim/.

// A SCIM answer, read as loose JSON: the assertions say what each must hold.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ScimBody = Record<string, any>;

export type ScimSend = {
  /** The bearer token; the client's default when left out, none when null. */
  token?: string | null;
  body?: unknown;
  /** A body sent as is, for bodies that are not JSON. */
  raw?: string;
  headers?: Record<string, string>;
};

export type ScimAnswer = { status: number; headers: Headers; json: ScimBody };

/** Sends SCIM requests with `defaultToken()` unless a request names its own. */
export function scimClient(defaultToken: () => string) {
  return async function scim(method: string, path: string, send: ScimSend = {}) {
    const token = send.token === undefined ? defaultToken() : send.token;
    const headers: Record<string, string> = {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(send.body !== undefined || send.raw !== undefined
        ? { "Content-Type": "application/scim+json" }
        : {}),
      ...send.headers,
    };
    const body = send.raw ?? (send.body === undefined ? undefined : JSON.stringify(send.body));
    const request = new Request(`${APP_URL}/scim/v2${path}`, { method, headers, body });
    const pathname = path.split("?")[0]!;
    const [, resource, id] = pathname.split("/");
    const module =
      resource === "Users" && id
        ? user
        : resource === "Users"
          ? users
          : resource === "ServiceProviderConfig"
            ? providerConfig
            : resource === "Schemas"
              ? schemasRoute
              : resource === "ResourceTypes"
                ? resourceTypes
                : catchAll;
    const fn = method === "GET" ? module.loader : (module as { action?: unknown }).action;
    const response = (await call(
      fn,
      request,
      id ? { userId: decodeURIComponent(id) } : {},
    )) as Response;
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      json: (text ? JSON.parse(text) : null) as ScimBody,
    } satisfies ScimAnswer;
  };
}
