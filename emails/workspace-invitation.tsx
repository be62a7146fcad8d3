import { Button, Heading, Text } from "@react-email/components";
import { Layout, styles } from "./components/layout";

export type WorkspaceInvitationEmailProps = {
  inviteeName: string;
  inviterName: string;
  workspaceName: string;
  role: string;
  url: string;
};

export function subject(p: WorkspaceInvitationEmailProps) {
  return `You are invited to the workspace “${p.workspaceName}”`;
}

export default function WorkspaceInvitationEmail(p: WorkspaceInvitationEmailProps) {
  return (
    <Layout preview={subject(p)}>
      <Heading as="h1" style={styles.heading}>
        An invitation to a workspace
      </Heading>
      <Text style={styles.paragraph}>Hello {p.inviteeName},</Text>
      <Text style={styles.paragraph}>
        {p.inviterName} invites you to join the research workspace “{p.workspaceName}” as{" "}
        {p.role.toLowerCase()}. You can accept or decline on your workspaces page.
      </Text>
      <Text style={styles.paragraph}>
        <Button href={p.url} style={styles.button}>
          See the invitation
        </Button>
      </Text>
    </Layout>
  );
}
