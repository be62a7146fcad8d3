import { Button, Heading, Text } from "@react-email/components";
import { Layout, styles } from "./components/layout";

export type ChecklistDigestEmailProps = {
  recipientName: string;
  /** "owner": items they (or their side) must do; "escalation": items overdue past the limit, to HR. */
  kind: "owner" | "escalation";
  items: { placement: string; title: string; due: string; overdue: boolean; url: string }[];
};

export function subject(p: ChecklistDigestEmailProps) {
  const overdue = p.items.filter((i) => i.overdue).length;
  return p.kind === "escalation"
    ? `Escalation: ${p.items.length} clearance ${p.items.length === 1 ? "item is" : "items are"} long overdue`
    : `Clearance checklist: ${overdue} overdue, ${p.items.length - overdue} due soon`;
}

export default function ChecklistDigestEmail(p: ChecklistDigestEmailProps) {
  return (
    <Layout preview={subject(p)}>
      <Heading as="h1" style={styles.heading}>
        {p.kind === "escalation"
          ? "Overdue clearance items need HR"
          : "Your clearance checklist items"}
      </Heading>
      <Text style={styles.paragraph}>Hello {p.recipientName},</Text>
      <Text style={styles.paragraph}>
        {p.kind === "escalation"
          ? "These items are overdue by more than the agreed limit. Please chase them or waive them."
          : "These items are overdue or due soon on placements you work on:"}
      </Text>
      {p.items.map((i) => (
        <Text key={`${i.url}-${i.title}`} style={styles.paragraph}>
          {i.overdue ? "OVERDUE" : "Due soon"}: {i.title} ({i.placement}), due {i.due}.{" "}
          <Button href={i.url} style={styles.link}>
            Open the placement
          </Button>
        </Text>
      ))}
      <Text style={styles.small}>You receive this digest once a day while items are due.</Text>
    </Layout>
  );
}
