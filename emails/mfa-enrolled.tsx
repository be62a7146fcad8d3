import { Heading, Text } from "@react-email/components";
import { Layout, PORTAL_NAME, styles } from "./components/layout";

export type MfaEnrolledEmailProps = {
  name: string;
  /** Already formatted in the user's locale and time zone, zone named. */
  when: string;
};

export function subject(_props: MfaEnrolledEmailProps) {
  return `Two-step verification was turned on for your ${PORTAL_NAME} account`;
}

export default function MfaEnrolledEmail({ name, when }: MfaEnrolledEmailProps) {
  return (
    <Layout preview={`Security notice: two-step verification was turned on (${when}).`}>
      <Heading as="h1" style={styles.heading}>
        Two-step verification is on
      </Heading>
      <Text style={styles.paragraph}>Hello {name},</Text>
      <Text style={styles.paragraph}>
        Two-step verification was turned on for your {PORTAL_NAME} account on {when}. From now on,
        signing in asks for a code from your authenticator app as well as your password.
      </Text>
      <Text style={styles.paragraph}>
        <strong>If this was not you</strong>, contact a portal administrator straight away: someone
        else may know your password.
      </Text>
      <Text style={styles.small}>
        This is a security notice sent whenever two-step verification changes. No action is needed
        if you made this change.
      </Text>
    </Layout>
  );
}
