// The words of SCIM 2.0 (RFC 7643, RFC 7644) the portal speaks: schema URNs, the error body, and
// the discovery documents an identity provider reads before it provisions anyone.

export const SCIM_CONTENT_TYPE = "application/scim+json";

export const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
export const ENTERPRISE_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
export const LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
export const ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";
export const PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/** A page of a list holds at most this many resources, whatever `count` asks (RFC 7644 3.4.2.4). */
export const MAX_PAGE_SIZE = 100;

/** RFC 7644 3.12's scimType values the portal uses. */
export type ScimType =
  | "invalidFilter"
  | "invalidSyntax"
  | "invalidPath"
  | "invalidValue"
  | "uniqueness"
  | "mutability"
  | "noTarget";

/** A SCIM error (RFC 7644 3.12): thrown by the services, turned into a response by the routes. */
export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly scimType?: ScimType,
  ) {
    super(detail);
  }
}

export function errorBody(error: ScimError) {
  return {
    schemas: [ERROR_SCHEMA],
    status: String(error.status),
    ...(error.scimType ? { scimType: error.scimType } : {}),
    detail: error.detail,
  };
}

export const notFoundError = () => new ScimError(404, "No such resource.");

export function serviceProviderConfig(base: string) {
  return {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
    documentationUri: `${base.replace(/\/scim\/v2$/, "")}/`,
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_PAGE_SIZE },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: "oauthbearertoken",
        name: "Bearer token",
        description: "The institute's SCIM token, made by a portal administrator.",
        primary: true,
      },
    ],
    meta: {
      resourceType: "ServiceProviderConfig",
      location: `${base}/ServiceProviderConfig`,
    },
  };
}

export function resourceTypes(base: string) {
  return [
    {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
      id: "User",
      name: "User",
      endpoint: "/Users",
      description: "A person of the institute",
      schema: USER_SCHEMA,
      schemaExtensions: [{ schema: ENTERPRISE_SCHEMA, required: false }],
      meta: { resourceType: "ResourceType", location: `${base}/ResourceTypes/User` },
    },
  ];
}

type Attribute = {
  name: string;
  type: "string" | "boolean" | "complex" | "reference";
  multiValued?: boolean;
  required?: boolean;
  mutability?: "readWrite" | "readOnly" | "immutable";
  uniqueness?: "none" | "server";
  caseExact?: boolean;
  subAttributes?: Attribute[];
  referenceTypes?: string[];
};

const attribute = (a: Attribute): Record<string, unknown> => ({
  multiValued: false,
  required: false,
  caseExact: false,
  mutability: "readWrite",
  returned: "default",
  uniqueness: "none",
  ...a,
  ...(a.subAttributes ? { subAttributes: a.subAttributes.map(attribute) } : {}),
});

/** Only the attributes the portal keeps: an identity provider maps nothing else. */
export function schemas(base: string) {
  return [
    {
      id: USER_SCHEMA,
      name: "User",
      description: "A person of the portal",
      attributes: [
        { name: "userName", type: "string", required: true, uniqueness: "server" },
        { name: "externalId", type: "string", caseExact: true },
        {
          name: "name",
          type: "complex",
          subAttributes: [
            { name: "formatted", type: "string" },
            { name: "givenName", type: "string" },
            { name: "familyName", type: "string" },
          ],
        },
        { name: "displayName", type: "string" },
        { name: "title", type: "string" },
        { name: "active", type: "boolean" },
        {
          name: "emails",
          type: "complex",
          multiValued: true,
          subAttributes: [
            { name: "value", type: "string" },
            { name: "type", type: "string" },
            { name: "primary", type: "boolean" },
          ],
        },
      ].map((a) => attribute(a as Attribute)),
      meta: { resourceType: "Schema", location: `${base}/Schemas/${USER_SCHEMA}` },
    },
    {
      id: ENTERPRISE_SCHEMA,
      name: "EnterpriseUser",
      description: "The department and the line manager",
      attributes: [
        attribute({ name: "department", type: "string" }),
        attribute({
          name: "manager",
          type: "complex",
          subAttributes: [
            { name: "value", type: "string" },
            { name: "$ref", type: "reference", referenceTypes: ["User"] },
          ],
        }),
      ],
      meta: { resourceType: "Schema", location: `${base}/Schemas/${ENTERPRISE_SCHEMA}` },
    },
  ];
}

/** A ListResponse (RFC 7644 3.4.2) of resources that all fit on one page. */
export function listOf(resources: unknown[]) {
  return {
    schemas: [LIST_SCHEMA],
    totalResults: resources.length,
    startIndex: 1,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}
