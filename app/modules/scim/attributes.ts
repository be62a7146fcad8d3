import { ENTERPRISE_SCHEMA, ScimError, USER_SCHEMA } from "./protocol";

/**
 * SCIM's User as the portal keeps it, and the two ways an identity provider changes it: a whole
 * resource (POST, PUT) or a list of PATCH operations (RFC 7644 3.5.2). Pure, so that the
 * shapes Microsoft Entra ID and Okta send can be pinned down by unit tests.
 *
 * Attribute names are case-insensitive in SCIM (RFC 7643 2.1), and Entra sends "Replace" and
 * "False", so names, operations and booleans are compared without case. Attributes the portal
 * does not keep (phone numbers, addresses, ...) are ignored, as an identity provider maps more
 * than any one application stores. Of `emails` it keeps one, the work address, to give it back:
 * the portal itself writes to the userName.
 */
export type UserAttributes = {
  /** As the provider spelled it; the portal's address is its lower-case form. */
  userName: string;
  displayName: string;
  givenName: string | null;
  familyName: string | null;
  /** name.formatted, which need not be the displayName (Entra maps the two apart). */
  formattedName: string | null;
  /** emails[type eq "work"].value, which need not be the userName (Entra's mail and UPN). */
  workEmail: string | null;
  jobTitle: string;
  /** The enterprise extension's department. */
  team: string;
  active: boolean;
  externalId: string | null;
  managerId: string | null;
};

type NameParts = Pick<UserAttributes, "givenName" | "familyName" | "formattedName">;

type Json = unknown;
type Obj = Record<string, Json>;

const isObject = (v: Json): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** A member of an object by SCIM's case-insensitive name. */
function member(obj: Obj, name: string): Json {
  const key = Object.keys(obj).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : obj[key];
}

const invalid = (detail: string) => new ScimError(400, detail, "invalidValue");

function text(value: Json, name: string): string {
  if (typeof value !== "string") throw invalid(`${name} must be a string.`);
  return value;
}

function optionalText(value: Json, name: string): string | null {
  return value === undefined || value === null || value === "" ? null : text(value, name);
}

function bool(value: Json, name: string): boolean {
  if (typeof value === "boolean") return value;
  // Entra ID sends PATCH values as strings: "False".
  if (typeof value === "string" && /^(true|false)$/i.test(value))
    return value.toLowerCase() === "true";
  throw invalid(`${name} must be true or false.`);
}

function managerOf(value: Json): string | null {
  if (value === undefined || value === null || value === "") return null;
  if (typeof value === "string") return value;
  if (isObject(value)) return optionalText(member(value, "value"), "manager.value");
  throw invalid("manager must be an id or an object with a value.");
}

/** The parts of SCIM's `name` the portal keeps; a part left out is none. */
const NAME_PARTS = [
  ["givenName", "givenName"],
  ["familyName", "familyName"],
  ["formattedName", "formatted"],
] as const;

function namePartsOf(name: Json): NameParts {
  const parts: NameParts = { givenName: null, familyName: null, formattedName: null };
  if (name === undefined || name === null) return parts;
  if (!isObject(name)) throw invalid("name must be an object.");
  for (const [key, scimName] of NAME_PARTS)
    parts[key] = optionalText(member(name, scimName), `name.${scimName}`);
  return parts;
}

/** The name to show, from its parts: the formatted one, or the given and family names. */
function composedName(parts: NameParts): string | null {
  if (parts.formattedName?.trim()) return parts.formattedName;
  const joined = [parts.givenName, parts.familyName].filter((p) => p?.trim()).join(" ");
  return joined || null;
}

const isTrue = (v: Json) => v === true || (typeof v === "string" && v.toLowerCase() === "true");

