// Seeds an end-to-end data directory: the demo data plus people whose MFA keys the tests know.
// Run by global-setup.ts as its own process (tsx resolves the app's path aliases), before the
// server starts: PGlite allows one process per data directory. E2E_OIDC_ISSUER is the test OpenID
// provider global setup runs for the single sign-on institute.
//   DATA_DIR=/tmp/x E2E_STATE_FILE=/tmp/x/state.json E2E_OIDC_ISSUER=http://127.0.0.1:4000 \
//     npx tsx test/e2e/seed.ts
import fs from "node:fs";
import { encodeBase32UpperCaseNoPadding } from "@oslojs/encoding";
import { connectDatabase, db, disconnectDatabase } from "~/lib/db.server";
import { saveIdentityProvider } from "~/modules/institutes/identity-provider.server";
import { DEMO_PASSWORD, seed } from "../../prisma/demo";
import { ensureInstitute, ensureUser, UK_AISI, US_AISI } from "../factories";
import { ensureDemoPosting } from "../factories/pipeline";
import { loadTaxonomy } from "../factories/taxonomy";
import { TEST_CLIENT } from "../support/oidc-provider";
import { SoftAuthenticator } from "../support/soft-authenticator";
import type { E2eState, E2eUser } from "./state";

const stateFile = process.env.E2E_STATE_FILE;
const oidcIssuer = process.env.E2E_OIDC_ISSUER;
if (!process.env.DATA_DIR || !stateFile || !oidcIssuer) {
  throw new Error("DATA_DIR, E2E_STATE_FILE and E2E_OIDC_ISSUER must be set");
}

