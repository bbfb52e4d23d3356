/** Field rules for discussion forms (client-safe: no server imports). */
import { z } from "zod";
import { cleanMultiline, cleanSingleLine } from "../utils/text";

export const TITLE_MAX = 150;
export const BODY_MAX = 20_000;
export const REASON_MAX = 1000;

export const bodyField = (what = "Your message") =>
  z
    .string({ message: `Enter ${what.toLowerCase()}` })
    .transform(cleanMultiline)
    .refine((v) => v.trim().length > 0, `Enter ${what.toLowerCase()}`)
    .refine((v) => v.length <= BODY_MAX, `${what} must be ${BODY_MAX.toLocaleString("en-GB")} characters or fewer`);

export const titleField = z
  .string({ message: "Enter a title" })
  .transform((v) => cleanSingleLine(v, TITLE_MAX + 1))
  .refine((v) => v.length > 0, "Enter a title")
  .refine((v) => v.length <= TITLE_MAX, `The title must be ${TITLE_MAX} characters or fewer`);

export const newThreadSchema = z.object({
  categoryId: z.coerce.number({ message: "Choose a category" }).int().positive("Choose a category"),
  title: titleField,
  body: bodyField(),
  about: z.string().optional(),
});

export const replySchema = z.object({ body: bodyField("Your reply") });

export const editSchema = z.object({ body: bodyField(), title: z.string().optional() });

export const reportSchema = z.object({
  reason: z
    .string({ message: "Tell us what is wrong with this post" })
    .transform(cleanMultiline)
    .refine((v) => v.trim().length > 0, "Tell us what is wrong with this post")
    .refine((v) => v.length <= REASON_MAX, `The reason must be ${REASON_MAX} characters or fewer`),
});
