import type { SimHealthRow } from '../health/sim-health-monitor.js';
import { Gauge, type Registry } from './prometheus/index.js';

/**
 * `simbridge_sim_healthy{iccid,port,reason}`: 1 for a healthy SIM (reason ""), 0 for an
 * unhealthy one with its reason (`unregistered`, `read_errors`, `low_balance`); read from the
 * health monitor at scrape. Labelled by ICCID and port, not by phone number: the metrics carry
 * no phone numbers (metrics.ts), and the ICCID is what the operator finds on the SIM.
 */
export function registerSimHealthMetrics(
  registers: Registry[],
  rows: () => readonly SimHealthRow[],
  onError: (err: unknown) => void,
): void {
  const healthy: Gauge = new Gauge({
    name: 'simbridge_sim_healthy',
    help: 'SIM health: 1 healthy, 0 unhealthy (not offered to Onlinesim), with the reason as a label.',
    labelNames: ['iccid', 'port', 'reason'],
    registers,
    collect: () => {
      healthy.reset();
      let current: readonly SimHealthRow[];
      try {
        current = rows();
      } catch (err) {
        onError(err);
        return;
      }
      for (const row of current) {
        const labels = { iccid: row.iccid ?? row.simKey, port: row.port, reason: row.verdict.reason ?? '' };
        healthy.set(labels, row.verdict.health === 'healthy' ? 1 : 0);
      }
    },
  });
}
