import type { z } from "zod";

export type FormValues = Record<string, string | string[]>;
export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: Record<string, string> };

/**
 * FormData as a plain object: single values as strings, the named multi-value
 * fields (checkboxes) as arrays. Files are left out (handled by upload code).
 */
export function formToObject(formData: FormData, arrays: readonly string[] = []): FormValues {
  const out: FormValues = {};
  for (const key of new Set(formData.keys())) {
    const values = formData.getAll(key).filter((v): v is string => typeof v === "string");
    out[key] = arrays.includes(key) ? values : (values[0] ?? "");
  }
  for (const key of arrays) out[key] ??= [];
  return out;
}

/** Validates with a zod schema; on failure, the first message for each field. */
export function parseForm<S extends z.ZodType>(schema: S, values: unknown): FormResult<z.output<S>> {
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data };
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.length ? String(issue.path[0]) : "form";
    errors[key] ??= issue.message;
  }
  return { ok: false, errors };
}

/** What to send back to the form after a failure: everything typed except secrets. */
export function keepValues(values: FormValues, omit: readonly string[] = ["password", "currentPassword", "newPassword", "confirmPassword"]): FormValues {
  const out: FormValues = {};
  for (const [k, v] of Object.entries(values)) if (!omit.includes(k)) out[k] = v;
  return out;
}
