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

describe("application emails", () => {
  const appUrl = "https://exchange.example.org/applications/app1";
  const base = {
    applicantName: "Idris Applicant",
    postingTitle: "Joint testing secondment",
    hostInstitute: "US AI Safety Institute",
    url: appUrl,
  };

  test("submitted: the applicant is told, the line manager is asked to release", async () => {
    const mine = await renderEmail({
      template: "application-submitted",
      props: { ...base, audience: "applicant", recipientName: "Idris Applicant" },
    });
    expect(mine.subject).toBe("Application submitted: Joint testing secondment");
    expect(mine.text).toContain("line manager has been asked to release you");
    const manager = await renderEmail({
      template: "application-submitted",
      props: { ...base, audience: "lineManager", recipientName: "Morwenna Manager" },
    });
    expect(manager.subject).toBe(
      "Release requested: Idris Applicant applied for Joint testing secondment",
    );
    expect(manager.text).toContain("Please release them or decline");
    expect(manager.html).toContain(`href="${appUrl}"`);
  });

  test("each status change has its own headline; reasons are shown as text, never as HTML", async () => {
    const headlines: Record<string, string> = {
      HOME_RELEASED: "Idris Applicant has been released by their line manager",
      HOME_DECLINED: "Your line manager did not release you for this secondment",
      UNDER_REVIEW: "Your application is under review",
      SHORTLISTED: "You have been shortlisted",
      INTERVIEW: "You are invited to interview",
      OFFERED: "You have been offered the secondment",
      ACCEPTED: "Idris Applicant accepted the offer",
      DECLINED: "Idris Applicant declined the offer",
      REJECTED: "Your application was not successful",
      WITHDRAWN: "Idris Applicant withdrew their application",
    };
    for (const [status, headline] of Object.entries(headlines)) {
      const email = await renderEmail({
        template: "application-update",
        props: {
          ...base,
          recipientName: "Someone",
          status: status as never,
          comment: status === "REJECTED" ? "<script>alert(1)</script> Not this time" : "",
        },
      });
      expect(email.subject).toBe(`${headline}: Joint testing secondment`);
      if (status === "REJECTED") {
        expect(email.text).toContain("Reason: <script>alert(1)</script> Not this time");
        expect(email.html).not.toContain("<script>");
        expect(email.html).toContain("&lt;script&gt;");
      }
    }
  });

  test("reviewer assigned: asks for a conflict declaration first", async () => {
    const email = await renderEmail({
      template: "reviewer-assigned",
      props: {
        reviewerName: "Rhea Reviewer",
        applicantName: "Idris Applicant",
        postingTitle: "Joint testing secondment",
        url: appUrl,
      },
    });
    expect(email.subject).toBe("You are asked to review an application: Joint testing secondment");
    expect(email.text).toContain("declare that you have no conflict of interest");
  });
});
