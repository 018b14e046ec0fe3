import type { PushOutcome } from '../push/push-worker.js';
import type { RentTotals } from '../store/rent-store.js';
import { type BridgeMetrics, sharedWhileRunning } from './metrics.js';
import { Counter, Gauge } from './prometheus/index.js';

export interface RentMetrics {
  /** Feed every push step; rent pushes delivered are counted. */
  onPushOutcome(outcome: PushOutcome): void;
}

/**
 * Rent series on the bridge registry: rents open and credited sums by kind read from the store
 * at scrape (farm-wide with PostgreSQL), rent SMS delivered counted by this process. A failed
 * read shows as NaN and counts in `simbridge_metrics_source_errors_total{source="rents"}`, as
 * the other store gauges do: registered on the bridge's metrics so that it reaches that counter.
 */
export function registerRentMetrics(
  bridge: Pick<BridgeMetrics, 'registry' | 'sourceFailed'>,
  totals: () => Promise<RentTotals>,
): RentMetrics {
  const registers = [bridge.registry];
  // Both gauges collect within one scrape: one read serves both.
  const read = sharedWhileRunning(() =>
    totals()
      .then((t) => {
        rentsOpen.set(t.open);
        earned.set({ kind: 'activation' }, t.earnedByKind.activation);
        earned.set({ kind: 'rent' }, t.earnedByKind.rent);
      })
      .catch((err: unknown) => {
        rentsOpen.set(Number.NaN);
        earned.set({ kind: 'activation' }, Number.NaN);
        earned.set({ kind: 'rent' }, Number.NaN);
        bridge.sourceFailed('rents', err);
      }),
  );
  const rentsOpen: Gauge = new Gauge({
    name: 'simbridge_rents_open',
    help: 'Rent operations currently active (a SIM rented to one Onlinesim client).',
    registers,
    collect: read,
  });
  const earned: Gauge<'kind'> = new Gauge({
    name: 'simbridge_earned_rub',
    help: 'Sums credited by Onlinesim (FINISH_ACTIVATION status 3), by kind of operation (activation, rent).',
    labelNames: ['kind'],
    registers,
    collect: read,
  });
  const rentSmsPushed = new Counter({
    name: 'simbridge_rent_sms_pushed_total',
    help: 'SMS of rented SIMs delivered to the rent push URL (onlinesim.pushRentUrl) by this process.',
    registers,
  });
  return {
    onPushOutcome(outcome) {
      if (outcome.target === 'rent' && outcome.kind === 'delivered') rentSmsPushed.inc();
    },
  };
}
