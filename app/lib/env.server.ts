import { z } from "zod";

const bool = z
  .enum(["true", "false", "1", "0"], { message: 'must be "true" or "false"' })
  .transform((v) => v === "true" || v === "1");

const MIB = 1024 * 1024;

const secretKey = z
  .string()
  .transform((v) => Buffer.from(v, "base64"))
  .refine((b) => b.length === 32, {
    message: "must be 32 bytes, base64-encoded (openssl rand -base64 32)",
  });

/** Every environment variable the portal reads. Documented in .env.example. */
export const EnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    HOST: z.string().min(1).default("0.0.0.0"),
    APP_URL: z
      // http(s) only: "localhost:3000" parses as a URL with scheme "localhost:", and every emailed link would fail.
      .url({
        protocol: /^https?$/,
        message: "must be an absolute URL such as http://localhost:3000",
      })
      .optional(),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, { message: "must start with postgresql://" })
      .optional(),
    DATA_DIR: z.string().min(1).default("./data"),
    MIGRATIONS_DIR: z.string().min(1).default("./prisma/migrations"),
    SESSION_IDLE_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(30),
    SESSION_ABSOLUTE_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 30)
      .default(12),
    SECURE_COOKIES: bool.optional(),
    TRUST_PROXY: bool.default(false),
    SERVER_TIMING: bool.default(false),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, { message: "must start with smtp:// or smtps://" })
      .optional(),
    MAIL_FROM: z.string().min(3).default("Exchange portal <no-reply@exchange.invalid>"),
    OUTBOX_POLL_MS: z.coerce.number().int().min(50).max(600_000).default(2000),
    OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
    SIGNIN_MAX_FAILURES_ACCOUNT: z.coerce.number().int().min(1).default(5),
    SIGNIN_MAX_FAILURES_IP: z.coerce.number().int().min(1).default(30),
    SIGNIN_MAX_FAILURES_ACCOUNT_ANY_ADDRESS: z.coerce.number().int().min(1).default(100),
    RESET_TOKEN_MINUTES: z.coerce
      .number()
      .int()
      .min(5)
      .max(24 * 60)
      .default(60),
    INVITATION_TOKEN_DAYS: z.coerce.number().int().min(1).max(60).default(7),
    UPLOAD_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(10 * 1024 * 1024),
    REMINDER_DUE_SOON_DAYS: z.coerce.number().int().min(1).max(60).default(7),
    REMINDER_ESCALATE_AFTER_DAYS: z.coerce.number().int().min(1).max(90).default(7),
    DIRECTORY_CACHE_ENTRIES: z.coerce.number().int().min(0).max(100_000).default(1000),
    /** Postings list pages kept in memory per process (0 turns the cache off). */
    POSTINGS_CACHE_ENTRIES: z.coerce.number().int().min(0).max(100_000).default(1000),
    DASHBOARD_CACHE_ENTRIES: z.coerce.number().int().min(0).max(100_000).default(200),
    /** Workspace homes, pages and page histories kept per process (0 turns the cache off). */
    WORKSPACE_CACHE_ENTRIES: z.coerce.number().int().min(0).max(100_000).default(500),
    // Unset: 4 on the embedded database (its queries all run on the server's one thread), 16 on
    // PostgreSQL (a request waiting on the database leaves the thread free). 0: no limit.
    MAX_ACTIVE_REQUESTS: z.coerce.number().int().min(0).max(10_000).optional(),
    MAX_QUEUED_REQUESTS: z.coerce.number().int().min(1).max(100_000).default(1000),
    /** Time a client has to send its request headers. */
    HEADERS_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(10),
    /** Time a client has to send its whole request, body included (an upload on a slow line). */
    REQUEST_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(120),
    // Request bodies held in memory at once, all requests together; beyond it, 503. Unset: room
    // for four of the largest uploads, what four working slots held before bodies were read first.
    /** AES-256 key (32 bytes, base64) that seals stored secrets; required with DATABASE_URL in production. */
    SECRETS_KEY: secretKey.optional(),
    /** The key before a rotation: still opens secrets until they are resealed. */
    SECRETS_KEY_PREVIOUS: secretKey.optional(),
    REQUEST_BODIES_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1024 * 1024)
      .optional(),
  })
  // On the embedded database a production process keeps a key file in DATA_DIR (secret-box).
  .refine((env) => env.NODE_ENV !== "production" || !env.DATABASE_URL || env.SECRETS_KEY, {
    path: ["SECRETS_KEY"],
    message: "must be set in production with DATABASE_URL (openssl rand -base64 32)",
  })
  .transform((env) => ({
    ...env,
    MAX_ACTIVE_REQUESTS: env.MAX_ACTIVE_REQUESTS ?? (env.DATABASE_URL ? 16 : 4),
    REQUEST_BODIES_MAX_BYTES: env.REQUEST_BODIES_MAX_BYTES ?? 4 * (2 * env.UPLOAD_MAX_BYTES + MIB),
    APP_URL: env.APP_URL ?? `http://localhost:${env.PORT}`,
    SECURE_COOKIES: env.SECURE_COOKIES ?? env.NODE_ENV === "production",
  }));

export type Env = z.infer<typeof EnvSchema>;

export class EnvError extends Error {}

/** Parses raw variables; the error lists one line per bad variable. */
export function parseEnv(raw: Record<string, string | undefined>): Env {
  // Treat empty strings as unset, as shells and .env files commonly produce them.
  const cleaned = Object.fromEntries(
    Object.entries(raw).filter(([, v]) => v !== undefined && v !== ""),
  );
  const result = EnvSchema.safeParse(cleaned);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
  throw new EnvError(`Invalid environment configuration:\n${lines.join("\n")}`);
}

let cached: Env | undefined;
export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
/** For tests that change variables between cases. */
export function resetEnvCache() {
  cached = undefined;
}
