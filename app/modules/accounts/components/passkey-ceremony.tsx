import { useNavigate, useRouteLoaderData } from "@remix-run/react";
import {
  browserSupportsWebAuthn,
  startAuthentication,
  startRegistration,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from "@simplewebauthn/browser";
import { useEffect, useState } from "react";
import { buttonClassName } from "~/components/ui";

// The browser half of a passkey ceremony: ask the route for options, let the browser talk to
// the authenticator, post its answer back. Passkeys need JavaScript; without it (or without
// WebAuthn) the page says so instead of offering a button that cannot work.

type Answer = {
  errors?: Record<string, string[]>;
  /** Creation options for a registration, request options for an authentication. */
  options?: PublicKeyCredentialCreationOptionsJSON & PublicKeyCredentialRequestOptionsJSON;
  redirectTo?: string;
};

async function post(url: string, fields: Record<string, string>): Promise<Answer> {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  const response = await fetch(url, { method: "POST", body, credentials: "same-origin" });
  try {
    return (await response.json()) as Answer;
  } catch {
    return { errors: { "": ["Something went wrong. Reload the page and try again."] } };
  }
}

/** Whether this browser can run a ceremony: false on the server and with JavaScript off. */
export function usePasskeysAvailable() {
  const [available, setAvailable] = useState(false);
  useEffect(() => setAvailable(browserSupportsWebAuthn()), []);
  return available;
}

/**
 * Runs a registration or an authentication against a resource route that answers
 * `intent=options` with `{ options }` and `intent=verify` with `{ redirectTo }` or `{ errors }`.
 */
export function usePasskeyCeremony(url: string, kind: "register" | "authenticate") {
  const csrf = (useRouteLoaderData("root") as { csrf?: string } | undefined)?.csrf ?? "";
  const navigate = useNavigate();
  const [errors, setErrors] = useState<Record<string, string[]> | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(fields: Record<string, string> = {}) {
    setBusy(true);
    setErrors(null);
    try {
      const started = await post(url, { csrf, intent: "options", ...fields });
      if (!started.options) return setErrors(started.errors ?? {});
      let response;
      try {
        response =
          kind === "register"
            ? await startRegistration({ optionsJSON: started.options })
            : await startAuthentication({ optionsJSON: started.options });
      } catch {
        return setErrors({
          "": ["The passkey step was cancelled or timed out. Try again when you are ready."],
        });
      }
      const done = await post(url, {
        csrf,
        intent: "verify",
        response: JSON.stringify(response),
        ...fields,
      });
      if (done.redirectTo) navigate(done.redirectTo);
      else setErrors(done.errors ?? {});
    } finally {
      setBusy(false);
    }
  }
  return { run, errors, busy };
}

export function PasskeysNeedJavaScript() {
  return (
    <p className="text-sm text-gray-700">
      Passkeys need JavaScript and a browser that supports them. If the button does not appear, turn
      JavaScript on or use another way to sign in.
    </p>
  );
}

/** A button that runs a passkey authentication against `url`, with its errors and the no-JS note. */
export function PasskeyButton({
  url,
  label,
  redirectTo,
}: {
  url: string;
  label: string;
  redirectTo: string;
}) {
  const available = usePasskeysAvailable();
  const { run, errors, busy } = usePasskeyCeremony(url, "authenticate");
  const problems = errors ? Object.values(errors).flat() : [];
  return (
    <div className="space-y-2">
      {available ? (
        <button
          type="button"
          className={buttonClassName({ variant: "secondary" })}
          disabled={busy}
          onClick={() => void run({ redirectTo })}
        >
          {label}
        </button>
      ) : (
        <PasskeysNeedJavaScript />
      )}
      <div aria-live="polite">
        {problems.length ? (
          <p className="font-semibold text-red-800">{problems.join(" ")}</p>
        ) : null}
      </div>
    </div>
  );
}
