import { createTOTPKeyURI, generateHOTP } from "@oslojs/otp";
import { encodeBase32UpperCaseNoPadding } from "@oslojs/encoding";
import QRCode from "qrcode";
import { timingSafeEqualStrings } from "./tokens.server";
import { clock } from "~/lib/clock";

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
const ISSUER = "Exchange portal";

export function generateTotpKey(): Uint8Array {
  const key = new Uint8Array(20);
  crypto.getRandomValues(key);
  return key;
}

export function currentStep(now = clock.ms()) {
  return Math.floor(now / 1000 / TOTP_PERIOD_SECONDS);
}

/**
 * The time step a code belongs to, allowing one step of clock drift either way, or null.
 * Callers store the step so that each code is accepted once.
 */
export function matchTotp(key: Uint8Array, code: string, now = clock.ms()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const step = currentStep(now);
  let found: number | null = null;
  for (const candidate of [step - 1, step, step + 1]) {
    const expected = generateHOTP(key, BigInt(candidate), TOTP_DIGITS);
    if (timingSafeEqualStrings(expected, code)) found = candidate;
  }
  return found;
}

export function totpCodeAt(key: Uint8Array, now = clock.ms()) {
  return generateHOTP(key, BigInt(currentStep(now)), TOTP_DIGITS);
}

export function formatSecret(key: Uint8Array) {
  return encodeBase32UpperCaseNoPadding(key).replace(/(.{4})(?=.)/g, "$1 ");
}

export async function totpQrSvg(key: Uint8Array, accountName: string) {
  const uri = createTOTPKeyURI(ISSUER, accountName, key, TOTP_PERIOD_SECONDS, TOTP_DIGITS);
  return QRCode.toString(uri, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
}