/** The work address among `emails`: the one typed work, else the primary one, else the first. */
function workEmailOf(emails: Json): string | null {
  if (emails === undefined || emails === null) return null;
  const entries = (Array.isArray(emails) ? emails : [emails]).map((e) => {
    if (!isObject(e)) throw invalid("Each of emails must be an object with a value.");
    return e;
  });
  const isWork = (e: Obj) => {
    const type = member(e, "type");
    return typeof type === "string" && type.toLowerCase() === "work";
  };
  const chosen =
    entries.find(isWork) ?? entries.find((e) => isTrue(member(e, "primary"))) ?? entries[0];
  return chosen ? optionalText(member(chosen, "value"), "emails.value") : null;
}

/**
 * The attributes a whole resource (POST, or PUT over `current`) sets. An `active` left out of a
 * PUT keeps the current value: a provider that omits it must not reactivate someone by accident.
 */
export function fromResource(body: Json, current?: UserAttributes): UserAttributes {
  if (!isObject(body)) throw new ScimError(400, "The body must be a JSON object.", "invalidSyntax");
  const userName = text(member(body, "userName"), "userName");
  const name = namePartsOf(member(body, "name"));
  const displayName =
    optionalText(member(body, "displayName"), "displayName") ?? composedName(name) ?? userName;
  const active = member(body, "active");
  const enterprise = member(body, ENTERPRISE_SCHEMA);
  return {
    userName,
    displayName,
    ...name,
    workEmail: workEmailOf(member(body, "emails")),
    jobTitle: optionalText(member(body, "title"), "title") ?? "",
    team: isObject(enterprise)
      ? (optionalText(member(enterprise, "department"), "department") ?? "")
      : "",
    active: active === undefined ? (current?.active ?? true) : bool(active, "active"),
    externalId: optionalText(member(body, "externalId"), "externalId"),
    managerId: isObject(enterprise) ? managerOf(member(enterprise, "manager")) : null,
  };
}

type Target =
  | "userName"
  | "displayName"
  | "jobTitle"
  | "team"
  | "active"
  | "externalId"
  | "managerId"
  | "name"
  | "formattedName"
  | "givenName"
  | "familyName"
  /** emails, or the work (or primary) one of them: a value holding the address. */
  | "emails"
  /** The work (or primary) address itself. */
  | "workEmail"
  | "enterprise"
  | null;

const TARGETS: Record<string, Target> = {
  username: "userName",
  displayname: "displayName",
  title: "jobTitle",
  active: "active",
  externalid: "externalId",
  name: "name",
  "name.formatted": "formattedName",
  "name.givenname": "givenName",
  "name.familyname": "familyName",
  emails: "emails",
  'emails[type eq "work"]': "emails",
  "emails[primary eq true]": "emails",
  'emails[type eq "work"].value': "workEmail",
  "emails[primary eq true].value": "workEmail",
  [ENTERPRISE_SCHEMA.toLowerCase()]: "enterprise",
  [`${ENTERPRISE_SCHEMA}:manager`.toLowerCase()]: "managerId",
  [`${ENTERPRISE_SCHEMA}:manager.value`.toLowerCase()]: "managerId",
  [`${ENTERPRISE_SCHEMA}:department`.toLowerCase()]: "team",
};

/** What a PATCH path names; null for an attribute the portal does not keep. */
function targetOf(path: string): Target {
  let p = path.trim().toLowerCase();
  const core = `${USER_SCHEMA.toLowerCase()}:`;
  if (p.startsWith(core)) p = p.slice(core.length);
  if (!/^[a-z0-9:._$-]+(\[[^\]]*\])?(\.[a-z0-9$]+)?$/.test(p))
    throw new ScimError(400, `The path ${path.slice(0, 100)} is not valid.`, "invalidPath");
  // A value filter is matched as written, give or take spaces: emails[type eq "work"].value.
  return TARGETS[p.replace(/\s+/g, " ")] ?? null;
}

