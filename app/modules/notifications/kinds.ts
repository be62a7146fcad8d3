import type { EmailTemplate } from "~/lib/email/render.server";

/**
 * Every kind of email the portal sends, each also an in-app notification. Security emails are
 * always sent: nobody can turn off being told of a password reset or a new sign-in factor.
 */
export const NOTIFICATION_KINDS = {
  invitation: { label: "Your invitation to the portal", security: true },
  "password-reset": { label: "Password reset links", security: true },
  "mfa-enrolled": { label: "Two-step verification turned on", security: true },
  "mfa-reset": { label: "Two-step verification reset by an administrator", security: true },
  "application-submitted": { label: "Applications submitted", security: false },
  "application-update": { label: "Changes to applications", security: false },
  "reviewer-assigned": { label: "Reviews assigned to you", security: false },
  "checklist-digest": { label: "Checklist items due and overdue", security: false },
  "workspace-invitation": { label: "Invitations to workspaces", security: false },
  "workspace-access": { label: "Workspace access from placements", security: false },
} as const satisfies Record<EmailTemplate, { label: string; security: boolean }>;

export type NotificationKind = keyof typeof NOTIFICATION_KINDS;

export const NOTIFICATION_KIND_LIST = Object.keys(NOTIFICATION_KINDS) as NotificationKind[];

/** The kinds a user may choose to receive in the portal only. */
export const OPTIONAL_KINDS = NOTIFICATION_KIND_LIST.filter((k) => !NOTIFICATION_KINDS[k].security);

export function isNotificationKind(kind: string): kind is NotificationKind {
  return Object.hasOwn(NOTIFICATION_KINDS, kind);
}
