import { Form as RemixForm, useRouteLoaderData, type FormProps } from "@remix-run/react";
import { forwardRef } from "react";

/** The field the server's form check reads (CSRF_FIELD in ~/lib/csrf.server). */
const CSRF_FIELD = "csrf";

/**
 * The app's only way to write a form: Remix's Form, plus the root loader's anti-forgery token in
 * every form that posts. A browser that sends neither Origin nor Sec-Fetch-Site (JavaScript off
 * in an old browser, or behind a proxy that strips them) is then still let through, and a form
 * forged on another site, which cannot know the token, is not (app/lib/csrf.server.ts).
 */
export const Form = forwardRef<HTMLFormElement, FormProps>(function Form(
  { children, ...props },
  ref,
) {
  const token = (useRouteLoaderData("root") as { csrf?: string } | undefined)?.csrf;
  const posts = (props.method ?? "get").toLowerCase() !== "get";
  return (
    <RemixForm ref={ref} {...props}>
      {/* First, so that an upload cut short for its size has sent the token already. */}
      {posts && token ? <input type="hidden" name={CSRF_FIELD} value={token} /> : null}
      {children}
    </RemixForm>
  );
});
