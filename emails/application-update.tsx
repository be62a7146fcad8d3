import { Button, Heading, Text } from "@react-email/components";
import { Layout, styles } from "./components/layout";

export type ApplicationUpdateEmailProps = {
  recipientName: string;
  applicantName: string;
  postingTitle: string;
  hostInstitute: string;
  /** The new state, as the workflow names it. */
  status:
    | "HOME_RELEASED"
    | "HOME_DECLINED"
    | "UNDER_REVIEW"
    | "SHORTLISTED"
    | "INTERVIEW"
    | "OFFERED"
    | "ACCEPTED"
    | "DECLINED"
    | "REJECTED"
    | "WITHDRAWN";
  /** The comment or reason given with the move, shown as typed (plain text). */
  comment: string;
  url: string;
};

const HEADLINES: Record<
  ApplicationUpdateEmailProps["status"],
  (p: ApplicationUpdateEmailProps) => string
> = {
  HOME_RELEASED: (p) => `${p.applicantName} has been released by their line manager`,
  HOME_DECLINED: () => "Your line manager did not release you for this secondment",
  UNDER_REVIEW: () => "Your application is under review",
  SHORTLISTED: () => "You have been shortlisted",
  INTERVIEW: () => "You are invited to interview",
  OFFERED: () => "You have been offered the secondment",
  ACCEPTED: (p) => `${p.applicantName} accepted the offer`,
  DECLINED: (p) => `${p.applicantName} declined the offer`,
  REJECTED: () => "Your application was not successful",
  WITHDRAWN: (p) => `${p.applicantName} withdrew their application`,
};

export function subject(p: ApplicationUpdateEmailProps) {
  return `${HEADLINES[p.status](p)}: ${p.postingTitle}`;
}

export default function ApplicationUpdateEmail(p: ApplicationUpdateEmailProps) {
  return (
    <Layout preview={subject(p)}>
      <Heading as="h1" style={styles.heading}>
        {HEADLINES[p.status](p)}
      </Heading>
      <Text style={styles.paragraph}>Hello {p.recipientName},</Text>
      <Text style={styles.paragraph}>
        This is about the application of {p.applicantName} for the secondment “{p.postingTitle}” at{" "}
        {p.hostInstitute}.
        {p.status === "OFFERED"
          ? " Please accept or decline the offer in the portal."
          : p.status === "HOME_RELEASED"
            ? " The host institute can now review it."
            : ""}
      </Text>
      {p.comment ? (
        <Text style={styles.paragraph}>
          {p.status === "REJECTED" || p.status === "HOME_DECLINED" ? "Reason" : "Comment"}:{" "}
          {p.comment}
        </Text>
      ) : null}
      <Text style={styles.paragraph}>
        <Button href={p.url} style={styles.button}>
          View the application
        </Button>
      </Text>
    </Layout>
  );
}
