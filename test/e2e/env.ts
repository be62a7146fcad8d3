// Where the e2e server listens. A fixed port (override with E2E_PORT) so that the config, the
// global setup and every worker agree without passing anything around.
export const E2E_HOST = "127.0.0.1";
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3210);
export const E2E_BASE_URL = `http://${E2E_HOST}:${E2E_PORT}`;
