import { hostname } from 'node:os';
import { z } from 'zod';
import { ICCID_PATTERN } from './iccid.js';
import { isLoopbackListen, listenAddressProblem } from './listen-address.js';
import { rentSchema } from './rent-schema.js';
import { compileSenderPattern } from './sender-filter.js';
import { flattenSims, operatorsSection, simsSection } from './sims-schema.js';

/**
 * The configuration schema, CONTRACT.md §2. Every object is `.strict()`: an unknown key is a
 * typo until proven otherwise, and a typo in a farm's config must stop the start (exit 2), not
 * silently fall back to a default.
 *
 * Units are in the names (`...Ms`). Defaults live here and nowhere else.
 */

/** Default admin listen address: loopback only, CONTRACT.md §3. */
export const DEFAULT_ADMIN_LISTEN = '127.0.0.1:8930';
export const DEFAULT_SQLITE_PATH = './data/simbridge.db';
export const DEFAULT_BAUD_RATE = 115_200;
/** The seed: "in 10 seconds another request with the same context should be sent". */
export const DEFAULT_PUSH_RETRY_DELAY_MS = 10_000;
export const DEFAULT_PUSH_MAX_AGE_MS = 86_400_000;
export const DEFAULT_PUSH_TIMEOUT_MS = 10_000;
export const DEFAULT_PUSH_CONCURRENCY = 64;
export const DEFAULT_MULTIPART_TIMEOUT_MS = 60_000;
export const DEFAULT_MULTIPART_SC_TIME_TOLERANCE_MS = 600_000;
/** A host of a farm unheard for this long is presumed dead: its SIMs are not offered. */
export const DEFAULT_NODE_STALE_AFTER_MS = 30_000;
export const DEFAULT_NODE_HEARTBEAT_INTERVAL_MS = 5_000;
/** SIM health (src/health): judged, and registration polled, once a minute (URCs in between). */
export const DEFAULT_HEALTH_INTERVAL_MS = 60_000;
export const DEFAULT_HEALTH_READ_ERRORS_IN_A_ROW = 5;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const listenAddress = z.string().superRefine((value, ctx) => {
  const problem = listenAddressProblem(value);
  if (problem !== null) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
});

const httpUrl = z.string().superRefine((value, ctx) => {
  let protocol = '';
  try {
    protocol = new URL(value).protocol;
  } catch {
    // handled below
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: `expected an http(s) URL, got ${JSON.stringify(value)}`,
    });
  }
});

const nonEmpty = z.string().min(1, { message: 'must not be empty' });

/** Shortest `admin.token` accepted: 16 characters (e.g. `openssl rand -hex 16` gives 32). */
export const MIN_ADMIN_TOKEN_LENGTH = 16;

/**
 * `admin.token`: what a caller sends as `Authorization: Bearer <token>`. Visible ASCII only (an
 * HTTP header value, typed or pasted), no spaces. The value is never echoed in a message.
 */
const adminToken = z.string().superRefine((value, ctx) => {
  let problem: string | null = null;
  if (!/^[\x21-\x7e]*$/.test(value)) problem = 'must be visible ASCII characters without spaces';
  else if (value.length < MIN_ADMIN_TOKEN_LENGTH) {
    problem = `must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters (it has ${value.length}); e.g. openssl rand -hex 32`;
  }
  if (problem !== null) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
});
const positiveMs = z.number().int().positive();

/** `postgres://user:pass@host:port/db`; the value is never echoed (it holds a password). */
const postgresUrl = z.string().superRefine((value, ctx) => {
  let protocol = '';
  try {
    protocol = new URL(value).protocol;
  } catch {
    // handled below
  }
  if (protocol !== 'postgres:' && protocol !== 'postgresql:') {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'expected a postgres:// URL' });
  }
});

/** The store: SQLite (one host, the default) or PostgreSQL (several hosts), exactly one. */
const storageSchema = z
  .object({ sqlite: nonEmpty.optional(), postgres: postgresUrl.optional() })
  .strict()
  .superRefine((storage, ctx) => {
    if (storage.sqlite !== undefined && storage.postgres !== undefined) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: 'set exactly one of "sqlite" and "postgres"',
      });
    }
  })
  .transform((storage): { sqlite: string; postgres?: string } =>
    storage.postgres === undefined
      ? { sqlite: storage.sqlite ?? DEFAULT_SQLITE_PATH }
      : { sqlite: DEFAULT_SQLITE_PATH, postgres: storage.postgres },
  );

