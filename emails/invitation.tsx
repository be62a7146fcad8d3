import { Button, Heading, Link, Text } from "@react-email/components";
import { Layout, PORTAL_NAME, styles } from "./components/layout";

export type InvitationEmailProps = {
  inviteeName: string;
  inviterName: string;
  instituteName: string;
  url: string;
  /** Already formatted in the invitee's locale and time zone, zone named. */
  expiresAt: string;
};

export function subject(props: InvitationEmailProps) {
  return `${props.inviterName} invited you to the ${PORTAL_NAME}`;
}

export default function InvitationEmail(props: InvitationEmailProps) {
  const { inviteeName, inviterName, instituteName, url, expiresAt } = props;
  return (
    <Layout preview={`Set your password to join the ${PORTAL_NAME} (${instituteName}).`}>
      <Heading as="h1" style={styles.heading}>
        You are invited to the {PORTAL_NAME}
      </Heading>
      <Text style={styles.paragraph}>Hello {inviteeName},</Text>
      <Text style={styles.paragraph}>
        {inviterName} has created an account for you as a member of {instituteName}. To start using
        it, choose a password.
      </Text>
      <Text style={styles.paragraph}>
        <Button href={url} style={styles.button}>
          Set your password
        </Button>
      </Text>
      <Text style={styles.small}>
        This invitation can be used once and expires on {expiresAt}. If the button does not work,
        copy this address into your browser:{" "}
        <Link href={url} style={styles.link}>
          {url}
        </Link>
      </Text>
      <Text style={styles.small}>
        If you were not expecting this invitation, you can ignore this email.
      </Text>
    </Layout>
  );
}
