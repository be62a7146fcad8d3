import type { z } from "zod";
import { parseForm } from "./forms";
import { refused, type ServiceResult } from "./service";

// One page, several forms: each form's button names its `intent`, and the action runs that
// intent's handler, usually "parse the form with the intent's schema, call one service".

/**
 * Runs the handler `intent` names. An intent the page does not have (a stale or forged form) is
 * refused like bad input, 400.
 */
export function runIntent(
  intent: string,
  handlers: Record<string, () => Promise<ServiceResult>>,
): Promise<ServiceResult> {
  // Own keys only: an intent such as "constructor" must not reach Object.prototype.
  const handler = Object.hasOwn(handlers, intent) ? handlers[intent] : undefined;
  return handler ? handler() : Promise.resolve(refused("Choose an action."));
}

/** Parses the form with `schema`, then calls the service; input the schema refuses is a 400. */
export async function withParsedForm<S extends z.ZodType, T extends object>(
  formData: FormData,
  schema: S,
  call: (input: z.output<S>) => Promise<ServiceResult<T>>,
  options: { arrays?: readonly string[] } = {},
): Promise<ServiceResult<T>> {
  const parsed = parseForm(formData, schema, options);
  return parsed.success ? call(parsed.data) : { ok: false, errors: parsed.errors };
}
