import type { z } from "zod";

export type FieldErrors = Record<string, string[]>;

/**
 * FormData to a plain object. Keys listed in `arrays` always become arrays (checkbox groups);
 * other keys take their first value, so a duplicated field cannot smuggle in a second one.
 * Files are dropped here: uploads are parsed separately.
 */
export function formDataToObject(formData: FormData, arrays: readonly string[] = []) {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(formData.keys())) {
    const values = formData.getAll(key).filter((v): v is string => typeof v === "string");
    if (arrays.includes(key)) out[key] = values;
    else if (values.length > 0) out[key] = values[0]!;
  }
  for (const key of arrays) out[key] ??= [];
  return out;
}

export type ParseResult<T> = { success: true; data: T } | { success: false; errors: FieldErrors };

/** Validates form input with the form's own zod schema: errors keyed by field ("" for the form). */
export function parseForm<S extends z.ZodType>(
  formData: FormData,
  schema: S,
  options: { arrays?: readonly string[] } = {},
): ParseResult<z.output<S>> {
  const result = schema.safeParse(formDataToObject(formData, options.arrays));
  if (result.success) return { success: true, data: result.data };
  return { success: false, errors: issuesToErrors(result.error.issues) };
}

export function issuesToErrors(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join(".");
    (errors[key] ??= []).push(issue.message);
  }
  return errors;
}
