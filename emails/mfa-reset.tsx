import { Heading, Text } from "@react-email/components";
import { Layout, PORTAL_NAME, styles } from "./components/layout";

export type MfaResetEmailProps = {
  name: string;
  /** Already formatted in UTC, zone named. */
  when: string;
};

export function subject(_props: MfaResetEmailProps) {
  return `Two-step verification was reset on your ${PORTAL_NAME} account`;
}

export default function MfaResetEmail({ name, when }: MfaResetEmailProps) {
  return (
    <Layout
      preview={`Security notice: an administrator reset your two-step verification (${when}).`}
    >
      <Heading as="h1" style={styles.heading}>
        Your two-step verification was reset
      </Heading>
      <Text style={styles.paragraph}>Hello {name},</Text>
      <Text style={styles.paragraph}>
        A portal administrator reset two-step verification on your {PORTAL_NAME} account on {when},
        after checking who you are. Your authenticator, recovery codes and passkeys no longer work,
        and you were signed out everywhere. Sign in with your password and set up two-step
        verification again.
      </Text>
      <Text style={styles.paragraph}>
        <strong>If you did not ask for this</strong>, contact a portal administrator straight away.
      </Text>
      <Text style={styles.small}>
        This is a security notice sent whenever two-step verification changes.
      </Text>
    </Layout>
  );
}
