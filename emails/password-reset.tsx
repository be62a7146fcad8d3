import { Button, Heading, Link, Text } from "@react-email/components";
import { Layout, PORTAL_NAME, styles } from "./components/layout";

export type PasswordResetEmailProps = {
  name: string;
  url: string;
  expiresInMinutes: number;
};

export function subject(_props: PasswordResetEmailProps) {
  return `Reset your ${PORTAL_NAME} password`;
}

export default function PasswordResetEmail({
  name,
  url,
  expiresInMinutes,
}: PasswordResetEmailProps) {
  const minutes = `${expiresInMinutes} ${expiresInMinutes === 1 ? "minute" : "minutes"}`;
  return (
    <Layout preview={`A link to choose a new password. It works once, for ${minutes}.`}>
      <Heading as="h1" style={styles.heading}>
        Reset your password
      </Heading>
      <Text style={styles.paragraph}>Hello {name},</Text>
      <Text style={styles.paragraph}>
        Someone asked to reset the password of your {PORTAL_NAME} account. Use the link below to
        choose a new one. It can be used once and stops working after {minutes}.
      </Text>
      <Text style={styles.paragraph}>
        <Button href={url} style={styles.button}>
          Choose a new password
        </Button>
      </Text>
      <Text style={styles.small}>
        If the button does not work, copy this address into your browser:{" "}
        <Link href={url} style={styles.link}>
          {url}
        </Link>
      </Text>
      <Text style={styles.small}>
        If you did not ask for this, ignore this email: your password stays as it is.
      </Text>
    </Layout>
  );
}
