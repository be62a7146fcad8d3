import { ScimError } from "./protocol";

/**
 * The filters the portal answers (RFC 7644 3.4.2.2): equality on userName or externalId, which is
 * what identity providers send to find a person before creating them. Anything else is refused
 * with `invalidFilter` rather than answered wrongly (an ignored filter would list everyone).
 */
export type UserFilter = { attribute: "userName" | "externalId"; value: string };

const EQ = /^\s*([A-Za-z][\w.:-]*)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$/i;
const ATTRIBUTES: Record<string, UserFilter["attribute"]> = {
  username: "userName",
  [`urn:ietf:params:scim:schemas:core:2.0:user:username`]: "userName",
  externalid: "externalId",
};

export function parseUserFilter(filter: string | null): UserFilter | null {
  if (filter === null || filter.trim() === "") return null;
  const match = EQ.exec(filter);
  const attribute = match && ATTRIBUTES[match[1]!.toLowerCase()];
  if (!match || !attribute)
    throw new ScimError(
      400,
      'Only `userName eq "…"` and `externalId eq "…"` filters are supported.',
      "invalidFilter",
    );
  let value: string;
  try {
    // The quoted value is a JSON string (RFC 7644 3.4.2.2), escapes and all.
    value = JSON.parse(`"${match[2]}"`) as string;
  } catch {
    throw new ScimError(400, "The filter's value is not a valid string.", "invalidFilter");
  }
  return { attribute, value };
}
