import { Button, Heading, Text } from "@react-email/components";
import { Layout, PORTAL_NAME, styles } from "./components/layout";

export type ApplicationSubmittedEmailProps = {
  /** Who this copy is for: the applicant, or their line manager who is asked to release them. */
  audience: "applicant" | "lineManager";
  recipientName: string;
  applicantName: string;
  postingTitle: string;
  hostInstitute: string;
  url: string;
};

export function subject(p: ApplicationSubmittedEmailProps) {
  return p.audience === "applicant"
    ? `Application submitted: ${p.postingTitle}`
    : `Release requested: ${p.applicantName} applied for ${p.postingTitle}`;
}

export default function ApplicationSubmittedEmail(p: ApplicationSubmittedEmailProps) {
  const forApplicant = p.audience === "applicant";
  return (
    <Layout preview={subject(p)}>
      <Heading as="h1" style={styles.heading}>
        {forApplicant ? "Your application is submitted" : "A release decision is needed"}
      </Heading>
      <Text style={styles.paragraph}>Hello {p.recipientName},</Text>
      {forApplicant ? (
        <Text style={styles.paragraph}>
          Your application for the secondment “{p.postingTitle}” at {p.hostInstitute} is submitted.
          Your line manager has been asked to release you; the host institute reviews it once they
          have.
        </Text>
      ) : (
        <Text style={styles.paragraph}>
          {p.applicantName} has applied for the secondment “{p.postingTitle}” at {p.hostInstitute}{" "}
          and named you as their line manager. Please release them or decline, with a comment, in
          the {PORTAL_NAME}.
        </Text>
      )}
      <Text style={styles.paragraph}>
        <Button href={p.url} style={styles.button}>
          {forApplicant ? "View your application" : "Decide on the release"}
        </Button>
      </Text>
    </Layout>
  );
}