/** This host within a farm: its name (default the host name) and how hosts judge each other dead. */
const nodeSchema = z
  .object({
    name: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/, { message: 'expected 1 to 64 letters, digits, ".", "_" or "-"' })
      .default(() => hostname().slice(0, 64) || 'simbridge'),
    staleAfterMs: positiveMs.default(DEFAULT_NODE_STALE_AFTER_MS),
    heartbeatIntervalMs: positiveMs.default(DEFAULT_NODE_HEARTBEAT_INTERVAL_MS),
  })
  .strict()
  .superRefine((node, ctx) => {
    if (node.heartbeatIntervalMs * 2 > node.staleAfterMs) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['heartbeatIntervalMs'],
        message: 'must be at most half of staleAfterMs, or a live host looks dead between heartbeats',
      });
    }
  });
const serviceList = z.array(nonEmpty);

/** Digits with the country code, no '+', as Onlinesim writes numbers (E.164 is at most 15). */
const phoneNumber = z.string().superRefine((value, ctx) => {
  if (!/^\d{7,15}$/.test(value)) {
    const why = /^\d+$/.test(value) ? 'expected 7 to 15 digits' : 'expected digits only';
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${why}, got ${JSON.stringify(value)}` });
  }
});

// Checked again by the admin API and `simbridge sims confirm`, so exported from here too.
export { ICCID_PATTERN };

const iccid = z.string().regex(ICCID_PATTERN, { message: 'expected an ICCID of 18 to 22 digits' });
/** IMSI, TS 23.003 §2.2: at most 15 digits (MCC + MNC + MSIN). */
const imsi = z.string().regex(/^\d{6,15}$/, { message: 'expected an IMSI of 6 to 15 digits' });

/**
 * A sender deny-list entry: `/regex/flags` (JavaScript syntax) or else a plain string matched as a
 * case-insensitive substring. See `compileSenderPattern`.
 */
const senderPattern = nonEmpty.superRefine((value, ctx) => {
  try {
    compileSenderPattern(value);
  } catch (err) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: `invalid regular expression ${value}: ${(err as Error).message}`,
    });
  }
});

const simSchema = z
  .object({
    iccid: iccid.optional(),
    imsi: imsi.optional(),
    phone: phoneNumber,
    country: nonEmpty.optional(),
    operator: nonEmpty.optional(),
    services: serviceList.optional(),
  })
  .strict()
  .superRefine((sim, ctx) => {
    if (sim.iccid === undefined && sim.imsi === undefined) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'needs "iccid" or "imsi" to identify the SIM' });
    }
  });

/** `health:` the rules that take a SIM out of GET_SERVICES / GET_NUMBER (src/health/sim-health.ts). */
const healthSchema = z
  .object({
    /** How often every SIM is judged and its modem's registration polled (`AT+CREG?`). */
    intervalMs: z.number().int().min(100).max(86_400_000).default(DEFAULT_HEALTH_INTERVAL_MS),
    /** SMS reads in a row ending in `+CMS ERROR` that make a SIM unhealthy (`read_errors`). */
    readErrorsInARow: z.number().int().min(1).max(1000).default(DEFAULT_HEALTH_READ_ERRORS_IN_A_ROW),
    /** A SIM whose known balance is below this is unhealthy (`low_balance`); absent: not judged. */
    minBalance: z.number().finite().optional(),
  })
  .strict();

export const configSchema = z
  .object({
    onlinesim: z
      .object({
        pushUrl: httpUrl,
        /** PUSH_SMS of rent operations (`pushSmsRent`); required with `reseller.rent.enabled`. */
        pushRentUrl: httpUrl.optional(),
        // The key's value is never echoed: only "must not be empty/blank" or a type name.
        apiKey: z.string().superRefine((value, ctx) => {
          if (value.trim() !== '') return;
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            message: value === '' ? 'must not be empty' : 'must not be blank',
          });
        }),
      })
      .strict(),
    reseller: z
      .object({
        listen: listenAddress,
        services: serviceList.default([]),
        /** GET_NUMBER's `number` as a JSON number (SMSHUB's type test) or a string. */
        numberFormat: z.enum(['number', 'string']).default('number'),
        /** HTTP status of the `{"status":"ERROR"}` answer to a wrong key: 200 (SMSHUB) or 401. */
        authErrorStatus: z.union([z.literal(200), z.literal(401)]).default(200),
        /** FINISH_ACTIVATION status 4 (cancel) count after which a number is retired for a service. */
        maxCancels: z.number().int().min(1).max(100).default(4),
        /** Node's own TLS: PEM files of the certificate (chain) and its key. Plain HTTP without it. */
        tls: z.object({ cert: nonEmpty, key: nonEmpty }).strict().optional(),
        /** A peer must send its request headers within this time (slow-header sockets are closed). */
        headersTimeoutMs: z.number().int().min(100).max(120_000).default(10_000),
        /** ... and the whole request within this one. */
        requestTimeoutMs: z.number().int().min(100).max(300_000).default(15_000),
        /** Connections open at once; more are refused at accept. */
        maxConnections: z.number().int().min(1).max(10_000).default(256),
        /** Long-term rent on the same SIMs (rent-schema.ts). */
        rent: rentSchema.default({}),
      })
      .strict()
      .optional(),
    admin: z
      .object({
        listen: listenAddress.default(DEFAULT_ADMIN_LISTEN),
        /** Host names the admin API answers besides loopback and its listen address (DNS rebinding guard). */
        allowedHosts: z.array(nonEmpty).default([]),
        /** Connections open at once; more are refused at accept. */
        maxConnections: z.number().int().min(1).max(10_000).default(64),
        /** Bearer token every state change needs, and every read but /healthz beyond loopback. */
        token: adminToken.optional(),
      })
      .strict()
      .superRefine((admin, ctx) => {
        // Beyond loopback anyone on the network could read every SMS and end operations.
        if (admin.token !== undefined || listenAddressProblem(admin.listen) !== null) return;
        if (isLoopbackListen(admin.listen)) return;
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['listen'],
          message:
            `${admin.listen} is reachable beyond loopback: set admin.token ` +
            `(e.g. token: \${SIMBRIDGE_ADMIN_TOKEN}) so that the admin API asks callers for it, ` +
            'or listen on 127.0.0.1',
        });
      })
      .default({}),
    storage: storageSchema.default({}),
    node: nodeSchema.default({}),
    modems: z
      .object({
        ports: z.array(nonEmpty).min(1, { message: 'list at least one port or glob' }),
        baudRate: z.number().int().positive().default(DEFAULT_BAUD_RATE),
        /** How often each modem is polled (+CMGL sweep, signal). Driver default when absent. */
        pollIntervalMs: positiveMs.optional(),
        /** How often a silent modem is probed with `AT`. Driver default when absent. */
        watchdogIntervalMs: positiveMs.optional(),
        /** How often each modem's storage count (`AT+CPMS?`) is checked for a lost `+CMTI`. */
        storageCheckIntervalMs: positiveMs.optional(),
        /** Wait before a read or listing refused with SIM busy is tried again. */
        simBusyReadRetryMs: positiveMs.optional(),
        /** How often a silent modem is probed while it recovers. */
        recoveryProbeIntervalMs: positiveMs.optional(),
        /** How often the port globs are re-expanded for hotplug. Default when absent. */
        rescanIntervalMs: positiveMs.optional(),
        /** How long each candidate tty of a multi-port USB modem has to answer `AT`. Default when absent. */
        probeTimeoutMs: positiveMs.optional(),
      })
      .strict(),
    // The list of CONTRACT.md §2, or {list, autoConfirm, ...} (sims-schema.ts); flattened below.
    sims: simsSection(simSchema),
    operators: operatorsSection,
    health: healthSchema.default({}),
    push: z
      .object({
        retryDelayMs: positiveMs.default(DEFAULT_PUSH_RETRY_DELAY_MS),
        maxAgeMs: positiveMs.default(DEFAULT_PUSH_MAX_AGE_MS),
        timeoutMs: positiveMs.default(DEFAULT_PUSH_TIMEOUT_MS),
        concurrency: z.number().int().min(1).max(256).default(DEFAULT_PUSH_CONCURRENCY),
      })
      .strict()
      .default({}),
    multipart: z
      .object({
        timeoutMs: positiveMs.default(DEFAULT_MULTIPART_TIMEOUT_MS),
        /**
         * Parts whose service-centre time stamps differ by more than this belong to different
         * messages even with the same reference (senders reuse 8-bit references).
         */
        scTimeToleranceMs: positiveMs.default(DEFAULT_MULTIPART_SC_TIME_TOLERANCE_MS),
      })
      .strict()
      .default({}),
    filter: z
      .object({ denySenders: z.array(senderPattern).default([]) })
      .strict()
      .default({}),
    log: z
      .object({ level: z.enum(LOG_LEVELS).optional() })
      .strict()
      .default({}),
  })
  .strict()
  .transform(flattenSims);

/** The validated configuration, defaults applied. */
export type Config = z.output<typeof configSchema>;
/** One entry of `sims`. */
export type SimConfig = Config['sims'][number];
