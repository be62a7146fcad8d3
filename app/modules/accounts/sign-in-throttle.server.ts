import { clock } from "~/lib/clock";
import { getEnv } from "~/lib/env.server";
import { recordFailure, WINDOW_MS, type ThrottleRule } from "~/lib/throttle.server";

// Wrong passwords and wrong second-factor codes each count against three throttle keys: the
// account at this client address, the account from anywhere, and the address. The first locks
// after a few failures; the second only after many (SIGNIN_MAX_FAILURES_ACCOUNT_ANY_ADDRESS), so
// that someone elsewhere guessing cannot keep the owner locked out, while guessing spread over
// many addresses still stops (ASVS V6.1.1). Sign-in, its code step and the current-password check
// before a change to how someone signs in share these limits and this wording.

export type AttemptKeys = {
  /** The account at this address. */
  accountHere: string;
  /** The account from any address. */
  account: string;
  address: string;
  /** Whether the account from any address has the low limit too (second-factor codes). */
  strict?: boolean;
};

/** The prefix of every key that counts failures against an account, whatever the address. */
export function signInAccountKeyPrefix(email: string) {
  return `signin:account:${email}|`;
}

/** The key that counts every failed sign-in from one client address. */
export function signInAddressKey(ipAddress: string) {
  return `signin:ip:${ipAddress}`;
}

/** Keys for password guesses; `email` is the lower-case address sign-in matches on. */
export function passwordKeys(email: string, ipAddress: string): AttemptKeys {
  // An email address cannot contain "|" after its "@", so one account's keys share a prefix
  // that no other account's keys start with.
  const prefix = signInAccountKeyPrefix(email);
  return {
    accountHere: `${prefix}ip:${ipAddress}`,
    account: `${prefix}any`,
    address: signInAddressKey(ipAddress),
  };
}

/**
 * Keys for second-factor codes. Whoever reaches the code step holds the password already, so
 * locking the account there everywhere keeps out only them, and a six-digit code must not get
 * the many guesses spread over addresses that a password gets.
 */
export function codeKeys(userId: string, ipAddress: string): AttemptKeys {
  return {
    accountHere: `mfa:user:${userId}|ip:${ipAddress}`,
    account: `mfa:user:${userId}|any`,
    address: `mfa:ip:${ipAddress}`,
    strict: true,
  };
}

/** The keys whose lock refuses an attempt unseen: the account's, never the bare address's. */
export function accountKeys(keys: AttemptKeys) {
  return [keys.accountHere, keys.account];
}

function rule(limit: number): ThrottleRule {
  return { limit, windowMs: WINDOW_MS, baseLockMs: 60_000, maxLockMs: 60 * 60_000 };
}

export function signInRules() {
  const env = getEnv();
  return {
    accountHere: rule(env.SIGNIN_MAX_FAILURES_ACCOUNT),
    account: rule(env.SIGNIN_MAX_FAILURES_ACCOUNT_ANY_ADDRESS),
    address: rule(env.SIGNIN_MAX_FAILURES_IP),
  };
}

/**
 * Counts one failed attempt against the account's keys, and against the address unless
 * `accountOnly`; returns the latest lock it brought on, if any.
 */
export async function recordFailedAttempt(keys: AttemptKeys, { accountOnly = false } = {}) {
  const r = signInRules();
  const locks = await Promise.all([
    recordFailure(keys.accountHere, r.accountHere),
    recordFailure(keys.account, keys.strict ? r.accountHere : r.account),
    accountOnly ? null : recordFailure(keys.address, r.address),
  ]);
  return latest(locks);
}

export function latest(times: (Date | null)[]): Date | null {
  return times.reduce<Date | null>((a, b) => (b && (!a || b > a) ? b : a), null);
}

export function lockedMessage(until: Date) {
  const minutes = Math.max(1, Math.ceil((until.getTime() - clock.ms()) / 60_000));
  return `Too many attempts. For your security, try again in ${minutes} minute${minutes === 1 ? "" : "s"} (after ${until.toISOString().slice(11, 16)} UTC).`;
}
