import { hash, verify } from "@node-rs/argon2";
import { dictionary } from "@zxcvbn-ts/language-common";
import {
  PASSWORD_MIN_LENGTH,
  PASSWORD_MIN_LENGTH_WITH_MFA,
  passwordLength,
  PASSWORD_MAX_LENGTH,
} from "./password-policy";

// OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane.
const ARGON2_OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1, algorithm: 2 } as const;

export async function hashPassword(password: string) {
  return hash(password.normalize("NFKC"), ARGON2_OPTIONS);
}

export async function verifyPassword(storedHash: string, password: string) {
  try {
    return await verify(storedHash, password.normalize("NFKC"));
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;
/** Spends the same time as a real check, so response time does not reveal whether an account exists. */
export async function verifyAgainstDummy(password: string) {
  dummyHash ??= hashPassword("not-a-real-password-just-for-timing");
  await verifyPassword(await dummyHash, password);
  return false;
}

let common: Set<string> | undefined;
/** The shipped list of common and breached passwords (about 49,000 entries). */
export function commonPasswords(): Set<string> {
  common ??= new Set((dictionary.passwords as string[]).map((p) => p.toLowerCase()));
  return common;
}

/**
 * Server-side checks: length for the account's MFA state, and the list. Returns a message that
 * says why, or null when the password is acceptable.
 */
export function passwordProblem(
  password: string,
  context: { mfaEnabled: boolean; email?: string; displayName?: string },
): string | null {
  const min = context.mfaEnabled ? PASSWORD_MIN_LENGTH_WITH_MFA : PASSWORD_MIN_LENGTH;
  const length = passwordLength(password);
  if (length < min) return `Use at least ${min} characters.`;
  if (length > PASSWORD_MAX_LENGTH) return `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
  const lower = password.normalize("NFKC").toLowerCase();
  if (commonPasswords().has(lower) || commonPasswords().has(lower.replace(/\s+/g, ""))) {
    return "This password appears in lists of common or breached passwords. Choose another.";
  }
  if (/^(.)\1*$/u.test(lower)) return "A single repeated character is too easy to guess.";
  const email = context.email?.toLowerCase();
  if (email && (lower === email || lower === email.split("@")[0])) {
    return "Do not use your email address as your password.";
  }
  if (context.displayName && lower === context.displayName.toLowerCase()) {
    return "Do not use your name as your password.";
  }
  return null;
}
