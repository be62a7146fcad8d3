// The route matrix's declarations: public pages, signing in and out, one's own account and notifications.
import {
  applicantFound,
  type Case,
  gate,
  only,
  open,
  signedIn,
  unique,
  w,
} from "#test/support/route-matrix/cases";

/** Public pages, signing in and out, one's own account and notifications. */
export const publicAndAccountRoutes = (): Record<string, Case[]> => ({
  root: [{ loader: open() }],
  "routes/$": [{ params: () => ({ "*": "no/such/page" }), loader: open("404") }],
  "routes/_index": [
    {
      loader: signedIn(),
      // Suggested collaborators: US staff share the applicant's expertise (private) and a skill
      // (institute-only), so only UK people may be shown the applicant.
      forbid: (p) => (p.institute === "UK" ? [] : applicantFound("as a suggested collaborator")),
    },
  ],
  "routes/account/account._index": [
    {
      loader: signedIn(),
      // "Sign out everywhere" would end the persona's sessions: an unknown intent is refused instead.
      action: { form: () => ({ intent: "nothing" }), expect: signedIn("400") },
    },
    {
      name: "ending a session that is no one's",
      action: {
        form: () => ({ intent: "end-session", session: "AAAAAAAAAAAAAAAA" }),
        expect: signedIn("404"),
      },
    },
  ],
  "routes/account/account.data": [{ loader: signedIn() }],
  "routes/account/account.mfa": [
    {
      loader: signedIn(),
      action: { form: () => ({ code: "000000" }), expect: signedIn("400") },
    },
  ],
  "routes/account/account.passkeys": [
    {
      loader: signedIn(),
      // Nobody's passkey: a 404, and nothing changes.
      action: {
        form: () => ({ intent: "remove", id: "no-such-passkey" }),
        expect: signedIn("404"),
      },
    },
  ],
  "routes/account/account.passkeys_.register": [
    {
      loader: open("to:/account/passkeys"),
      action: { form: () => ({ intent: "options", name: "" }), expect: signedIn("400") },
    },
  ],
  "routes/account/account.notifications": [
    {
      loader: signedIn(),
      // Each person's own preferences: saving none is harmless.
      action: { form: () => ({}), expect: signedIn("to:/account/notifications") },
    },
  ],
  "routes/account/account.password": [
    {
      loader: signedIn(),
      action: {
        form: () => ({
          current: "not the current password at all",
          password: "a brand new and long password",
          confirm: "a brand new and long password",
        }),
        expect: signedIn("400"),
        // A wrong current password is audited and counted towards the sign-in throttle (for the
        // signed-in; the others never get that far).
        mayAddTo: (p) => (gate(p) ? [] : ["AuditEvent", "Throttle"]),
      },
    },
  ],
  "routes/sign-in/forgot-password": [
    {
      // The same answer for everyone, whether or not the address has an account. A new address
      // each time: one address gets only a few reset links an hour.
      action: {
        form: () => ({ email: `${unique("nobody").replace(" ", ".")}@test.example` }),
        expect: open("ok"),
      },
    },
  ],
  "routes/healthz": [{ loader: open() }],
  "routes/sign-in/invitation.$token": [
    {
      params: () => ({ token: w.invitationToken }),
      // The link is the key: whoever holds it sees whose it is.
      loader: open(),
      action: { form: () => ({ password: "short", confirm: "short" }), expect: open("400") },
    },
  ],
  "routes/sign-in/reset-password.$token": [
    {
      params: () => ({ token: w.resetToken }),
      loader: open(),
      action: { form: () => ({ password: "short", confirm: "short" }), expect: open("400") },
    },
  ],
  "routes/sign-in/login": [
    {
      loader: (p) => (p.key === "anon" || p.key === "pendingMfa" ? "ok" : "to:/"),
      action: {
        form: (p) => ({
          email: p.actor?.email ?? "nobody.at.all@test.example",
          password: "not the password of anyone",
        }),
        expect: open("400"),
        // A failed sign-in is audited and counted towards the throttle.
        mayAddTo: () => ["AuditEvent", "Throttle"],
      },
    },
    {
      // The email step: no institute of the matrix has a provider, so the password step follows.
      action: {
        form: () => ({ intent: "email", email: "someone@test.example" }),
        expect: open("ok"),
        writes: () => false,
      },
    },
  ],
  // Without a sign-in in flight the provider's answer is refused; the refusal is audited.
  "routes/sign-in/login_.sso_.callback": [
    { query: "?code=abc&state=unknown", loader: open("400") },
  ],
  "routes/sign-in/logout_.sso": [{ query: "?institute=JP", loader: open() }],
  "routes/sign-in/login_.passkey": [
    {
      loader: open("login"),
      action: {
        form: () => ({ intent: "verify", response: "{}" }),
        // The signed-in are told where to go; the rest are refused the unreadable answer.
        expect: (p) => (p.key === "anon" || p.key === "pendingMfa" ? "400" : "ok"),
        writes: () => false,
      },
    },
  ],
  "routes/sign-in/login_.mfa_.passkey": [
    {
      loader: open("mfa"),
      action: {
        form: () => ({ intent: "verify", response: "{}" }),
        // Only a session with a passkey step due gets past the door (to a 400 here); nobody has one.
        expect: open("ok"),
        writes: () => false,
      },
    },
  ],
  "routes/sign-in/login_.mfa": [
    {
      loader: (p) => (p.key === "anon" ? "login" : p.key === "pendingMfa" ? "ok" : "to:/"),
      action: {
        form: () => ({ code: "000000" }),
        expect: (p) => (p.key === "anon" ? "login" : p.key === "pendingMfa" ? "400" : "to:/"),
        writes: () => false,
        // A wrong code is audited and counted towards the throttle; nobody else gets that far.
        mayAddTo: (p) => (p.key === "pendingMfa" ? ["AuditEvent", "Throttle"] : []),
      },
    },
  ],
  "routes/sign-in/logout": [
    {
      loader: open("to:/"),
      action: {
        form: () => ({}),
        expect: open("login"),
        writes: (p) => p.actor !== null,
        endsSession: true,
      },
    },
  ],
  "routes/notifications": [
    {
      loader: signedIn(),
      // Marking the applicant's notification read: theirs alone.
      action: {
        form: () => ({ intent: "read", notificationId: w.notificationId }),
        expect: only(["applicant"], "to:/notifications"),
      },
    },
  ],
});
