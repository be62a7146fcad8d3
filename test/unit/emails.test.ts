import { describe, expect, test } from "vitest";
import { renderEmail } from "~/lib/email/render.server";

const url = "https://exchange.example.org/set-password?token=abc123&x=1";

describe("email templates", () => {
  test("invitation names the inviter and institute and links to setting a password", async () => {
    const email = await renderEmail({
      template: "invitation",
      props: {
        inviteeName: "Ada Lovelace",
        inviterName: "Grace Hopper",
        instituteName: "UK AI Safety Institute",
        url,
        expiresAt: "3 December 2026, 17:00 GMT",
      },
    });
    expect(email.template).toBe("invitation");
    expect(email.subject).toBe("Grace Hopper invited you to the Exchange portal");
    expect(email.html).toMatch(/<html[^>]* lang="en"/);
    expect(email.html).toContain(`href="${url.replace("&", "&amp;")}"`);
    expect(email.html).toMatch(/<h1[^>]*>[^<]*You are invited/);
    expect(email.html).toContain("Set your password");
    for (const value of ["Ada Lovelace", "Grace Hopper", "UK AI Safety Institute"]) {
      expect(email.html).toContain(value);
      expect(email.text).toContain(value);
    }
    expect(email.text).toContain("3 December 2026, 17:00 GMT");
    expect(email.text).toContain(url);
    expect(email.text).toContain("automated message from the Exchange portal");
    expect(email.text).not.toMatch(/<[a-z]/i);
  });

  test("password reset gives a one-time link, its lifetime and what to do if not requested", async () => {
    const email = await renderEmail({
      template: "password-reset",
      props: { name: "Ada", url, expiresInMinutes: 60 },
    });
    expect(email.subject).toBe("Reset your Exchange portal password");
    expect(email.html).toContain(`href="${url.replace("&", "&amp;")}"`);
    expect(email.html).toContain("Choose a new password");
    expect(email.text).toContain(url);
    expect(email.text).toContain("60 minutes");
    expect(email.text).toMatch(/used once/);
    expect(email.text).toMatch(/did not ask for this, ignore this email/);
  });

  test("MFA notice says when, and to contact an admin if it was not them", async () => {
    const email = await renderEmail({
      template: "mfa-enrolled",
      props: { name: "Ada", when: "1 December 2026, 09:30 EST" },
    });
    expect(email.subject).toBe(
      "Two-step verification was turned on for your Exchange portal account",
    );
    expect(email.html).toContain("1 December 2026, 09:30 EST");
    expect(email.text.trim().length).toBeGreaterThan(0);
    expect(email.text).toContain("1 December 2026, 09:30 EST");
    expect(email.text).toMatch(/not you/i);
    expect(email.text).toMatch(/administrator/);
  });

  test("props are escaped, never interpreted as markup", async () => {
    const email = await renderEmail({
      template: "mfa-enrolled",
      props: { name: '<script>alert("x")</script>', when: "now" },
    });
    expect(email.html).not.toContain("<script>");
    expect(email.html).toContain("&lt;script&gt;");
  });

  test("no template loads remote images", async () => {
    const rendered = await Promise.all([
      renderEmail({
        template: "invitation",
        props: { inviteeName: "A", inviterName: "B", instituteName: "C", url, expiresAt: "D" },
      }),
      renderEmail({ template: "password-reset", props: { name: "A", url, expiresInMinutes: 1 } }),
      renderEmail({ template: "mfa-enrolled", props: { name: "A", when: "B" } }),
    ]);
    for (const email of rendered) expect(email.html).not.toMatch(/<img/i);
  });
});
