import { z } from "zod";

// NIST SP 800-63B: length is what counts. No composition rules, any Unicode, long passphrases welcome.
export const PASSWORD_MIN_LENGTH = 15;
export const PASSWORD_MIN_LENGTH_WITH_MFA = 8;
export const PASSWORD_MAX_LENGTH = 256;

/** Length in characters as a person counts them (code points after NFKC normalisation). */
export function passwordLength(password: string) {
  return [...password.normalize("NFKC")].length;
}

/** The client- and server-side shape rules; the breached-list check is added on the server. */
export function passwordSchema(minLength: number = PASSWORD_MIN_LENGTH) {
  return z
    .string({ message: "Enter a password" })
    .refine((p) => passwordLength(p) >= minLength, {
      message: `Use at least ${minLength} characters. A few unrelated words make a strong, memorable password.`,
    })
    .refine((p) => passwordLength(p) <= PASSWORD_MAX_LENGTH, {
      message: `Use at most ${PASSWORD_MAX_LENGTH} characters.`,
    });
}
