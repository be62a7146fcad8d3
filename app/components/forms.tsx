import { zodResolver } from "@hookform/resolvers/zod";
import { useSubmit } from "@remix-run/react";
import type { FormEvent } from "react";
import { useForm, type DefaultValues, type FieldValues } from "react-hook-form";
import type { z } from "zod";
import type { FieldErrors } from "~/lib/forms";
import { Alert, ErrorList } from "./ui";

/**
 * react-hook-form driven by the same zod schema the action parses with. With JavaScript the form
 * is checked before it is sent; without it, the browser posts the form and the server's errors
 * (returned by the action) show next to the same fields.
 */
export function useZodForm<S extends z.ZodType<FieldValues, FieldValues>>(
  schema: S,
  options: { serverErrors?: FieldErrors | null; defaultValues?: DefaultValues<z.input<S>> } = {},
) {
  const form = useForm<z.input<S>, unknown, z.output<S>>({
    resolver: zodResolver(schema as never),
    mode: "onTouched",
    defaultValues: options.defaultValues,
  });
  const submit = useSubmit();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    const target = event.currentTarget;
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    void form.handleSubmit(() =>
      submit(submitter ?? target, {
        method: "post",
        action: target.getAttribute("action") ?? undefined,
      }),
    )(event);
  }

  function errorsFor(name: string): string[] | undefined {
    const client = (form.formState.errors as Record<string, { message?: string } | undefined>)[
      name
    ];
    if (client?.message) return [client.message];
    return options.serverErrors?.[name];
  }

  // register() only sets values through refs after hydration; the server-rendered HTML needs
  // defaultValue too, or a form edited with JavaScript off would post its fields blank.
  const defaults = (options.defaultValues ?? {}) as Record<string, unknown>;
  const register = ((name: string, opts?: object) => {
    const registered = form.register(name as never, opts);
    const value = defaults[name];
    return typeof value === "string" || typeof value === "number"
      ? { ...registered, defaultValue: value }
      : registered;
  }) as typeof form.register;

  return {
    form,
    register,
    onSubmit,
    errorsFor,
    formErrors: options.serverErrors?.[""],
  };
}

/** Errors that belong to the whole form rather than one field, in an alert above it. */
export function FormErrors({ errors, title }: { errors?: string[] | null; title?: string }) {
  if (!errors?.length) return null;
  return (
    <div className="mb-4">
      <Alert tone="error" title={title}>
        <ErrorList errors={errors} />
      </Alert>
    </div>
  );
}
