import type { ProtectiveMarking, TaskStatus, WorkspaceRole } from "~/generated/prisma/enums";

// Pure rules of the workspaces area: labels, markings, what each role may do, and what a title or
// comment may hold. Shared by the services, the pages and the unit tests.

export const MARKINGS = [
  "OFFICIAL",
  "OFFICIAL_SENSITIVE",
  "CUI",
] as const satisfies readonly ProtectiveMarking[];
export const MARKING_LABELS: Record<ProtectiveMarking, string> = {
  OFFICIAL: "OFFICIAL",
  OFFICIAL_SENSITIVE: "OFFICIAL-SENSITIVE",
  CUI: "CUI",
};

export const ROLES = ["OWNER", "EDITOR", "VIEWER"] as const satisfies readonly WorkspaceRole[];
export const ROLE_LABELS: Record<WorkspaceRole, string> = {
  OWNER: "Owner",
  EDITOR: "Editor",
  VIEWER: "Viewer",
};

export const TASK_STATUSES = [
  "OPEN",
  "IN_PROGRESS",
  "DONE",
] as const satisfies readonly TaskStatus[];
export const TASK_STATUS_LABELS: Record<TaskStatus, string> = {
  OPEN: "Open",
  IN_PROGRESS: "In progress",
  DONE: "Done",
};

/** The handling label as people write it: JOINT, or "<institute code>-ONLY" (e.g. US-AISI-ONLY). */
export function labelName(restrictedTo: { code: string } | null) {
  return restrictedTo ? `${restrictedTo.code}-ONLY` : "JOINT";
}

/** Whether staff of `instituteId` may be in a workspace with this label. */
export function labelAdmits(restrictedToInstituteId: string | null, instituteId: string) {
  return restrictedToInstituteId === null || restrictedToInstituteId === instituteId;
}

export type WorkspaceAction = "read" | "comment" | "edit" | "manage"; // members, settings, label, registrations

const RANK: Record<WorkspaceRole, number> = { VIEWER: 0, EDITOR: 1, OWNER: 2 };
const NEEDS: Record<WorkspaceAction, WorkspaceRole> = {
  read: "VIEWER",
  comment: "VIEWER",
  edit: "EDITOR",
  manage: "OWNER",
};

export function roleMay(role: WorkspaceRole, action: WorkspaceAction) {
  return RANK[role] >= RANK[NEEDS[action]];
}

/** The role of two that gives more: a placement never lowers what someone already has. */
export function higherRole(a: WorkspaceRole, b: WorkspaceRole) {
  return RANK[a] >= RANK[b] ? a : b;
}

/** The text outside code: fenced blocks and inline code spans may show markup as an example. */
function outsideCode(markdown: string) {
  return withoutCodeSpans(
    markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?(^\1[^\n]*$|(?![\s\S]))/gm, " "),
  );
}

/**
 * The text with each inline code span (a run of backticks up to the next run of the same length)
 * replaced by a space, in one pass: a regular expression matching "(`+)[\s\S]*?\1" retries every
 * shorter run at every position, which takes seconds on a few thousand backticks.
 */
function withoutCodeSpans(text: string) {
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== "`") continue;
    starts.push(i);
    while (text[i + 1] === "`") i++;
    ends.push(i + 1);
  }
  const next = new Int32Array(starts.length).fill(-1);
  const laterOfLength = new Map<number, number>();
  for (let r = starts.length - 1; r >= 0; r--) {
    const length = ends[r]! - starts[r]!;
    next[r] = laterOfLength.get(length) ?? -1;
    laterOfLength.set(length, r);
  }
  const kept: string[] = [];
  let from = 0;
  for (let r = 0; r < starts.length; r++) {
    const close = next[r]!;
    if (close === -1) continue;
    kept.push(text.slice(from, starts[r]), " ");
    from = ends[close]!;
    r = close;
  }
  kept.push(text.slice(from));
  return kept.join("");
}

// In HTML a tag starts with "<" directly followed by a letter, "/", "!" or "?": "a < b" is prose.
const TAG = /<\/?[a-z!?][^>]*>?/i;
const SCRIPT_URL = /(?:java|vb)script\s*:|data\s*:\s*text\/html/i;

/**
 * Why a title or comment is refused, or null. Pages are documents and may hold anything (they
 * render safely); titles and comments are short text, where markup is only ever an attack.
 */
export function markupProblem(text: string, what: string): string | null {
  const prose = outsideCode(text);
  if (TAG.test(prose))
    return `${what} cannot contain HTML. Write plain text or Markdown; put code in backticks.`;
  if (SCRIPT_URL.test(prose)) return `${what} cannot contain script links.`;
  return null;
}
