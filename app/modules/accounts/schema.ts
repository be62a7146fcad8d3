import { z } from "zod";
import { passwordSchema, PASSWORD_MIN_LENGTH } from "~/lib/password-policy";
import { emailField, idField, multiLine, singleLine } from "~/lib/validation";

export const ROLES = ["STAFF", "HR", "ADMIN"] as const;

export const SignInSchema = z.object({
  email: emailField,
  password: z
    .string({ message: "Enter your password" })
    .min(1, { message: "Enter your password" })
    .max(1024, { message: "Enter your password" }),
  redirectTo: z.string().max(2048).optional(),
});

/** The password step's own field, checked in the browser before the whole sign-in is sent. */
export const SignInPasswordSchema = SignInSchema.pick({ password: true });

export const MfaCodeSchema = z.object({
  code: z
    .string({ message: "Enter the 6-digit code from your authenticator app" })
    .transform((s) => s.replace(/\s+/g, ""))
    .refine((s) => /^\d{6}$/.test(s), {
      message: "Enter the 6-digit code from your authenticator app",
    }),
});

/**
 * Turning MFA on: the code from the new authenticator, and the current password, so that someone
 * holding a stolen session cannot enrol their own device.
 */
export const MfaEnrolmentSchema = MfaCodeSchema.extend({
  current: z
    .string({ message: "Enter your current password" })
    .min(1, { message: "Enter your current password" })
    .max(1024, { message: "Enter your current password" }),
});

/** At sign-in a recovery code may stand in for the TOTP code. */
export const MfaChallengeSchema = z.object({
  code: z
    .string({ message: "Enter a code" })
    .transform((s) => s.replace(/\s+/g, "").toLowerCase())
    // Recovery codes are 5 groups of 5 (those issued before 2026-11-27: 2 groups).
    .refine((s) => /^\d{6}$/.test(s) || /^[a-z2-7]{5}(-?[a-z2-7]{5}){1,4}$/.test(s), {
      message: "Enter the 6-digit code from your authenticator app, or a recovery code",
    }),
});

export const ForgotPasswordSchema = z.object({ email: emailField });

/** Setting a password from an emailed link. The minimum depends on the account (MFA or not). */
export function setPasswordSchema(minLength: number = PASSWORD_MIN_LENGTH) {
  return z
    .object({
      password: passwordSchema(minLength),
      confirm: z.string({ message: "Repeat the password" }),
    })
    .refine((v) => v.password === v.confirm, {
      path: ["confirm"],
      message: "The two passwords do not match",
    });
}

export function changePasswordSchema(minLength: number = PASSWORD_MIN_LENGTH) {
  return z
    .object({
      current: z
        .string({ message: "Enter your current password" })
        .min(1, { message: "Enter your current password" })
        .max(1024),
      password: passwordSchema(minLength),
      confirm: z.string({ message: "Repeat the new password" }),
    })
    .refine((v) => v.password === v.confirm, {
      path: ["confirm"],
      message: "The two passwords do not match",
    });
}

const rolesField = z
  .array(z.enum(ROLES, { message: "Choose roles from the list" }))
  .max(ROLES.length)
  .transform((roles) => [...new Set<(typeof ROLES)[number]>(["STAFF", ...roles])]);

export const InviteUserSchema = z.object({
  email: emailField,
  displayName: singleLine("a name", 120),
  jobTitle: singleLine("a job title", 120, { required: false }),
  team: singleLine("a team", 120, { required: false }),
  instituteId: idField.refine((s) => s.length > 0, { message: "Choose an institute" }),
  lineManagerId: idField.optional(),
  roles: rolesField,
});

export const EditUserSchema = z.object({
  displayName: singleLine("a name", 120),
  jobTitle: singleLine("a job title", 120, { required: false }),
  team: singleLine("a team", 120, { required: false }),
  lineManagerId: idField.optional(),
  roles: rolesField,
});

export const UserListFilterSchema = z.object({
  q: z.string().max(200).optional().catch(undefined),
  institute: idField.optional().catch(undefined),
  status: z.enum(["active", "deactivated", "all"]).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined),
});

/**
 * An administrator's reset of someone's second factor: how their identity was checked out of
 * band, for the audit log.
 */
export const ResetMfaSchema = z.object({
  reason: multiLine("how you checked who they are", 500, { required: true }),
});

/** Ending one of your own sessions on /account: the row's handle, never the session id. */
export const EndSessionSchema = z.object({
  session: z
    .string({ message: "Choose a session" })
    .regex(/^[A-Za-z0-9_-]{16}$/, { message: "Choose a session" }),
});
/**
 * Sign-in starts from the address alone: its domain names the institute's provider, if it has
 * one (home-realm discovery); otherwise the password step follows.
 */
export const SignInEmailSchema = z.object({
  email: emailField,
  redirectTo: z.string().max(2048).optional(),
});

// ---- passkeys

export const PasskeyNameSchema = singleLine("a name for the passkey", 60);

export const RenamePasskeySchema = z.object({
  intent: z.literal("rename"),
  id: idField,
  name: PasskeyNameSchema,
});

export const RemovePasskeySchema = z.object({ intent: z.literal("remove"), id: idField });

const base64url = z
  .string()
  .max(16_384)
  .regex(/^[A-Za-z0-9_-]+$/);

const credential = <R extends z.ZodType>(response: R) =>
  z.object({
    id: base64url,
    rawId: base64url,
    type: z.literal("public-key"),
    response,
    clientExtensionResults: z.record(z.string(), z.unknown()),
    authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
  });

/** What @simplewebauthn/browser hands back, in outline; the library checks the rest. */
const RegistrationShape = credential(
  z.object({
    clientDataJSON: base64url,
    attestationObject: base64url,
    transports: z
      .array(z.enum(["ble", "cable", "hybrid", "internal", "nfc", "smart-card", "usb"]))
      .max(10)
      .optional(),
  }),
);
const AuthenticationShape = credential(
  z.object({
    clientDataJSON: base64url,
    authenticatorData: base64url,
    signature: base64url,
    userHandle: base64url.optional(),
  }),
);

const PASSKEY_RESPONSE = "Your browser's passkey answer could not be read. Try again.";

/** The browser's answer, posted as JSON text in one form field. */
function passkeyResponseField<S extends z.ZodType>(shape: S) {
  return z
    .string({ message: PASSKEY_RESPONSE })
    .max(65_536, { message: PASSKEY_RESPONSE })
    .transform((text, ctx): z.output<S> => {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        value = undefined;
      }
      const parsed = shape.safeParse(value);
      if (!parsed.success) {
        ctx.addIssue({ code: "custom", message: PASSKEY_RESPONSE });
        return z.NEVER;
      }
      return parsed.data;
    });
}

/** Asking for a ceremony's options; registering also names the new passkey up front. */
export const PasskeyOptionsSchema = z.object({ intent: z.literal("options") });
export const PasskeyRegisterOptionsSchema = PasskeyOptionsSchema.extend({
  name: PasskeyNameSchema,
});

export const PasskeyRegisterSchema = z.object({
  intent: z.literal("verify"),
  name: PasskeyNameSchema,
  response: passkeyResponseField(RegistrationShape),
});

export const PasskeyAuthenticateSchema = z.object({
  intent: z.literal("verify"),
  response: passkeyResponseField(AuthenticationShape),
  redirectTo: z.string().max(2048).optional(),
});
