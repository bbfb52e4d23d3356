import { z } from "zod";

// A UK postcode: outward code (area letters, district) and inward code (sector digit, unit letters).
const UK_POSTCODE = /^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$/;

/** "pr12he", " PR1  2HE " → "PR1 2HE"; null when it is not shaped like a UK postcode. */
export function normalisePostcode(input: string): string | null {
  const v = input.trim().toUpperCase().replace(/\s+/g, " ");
  if (v.length > 9 || !UK_POSTCODE.test(v)) return null;
  const compact = v.replace(/ /g, "");
  return `${compact.slice(0, -3)} ${compact.slice(-3)}`;
}

/** An optional postcode field: empty → null, otherwise normalised, with the error a person can act on. */
export const optionalPostcode = (message = "Enter a UK postcode like M13 9PL") =>
  z
    .string()
    .default("")
    .transform((v) => v.trim())
    .refine((v) => v === "" || normalisePostcode(v) !== null, message)
    .transform((v) => (v ? normalisePostcode(v) : null));
