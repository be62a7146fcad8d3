// Building blocks for whole-system tests: the production build as real server processes, a
// database for them (a PGlite data directory or a PostgreSQL database), a tiny SMTP sink, and an
// HTTP client that signs in and posts forms as a browser would.
//
// Shared by several test files; keep functions small and independent.
import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from "@simplewebauthn/server";
import { SoftAuthenticator } from "../support/soft-authenticator";
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { SMTPServer } from "smtp-server";
import { startPostgres } from "../../scripts/pg-test-server.mjs";

export const ROOT = path.resolve(import.meta.dirname, "../..");
/** The production build; SYSTEM_SERVER_ENTRY runs another copy (e.g. a deliberately broken one). */
export const SERVER_ENTRY = process.env.SYSTEM_SERVER_ENTRY
  ? path.resolve(process.env.SYSTEM_SERVER_ENTRY)
  : path.join(ROOT, "build/server.js");
export const TSX_CLI = path.join(ROOT, "node_modules/tsx/dist/cli.mjs");

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Throws a clear message when the production build is missing. */
export function requireBuild() {
  if (!fs.existsSync(SERVER_ENTRY))
    throw new Error(
      "build/server.js is missing: run `npm run build` first (or `npm run test:e2e`).",
    );
}

/** A port nothing listens on right now (on 127.0.0.1). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** A fresh temporary directory (removed by the caller with fs.rmSync). */
export function tempDir(prefix = "exchange-system-") {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

// ---------------------------------------------------------------- databases

/** Where a server's data lives: a PGlite data directory or a PostgreSQL database. */
export type DbTarget = { kind: "pglite"; dataDir: string } | { kind: "postgres"; url: string };

/**
 * The key that seals stored secrets, the same for the seed (NODE_ENV=test) and every server
 * process, so TOTP keys the seed stores open in the server.
 */
const SYSTEM_SECRETS_KEY = Buffer.alloc(32, 7).toString("base64");

/** The environment variables that point the app at a target. */
export function dbEnv(target: DbTarget): Record<string, string> {
  return target.kind === "pglite"
    ? { DATA_DIR: target.dataDir, SECRETS_KEY: SYSTEM_SECRETS_KEY }
    : { DATABASE_URL: target.url, SECRETS_KEY: SYSTEM_SECRETS_KEY };
}

/**
 * The environment without anything that could point the app at another database or mailer,
 * plus `extra`.
 */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of [
    "DATABASE_URL",
    "DATA_DIR",
    "SMTP_URL",
    "MIGRATIONS_DIR",
    "SECURE_COOKIES",
    "SECRETS_KEY",
    "SECRETS_KEY_PREVIOUS",
    "APP_URL",
    "PORT",
    "HOST",
    "VITEST",
    "VITEST_POOL_ID",
    "VITEST_WORKER_ID",
    "TEST",
  ]) {
    delete env[name];
  }
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}

