import { z } from 'zod';

/**
 * The SIM part of the configuration (README "Adding SIMs"):
 *
 * - `sims:` is either the SIM-to-number list of CONTRACT.md §2 (still valid as it is), or a
 *   mapping with that list under `list` and the discovery settings beside it:
 *   `sims: {autoConfirm, balanceIntervalMs, minBalance, ussdTimeoutMs, list: [...]}`.
 * - `operators:` names each operator the farm's SIMs belong to: which SIMs (IMSI prefixes, i.e.
 *   MCC+MNC), its country as Onlinesim writes it, and the USSD codes that answer the SIM's number
 *   and its balance. No codes ship as defaults: operators change them and differ by region,
 *   so each farm writes the ones its operator documents.
 *
 * After parsing, `Config.sims` stays the list (every reader of the list is unchanged) and the
 * settings are `Config.simOptions`.
 */

export const DEFAULT_BALANCE_INTERVAL_MS = 6 * 3_600_000;
export const DEFAULT_USSD_TIMEOUT_MS = 30_000;

const positiveMs = z.number().int().positive();

/** A USSD code as dialled: `*`, `#`, digits (e.g. `*111*0887#`). */
const ussdCode = z.string().regex(/^[*#][0-9*#]{1,62}#$/, {
  message: 'expected a USSD code such as "*100#" (digits, "*" and "#", ending in "#")',
});

const operatorSchema = z
  .object({
    /** Country of its SIMs as Onlinesim spells it (`russia`). */
    country: z.string().min(1, { message: 'must not be empty' }),
    /** IMSI prefixes (MCC+MNC, e.g. `25001`) of its SIMs: how a SIM without config is matched. */
    imsiPrefixes: z
      .array(z.string().regex(/^\d{5,6}$/, { message: 'expected MCC+MNC, 5 or 6 digits' }))
      .min(1, {
        message: 'list at least one IMSI prefix (MCC+MNC, e.g. "25001")',
      }),
    /** USSD code that answers the SIM's own number. */
    numberUssd: ussdCode.optional(),
    /** USSD code that answers the balance. */
    balanceUssd: ussdCode.optional(),
    /** Services offered on its discovered SIMs; `reseller.services` when absent. */
    services: z.array(z.string().min(1)).optional(),
  })
  .strict();

export const operatorsSection = z
  .record(
    z.string().regex(/^[a-z0-9_-]{1,32}$/, { message: 'expected a lower-case operator name' }),
    operatorSchema,
  )
  .default({});

/** One `operators:` entry, validated. */
export type OperatorConfig = z.output<typeof operatorSchema>;

/** The settings beside `sims.list`. */
export interface SimOptions {
  /** Offer a discovered number without waiting for `simbridge sims confirm`. Default false. */
  autoConfirm: boolean;
  /** Balance read by USSD this often (and at start). Default 6 h. */
  balanceIntervalMs: number;
  /** Balance (RUB) below which a SIM counts as unhealthy (read by SIM health); none when absent. */
  minBalance?: number;
  /** Longest wait for a USSD answer. Default 30 s. */
  ussdTimeoutMs: number;
}

const optionsShape = {
  autoConfirm: z.boolean().default(false),
  balanceIntervalMs: positiveMs.default(DEFAULT_BALANCE_INTERVAL_MS),
  minBalance: z.number().optional(),
  ussdTimeoutMs: positiveMs.default(DEFAULT_USSD_TIMEOUT_MS),
};

/** The options of the list form (no options written): the mapping form's defaults, from one place. */
const OPTION_DEFAULTS: SimOptions = z.object(optionsShape).parse({});

/** `sims:` in either form, parsed to `{list, ...options}` with the issues' paths as written. */
export function simsSection<S extends z.ZodTypeAny>(simSchema: S) {
  const listForm = z.array(simSchema);
  const mappingForm = z.object({ ...optionsShape, list: listForm.default([]) }).strict();
  return z.unknown().transform((value, ctx) => {
    const parsed =
      Array.isArray(value) || value === undefined
        ? listForm
            .default([])
            .transform((list) => ({ ...OPTION_DEFAULTS, list }))
            .safeParse(value)
        : mappingForm.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue(issue as z.IssueData);
      return z.NEVER;
    }
    return parsed.data as SimOptions & { list: z.output<S>[] };
  });
}

/** Splits the parsed `sims` section into the list (`Config.sims`) and `Config.simOptions`. */
export function flattenSims<C extends { sims: SimOptions & { list: unknown[] } }>(
  config: C,
): Omit<C, 'sims'> & { sims: C['sims']['list']; simOptions: SimOptions } {
  const { list, ...simOptions } = config.sims;
  return { ...config, sims: list, simOptions };
}