/** Applies RFC 7644 3.5.2 operations to `current`; throws a ScimError for a bad one. */
export function applyPatch(current: UserAttributes, body: Json): UserAttributes {
  if (!isObject(body)) throw new ScimError(400, "The body must be a JSON object.", "invalidSyntax");
  const operations = member(body, "Operations");
  if (!Array.isArray(operations) || operations.length === 0 || operations.length > 100)
    throw new ScimError(400, "Operations must be a list of 1 to 100 operations.", "invalidSyntax");
  const next = { ...current };
  // A display name made from the name (or, lacking one, the userName) follows it; one the
  // provider set on its own stays until it sets another.
  const derived = current.displayName === (composedName(current) ?? current.userName);
  let displayNameSet = false;

  const set = (target: Target, value: Json, kind: string) => {
    const remove = kind === "remove";
    switch (target) {
      case null:
        return;
      case "userName":
      case "displayName":
      case "active":
        if (remove) throw new ScimError(400, `${target} cannot be removed.`, "mutability");
        if (target === "active") next.active = bool(value, "active");
        else next[target] = text(value, target);
        if (target === "displayName") displayNameSet = true;
        return;
      case "jobTitle":
        next.jobTitle = remove ? "" : (optionalText(value, "title") ?? "");
        return;
      case "team":
        next.team = remove ? "" : (optionalText(value, "department") ?? "");
        return;
      case "externalId":
        next.externalId = remove ? null : optionalText(value, "externalId");
        return;
      case "managerId":
        next.managerId = remove ? null : managerOf(value);
        return;
      case "enterprise":
        if (remove) {
          next.managerId = null;
          next.team = "";
        } else if (isObject(value)) {
          if (member(value, "manager") !== undefined)
            next.managerId = managerOf(member(value, "manager"));
          if (member(value, "department") !== undefined)
            next.team = optionalText(member(value, "department"), "department") ?? "";
        }
        return;
      case "name": {
        // A complex value replaces the parts it names and leaves the others (RFC 7644 3.5.2.3).
        if (!remove && !isObject(value)) throw invalid("name must be an object.");
        const parts = namePartsOf(remove ? null : value);
        for (const [key, scimName] of NAME_PARTS)
          if (remove || member(value as Obj, scimName) !== undefined) next[key] = parts[key];
        return;
      }
      case "givenName":
      case "familyName":
      case "formattedName":
        next[target] = remove ? null : optionalText(value, target);
        return;
      case "workEmail":
        next.workEmail = remove ? null : optionalText(value, "emails.value");
        return;
      case "emails": {
        // add keeps the address when the added emails hold none; replace and remove clear it.
        const email = remove ? null : workEmailOf(value);
        if (email !== null || kind !== "add") next.workEmail = email;
        return;
      }
    }
  };

  for (const operation of operations) {
    if (!isObject(operation))
      throw new ScimError(400, "Each operation must be an object.", "invalidSyntax");
    const op = member(operation, "op");
    const kind = typeof op === "string" ? op.toLowerCase() : "";
    if (!["add", "replace", "remove"].includes(kind))
      throw new ScimError(400, "op must be add, replace or remove.", "invalidSyntax");
    const path = member(operation, "path");
    const value = member(operation, "value");
    if (path === undefined || path === null || path === "") {
      // No path: the value's members are the attributes (RFC 7644 3.5.2.1 and 3.5.2.3).
      if (kind === "remove") throw new ScimError(400, "remove needs a path.", "noTarget");
      if (!isObject(value))
        throw new ScimError(400, "Without a path the value must be an object.", "invalidValue");
      for (const [key, v] of Object.entries(value)) set(targetOf(key), v, kind);
    } else {
      if (typeof path !== "string")
        throw new ScimError(400, "path must be a string.", "invalidPath");
      if (kind !== "remove" && value === undefined)
        throw new ScimError(400, `${kind} needs a value.`, "invalidValue");
      set(targetOf(path), value, kind);
    }
  }

  if (derived && !displayNameSet) next.displayName = composedName(next) ?? next.userName;
  return next;
}
