import { Body, Container, Head, Hr, Html, Preview, Section, Text } from "@react-email/components";
import type { CSSProperties, ReactNode } from "react";

export const PORTAL_NAME = "Exchange portal";

// Inline styles only: many mail clients drop <style> blocks. System fonts, no remote assets.
const body: CSSProperties = {
  backgroundColor: "#f4f5f7",
  color: "#1a1a1a",
  fontFamily:
    '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  margin: 0,
  padding: "24px 0",
};
const container: CSSProperties = {
  backgroundColor: "#ffffff",
  border: "1px solid #d9dce1",
  borderRadius: "6px",
  maxWidth: "560px",
  padding: "24px 32px",
};
const brand: CSSProperties = {
  color: "#1d3a6e",
  fontSize: "14px",
  fontWeight: 700,
  letterSpacing: "0.04em",
  margin: "0 0 16px",
  textTransform: "uppercase",
};
const footer: CSSProperties = { color: "#555b66", fontSize: "12px", lineHeight: "18px" };

export const styles = {
  heading: { fontSize: "22px", lineHeight: "28px", margin: "0 0 16px" } satisfies CSSProperties,
  paragraph: { fontSize: "15px", lineHeight: "22px", margin: "0 0 16px" } satisfies CSSProperties,
  link: { color: "#1d4ed8", textDecoration: "underline" } satisfies CSSProperties,
  button: {
    backgroundColor: "#1d3a6e",
    borderRadius: "4px",
    color: "#ffffff",
    display: "inline-block",
    fontSize: "15px",
    fontWeight: 600,
    padding: "10px 18px",
    textDecoration: "none",
  } satisfies CSSProperties,
  small: { color: "#555b66", fontSize: "13px", lineHeight: "20px", margin: "0 0 16px" },
} as const;

type LayoutProps = {
  /** Shown by mail clients next to the subject; kept out of the plain-text version. */
  preview: string;
  children: ReactNode;
};

export function Layout({ preview, children }: LayoutProps) {
  return (
    <Html lang="en" dir="ltr">
      <Head>
        <meta name="color-scheme" content="light" />
      </Head>
      <Preview>{preview}</Preview>
      <Body style={body}>
        <Container style={container}>
          <Text style={brand}>{PORTAL_NAME}</Text>
          <Section>{children}</Section>
          <Hr style={{ borderColor: "#d9dce1", margin: "24px 0 16px" }} />
          <Text style={footer}>
            This is an automated message from the {PORTAL_NAME}. Replies to this address are not
            read.
          </Text>
        </Container>
      </Body>
    </Html>
  );
}
