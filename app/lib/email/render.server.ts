import { render } from "@react-email/render";
import { createElement, type ReactElement } from "react";
import InvitationEmail, {
  subject as invitationSubject,
  type InvitationEmailProps,
} from "#emails/invitation";
import MfaEnrolledEmail, {
  subject as mfaEnrolledSubject,
  type MfaEnrolledEmailProps,
} from "#emails/mfa-enrolled";
import PasswordResetEmail, {
  subject as passwordResetSubject,
  type PasswordResetEmailProps,
} from "#emails/password-reset";

export type EmailMessage =
  | { template: "invitation"; props: InvitationEmailProps }
  | { template: "password-reset"; props: PasswordResetEmailProps }
  | { template: "mfa-enrolled"; props: MfaEnrolledEmailProps };

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
