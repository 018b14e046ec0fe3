import { z } from 'zod';

/**
 * `reseller.rent`: Onlinesim's long-term rent (onlinesim-reseller.md §7) on the same SIMs. Off by
 * default: partner support must switch rent on, and a rent that gets no SMS counts against the
 * number (3 in a row: banned for 24 h).
 *
 * The request fields of GET_NUMBER (rent) beyond the ordinary ones are [UNDOC]: the length is
 * read from `daysField` (default `days`), `defaultDays` when absent, refused above `maxDays`.
 */
export const DEFAULT_RENT_SERVICES = ['rent'] as const;
export const DEFAULT_RENT_MAX_DAYS = 30;
export const DEFAULT_RENT_DEFAULT_DAYS = 1;
/**
 * A rent past its end stays open this long for Onlinesim's FINISH (it may have been extended, an
 * [UNDOC] call), then ends locally so the SIM serves again.
 */
export const DEFAULT_RENT_EXPIRY_GRACE_MS = 86_400_000;
/** How often rents past their end and grace are ended. */
export const DEFAULT_RENT_EXPIRY_SWEEP_MS = 60_000;

const serviceName = z
  .string()
  .trim()
  .min(1, { message: 'must not be empty' })
  .transform((s) => s.toLowerCase());

export const rentSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** `service` values of GET_NUMBER / GET_SERVICES bodies that mean rent; `rent` per §7. */
    services: z
      .array(serviceName)
      .min(1, { message: 'list at least one service name' })
      .default([...DEFAULT_RENT_SERVICES]),
    maxDays: z.number().int().min(1).max(3650).default(DEFAULT_RENT_MAX_DAYS),
    defaultDays: z.number().int().min(1).max(3650).default(DEFAULT_RENT_DEFAULT_DAYS),
    /** The GET_NUMBER (rent) body field carrying the length in days ([UNDOC]). */
    daysField: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, { message: 'expected a JSON field name' })
      .default('days'),
    expiryGraceMs: z.number().int().min(0).default(DEFAULT_RENT_EXPIRY_GRACE_MS),
    expirySweepIntervalMs: z.number().int().positive().default(DEFAULT_RENT_EXPIRY_SWEEP_MS),
  })
  .strict()
  .superRefine((rent, ctx) => {
    if (rent.defaultDays > rent.maxDays) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['defaultDays'],
        message: `must be at most maxDays (${rent.maxDays})`,
      });
    }
  });

export type RentConfig = z.output<typeof rentSchema>;

/**
 * Checks across sections, one line each: rent pushes go to their own URL (§1 `pushSmsRent`), so
 * enabling rent without `onlinesim.pushRentUrl` would send every rent SMS where Onlinesim refuses
 * it; and a service name cannot mean both an activation and a rent.
 */
export function findRentProblems(config: {
  onlinesim: { pushRentUrl?: string | undefined };
  reseller?: { services: readonly string[]; rent: RentConfig } | undefined;
}): string[] {
  const rent = config.reseller?.rent;
  if (rent?.enabled !== true) return [];
  const issues: string[] = [];
  if (config.onlinesim.pushRentUrl === undefined) {
    issues.push(
      'onlinesim.pushRentUrl: required when reseller.rent.enabled is true (the URL Onlinesim gave for rent PUSH_SMS, pushSmsRent)',
    );
  }
  const rentNames = new Set(rent.services);
  for (const service of config.reseller?.services ?? []) {
    if (rentNames.has(service.toLowerCase())) {
      issues.push(
        `reseller.services: ${JSON.stringify(service)} is also a rent service (reseller.rent.services)`,
      );
    }
  }
  return issues;
}
