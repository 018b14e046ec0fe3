/**
 * The reseller side: the server Onlinesim calls (only when `reseller` is configured) and the
 * sweeper that closes expired rents (only with rent enabled).
 *
 * Split out of main.ts so the optional parts, and the lazy import that keeps TLS and the
 * reseller routes unloaded on a bridge that does not sell numbers, sit in one place.
 */
import type { Config } from '../config/index.js';
import type { HttpApp } from '../http/core/http-app.js';
import type { BridgeMetrics } from '../http/metrics.js';
import type { Logger } from '../log.js';
import { type LiveSims, RentExpirySweeper } from '../reseller/index.js';
import type { ResellerStore } from '../store/reseller-store.js';

export interface ResellerWiringParts {
  config: Config;
  store: ResellerStore;
  liveSims: LiveSims;
  metrics: BridgeMetrics;
  clock: () => number;
  log: Logger;
}

/** The reseller HTTP app, not yet listening; null when the config has no `reseller`. */
export async function buildResellerApp(parts: ResellerWiringParts): Promise<HttpApp | null> {
  const { config } = parts;
  if (!config.reseller) return null;
  const rent = config.reseller.rent.enabled ? config.reseller.rent : null;
  const { numberFormat, authErrorStatus } = config.reseller;
  // Loaded only for a farm that serves Onlinesim's calls, and TLS only when configured.
  const { buildResellerServer, readTlsFiles } = await import('../reseller/http/index.js');
  const tls = config.reseller.tls ? await readTlsFiles(config.reseller.tls) : undefined;
  return buildResellerServer({
    tls,
    apiKey: config.onlinesim.apiKey,
    store: parts.store,
    sims: parts.liveSims,
    log: parts.log,
    now: parts.clock,
    onCall: (call) => parts.metrics.onResellerCall(call),
    ...(rent ? { rent } : {}),
    options: {
      numberFormat,
      authErrorStatusCode: authErrorStatus,
      limits: {
        headersTimeoutMs: config.reseller.headersTimeoutMs,
        requestTimeoutMs: config.reseller.requestTimeoutMs,
        maxConnections: config.reseller.maxConnections,
      },
    },
  });
}

/** Closes rents past their end (plus grace); null unless rent is enabled. */
export function rentExpirySweeperOf(
  parts: Pick<ResellerWiringParts, 'config' | 'store' | 'clock' | 'log'>,
): RentExpirySweeper | null {
  const rent = parts.config.reseller?.rent.enabled ? parts.config.reseller.rent : null;
  if (!rent) return null;
  return new RentExpirySweeper({
    store: parts.store,
    graceMs: rent.expiryGraceMs,
    intervalMs: rent.expirySweepIntervalMs,
    clock: parts.clock,
    log: parts.log.child({ layer: 'reseller' }),
  });
}
