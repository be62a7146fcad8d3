import { clock } from "~/lib/clock";
import { getEnv } from "~/lib/env.server";
import { recordFailure, WINDOW_MS, type ThrottleRule } from "~/lib/throttle.server";

// Wrong passwords and wrong second-factor codes each count against two throttle keys, one for the
// account and one for the client address. Sign-in, its code step and the current-password check
// before a change to how someone signs in share these limits and this wording.

export type AttemptKeys = [account: string, address: string];

export function signInAccountKey(email: string) {
  return `signin:account:${email}`;
}

/** Keys for password guesses; `email` is the lower-case address sign-in matches on. */
export function passwordKeys(email: string, ipAddress: string): AttemptKeys {
  return [signInAccountKey(email), `signin:ip:${ipAddress}`];
}

/** Keys for second-factor codes. */
export function codeKeys(userId: string, ipAddress: string): AttemptKeys {
  return [`mfa:user:${userId}`, `mfa:ip:${ipAddress}`];
}

export function signInRules() {
  const env = getEnv();
  const account: ThrottleRule = {
    limit: env.SIGNIN_MAX_FAILURES_ACCOUNT,
    windowMs: WINDOW_MS,
    baseLockMs: 60_000,
    maxLockMs: 60 * 60_000,
  };
  const ip: ThrottleRule = {
    limit: env.SIGNIN_MAX_FAILURES_IP,
    windowMs: WINDOW_MS,
    baseLockMs: 60_000,
    maxLockMs: 60 * 60_000,
  };
  return { account, ip };
}

/** Counts one failed attempt against both keys; returns the lock it brought on, if any. */
export async function recordFailedAttempt([account, address]: AttemptKeys) {
  const r = signInRules();
  const [a, b] = await Promise.all([
    recordFailure(account, r.account),
    recordFailure(address, r.ip),
  ]);
  return a ?? b;
}

export function lockedMessage(until: Date) {
  const minutes = Math.max(1, Math.ceil((until.getTime() - clock.ms()) / 60_000));
  return `Too many attempts. For your security, try again in ${minutes} minute${minutes === 1 ? "" : "s"} (after ${until.toISOString().slice(11, 16)} UTC).`;
}
