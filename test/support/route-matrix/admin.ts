// The route matrix's declarations: the admin pages.
import { JP_AISI } from "#test/support/pipeline-world";
import {
  adminOnly,
  AUDIT_DETAILS,
  AUDIT_LOG,
  type Case,
  MAIL_CONTENT,
  nextSerial,
  unique,
  w,
} from "#test/support/route-matrix/cases";

/** The admin pages. */
export const adminRoutes = (): Record<string, Case[]> => ({
  "routes/admin/admin.audit": [
    { loader: adminOnly(), alsoShows: (p) => (p.key === "admin" ? AUDIT_LOG : []) },
  ],
  "routes/admin/admin.audit.export": [
    // The export holds each event's details, such as the title of a posting created.
    { loader: adminOnly(), alsoShows: (p) => (p.key === "admin" ? AUDIT_DETAILS : []) },
    {
      name: "JSON",
      query: "?format=json",
      loader: adminOnly(),
      alsoShows: (p) => (p.key === "admin" ? AUDIT_DETAILS : []),
    },
  ],
  "routes/admin/admin.expertise._index": [
    {
      loader: adminOnly(),
      action: {
        form: () => ({ name: unique("Matrix area"), description: "" }),
        expect: adminOnly("to:/admin/expertise"),
      },
    },
  ],
  "routes/admin/admin.expertise.$areaId": [
    {
      params: () => ({ areaId: w.areaId }),
      loader: adminOnly(),
      action: {
        form: () => ({ name: unique("Renamed matrix area"), description: "Renamed." }),
        expect: adminOnly(`to:/admin/expertise/*`),
      },
    },
  ],
  "routes/admin/admin.institutes._index": [{ loader: adminOnly() }],
  "routes/admin/admin.institutes.$instituteId": [
    {
      params: () => ({ instituteId: w.ids.JP }),
      loader: adminOnly(),
      // The JP institute, saved as it is.
      action: {
        form: () => ({
          name: JP_AISI.name,
          country: JP_AISI.country,
          timeZone: JP_AISI.timeZone,
          locale: JP_AISI.locale,
        }),
        expect: adminOnly("to:/admin/institutes"),
      },
    },
  ],
  // SCIM provisioning settings: the domains form, saved empty (a token is made in
  // test/integration/scim/scim-admin.test.ts, since it is shown once in the answer).
  "routes/admin/admin.institutes.$instituteId_.scim": [
    {
      params: () => ({ instituteId: w.ids.JP }),
      loader: adminOnly(),
      action: {
        form: () => ({ intent: "domains", emailDomains: "" }),
        expect: adminOnly(`to:/admin/institutes/${w.ids.JP}/scim`),
      },
    },
  ],
  "routes/admin/admin.institutes.$instituteId_.sso": [
    {
      params: () => ({ instituteId: w.ids.JP }),
      loader: adminOnly(),
      // Saving needs no call to the provider: the settings are checked and stored.
      action: {
        form: () => ({
          issuer: "https://login.jp-matrix.example",
          clientId: "exchange-portal",
          clientSecret: "matrix client secret",
          emailDomains: "jp-matrix.example",
          mfaValues: "mfa",
          phishingResistantValues: "hwk",
          passwordsAllowed: "on",
        }),
        expect: adminOnly("to:/admin/institutes/*"),
      },
    },
  ],
  // Mail kept in the outbox is readable by admins (PRODUCT.md): workspace invitations name their
  // workspace.
  "routes/admin/admin.outbox._index": [
    { loader: adminOnly(), alsoShows: (p) => (p.key === "admin" ? MAIL_CONTENT : []) },
  ],
  "routes/admin/admin.outbox.$emailId": [
    {
      params: () => ({ emailId: w.outboxEmailId }),
      loader: adminOnly(),
      alsoShows: (p) => (p.key === "admin" ? MAIL_CONTENT : []),
      // Only a failed email can be retried: this one is queued, so the admin is told so.
      action: { form: () => ({}), expect: adminOnly("400") },
    },
  ],
  "routes/admin/admin.users._index": [{ loader: adminOnly() }],
  "routes/admin/admin.users.new": [
    {
      loader: adminOnly(),
      action: {
        form: () => ({
          email: `matrix.${nextSerial()}@test.example`,
          displayName: "Matrix Invitee",
          jobTitle: "",
          team: "",
          instituteId: w.ids.UK,
          roles: [],
        }),
        expect: adminOnly("to:/admin/users/*"),
      },
    },
  ],
  "routes/admin/admin.users.$userId": [
    {
      // The administration of a person with private profile fields: none of them is shown.
      name: "the applicant",
      params: () => ({ userId: w.personas.applicant.actor!.id }),
      loader: adminOnly(),
    },
    {
      name: "Dora",
      params: () => ({ userId: w.managedUserId }),
      loader: adminOnly(),
      // Dora is no persona: deactivating her changes no later expectation.
      action: {
        form: () => ({ intent: "deactivate" }),
        expect: adminOnly(`to:/admin/users/*`),
      },
    },
    {
      name: "Dora's sessions",
      params: () => ({ userId: w.managedUserId }),
      action: {
        form: () => ({ intent: "end-sessions" }),
        expect: adminOnly(`to:/admin/users/*`),
      },
    },
    {
      name: "Dora's second factor, without saying how she was checked",
      params: () => ({ userId: w.managedUserId }),
      action: { form: () => ({ intent: "reset-mfa", reason: "" }), expect: adminOnly("400") },
    },
  ],
});
