// Where the e2e server listens. A fixed port (override with E2E_PORT) so that the config, the
// global setup and every worker agree without passing anything around. The browser uses the name
// "localhost": WebAuthn refuses an IP address as the relying party, and Chromium treats localhost
// as a secure context, as it treats the portal's HTTPS address in production.
export const E2E_HOST = "127.0.0.1";
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3210);
export const E2E_BASE_URL = `http://localhost:${E2E_PORT}`;
