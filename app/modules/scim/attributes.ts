import { ENTERPRISE_SCHEMA, ScimError, USER_SCHEMA } from "./protocol";

/**
 * SCIM's User as the portal keeps it, and the two ways an identity provider changes it: a whole
 * resource (POST, PUT) or a list of PATCH operations (RFC 7644 3.5.2). Pure, so that the
 * shapes Microsoft Entra ID and Okta send can be pinned down by unit tests.
 *
 * Attribute names are case-insensitive in SCIM (RFC 7643 2.1), and Entra sends "Replace" and
 * "False", so names, operations and booleans are compared without case. Attributes the portal
 * does not keep (phone numbers, addresses, ...) are ignored, as an identity provider maps more
 * than any one application stores. `emails` is ignored too: a person's address is their userName.
 */
export type UserAttributes = {
  userName: string;
  displayName: string;
  jobTitle: string;
  active: boolean;
  externalId: string | null;
  managerId: string | null;
};

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

/** The display name from name parts, when the resource has no displayName. */
function nameFrom(name: Json): string | null {
  if (!isObject(name)) return null;
  const formatted = member(name, "formatted");
  if (typeof formatted === "string" && formatted.trim()) return formatted;
  const parts = [member(name, "givenName"), member(name, "familyName")].filter(
    (p): p is string => typeof p === "string" && p.trim() !== "",
  );
  return parts.length ? parts.join(" ") : null;
}

/**
 * The attributes a whole resource (POST, or PUT over `current`) sets. An `active` left out of a
 * PUT keeps the current value: a provider that omits it must not reactivate someone by accident.
 */
export function fromResource(body: Json, current?: UserAttributes): UserAttributes {
  if (!isObject(body)) throw new ScimError(400, "The body must be a JSON object.", "invalidSyntax");
  const userName = text(member(body, "userName"), "userName");
  const displayName =
    optionalText(member(body, "displayName"), "displayName") ??
    nameFrom(member(body, "name")) ??
    userName;
  const active = member(body, "active");
  const enterprise = member(body, ENTERPRISE_SCHEMA);
  return {
    userName,
    displayName,
    jobTitle: optionalText(member(body, "title"), "title") ?? "",
    active: active === undefined ? (current?.active ?? true) : bool(active, "active"),
    externalId: optionalText(member(body, "externalId"), "externalId"),
    managerId: isObject(enterprise) ? managerOf(member(enterprise, "manager")) : null,
  };
}

type Target =
  | "userName"
  | "displayName"
  | "jobTitle"
  | "active"
  | "externalId"
  | "managerId"
  | "name"
  | "name.formatted"
  | "name.givenName"
  | "name.familyName"
  | "enterprise"
  | null;

const TARGETS: Record<string, Target> = {
  username: "userName",
  displayname: "displayName",
  title: "jobTitle",
  active: "active",
  externalid: "externalId",
  name: "name",
  "name.formatted": "name.formatted",
  "name.givenname": "name.givenName",
  "name.familyname": "name.familyName",
  [ENTERPRISE_SCHEMA.toLowerCase()]: "enterprise",
  [`${ENTERPRISE_SCHEMA}:manager`.toLowerCase()]: "managerId",
  [`${ENTERPRISE_SCHEMA}:manager.value`.toLowerCase()]: "managerId",
};

/** What a PATCH path names; null for an attribute the portal does not keep. */
function targetOf(path: string): Target {
  let p = path.trim().toLowerCase();
  const core = `${USER_SCHEMA.toLowerCase()}:`;
  if (p.startsWith(core)) p = p.slice(core.length);
  if (!/^[a-z0-9:._$-]+(\[[^\]]*\])?(\.[a-z0-9$]+)?$/.test(p))
    throw new ScimError(400, `The path ${path.slice(0, 100)} is not valid.`, "invalidPath");
  return TARGETS[p] ?? null;
}

/** Applies RFC 7644 3.5.2 operations to `current`; throws a ScimError for a bad one. */
export function applyPatch(current: UserAttributes, body: Json): UserAttributes {
  if (!isObject(body)) throw new ScimError(400, "The body must be a JSON object.", "invalidSyntax");
  const operations = member(body, "Operations");
  if (!Array.isArray(operations) || operations.length === 0 || operations.length > 100)
    throw new ScimError(400, "Operations must be a list of 1 to 100 operations.", "invalidSyntax");
  const next = { ...current };
  const name: { formatted?: string; givenName?: string; familyName?: string } = {};
  let displayNameSet = false;

  const set = (target: Target, value: Json, remove: boolean) => {
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
      case "externalId":
        next.externalId = remove ? null : optionalText(value, "externalId");
        return;
      case "managerId":
        next.managerId = remove ? null : managerOf(value);
        return;
      case "enterprise":
        if (remove) next.managerId = null;
        else if (isObject(value) && member(value, "manager") !== undefined)
          next.managerId = managerOf(member(value, "manager"));
        return;
      case "name":
        if (remove || !isObject(value)) return;
        for (const part of ["formatted", "givenName", "familyName"] as const) {
          const v = member(value, part);
          if (typeof v === "string") name[part] = v;
        }
        return;
      default: {
        const part = target.slice("name.".length) as "formatted" | "givenName" | "familyName";
        if (!remove) name[part] = text(value, target);
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
      for (const [key, v] of Object.entries(value)) set(targetOf(key), v, false);
    } else {
      if (typeof path !== "string")
        throw new ScimError(400, "path must be a string.", "invalidPath");
      if (kind !== "remove" && value === undefined)
        throw new ScimError(400, `${kind} needs a value.`, "invalidValue");
      set(targetOf(path), value, kind === "remove");
    }
  }

  // Name parts become the display name only when this PATCH did not set one itself.
  if (!displayNameSet) {
    const composed = nameFrom(name);
    if (composed && (name.formatted || (name.givenName && name.familyName)))
      next.displayName = composed;
  }
  return next;
}
