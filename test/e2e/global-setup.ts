import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { FullConfig } from "@playwright/test";
import { startTestProvider, type TestProvider } from "../support/oidc-provider";
import { E2E_BASE_URL, E2E_HOST, E2E_PORT } from "./env";
import type { E2eState } from "./state";

// Runs once per `playwright test`: a fresh data directory, seeded, then the production build
// serving it. The seed closes the database before the server opens it (PGlite: one process per
// data directory), so tests read state back through the app's own pages. A test OpenID provider
// runs here, in the runner's process, for the whole run: the single sign-on institute's.

const ROOT = path.resolve(import.meta.dirname, "../..");

function portIsFree(port: number, host: string) {
  return new Promise<boolean>((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

/** The key that seals stored secrets, for the seed and the server alike (the seed's TOTP keys). */
const E2E_SECRETS_KEY = Buffer.alloc(32, 9).toString("base64");

/** The environment without anything that could point the app at another database or mailer. */
function cleanEnv(extra: Record<string, string>) {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of [
    "DATABASE_URL",
    "SMTP_URL",
    "MIGRATIONS_DIR",
    "SECURE_COOKIES",
    "SECRETS_KEY_PREVIOUS",
  ]) {
    delete env[name];
  }
  return { ...env, SECRETS_KEY: E2E_SECRETS_KEY, ...extra };
}

async function waitForHealthy(url: string, server: ChildProcess, logFile: string) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) {
      throw new Error(
        `The server exited with code ${server.exitCode}:\n${fs.readFileSync(logFile, "utf8")}`,
      );
    }
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer 200 within 60 s:\n${fs.readFileSync(logFile, "utf8")}`);
}

export default async function globalSetup(_config: FullConfig) {
  const serverEntry = path.join(ROOT, "build/server.js");
  if (!fs.existsSync(serverEntry)) {
    throw new Error(
      "build/server.js is missing: run `npm run build` first (or `npm run test:e2e`).",
    );
  }
  if (!(await portIsFree(E2E_PORT, E2E_HOST))) {
    throw new Error(
      `Port ${E2E_PORT} on ${E2E_HOST} is in use. Stop whatever listens there or set E2E_PORT.`,
    );
  }

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "exchange-e2e-"));
  const dataDir = path.join(tmp, "data");
  const stateFile = path.join(tmp, "state.json");
  const logFile = path.join(tmp, "server.log");
  let server: ChildProcess | undefined;
  let log: number | undefined;
  let idp: TestProvider | undefined;

  const killServer = () => {
    if (server && server.exitCode === null) server.kill("SIGTERM");
  };
  async function cleanUp() {
    process.removeListener("exit", killServer);
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server!.once("exit", resolve));
      server.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (server.exitCode === null) server.kill("SIGKILL");
    }
    if (log !== undefined) fs.closeSync(log);
    await idp?.stop();
    if (process.env.E2E_KEEP_DATA) {
      console.log(`e2e data kept in ${tmp}`);
    } else {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }

  try {
    // The provider sends browsers back to the portal's address, the one the browser uses.
    idp = await startTestProvider(E2E_BASE_URL);
    const seeded = spawnSync(
      process.execPath,
      [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "test/e2e/seed.ts"],
      {
        cwd: ROOT,
        env: cleanEnv({
          DATA_DIR: dataDir,
          E2E_STATE_FILE: stateFile,
          E2E_OIDC_ISSUER: idp.issuer,
          NODE_ENV: "test",
        }),
        encoding: "utf8",
      },
    );
    if (seeded.status !== 0) {
      throw new Error(`Seeding the e2e database failed:\n${seeded.stdout}\n${seeded.stderr}`);
    }
    // The seed named the person who has an account at the provider: the provider gets it here.
    const { sso } = JSON.parse(fs.readFileSync(stateFile, "utf8")) as E2eState;
    idp.accounts.set(sso.person.login, {
      email: sso.person.email,
      email_verified: true,
      name: sso.person.displayName,
      amr: ["pwd", "mfa"],
    });

    log = fs.openSync(logFile, "a");
    server = spawn(process.execPath, [serverEntry], {
      cwd: ROOT,
      env: cleanEnv({
        NODE_ENV: "production",
        PORT: String(E2E_PORT),
        HOST: E2E_HOST,
        APP_URL: E2E_BASE_URL,
        DATA_DIR: dataDir,
      }),
      stdio: ["ignore", log, log],
    });
    // Should the runner die without tearing down, the server goes with it.
    process.once("exit", killServer);
    // The listening address itself: Node may resolve "localhost" to ::1 first.
    await waitForHealthy(`http://${E2E_HOST}:${E2E_PORT}/healthz`, server, logFile);
  } catch (error) {
    await cleanUp();
    throw error;
  }

  // Workers inherit the runner's environment.
  process.env.E2E_STATE_FILE = stateFile;
  process.env.E2E_SERVER_LOG = logFile;

  return cleanUp;
}
