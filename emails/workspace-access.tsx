import { Button, Heading, Text } from "@react-email/components";
import { Layout, styles } from "./components/layout";

export type WorkspaceAccessEmailProps = {
  secondeeName: string;
  workspaceName: string;
  /** Granted when the placement became active; ended when it completed or was cancelled. */
  change: "granted" | "ended";
  url: string;
};

export function subject(p: WorkspaceAccessEmailProps) {
  return p.change === "granted"
    ? `You now have access to the workspace “${p.workspaceName}”`
    : `Your access to the workspace “${p.workspaceName}” has ended`;
}

export default function WorkspaceAccessEmail(p: WorkspaceAccessEmailProps) {
  return (
    <Layout preview={subject(p)}>
      <Heading as="h1" style={styles.heading}>
        {p.change === "granted" ? "Workspace access granted" : "Workspace access ended"}
      </Heading>
      <Text style={styles.paragraph}>Hello {p.secondeeName},</Text>
      <Text style={styles.paragraph}>
        {p.change === "granted"
          ? `Your placement has started, so you are now an editor of the host workspace “${p.workspaceName}”.`
          : `Your placement has ended, so the editor access it gave you to the host workspace “${p.workspaceName}” has ended.`}
      </Text>
      {p.change === "granted" ? (
        <Text style={styles.paragraph}>
          <Button href={p.url} style={styles.button}>
            Open the workspace
          </Button>
        </Text>
      ) : null}
    </Layout>
  );
}