/** A PGlite target in a fresh temporary directory; `remove` deletes it. */
export function createPgliteTarget() {
  const dir = tempDir("exchange-system-pglite-");
  const target: DbTarget = { kind: "pglite", dataDir: path.join(dir, "data") };
  return { target, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export function withDatabaseName(serverUrl: string, name: string) {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

let sharedPostgres: { url: string; stop(): Promise<void>; users: number } | undefined;

/**
 * A PostgreSQL server: TEST_POSTGRES_URL when set (CI), else a throwaway cluster started once
 * (initdb; needs the server binaries) and stopped when its last user releases it.
 */
export async function acquirePostgresServer(): Promise<{ url: string; release(): Promise<void> }> {
  const given = process.env.TEST_POSTGRES_URL;
  if (given) return { url: given, release: async () => {} };
  if (!sharedPostgres) {
    const started = await startPostgres();
    sharedPostgres = { url: started.url, stop: started.stop, users: 0 };
  }
  const server = sharedPostgres;
  server.users++;
  let released = false;
  return {
    url: server.url,
    async release() {
      if (released) return;
      released = true;
      server.users--;
      if (server.users === 0 && sharedPostgres === server) {
        sharedPostgres = undefined;
        await server.stop();
      }
    },
  };
}

async function adminSql(serverUrl: string, sql: string) {
  const client = new pg.Client({ connectionString: withDatabaseName(serverUrl, "postgres") });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A fresh, empty PostgreSQL database on the test server (the app migrates it on start or seed).
 * `remove` drops it (forcibly) and releases the server.
 */
export async function createPostgresTarget(prefix = "exchange_system") {
  const server = await acquirePostgresServer();
  const name = `${prefix}_${process.pid}_${Date.now()}_${crypto.randomBytes(3).toString("hex")}`;
  await adminSql(server.url, `CREATE DATABASE "${name}"`);
  const target: DbTarget = { kind: "postgres", url: withDatabaseName(server.url, name) };
  return {
    target,
    name,
    async remove() {
      try {
        await adminSql(server.url, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await server.release();
      }
    },
  };
}

// ---------------------------------------------------------------- scripts (tsx)

export type ScriptResult = { status: number; stdout: string; stderr: string };

/** Runs a TypeScript file with tsx (the app's path aliases resolve) in its own process. */
export function runTsx(
  script: string,
  env: Record<string, string | undefined>,
  { timeoutMs = 180_000 } = {},
): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSX_CLI, script], {
      cwd: ROOT,
      env: cleanEnv({ NODE_ENV: "test", ...env }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ status: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}

/** The smallest world seed.ts makes: one of everything (pass as `env` to seedTarget). */
export const ONE_OF_EACH = {
  SYSTEM_APPLICANTS: "1",
  SYSTEM_POSTINGS: "1",
  SYSTEM_PLACEMENTS: "1",
  SYSTEM_ITEMS: "1",
  SYSTEM_EDITORS: "1",
};

/**
 * Seeds a target by running a seed script (default: test/system/seed.ts) with tsx; the script
 * writes what it created to `stateFile` as JSON, which is returned parsed.
 */
export async function seedTarget<T = SystemState>(
  target: DbTarget,
  {
    script = "test/system/seed.ts",
    stateFile,
    env = {},
  }: { script?: string; stateFile: string; env?: Record<string, string> },
): Promise<T> {
  const result = await runTsx(script, {
    ...dbEnv(target),
    SYSTEM_STATE_FILE: stateFile,
    E2E_STATE_FILE: stateFile,
    ...env,
  });
  if (result.status !== 0)
    throw new Error(`Seeding with ${script} failed:\n${result.stdout}\n${result.stderr}`);
  return JSON.parse(fs.readFileSync(stateFile, "utf8")) as T;
}

/** `npm run audit:verify` on a target (for PGlite only while no server has the directory open). */
export async function runAuditVerify(target: DbTarget) {
  const result = await runTsx("scripts/audit-verify.ts", dbEnv(target));
  return { ok: result.status === 0, output: (result.stdout + result.stderr).trim() };
}

/** What test/system/seed.ts creates (all with `password`; only `hr` has MFA, key in base32). */
export type SystemUser = { email: string; id: string; displayName: string };
export type SystemState = {
  password: string;
  /** HR at the US institute (the host of every posting and placement), with a TOTP key. */
  hr: SystemUser & { mfaKey: string };
  /** The applicants' line manager at the UK institute. */
  manager: SystemUser;
  /** UK researchers with a line manager, without MFA. */
  applicants: SystemUser[];
  /** OPEN postings at the US institute that the applicants may apply for. */
  postingIds: string[];
  /** Placements (UK secondees at the US institute) with attested checklist items, no dependencies. */
  placements: { id: string; itemIds: string[] }[];
  /** US researchers, each the owner of a workspace with one page. */
  editors: (SystemUser & { workspaceId: string; pageId: string })[];
};

// ---------------------------------------------------------------- server processes

export type ServerProcess = {
  child: ChildProcess;
  pid: number;
  port: number;
  baseUrl: string;
  logFile: string;
  /** Resolves with the exit code/signal once the process has gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** What the process printed so far. */
  log(): string;
  /** SIGKILL, then waits for the exit. */
  kill(): Promise<void>;
  /** SIGTERM (graceful), SIGKILL after `graceMs`; waits for the exit. */
  stop(graceMs?: number): Promise<void>;
};

export type StartServerOptions = {
  target: DbTarget;
  /** A fixed port (e.g. the same one again after a restart); a free one when omitted. */
  port?: number;
  /** Appended to; a new file in a temp directory when omitted. */
  logFile?: string;
  /** More environment variables (SMTP_URL, OUTBOX_POLL_MS, ...). */
  env?: Record<string, string>;
  healthTimeoutMs?: number;
};

/**
 * Starts `node build/server.js` (the node process itself, so that a signal reaches the server and
 * not a wrapper) and waits until /healthz answers 200.
 */
export async function startServer(options: StartServerOptions): Promise<ServerProcess> {
  requireBuild();
  const port = options.port ?? (await freePort());
  const baseUrl = `http://127.0.0.1:${port}`;
  const logFile = options.logFile ?? path.join(tempDir("exchange-system-log-"), "server.log");
  const fd = fs.openSync(logFile, "a");
  const child = spawn(process.execPath, [SERVER_ENTRY], {
    cwd: ROOT,
    env: cleanEnv({
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      APP_URL: baseUrl,
      SECURE_COOKIES: "false",
      ...dbEnv(options.target),
      ...options.env,
    }),
    stdio: ["ignore", fd, fd],
  });
  fs.closeSync(fd);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  // Should the test process die without tearing down, the server goes with it.
  const onExit = () => child.kill("SIGKILL");
  process.once("exit", onExit);
  void exited.then(() => process.removeListener("exit", onExit));

  const server: ServerProcess = {
    child,
    pid: child.pid!,
    port,
    baseUrl,
    logFile,
    exited,
    log: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8") : ""),
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
    async stop(graceMs = 10_000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const done = await Promise.race([
          exited.then(() => true),
          sleep(graceMs).then(() => false),
        ]);
        if (!done) child.kill("SIGKILL");
      }
      await exited;
    },
  };
  try {
    await waitForHealthy(server, options.healthTimeoutMs ?? 60_000);
  } catch (error) {
    await server.kill();
    throw error;
  }
  return server;
}

/** Polls /healthz until 200; fails early if the process exits. */
export async function waitForHealthy(server: ServerProcess, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let exitedWith: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  void server.exited.then((e) => (exitedWith = e));
  while (Date.now() < deadline) {
    if (exitedWith)
      throw new Error(
        `The server exited (code ${exitedWith.code}, signal ${exitedWith.signal}) before it was healthy:\n${server.log()}`,
      );
    try {
      const response = await fetch(`${server.baseUrl}/healthz`, {
        signal: AbortSignal.timeout(2000),
      });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  throw new Error(
    `${server.baseUrl}/healthz did not answer 200 within ${timeoutMs} ms:\n${server.log()}`,
  );
}

// ---------------------------------------------------------------- SMTP sink

export type ReceivedMail = {
  messageId: string;
  to: string[];
  subject: string;
  receivedAt: number;
};

/**
 * An SMTP server on a free local port (no TLS, no authentication) that accepts everything and
 * records each message with its Message-ID. Point the app at it with SMTP_URL=sink.url.
 */
export async function startSmtpSink() {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const head = raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, " ");
        const header = (name: string) =>
          new RegExp(`^${name}: (.*)$`, "im").exec(head)?.[1]?.trim() ?? "";
        received.push({
          messageId: header("Message-ID"),
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: header("Subject"),
          receivedAt: Date.now(),
        });
        callback();
      });
    },
  });
  // A client killed mid-conversation resets its socket: not an error worth failing on.
  server.on("error", () => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as net.AddressInfo;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    /** The ids received, without angle brackets and domain: what the outbox stores. */
    receivedIds() {
      return new Set(received.map((m) => m.messageId.replace(/^<|@.*$/g, "")));
    },
    /** Message-IDs received more than once, with their counts. */
    duplicates() {
      const counts = new Map<string, number>();
      for (const m of received) counts.set(m.messageId, (counts.get(m.messageId) ?? 0) + 1);
      return [...counts]
        .filter(([, n]) => n > 1)
        .map(([messageId, count]) => ({ messageId, count }));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
export type SmtpSink = Awaited<ReturnType<typeof startSmtpSink>>;

// ---------------------------------------------------------------- HTTP client

/** RFC 6238 TOTP (SHA-1, 30 s, 6 digits) for a base32 key, as an authenticator app computes it. */
export function totpCode(base32Key: string, now = Date.now()) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0;
  let value = 0;
  const bytes: number[] = [];
  for (const char of base32Key.replace(/[\s=]/g, "").toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(char);
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(now / 1000 / 30)));
  const mac = crypto.createHmac("sha1", Buffer.from(bytes)).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}

export type HttpResult = {
  status: number;
  /** The Location header of a redirect, resolved to a path ("" when none). */
  location: string;
  text: string;
};

export type FormBody = Record<string, string | string[] | Blob | undefined>;

/**
 * A browser-like client for one person: a cookie jar, same-origin headers on posts, redirects
 * not followed (the caller sees each one). Posts are plain url-encoded forms unless a Blob is
 * among the values (then multipart, as a file input makes it).
 */
export class HttpClient {
  readonly cookies = new Map<string, string>();
  /** Sent with every request (e.g. X-Forwarded-For, for a server started with TRUST_PROXY=true). */
  readonly defaultHeaders: Record<string, string> = {};
  /** The site's public origin, sent as Origin on posts: by default the server's own address. */
  origin: string | undefined;
  constructor(
    public baseUrl: string,
    readonly timeoutMs = 15_000,
  ) {}

  /** The request headers: defaults, `extra`, and the jar's cookies. */
  headers(extra: Record<string, string> = {}) {
    const headers: Record<string, string> = { ...this.defaultHeaders, ...extra };
    if (this.cookies.size)
      headers.Cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    return headers;
  }

  private remember(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (!value || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private async finish(response: Response): Promise<HttpResult> {
    this.remember(response);
    const raw = response.headers.get("location") ?? "";
    const location = raw
      ? new URL(raw, this.baseUrl).pathname + new URL(raw, this.baseUrl).search
      : "";
    return { status: response.status, location, text: await response.text() };
  }

  async get(pathname: string): Promise<HttpResult> {
    const response = await fetch(new URL(pathname, this.baseUrl), {
      headers: this.headers(),
      redirect: "manual",
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    return this.finish(response);
  }

  async post(pathname: string, form: FormBody): Promise<HttpResult> {
    const multipart = Object.values(form).some((v) => v instanceof Blob);
    let body: FormData | URLSearchParams;
    if (multipart) {
      const data = new FormData();
      for (const [k, v] of Object.entries(form)) {
        if (v === undefined) continue;
        if (v instanceof Blob) data.append(k, v, (v as File).name ?? "file");
        else for (const one of [v].flat()) data.append(k, one);
      }
      body = data;
    } else {
      const data = new URLSearchParams();
      for (const [k, v] of Object.entries(form)) {
        if (v === undefined) continue;
        for (const one of [v].flat()) data.append(k, one as string);
      }
      body = data;
    }
    const origin = this.origin ?? new URL(this.baseUrl).origin;
    const response = await fetch(new URL(pathname, this.baseUrl), {
      method: "POST",
      headers: this.headers({ Origin: origin, "Sec-Fetch-Site": "same-origin" }),
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    return this.finish(response);
  }

  /**
   * Signs in through /login (and /login/mfa with a TOTP code when `mfaKey` is given). Throws
   * unless the app redirects away from the sign-in pages with a session cookie.
   */
  async signIn(email: string, password: string, mfaKey?: string) {
    const first = await this.post("/login", { email, password, redirectTo: "/" });
    if (first.status !== 302 && first.status !== 303)
      throw new Error(`Sign-in of ${email} answered ${first.status}: ${first.text.slice(0, 300)}`);
    if (first.location.startsWith("/login/mfa")) {
      if (!mfaKey) throw new Error(`${email} needs a second factor, and no key was given`);
      const second = await this.post(first.location, { code: totpCode(mfaKey) });
      if (second.status !== 302 && second.status !== 303)
        throw new Error(`MFA step for ${email} answered ${second.status}`);
      // HR and administrators must also confirm with a passkey, as a browser with one would.
      const next = await this.get(second.location);
      if (next.status === 302 && next.location === "/account/passkeys") {
        return this.passkeyStep(email);
      }
      return second.location;
    }
    return first.location;
  }

  /**
   * Registers a software passkey and passes the passkey step with it, through the same routes
   * the browser's passkey button posts to. Returns where the app sends the person next.
   */
  private async passkeyStep(email: string) {
    const key = new SoftAuthenticator(this.origin ?? new URL(this.baseUrl).origin);
    const json = async (path: string, fields: Record<string, string>) => {
      const answer = await this.post(path, fields);
      if (answer.status !== 200) throw new Error(`${path} for ${email} answered ${answer.status}`);
      return JSON.parse(answer.text) as Record<string, unknown>;
    };
    const name = "System test key";
    const made = await json("/account/passkeys/register", { intent: "options", name });
    const response = key.register(made.options as PublicKeyCredentialCreationOptionsJSON);
    await json("/account/passkeys/register", {
      intent: "verify",
      name,
      response: JSON.stringify(response),
    });
    const step = await json("/login/mfa/passkey", { intent: "options" });
    const signed = key.sign(step.options as PublicKeyCredentialRequestOptionsJSON);
    const done = await json("/login/mfa/passkey", {
      intent: "verify",
      response: JSON.stringify(signed),
      redirectTo: "/",
    });
    return String(done.redirectTo);
  }
}