await connectDatabase();
try {
  const demo = await seed();
  const us = await ensureInstitute(db, US_AISI);
  const uk = await ensureInstitute(db, UK_AISI);
  const password = DEMO_PASSWORD;

  async function person(
    email: string,
    displayName: string,
    institute: typeof us,
    extra: {
      roles?: ("HR" | "ADMIN")[];
      mfa?: boolean;
      passkey?: boolean;
      lineManagerEmail?: string;
    } = {},
  ): Promise<E2eUser> {
    const user = await ensureUser(db, {
      email,
      displayName,
      instituteId: institute.id,
      roles: extra.roles,
      password,
      mfaKey: extra.mfa ? true : undefined,
      jobTitle: "End-to-end tester",
      lineManagerId: extra.lineManagerEmail
        ? (await db.user.findUniqueOrThrow({ where: { email: extra.lineManagerEmail } })).id
        : null,
    });
    return {
      email,
      displayName,
      institute: institute.name,
      instituteCode: institute.code,
      mfaKey: user.mfaKey ? encodeBase32UpperCaseNoPadding(user.mfaKey) : undefined,
      passkey: extra.passkey ? await registerPasskey(user.id) : undefined,
    };
  }

  // A passkey as registration leaves it, whose private key the test's virtual authenticator
  // gets: HR and administrators must confirm every sign-in with one.
  async function registerPasskey(userId: string): Promise<E2eUser["passkey"]> {
    const key = new SoftAuthenticator(process.env.APP_URL ?? "http://localhost");
    await db.passkey.upsert({
      where: { credentialId: key.id },
      create: {
        userId,
        credentialId: key.id,
        publicKey: new Uint8Array(key.cosePublicKey()),
        transports: ["internal"],
        deviceType: "singleDevice",
        backedUp: false,
        name: "Test laptop",
      },
      update: {},
    });
    return {
      credentialId: key.credentialId.toString("base64"),
      privateKey: key.privateKeyPkcs8().toString("base64"),
      // The user handle the portal gives a passkey: the bytes of the person's id.
      userHandle: Buffer.from(userId).toString("base64"),
    };
  }

  // An institute of its own for single sign-on, so that no other test's sign-in meets its
  // provider. The demo's administrator configures the provider through the admin service, as the
  // settings page would: the client secret is sealed with the SECRETS_KEY the server is given.
  const ssoInstitute = await ensureInstitute(db, {
    code: "E2E-SSO",
    name: "Federated Test Institute",
    country: "GB",
    timeZone: "Europe/London",
    locale: "en-GB",
  });
  const demoAdmin = demo.users.find((user) => user.roles.includes("ADMIN"));
  if (!demoAdmin) throw new Error("The demo data has no administrator");
  const configured = await saveIdentityProvider(
    demoAdmin,
    ssoInstitute.id,
    {
      issuer: oidcIssuer,
      clientId: TEST_CLIENT.id,
      clientSecret: TEST_CLIENT.secret,
      emailDomains: ["sso-e2e.example"],
      mfaValues: ["mfa", "otp"],
      phishingResistantValues: ["hwk"],
      passwordsAllowed: false,
    },
    { ipAddress: "127.0.0.1" },
  );
  if (!configured.ok) {
    throw new Error(`The e2e identity provider was refused: ${JSON.stringify(configured)}`);
  }

  // One person per test that signs in, so that throttling counters and once-per-step TOTP codes
  // never couple tests running in parallel.
  const state: E2eState = {
    password,
    // Global setup gives the provider this account; the portal has none for it until sign-in.
    sso: {
      instituteCode: ssoInstitute.code,
      instituteName: ssoInstitute.name,
      issuer: oidcIssuer,
      person: {
        login: "e2e-federated-person",
        email: "fern.federated@sso-e2e.example",
        displayName: "Fern Federated",
      },
    },
    checklistPlacementId: "",
    users: {
      staff: await person("e2e.staff@us-aisi.example", "Riley Staff", us),
      staffNoJs: await person("e2e.nojs@uk-aisi.example", "Noor Nojs", uk),
      staffWrongPassword: await person("e2e.wrong@us-aisi.example", "Wren Wrong", us),
      staffForbidden: await person("e2e.forbidden@uk-aisi.example", "Frankie Forbidden", uk),
      staffSecurity: await person("e2e.security@us-aisi.example", "Sasha Security", us),
      staffEnrol: await person("e2e.staff.enrol@us-aisi.example", "Harper Enrol", us),
      adminNoPasskey: await person("e2e.admin.nokey@uk-aisi.example", "Alex Enrol", uk, {
        roles: ["ADMIN"],
        mfa: true,
      }),
      staffMfa: await person("e2e.staff.mfa@uk-aisi.example", "Ada Twostep", uk, { mfa: true }),
      passkeyStaff: await person("e2e.passkey@uk-aisi.example", "Pia Passkey", uk),
      adminInviter: await person("e2e.admin.invite@uk-aisi.example", "Ines Inviter", uk, {
        roles: ["ADMIN"],
        passkey: true,
      }),
      directorySearcher: await person("e2e.searcher@uk-aisi.example", "Sage Searcher", uk),
      directoryEditor: await person("e2e.editor@us-aisi.example", "Eden Editor", us),
      directoryPartner: await person("e2e.partner@uk-aisi.example", "Pat Partner", uk),
      directoryNoJs: await person("e2e.nojs.editor@uk-aisi.example", "Nico Nojs", uk),
      adminPages: await person("e2e.admin.pages@us-aisi.example", "Avery Pages", us, {
        roles: ["ADMIN"],
        passkey: true,
      }),
      // The application journey: a UK researcher, their manager, US HR and a US reviewer.
      journeyManager: await person("e2e.journey.manager@uk-aisi.example", "Morwenna Manager", uk),
      journeyApplicant: await person(
        "e2e.journey.applicant@uk-aisi.example",
        "Idris Applicant",
        uk,
        {
          lineManagerEmail: "e2e.journey.manager@uk-aisi.example",
        },
      ),
      journeyHostHr: await person("e2e.journey.hr@us-aisi.example", "Hollis Host", us, {
        roles: ["HR"],
        passkey: true,
      }),
      journeyReviewer: await person("e2e.journey.reviewer@us-aisi.example", "Rhea Reviewer", us),
      applicantNoJs: await person("e2e.applicant.nojs@uk-aisi.example", "Nell Nojs", uk, {
        lineManagerEmail: "e2e.journey.manager@uk-aisi.example",
      }),
      uploadTester: await person("e2e.upload@uk-aisi.example", "Una Upload", uk, {
        lineManagerEmail: "e2e.journey.manager@uk-aisi.example",
      }),
      checklistSecondee: await person(
        "e2e.checklist.secondee@uk-aisi.example",
        "Cora Secondee",
        uk,
        {
          lineManagerEmail: "e2e.journey.manager@uk-aisi.example",
        },
      ),
      checklistHomeHr: await person("e2e.checklist.home.hr@uk-aisi.example", "Hattie Homehr", uk, {
        roles: ["HR"],
        passkey: true,
      }),
      checklistHostHr: await person("e2e.checklist.host.hr@us-aisi.example", "Hank Hosthr", us, {
        roles: ["HR"],
        passkey: true,
      }),
      // Two researchers who share a joint workspace, and a colleague of one who is not in it.
      workspaceUs: await person("e2e.workspace.us@us-aisi.example", "Wes Workspace", us),
      workspaceUk: await person("e2e.workspace.uk@uk-aisi.example", "Winnie Workspace", uk),
      workspaceOutsider: await person("e2e.workspace.out@uk-aisi.example", "Otto Outsider", uk),
      notified: await person("e2e.notified@us-aisi.example", "Nora Notified", us),
      erasable: await person("e2e.erasable@uk-aisi.example", "Dara Departed", uk),
      // Its own HR sign-in, so that the throttle's counts never couple two tests.
      dashboardHr: await person("e2e.dashboard.hr@us-aisi.example", "Dana Dashboard", us, {
        roles: ["HR"],
        passkey: true,
      }),
    },
  };
  // A placement for the checklist test: Cora, accepted for a US posting, starting in 90 days.
  const cora = await db.user.findUniqueOrThrow({
    where: { email: state.users.checklistSecondee.email },
  });
  const hostHr = await db.user.findUniqueOrThrow({
    where: { email: state.users.checklistHostHr.email },
  });
  const postingId = await ensureDemoPosting(
    db,
    {
      title: "Checklist test secondment",
      team: "Evaluations",
      description: "For the end-to-end checklist test.",
      host: { id: us.id, timeZone: us.timeZone },
      eligible: [uk],
      contactHrId: hostHr.id,
      required: ["Evaluations"],
      minClearance: "BASELINE",
      workMode: "ON_SITE",
      location: "Washington DC",
      durationMonths: 6,
      places: 1,
      deadlineInDays: 30,
      status: "FILLED",
      applications: [{ applicant: cora, status: "ACCEPTED" }],
    },
    await loadTaxonomy(db),
    hostHr,
  );
  state.checklistPlacementId = (await db.placement.findFirstOrThrow({ where: { postingId } })).id;
  fs.writeFileSync(stateFile, JSON.stringify(state, null, 2));
  console.log(`e2e seed: ${Object.keys(state.users).length} test users written to ${stateFile}`);
} finally {
  await disconnectDatabase();
}
