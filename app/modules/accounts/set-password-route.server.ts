import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { redirectWithFlash } from "~/lib/flash.server";
import { parseForm } from "~/lib/forms";
import { PASSWORD_MIN_LENGTH, PASSWORD_MIN_LENGTH_WITH_MFA } from "~/lib/password-policy";
import { readFormData, requestInfo } from "~/lib/request.server";
import { inspectOneTimeToken, setPasswordWithToken } from "./one-time-links.server";
import { setPasswordSchema } from "./schema";

type Purpose = "INVITATION" | "PASSWORD_RESET";

// The reset and invitation routes differ only in purpose and wording; their server side is this.
export function setPasswordLoader(purpose: Purpose) {
  return async ({ params }: LoaderFunctionArgs) => {
    const info = await inspectOneTimeToken(params.token ?? "", purpose);
    const link = info && {
      email: info.email,
      minLength: info.mfaEnabled ? PASSWORD_MIN_LENGTH_WITH_MFA : PASSWORD_MIN_LENGTH,
    };
    return data({ link }, { status: link ? 200 : 410 });
  };
}

export function setPasswordAction(purpose: Purpose, doneMessage: string) {
  return async ({ request, params, context }: ActionFunctionArgs) => {
    const token = params.token ?? "";
    const info = await inspectOneTimeToken(token, purpose);
    const schema = setPasswordSchema(
      info?.mfaEnabled ? PASSWORD_MIN_LENGTH_WITH_MFA : PASSWORD_MIN_LENGTH,
    );
    const parsed = parseForm(await readFormData(request), schema);
    if (!parsed.success) return data({ errors: parsed.errors }, { status: 400 });
    const result = await setPasswordWithToken(
      token,
      purpose,
      parsed.data.password,
      requestInfo(request, context),
    );
    if (!result.ok) return data({ errors: result.errors }, { status: 400 });
    return redirectWithFlash("/login", { tone: "success", message: doneMessage });
  };
}
