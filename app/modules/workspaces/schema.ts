import { z } from "zod";
import {
  idField,
  multiLine,
  optionalDate,
  singleLine,
  emailField,
  urlSearchText,
} from "~/lib/validation";
import { markupProblem, MARKINGS, ROLES, TASK_STATUSES } from "./rules";

const plainTitle = (label: string, max = 200) =>
  singleLine(label, max).superRefine((s, ctx) => {
    const problem = markupProblem(s, label.charAt(0).toUpperCase() + label.slice(1));
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

const version = z.coerce
  .number({ message: "Reload the page and try again" })
  .int()
  .min(0)
  .max(2_147_483_647);

/** "JOINT", or the id of the one institute the workspace is restricted to. */
const label = z
  .string({ message: "Choose a handling label" })
  .trim()
  .min(1, { message: "Choose a handling label" })
  .max(64, { message: "Choose a handling label from the list" })
  .regex(/^[A-Za-z0-9_-]*$/, { message: "Choose a handling label from the list" });

const marking = z.enum(MARKINGS, { message: "Choose a protective marking" });

export const WorkspaceSchema = z.object({
  name: plainTitle("a name", 120),
  purpose: multiLine("purpose", 2000, { required: true }),
  label,
  marking,
  template: z.enum(["GENERAL", "JOINT_TESTING"], { message: "Choose what to start with" }),
});
export type WorkspaceInput = z.output<typeof WorkspaceSchema>;

export const WorkspaceSettingsSchema = z.object({
  name: plainTitle("a name", 120),
  purpose: multiLine("purpose", 2000, { required: true }),
  label,
  marking,
  version,
});
export type WorkspaceSettingsInput = z.output<typeof WorkspaceSettingsSchema>;

export const InviteSchema = z.object({
  email: emailField,
  role: z.enum(ROLES, { message: "Choose a role" }),
});
export type InviteInput = z.output<typeof InviteSchema>;

export const MemberRoleSchema = z.object({
  userId: idField.min(1, { message: "Choose a member" }),
  role: z.enum(ROLES, { message: "Choose a role" }),
});

export const MemberSchema = z.object({ userId: idField.min(1, { message: "Choose a member" }) });

export const InvitationAnswerSchema = z.object({
  invitationId: idField.min(1, { message: "Choose an invitation" }),
  answer: z.enum(["accept", "decline"], { message: "Accept or decline the invitation" }),
});

/** The longest page body, in characters. */
export const PAGE_BODY_MAX = 100_000;

export const PageSchema = z.object({
  title: plainTitle("a title"),
  body: multiLine("the page", PAGE_BODY_MAX),
});
export type PageInput = z.output<typeof PageSchema>;

/** Saving names the version the edit started from: a save over someone else's is refused. */
export const PageSaveSchema = PageSchema.extend({ baseVersion: version });
export type PageSaveInput = z.output<typeof PageSaveSchema>;

/** A history's query string: the two versions compared (0: the default) and the list's page. */
export const DiffSchema = z.object({
  from: z.coerce.number().int().min(1).max(2_000_000_000).catch(0),
  to: z.coerce.number().int().min(1).max(2_000_000_000).catch(0),
  list: z.coerce.number().int().min(1).max(1_000_000).catch(1),
});

const commentBody = multiLine("your comment", 10_000, { required: true }).superRefine((s, ctx) => {
  const problem = markupProblem(s, "A comment");
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const ThreadSchema = z.object({
  title: plainTitle("a subject"),
  body: commentBody,
  pageId: idField.optional().default(""),
});
export type ThreadInput = z.output<typeof ThreadSchema>;

export const CommentSchema = z.object({ body: commentBody });

export const TaskSchema = z.object({
  title: plainTitle("a task"),
  assigneeId: idField.optional().default(""),
  dueOn: optionalDate("the due date").optional().default(""),
});
export type TaskInput = z.output<typeof TaskSchema>;

export const TaskStatusSchema = z.object({
  taskId: idField.min(1, { message: "Choose a task" }),
  status: z.enum(TASK_STATUSES, { message: "Choose a status" }),
  version,
});
export type TaskStatusInput = z.output<typeof TaskStatusSchema>;

export const RegistrationSchema = z.object({
  title: plainTitle("a title"),
  pageIds: z
    .array(idField)
    .min(1, { message: "Choose at least one page to register" })
    .max(50, { message: "Choose at most 50 pages" }),
});
export type RegistrationInput = z.output<typeof RegistrationSchema>;

export const WorkspaceSearchSchema = z.object({ q: urlSearchText.optional().default("") });

export const PlacementWorkspaceSchema = z.object({
  workspaceId: idField.min(1, { message: "Choose a workspace" }),
});
