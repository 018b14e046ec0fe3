import { z } from 'zod';

/**
 * Request bodies of Onlinesim's v1 calls (onlinesim-reseller.md §3-§5). Tolerant where the
 * sources disagree: numbers may arrive as numeric strings, exclusion entries as integers or
 * strings, and unknown fields (`currency`, SMSHUB extras) are ignored.
 */

const numeric = z.union([
  z.number().finite(),
  z
    .string()
    .trim()
    .regex(/^-?\d+(\.\d+)?$/, 'must be a number')
    .transform(Number),
]);

const name = z.string().trim().min(1, 'must not be empty').max(100);

/** Every call: `action` and the partner `key` (the key may come as a Bearer header instead). */
export const envelopeSchema = z.object({
  action: z.string().trim().max(64).optional(),
  key: z.string().optional(),
});

export const getNumberSchema = z.object({
  country: name,
  operator: name,
  service: name,
  // Required by the docs; tolerated when missing, since it only feeds the earnings report.
  sum: numeric.nullish(),
  exceptionPhoneSet: z
    .array(z.union([z.string().max(32), z.number().finite()]))
    .max(10_000)
    .nullish(),
});

/** GET_NUMBER (rent): the same fields, `service` optional (the path may say rent); days: rent-service.ts. */
export const getNumberRentSchema = getNumberSchema.extend({ service: name.optional() });

export const finishActivationSchema = z.object({
  activationId: numeric.pipe(z.number().int().min(1).max(Number.MAX_SAFE_INTEGER)),
  status: numeric.pipe(
    z.union([z.literal(1), z.literal(3), z.literal(4), z.literal(5)], {
      errorMap: () => ({ message: 'must be 1, 3, 4 or 5' }),
    }),
  ),
  sum: numeric.nullish(),
});

/** One readable line from a zod error: `activationId: must be ...; status: ...`. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'body'}: ${issue.message}`)
    .join('; ');
}
