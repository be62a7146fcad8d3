import { hash, verify } from "@node-rs/argon2";
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import { adjacencyGraphs, dictionary } from "@zxcvbn-ts/language-common";
import { dictionary as englishDictionary, translations } from "@zxcvbn-ts/language-en";
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

let estimator: ZxcvbnFactory | undefined;
function strengthEstimator() {
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...dictionary, ...englishDictionary },
    graphs: adjacencyGraphs,
    translations,
  });
  return estimator;
}

/**
 * The lowest zxcvbn score accepted: 4 (about 10^10 guesses or more) for a password that is the only
 * factor; 2 (10^6) when a second factor backs it, since the password alone then opens nothing.
 * The figures are in docs/decisions/015-password-strength.md.
 */
export const MIN_STRENGTH_SCORE = 4;
export const MIN_STRENGTH_SCORE_WITH_MFA = 2;

export type PasswordContext = {
  mfaEnabled: boolean;
  email?: string;
  displayName?: string;
  instituteName?: string;
  instituteCode?: string;
};

/**
 * What an attacker who knows the person would try first: their name, address and institute, whole
 * and word by word, and run together ("alicesmith", "usaisafetyinstitute").
 */
function personalWords(context: PasswordContext): string[] {
  const words = new Set<string>();
  for (const value of [
    context.displayName,
    context.email,
    context.instituteName,
    context.instituteCode,
  ]) {
    if (!value) continue;
    const lower = value.normalize("NFKC").toLowerCase();
    const parts = lower.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    words.add(lower);
    words.add(parts.join(""));
    for (const part of parts) words.add(part);
  }
  return [...words];
}

/**
 * Server-side checks: length for the account's MFA state, the list, then the strength estimate
 * with the person's own words. Returns a message that says why, or null when the password is
 * acceptable.
 */
export function passwordProblem(password: string, context: PasswordContext): string | null {
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
  return strengthProblem(password, context);
}

function strengthProblem(password: string, context: PasswordContext): string | null {
  const minScore = context.mfaEnabled ? MIN_STRENGTH_SCORE_WITH_MFA : MIN_STRENGTH_SCORE;
  const result = strengthEstimator().check(password, personalWords(context));
  if (result.score >= minScore) return null;
  const usesOwnWords = result.sequence.some(
    (match) => match.pattern === "dictionary" && match.dictionaryName === "userInputs",
  );
  const why = usesOwnWords
    ? "It is built from your name, email address or institute, which anyone can find."
    : (result.feedback.warning ?? "It follows a pattern that is quick to guess.");
  return `This password is too easy to guess. ${why} A few unrelated words make a strong, memorable password.`;
}
