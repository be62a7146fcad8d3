import fs from "node:fs";

// What global setup hands to the tests: who exists in the e2e database and how to sign them in.

export type E2eUser = {
  email: string;
  displayName: string;
  institute: string;
  instituteCode: string;
  /** Base32 of the confirmed TOTP key, for people created with MFA on. */
  mfaKey?: string;
  /**
   * A passkey the seed registered, for Chromium's virtual authenticator (WebAuthn.addCredential):
   * each field standard base64, the private key PKCS#8.
   */
  passkey?: { credentialId: string; privateKey: string; userHandle: string };
};

/**
 * An institute that signs its people in through its own OpenID provider (test/support/oidc-provider,
 * run by global setup), and one person who has an account there but none at the portal yet.
 */
export type E2eSso = {
  instituteCode: string;
  instituteName: string;
  /** The provider's issuer URL: its pages are on this origin, not the portal's. */
  issuer: string;
  person: {
    /** What the provider's own sign-in form asks for (its subject). */
    login: string;
    email: string;
    displayName: string;
  };
};

export type E2eState = {
  password: string;
  sso: E2eSso;
  /** The placement the checklist test works through (a UK secondee at the US institute). */
  checklistPlacementId: string;
  users: {
    staff: E2eUser;
    staffNoJs: E2eUser;
    staffWrongPassword: E2eUser;
    staffForbidden: E2eUser;
    staffSecurity: E2eUser;
    staffEnrol: E2eUser;
    adminNoPasskey: E2eUser;
    staffMfa: E2eUser;
    passkeyStaff: E2eUser;
    adminInviter: E2eUser;
    directorySearcher: E2eUser;
    directoryEditor: E2eUser;
    directoryPartner: E2eUser;
    adminPages: E2eUser;
    directoryNoJs: E2eUser;
    journeyApplicant: E2eUser;
    journeyManager: E2eUser;
    journeyHostHr: E2eUser;
    journeyReviewer: E2eUser;
    applicantNoJs: E2eUser;
    uploadTester: E2eUser;
    checklistSecondee: E2eUser;
    checklistHomeHr: E2eUser;
    checklistHostHr: E2eUser;
    workspaceUs: E2eUser;
    workspaceUk: E2eUser;
    workspaceOutsider: E2eUser;
    notified: E2eUser;
    erasable: E2eUser;
    dashboardHr: E2eUser;
  };
};

let cached: E2eState | undefined;

/** The state file global setup wrote (its path reaches the workers through the environment). */
export function e2eState(): E2eState {
  if (!cached) {
    const file = process.env.E2E_STATE_FILE;
    if (!file)
      throw new Error("E2E_STATE_FILE is not set: run the tests through playwright.config.ts");
    cached = JSON.parse(fs.readFileSync(file, "utf8")) as E2eState;
  }
  return cached;
}
