import { render } from "@react-email/render";
import { createElement, type ReactElement } from "react";
import ApplicationSubmittedEmail, {
  subject as applicationSubmittedSubject,
  type ApplicationSubmittedEmailProps,
} from "#emails/application-submitted";
import ApplicationUpdateEmail, {
  subject as applicationUpdateSubject,
  type ApplicationUpdateEmailProps,
} from "#emails/application-update";
import ChecklistDigestEmail, {
  subject as checklistDigestSubject,
  type ChecklistDigestEmailProps,
} from "#emails/checklist-digest";
import InvitationEmail, {
  subject as invitationSubject,
  type InvitationEmailProps,
} from "#emails/invitation";
import MfaEnrolledEmail, {
  subject as mfaEnrolledSubject,
  type MfaEnrolledEmailProps,
} from "#emails/mfa-enrolled";
import MfaResetEmail, {
  subject as mfaResetSubject,
  type MfaResetEmailProps,
} from "#emails/mfa-reset";
import PasswordResetEmail, {
  subject as passwordResetSubject,
  type PasswordResetEmailProps,
} from "#emails/password-reset";
import ReviewerAssignedEmail, {
  subject as reviewerAssignedSubject,
  type ReviewerAssignedEmailProps,
} from "#emails/reviewer-assigned";

import WorkspaceAccessEmail, {
  subject as workspaceAccessSubject,
  type WorkspaceAccessEmailProps,
} from "#emails/workspace-access";
import WorkspaceInvitationEmail, {
  subject as workspaceInvitationSubject,
  type WorkspaceInvitationEmailProps,
} from "#emails/workspace-invitation";

export type EmailMessage =
  | { template: "invitation"; props: InvitationEmailProps }
  | { template: "password-reset"; props: PasswordResetEmailProps }
  | { template: "mfa-enrolled"; props: MfaEnrolledEmailProps }
  | { template: "mfa-reset"; props: MfaResetEmailProps }
  | { template: "application-submitted"; props: ApplicationSubmittedEmailProps }
  | { template: "application-update"; props: ApplicationUpdateEmailProps }
  | { template: "reviewer-assigned"; props: ReviewerAssignedEmailProps }
  | { template: "checklist-digest"; props: ChecklistDigestEmailProps }
  | { template: "workspace-invitation"; props: WorkspaceInvitationEmailProps }
  | { template: "workspace-access"; props: WorkspaceAccessEmailProps };

export type EmailTemplate = EmailMessage["template"];

export type RenderedEmail = {
  template: EmailTemplate;
  subject: string;
  html: string;
  text: string;
};

// A .ts module (no JSX) so the path stays what callers import; createElement keeps props typed.
function build(message: EmailMessage): { subject: string; element: ReactElement } {
  switch (message.template) {
    case "invitation":
      return {
        subject: invitationSubject(message.props),
        element: createElement(InvitationEmail, message.props),
      };
    case "password-reset":
      return {
        subject: passwordResetSubject(message.props),
        element: createElement(PasswordResetEmail, message.props),
      };
    case "mfa-enrolled":
      return {
        subject: mfaEnrolledSubject(message.props),
        element: createElement(MfaEnrolledEmail, message.props),
      };
    case "mfa-reset":
      return {
        subject: mfaResetSubject(message.props),
        element: createElement(MfaResetEmail, message.props),
      };
    case "application-submitted":
      return {
        subject: applicationSubmittedSubject(message.props),
        element: createElement(ApplicationSubmittedEmail, message.props),
      };
    case "application-update":
      return {
        subject: applicationUpdateSubject(message.props),
        element: createElement(ApplicationUpdateEmail, message.props),
      };
    case "reviewer-assigned":
      return {
        subject: reviewerAssignedSubject(message.props),
        element: createElement(ReviewerAssignedEmail, message.props),
      };
    case "checklist-digest":
      return {
        subject: checklistDigestSubject(message.props),
        element: createElement(ChecklistDigestEmail, message.props),
      };
    case "workspace-invitation":
      return {
        subject: workspaceInvitationSubject(message.props),
        element: createElement(WorkspaceInvitationEmail, message.props),
      };
    case "workspace-access":
      return {
        subject: workspaceAccessSubject(message.props),
        element: createElement(WorkspaceAccessEmail, message.props),
      };
    default: {
      const unknown: never = message;
      throw new Error(`Unknown email template: ${JSON.stringify(unknown)}`);
    }
  }
}

/** Renders once, at queue time, so the outbox holds exactly what was (or will be) sent. */
export async function renderEmail(message: EmailMessage): Promise<RenderedEmail> {
  const { subject, element } = build(message);
  const [html, text] = await Promise.all([render(element), render(element, { plainText: true })]);
  return { template: message.template, subject, html, text };
}
