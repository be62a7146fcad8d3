// The crash-safety test's settings (test/system/crash-safety.test.ts), from the environment.
import { findPostgresBin } from "../../../scripts/pg-test-server.mjs";

export const KILLS = Number(process.env.CRASH_KILLS ?? 20);
export const MIN_LOAD_MS = Number(process.env.CRASH_MIN_LOAD_MS ?? 0);
export const MAX_LOAD_MS = Number(process.env.CRASH_MAX_LOAD_MS ?? 1000);
export const WARM_UP_LIMIT_MS = 20_000;
export const DATABASES = (process.env.CRASH_DATABASES ?? "pglite,postgres").split(",");
export const SABOTAGE = process.env.CRASH_SABOTAGE ?? "";
export const postgresAvailable =
  Boolean(process.env.TEST_POSTGRES_URL) || findPostgresBin() !== null;
