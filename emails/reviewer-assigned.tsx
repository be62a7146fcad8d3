import { Button, Heading, Text } from "@react-email/components";
import { Layout, styles } from "./components/layout";

export type ReviewerAssignedEmailProps = {
  reviewerName: string;
  applicantName: string;
  postingTitle: string;
  url: string;
};

export function subject(p: ReviewerAssignedEmailProps) {
  return `You are asked to review an application: ${p.postingTitle}`;
}

export default function ReviewerAssignedEmail(p: ReviewerAssignedEmailProps) {
  return (
    <Layout preview={subject(p)}>
      <Heading as="h1" style={styles.heading}>
        A review is assigned to you
      </Heading>
      <Text style={styles.paragraph}>Hello {p.reviewerName},</Text>
      <Text style={styles.paragraph}>
        You have been asked to review the application of {p.applicantName} for “{p.postingTitle}”.
        Before you see the application, declare that you have no conflict of interest, or recuse
        yourself.
      </Text>
      <Text style={styles.paragraph}>
        <Button href={p.url} style={styles.button}>
          Open the review
        </Button>
      </Text>
    </Layout>
  );
}
