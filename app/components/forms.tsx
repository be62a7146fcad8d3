import { zodResolver } from "@hookform/resolvers/zod";
import { useSubmit } from "@remix-run/react";
import { useEffect, useState, type FormEvent } from "react";
import { useForm, type DefaultValues, type FieldValues, type Resolver } from "react-hook-form";
import type { z } from "zod";
import type { FieldErrors } from "~/lib/forms";
import { Alert, ErrorList } from "./ui";

/** A schema, or a function that imports it: zod then loads after the page rather than with it. */
export type SchemaSource<S> = S | (() => Promise<S>);

/**
 * zodResolver over a schema imported on first use (or by `preload`). If the import fails (a network
 * error), the form goes to the server unchecked: the action validates with the same schema anyway.
 */
function lazyZodResolver(load: () => Promise<unknown>) {
  let loaded: Promise<Resolver<FieldValues> | null> | undefined;
  const preload = () =>
    (loaded ??= load().then(
      (schema) => zodResolver(schema as never) as Resolver<FieldValues>,
      () => null,
    ));
  const resolver: Resolver<FieldValues> = async (values, context, options) => {
    const resolve = await preload();
    return resolve ? resolve(values, context, options) : { values, errors: {} };
  };
  return { resolver, preload };
}

/**
 * react-hook-form driven by the same zod schema the action parses with. With JavaScript the form
 * is checked before it is sent; without it, the browser posts the form and the server's errors
 * (returned by the action) show next to the same fields.
 *
 * Pass `() => import("…/schema").then((m) => m.Schema)` instead of the schema to keep zod out of
 * the page's first download (the sign-in page, which has a JavaScript budget): it is fetched once
 * the browser is idle after hydration.
 */
export function useZodForm<S extends z.ZodType<FieldValues, FieldValues>>(
  source: SchemaSource<S>,
  options: { serverErrors?: FieldErrors | null; defaultValues?: DefaultValues<z.input<S>> } = {},
) {
  const [{ resolver, preload }] = useState(() =>
    typeof source === "function"
      ? lazyZodResolver(source)
      : { resolver: zodResolver(source as never) as Resolver<FieldValues>, preload: undefined },
  );
  useEffect(() => {
    if (!preload) return;
    // Fetched when the browser is idle after hydration, so the first check rarely waits for it.
    if (typeof requestIdleCallback === "function") {
      const id = requestIdleCallback(() => void preload());
      return () => cancelIdleCallback(id);
    }
    const timer = setTimeout(() => void preload(), 200);
    return () => clearTimeout(timer);
  }, [preload]);
  const form = useForm<z.input<S>, unknown, z.output<S>>({
    resolver: resolver as never,
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
