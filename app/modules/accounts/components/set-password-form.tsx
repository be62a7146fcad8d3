import { Link } from "@remix-run/react";
import { Form } from "~/components/form";
import { FormErrors, useZodForm } from "~/components/forms";
import { useIsPending } from "~/components/use-is-pending";
import { Field, PageHeader, StatusButton } from "~/components/ui";
import type { FieldErrors } from "~/lib/forms";
import { setPasswordSchema } from "../schema";

/** The page behind an emailed link (reset or invitation): choose a password, or learn the link is spent. */
export function SetPasswordPage({
  title,
  intro,
  link,
  errors,
  submitLabel,
}: {
  title: string;
  intro: string;
  link: { email: string; minLength: number } | null;
  errors?: FieldErrors | null;
  submitLabel: string;
}) {
  const schema = setPasswordSchema(link?.minLength);
  const { register, onSubmit, errorsFor, formErrors } = useZodForm(schema, {
    serverErrors: errors,
  });
  const pending = useIsPending();
  if (!link) {
    return (
      <div className="mx-auto max-w-md">
        <PageHeader title="This link cannot be used" />
        <p className="mb-4">
          It has expired or has already been used. Links work once and only for a limited time.
        </p>
        <Link to="/forgot-password" className="text-brand-700 underline">
          Ask for a new password reset link
        </Link>
      </div>
    );
  }
  return (
    <div className="mx-auto max-w-md">
      <PageHeader title={title} description={intro} />
      <p className="mb-4 text-slate-700">
        Account: <strong>{link.email}</strong>
      </p>
      <FormErrors errors={formErrors} />
      <Form method="post" noValidate onSubmit={onSubmit} className="space-y-4">
        <input
          type="text"
          name="username"
          value={link.email}
          autoComplete="username"
          readOnly
          hidden
        />
        <Field
          label="New password"
          hint={`At least ${link.minLength} characters. Several unrelated words make a password that is long, strong and easy to remember. Any characters are allowed.`}
          inputProps={{ ...register("password"), type: "password", autoComplete: "new-password" }}
          errors={errorsFor("password")}
        />
        <Field
          label="Repeat the new password"
          inputProps={{ ...register("confirm"), type: "password", autoComplete: "new-password" }}
          errors={errorsFor("confirm")}
        />
        <StatusButton type="submit" pending={pending}>
          {submitLabel}
        </StatusButton>
      </Form>
    </div>
  );
}
