// The route matrix's declarations: the SCIM endpoint. It answers a bearer token only, so every
// persona, however signed in, gets a 401: a session cookie never authenticates SCIM. What a
// token reaches is tested in test/integration/scim/.
import { open, w, type Case } from "#test/support/route-matrix/cases";

const refused = open("401");
// A form posted with a session cookie, as a forged cross-site form would be: refused before it is read.
const form = () => ({ userName: "forged@example.org", active: "false" });

export const scimRoutes = (): Record<string, Case[]> => ({
  "routes/scim/scim.v2.ServiceProviderConfig": [{ loader: refused }],
  "routes/scim/scim.v2.Schemas": [{ loader: refused }],
  "routes/scim/scim.v2.ResourceTypes": [{ loader: refused }],
  "routes/scim/scim.v2.Users._index": [{ loader: refused, action: { form, expect: refused } }],
  "routes/scim/scim.v2.Users.$userId": [
    {
      params: () => ({ userId: w.personas.applicant.actor!.id }),
      loader: refused,
      action: { form, expect: refused },
    },
  ],
  "routes/scim/scim.v2.$": [
    { params: () => ({ "*": "Groups" }), loader: refused, action: { form, expect: refused } },
  ],
});
